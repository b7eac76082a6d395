// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import com.sun.jna.Native;
import dev.fringe.Backends;
import dev.fringe.spi.GeneratorBackend;
import java.util.List;
import java.util.stream.Collectors;

/** The engines the differential tests compare, chosen once per JVM and printed. */
final class Engines {
    /** The machine word the native side computes with: all 64 bits, or the low 32. */
    static final long WORD_MASK = Native.POINTER_SIZE == 8 ? -1L : 0xFFFF_FFFFL;

    /**
     * The oracle: the best available Java backend that runs bodies on a stack of their own
     * ({@code continuation} on JDK 21+ with the export, {@code thread} on JDK 17), or the one
     * {@code -Dfringe.backend} names. Not {@code stackless}: that engine is itself checked against
     * the oracle ({@code StacklessDifferentialTest}).
     */
    static final GeneratorBackend ORACLE = System.getProperty(Backends.PROPERTY) != null ? Backends.selected()
            : Backends.all().stream().filter(b -> !b.name().equals("stackless") && b.unavailableReason().isEmpty())
                    .findFirst().orElseThrow();

    /** The stackless engine, checked against {@link #ORACLE}. */
    static final GeneratorBackend STACKLESS = Backends.named("stackless").orElseThrow();

    /** Every usable Java backend, best first. */
    static final List<GeneratorBackend> JAVA = Backends.all().stream()
            .filter(b -> b.unavailableReason().isEmpty())
            .collect(Collectors.toUnmodifiableList());

    static {
        System.out.println("differential tests: native engine (" + Native.POINTER_SIZE * 8 + "-bit words, "
                + com.sun.jna.Platform.RESOURCE_PREFIX + ") against Java oracle \"" + ORACLE.name()
                + "\" (best available Java backend); usable Java backends: "
                + JAVA.stream().map(GeneratorBackend::name).collect(Collectors.joining(", ")));
    }

    private Engines() {}
}
