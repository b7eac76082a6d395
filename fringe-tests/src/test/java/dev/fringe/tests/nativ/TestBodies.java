// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * The C bodies of {@code src/test/c/bodies}, built by the Maven build into the test class path
 * under JNA's resource prefix for each architecture the suite runs on.
 */
final class TestBodies {
    private static final NativeLibrary LIBRARY = NativeLibrary.getInstance("fringe_testbodies",
            Map.of(Library.OPTION_CLASSLOADER, TestBodies.class.getClassLoader()));

    private TestBodies() {}

    /** Returns the body {@code fringe_test_<name>}. */
    static Function body(String name) {
        return LIBRARY.getFunction("fringe_test_" + name);
    }

    /** Native memory holding one machine word, for {@code env}. */
    static Memory word(long value) {
        Memory m = new Memory(Native.POINTER_SIZE);
        if (Native.POINTER_SIZE == 8) {
            m.setLong(0, value);
        } else {
            m.setInt(0, (int) value);
        }
        return m;
    }

    /** All-ones machine word as Java sees it (zero-extended on 32-bit). */
    static long maxWord() {
        return Native.POINTER_SIZE == 8 ? -1L : 0xFFFF_FFFFL;
    }

    static long address(Pointer p) {
        return Pointer.nativeValue(p);
    }

    /** Iteration counts scale with -Dfringe.test.scale (long runs) and shrink under emulation. */
    static int scaled(int n) {
        return Math.max(1, n * Integer.getInteger("fringe.test.scale", 1) / Integer.getInteger("fringe.test.divisor", 1));
    }
}
