// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.spi.ArchSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The C bodies of {@code src/test/c/bodies}, built by the Maven build into the test class path
 * under JNA's resource prefix for each architecture the suite runs on; and the architecture
 * library itself, for bodies that resume generators of their own from C.
 */
public final class TestBodies {
    private static final NativeLibrary LIBRARY = NativeLibrary.getInstance("fringe_testbodies",
            Map.of(Library.OPTION_CLASSLOADER, TestBodies.class.getClassLoader()));

    private TestBodies() {}

    /**
     * Returns the description of the architecture module serving this JVM (JNA's resource
     * prefix), as fringe-backend-jna finds it.
     *
     * @return the description
     */
    public static ArchSupport arch() {
        for (var it = ServiceLoader.load(ArchSupport.class, ArchSupport.class.getClassLoader()).iterator(); ; ) {
            try {
                if (!it.hasNext()) {
                    throw new IllegalStateException("no fringe-arch-* module for " + Platform.RESOURCE_PREFIX);
                }
                ArchSupport arch = it.next();
                if (arch.resourcePrefix().equals(Platform.RESOURCE_PREFIX)) {
                    return arch;
                }
            } catch (ServiceConfigurationError e) {
                // another architecture's description; keep looking
            }
        }
    }

    /**
     * Returns the architecture library, loaded by JNA through its module's class loader: for
     * tests that call its functions directly (a C resumer, a backtrace that must reach it).
     *
     * @return the library
     */
    public static NativeLibrary archLibrary() {
        // The binding loads its copy first: JNA then finds that very library by its soname instead
        // of extracting a second copy from the jar (whose fringe_guard.c would have counters and a
        // registry of its own).
        NativeGenerator.isAvailable();
        ArchSupport arch = arch();
        return NativeLibrary.getInstance(arch.libraryName(),
                Map.of(Library.OPTION_CLASSLOADER, arch.getClass().getClassLoader()));
    }

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

    /**
     * The JVM flags a child JVM of the native suite needs to run as this one does: native access
     * (the default binding needs it), this JVM's binding and test scale, and the flags the
     * environment gave it ({@code JAVA_TOOL_OPTIONS}: the cross runs' {@code -Xint} under
     * qemu-i386).
     *
     * @return the flags
     */
    static List<String> childJvmFlags() {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        flags.addAll(inheritedJvmFlags());
        for (String property : List.of("fringe.native.binding", "fringe.test.divisor", "fringe.test.scale")) {
            String value = System.getProperty(property);
            if (value != null) {
                flags.add("-D" + property + "=" + value);
            }
        }
        return flags;
    }

    /**
     * The flags the environment gave this JVM ({@code JAVA_TOOL_OPTIONS}), which a child JVM
     * started through {@code ChildJvm} does not inherit by itself.
     *
     * @return the flags, possibly none
     */
    static List<String> inheritedJvmFlags() {
        String inherited = System.getenv("JAVA_TOOL_OPTIONS");
        return inherited == null || inherited.isBlank() ? List.of() : List.of(inherited.trim().split("\\s+"));
    }

    /** Iteration counts scale with -Dfringe.test.scale (long runs) and shrink under emulation. */
    static int scaled(int n) {
        return Math.max(1, n * Integer.getInteger("fringe.test.scale", 1) / Integer.getInteger("fringe.test.divisor", 1));
    }
}
