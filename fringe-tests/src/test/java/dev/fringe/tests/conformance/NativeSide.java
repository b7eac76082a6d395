// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.conformance;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.fringe.jna.spi.ArchSupport;
import dev.fringe.tests.nativ.TestBodies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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

    /** Returns the architecture module serving this JVM, with its library's functions. */
    static Arch arch() {
        return new Arch(TestBodies.arch(), TestBodies.archLibrary());
    }

    /** Returns {@code fringe_init} of the architecture library. */
    static Function fringeInit() {
        return arch().function(ArchSupport::initSymbol);
    }

    /** The architecture module's description and its library, called directly through JNA. */
    static final class Arch {
        private final ArchSupport description;
        private final NativeLibrary library;

        Arch(ArchSupport description, NativeLibrary library) {
            this.description = description;
            this.library = library;
        }

        /** The ABI's stack alignment, as the module describes it. */
        int stackAlignment() {
            return description.stackAlignment();
        }

        /** {@code fringe_stack_register(limit, base)}: Valgrind's stack id, 0 outside Valgrind. */
        int registerStack(long limit, long base) {
            return function(ArchSupport::stackRegisterSymbol).invokeInt(new Object[] {new Pointer(limit), new Pointer(base)});
        }

        /** {@code fringe_stack_deregister(id)}. */
        void deregisterStack(int id) {
            function(ArchSupport::stackDeregisterSymbol).invokeVoid(new Object[] {id});
        }

        Function function(java.util.function.Function<ArchSupport, String> symbol) {
            return library.getFunction(symbol.apply(description));
        }
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
