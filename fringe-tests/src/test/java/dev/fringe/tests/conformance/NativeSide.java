// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.conformance;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.fringe.jna.spi.ArchSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** What the native conformance tests need: C bodies, the architecture module, memory maps. */
final class NativeSide {
    private static final NativeLibrary BODIES = NativeLibrary.getInstance("fringe_testbodies",
            Map.of(Library.OPTION_CLASSLOADER, NativeSide.class.getClassLoader()));

    private NativeSide() {}

    /** Returns the C body {@code fringe_test_<name>} (src/test/c/bodies). */
    static Function body(String name) {
        return BODIES.getFunction("fringe_test_" + name);
    }

    /** Returns native memory holding one machine word, zeroed. */
    static Memory word() {
        Memory m = new Memory(Native.POINTER_SIZE);
        m.clear();
        return m;
    }

    /** Reads the machine word at the start of {@code m}, zero-extended. */
    static long read(Memory m) {
        return Native.POINTER_SIZE == 8 ? m.getLong(0) : Integer.toUnsignedLong(m.getInt(0));
    }

    /** Returns the architecture module serving this JVM (JNA's resource prefix), loaded. */
    static ArchSupport arch() {
        Iterator<ArchSupport> it = ServiceLoader.load(ArchSupport.class, ArchSupport.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    throw new IllegalStateException("no fringe-arch-* module for " + Platform.RESOURCE_PREFIX);
                }
                ArchSupport arch = it.next();
                if (arch.resourcePrefix().equals(Platform.RESOURCE_PREFIX)) {
                    arch.load();
                    return arch;
                }
            } catch (ServiceConfigurationError e) {
                // another architecture's provider; keep looking
            }
        }
    }

    /**
     * Returns {@code fringe_init} of the architecture library: {@code fringe-arch-X} ships
     * {@code libfringe_X.so} (the {@code fringe.arch.lib} property of its pom).
     */
    static Function fringeInit() {
        ArchSupport arch = arch();
        String name = "fringe_" + arch.artifactId().substring("fringe-arch-".length());
        return NativeLibrary.getInstance(name, Map.of(Library.OPTION_CLASSLOADER, arch.getClass().getClassLoader()))
                .getFunction("fringe_init");
    }

    /**
     * Returns the permissions ({@code rw-p}, {@code ---p}, ...) of the mapping holding
     * {@code address} in /proc/self/maps, or empty if nothing is mapped there.
     */
    static Optional<String> mapping(long address) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] fields = line.split("\\s+");
            String[] range = fields[0].split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                return Optional.of(fields[1]);
            }
        }
        return Optional.empty();
    }
}
