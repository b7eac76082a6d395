// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Platform;
import dev.fringe.jna.spi.ArchSupport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link ArchSupport} description for the running JVM: the provider whose resource
 * prefix equals JNA's {@link Platform#RESOURCE_PREFIX} (so fringe never maps {@code os.arch}
 * itself, and {@code -Djna.prefix} overrides both). Reading {@code Platform} loads no native
 * code. When none matches, the error says what was looked for, what was found, and which
 * artifact to add.
 */
final class ArchLocator {
    /** Which artifact serves which JNA resource prefix; for the "add this" hint only. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "linux-x86-64", "fringe-arch-x86_64",
            "linux-x86", "fringe-arch-x86",
            "linux-aarch64", "fringe-arch-aarch64",
            "linux-riscv32", "fringe-arch-riscv32",
            "linux-or1k", "fringe-arch-or1k");

    private ArchLocator() {}

    /**
     * Returns the provider serving this JVM, its description checked.
     *
     * @return the provider
     * @throws UnsupportedOperationException if none serves this JVM (the message names os.arch,
     *                                       the prefix, the modules found and the artifact to
     *                                       add; providers that failed to load are suppressed
     *                                       exceptions), or the match describes an impossible ABI
     */
    static ArchSupport locate() {
        String prefix = Platform.RESOURCE_PREFIX;
        List<String> seen = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        Iterator<ArchSupport> it = ServiceLoader.load(ArchSupport.class, ArchLocator.class.getClassLoader()).iterator();
        while (true) {
            ArchSupport candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                failures.add(e);
                continue;
            }
            if (candidate.resourcePrefix().equals(prefix)) {
                return checked(candidate);
            }
            seen.add(candidate.artifactId() + " (" + candidate.resourcePrefix() + ")");
        }
        String artifact = ARTIFACTS.get(prefix);
        UnsupportedOperationException e = new UnsupportedOperationException(
                "no fringe architecture module serves this JVM: os.arch=" + System.getProperty("os.arch")
                        + ", JNA resource prefix " + prefix + ". "
                        + (artifact != null
                                ? "Add the artifact dev.fringe:" + artifact + " to the class path or module path"
                                : "fringe has no native switch for " + prefix + " yet")
                        + ". Modules found by ServiceLoader: " + (seen.isEmpty() ? "none" : String.join(", ", seen))
                        + (failures.isEmpty() ? "" : " (" + failures.size() + " failed to load; see the suppressed exceptions)")
                        + ". Java bodies need none of this: Generator.create runs them on the JVM.");
        failures.forEach(e::addSuppressed);
        throw e;
    }

    private static ArchSupport checked(ArchSupport arch) {
        int word = arch.wordSize();
        int alignment = arch.stackAlignment();
        if ((word != 4 && word != 8) || alignment < word || Integer.bitCount(alignment) != 1) {
            throw new UnsupportedOperationException(arch.artifactId() + " (" + arch.getClass().getName()
                    + ") describes word size " + word + " and stack alignment " + alignment
                    + ": fringe needs a word of 4 or 8 bytes and a power-of-two alignment of at least a word");
        }
        return arch;
    }
}
