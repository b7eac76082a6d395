// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.fringe.jna.spi.ArchSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The JNA binding: the architecture library's functions bound by JNA direct mapping
 * ({@link Native#register(Class, NativeLibrary)}), JNA's cheapest call path, with
 * {@code long}s on a 64-bit ABI and {@code int}s on a 32-bit one. Works on every JDK fringe
 * supports; a round trip costs about one JNA call (~90 ns), see the README's numbers.
 *
 * <p>Direct mapping binds a class's {@code static native} methods, once per class and JVM, so
 * the two word sizes have a natives class each, and {@link NativeRuntime} constructs this class
 * at most once per JVM. The
 * methods' names are mapped to the symbols the {@link ArchSupport} names.
 *
 * <p>The library is loaded by JNA from the architecture module's jar (found through the class
 * loader of its provider class, extracted to a temporary file), after {@code jna.library.path}
 * and the system library paths; {@code -Djna.debug_load=true} traces every step.
 */
final class JnaBinding extends Binding {
    private final boolean wide;
    private final boolean guarded;
    private final long initAddress;

    /**
     * Loads and binds the library of {@code arch}.
     *
     * @throws UnsatisfiedLinkError if JNA cannot load it or a symbol is missing
     */
    JnaBinding(ArchSupport arch) {
        super(arch);
        this.wide = arch.wordSize() == 8;
        this.guarded = arch.recoversOverflow();
        Map<String, String> symbols = Map.of(
                "init", arch.initSymbol(),
                "resume", arch.returningResumeSymbol(), // JNA returns through libffi after every call
                "resumeGuarded", arch.guardedReturningResumeSymbol(),
                "registerGuard", arch.guardRegisterSymbol(),
                "deregisterGuard", arch.guardDeregisterSymbol(),
                "registerStack", arch.stackRegisterSymbol(),
                "deregisterStack", arch.stackDeregisterSymbol());
        FunctionMapper mapper = (library, method) -> symbols.getOrDefault(method.getName(), method.getName());
        try {
            NativeLibrary library = NativeLibrary.getInstance(arch.libraryName(), Map.of(
                    Library.OPTION_CLASSLOADER, arch.getClass().getClassLoader(),
                    Library.OPTION_FUNCTION_MAPPER, mapper));
            this.initAddress = Pointer.nativeValue(library.getFunction(arch.initSymbol()));
            Native.register(wide ? Wide.class : Narrow.class, library);
            if (guarded) {
                Native.register(wide ? WideGuard.class : NarrowGuard.class, library);
            }
        } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, or a bad mapping
            throw loadError("jna", arch, e);
        }
    }

    @Override
    String name() {
        return "jna";
    }

    @Override
    String mechanism() {
        return "JNA " + Native.VERSION + " direct mapping";
    }

    @Override
    long init(long stackBase, long body, long env) {
        return wide ? Wide.init(stackBase, body, env)
                : Integer.toUnsignedLong(Narrow.init(word(stackBase), word(body), word(env)));
    }

    @Override
    long resume(long ctl) {
        return wide ? Wide.resume(ctl) : Integer.toUnsignedLong(Narrow.resume((int) ctl));
    }

    @Override
    long resumeGuarded(long ctl) {
        if (!guarded) {
            return resume(ctl);
        }
        return wide ? WideGuard.resumeGuarded(ctl) : Integer.toUnsignedLong(NarrowGuard.resumeGuarded((int) ctl));
    }

    @Override
    int registerGuard(long guardLow, long limit, long base, long ctl) {
        return wide ? WideGuard.registerGuard(guardLow, limit, base, ctl)
                : NarrowGuard.registerGuard(word(guardLow), word(limit), word(base), word(ctl));
    }

    @Override
    void deregisterGuard(int id) {
        if (wide) {
            WideGuard.deregisterGuard(id);
        } else {
            NarrowGuard.deregisterGuard(id);
        }
    }

    @Override
    int registerStack(long limit, long base) {
        return wide ? Wide.registerStack(limit, base) : Narrow.registerStack(word(limit), word(base));
    }

    @Override
    void deregisterStack(int id) {
        if (wide) {
            Wide.deregisterStack(id);
        } else {
            Narrow.deregisterStack(id);
        }
    }

    @Override
    long initAddress() {
        return initAddress;
    }

    @Override
    ByteBuffer view(long address, int bytes) {
        return new Pointer(address).getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    }

    @Override
    long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    /**
     * Narrows a {@code long} that holds a 32-bit machine word, zero- or sign-extended (JNA gives
     * addresses either way on a 32-bit JVM), to the {@code int} a 32-bit library takes.
     *
     * @param value an address or value
     * @return its low 32 bits
     * @throws IllegalArgumentException if {@code value} does not fit in 32 bits, changing nothing
     */
    static int word(long value) {
        if ((value >> 32) != 0 && (value >> 31) != -1) {
            throw new IllegalArgumentException("0x" + Long.toHexString(value) + " does not fit in a 32-bit machine word");
        }
        return (int) value;
    }

    /** A 64-bit library's functions: pointers and {@code uintptr_t} are {@code long}. */
    private static final class Wide {
        private Wide() {}

        static native long init(long stackBase, long body, long env);

        static native long resume(long ctl);

        static native int registerStack(long limit, long base);

        static native void deregisterStack(int id);
    }

    /** A 64-bit library's overflow recovery ({@link ArchSupport#recoversOverflow()}). */
    private static final class WideGuard {
        private WideGuard() {}

        static native long resumeGuarded(long ctl);

        static native int registerGuard(long guardLow, long limit, long base, long ctl);

        static native void deregisterGuard(int id);
    }

    /** A 32-bit library's overflow recovery. */
    private static final class NarrowGuard {
        private NarrowGuard() {}

        static native int resumeGuarded(int ctl);

        static native int registerGuard(int guardLow, int limit, int base, int ctl);

        static native void deregisterGuard(int id);
    }

    /** A 32-bit library's functions: pointers and {@code uintptr_t} are {@code int}. */
    private static final class Narrow {
        private Narrow() {}

        static native int init(int stackBase, int body, int env);

        static native int resume(int ctl);

        static native int registerStack(int limit, int base);

        static native void deregisterStack(int id);
    }
}
