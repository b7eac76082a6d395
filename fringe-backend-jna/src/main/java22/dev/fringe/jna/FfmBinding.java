// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import dev.fringe.jna.spi.ArchSupport;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The FFM binding (JDK 22+; this class lives in the jar's {@code META-INF/versions/22}, so JDK
 * 17-21 never see it): the architecture library loaded with
 * {@link SymbolLookup#libraryLookup(java.nio.file.Path, Arena)} and its functions called through
 * {@link Linker} downcall handles, about a tenth of a JNA call.
 *
 * <p><b>{@code Linker.Option.critical}.</b> A critical downcall skips the thread-state transition
 * (about 2 ns), which also means the thread cannot reach a safepoint until the call returns: every
 * other thread that needs one (any GC, deoptimization, a thread dump) waits for it. The resume
 * routine runs the body until its next suspend, which may take arbitrarily long: measured with
 * fringe-bench's {@code SafepointLatency}, a garbage collection asked for while a body computed
 * for 2 s reached its safepoint after 6 us through an ordinary downcall and after 1.8 s through a
 * critical one. So resume is an ordinary downcall. {@code fringe_init}
 * and the Valgrind stack registration are short leaf functions that never block, so they are
 * critical.
 *
 * <p>The handles live in static final fields (one architecture library per JVM), which is what
 * lets the JIT inline them; {@link NativeRuntime} constructs this class at most once.
 */
// "restricted": calling native code is what this class is for; the JVM lets it only with native
// access enabled for this module (or warns), which NativeRuntime checks before choosing it.
@SuppressWarnings("restricted")
final class FfmBinding extends Binding {
    /** The architecture to bind, set (once) before {@link Handles} is initialized. */
    private static ArchSupport target;

    /**
     * Binds the library of {@code arch}.
     *
     * @param arch   the architecture
     * @param forced whether {@code -Dfringe.native.binding=ffm} asked for it: then native access
     *               need not be enabled (the JVM warns), otherwise it must be
     * @throws UnsupportedOperationException if native access is not enabled for this module and
     *                                       FFM was not forced, or the platform is not 64-bit
     * @throws UnsatisfiedLinkError          if the library cannot be loaded or lacks a symbol
     */
    FfmBinding(ArchSupport arch, boolean forced) {
        super(arch);
        Module module = FfmBinding.class.getModule();
        if (!forced && !module.isNativeAccessEnabled()) {
            throw new UnsupportedOperationException("native access is not enabled for "
                    + (module.isNamed() ? "module " + module.getName() : "the class path")
                    + ": add --enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED")
                    + " to use the ffm binding (or -Dfringe.native.binding=ffm to use it anyway, with the JVM's warning)");
        }
        if (arch.wordSize() != 8) {
            throw new UnsupportedOperationException("the ffm binding serves 64-bit JVMs; " + arch.artifactId()
                    + " is a 32-bit architecture");
        }
        synchronized (FfmBinding.class) {
            if (target != null && target != arch) {
                throw new IllegalStateException("the ffm binding is already bound to " + target.artifactId());
            }
            target = arch;
        }
        if (Handles.FAILURE != null) {
            throw loadError("ffm", arch, Handles.FAILURE);
        }
    }

    @Override
    String name() {
        return "ffm";
    }

    @Override
    String mechanism() {
        return "java.lang.foreign downcalls (Java " + Runtime.version().feature() + ")";
    }

    @Override
    long init(long stackBase, long body, long env) {
        try {
            return (long) Handles.INIT.invokeExact(stackBase, body, env);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    long resume(long ctl) {
        try {
            return (long) Handles.RESUME.invokeExact(ctl);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    long resumeGuarded(long ctl) {
        if (Handles.RESUME_GUARDED == null) {
            return resume(ctl);
        }
        try {
            return (long) Handles.RESUME_GUARDED.invokeExact(ctl);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    int registerGuard(long guardLow, long limit, long base, long ctl) {
        try {
            return (int) Handles.GUARD_REGISTER.invokeExact(guardLow, limit, base, ctl);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    void deregisterGuard(int id) {
        try {
            Handles.GUARD_DEREGISTER.invokeExact(id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    int registerStack(long limit, long base) {
        try {
            return (int) Handles.REGISTER.invokeExact(limit, base);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    void deregisterStack(int id) {
        try {
            Handles.DEREGISTER.invokeExact(id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    long initAddress() {
        return Handles.INIT_ADDRESS;
    }

    @Override
    ByteBuffer view(long address, int bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address();
    }

    /** A downcall throws nothing checked; anything else is a bug in the JVM or here. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** The downcall handles of {@link #target}, made when first touched. */
    private static final class Handles {
        static final MethodHandle INIT;
        static final MethodHandle RESUME;
        static final MethodHandle REGISTER;
        static final MethodHandle DEREGISTER;
        /** Overflow recovery ({@link ArchSupport#recoversOverflow()}), or {@code null} without it. */
        static final MethodHandle RESUME_GUARDED;
        static final MethodHandle GUARD_REGISTER;
        static final MethodHandle GUARD_DEREGISTER;
        static final long INIT_ADDRESS;
        /** Why binding failed, or {@code null}. */
        static final Throwable FAILURE;

        static {
            MethodHandle init = null;
            MethodHandle resume = null;
            MethodHandle register = null;
            MethodHandle deregister = null;
            MethodHandle resumeGuarded = null;
            MethodHandle guardRegister = null;
            MethodHandle guardDeregister = null;
            long initAddress = 0;
            Throwable failure = null;
            try {
                ArchSupport arch = target;
                SymbolLookup library = SymbolLookup.libraryLookup(LibraryFile.of(arch), Arena.global());
                Linker linker = Linker.nativeLinker();
                ValueLayout word = ValueLayout.JAVA_LONG; // uintptr_t and pointers: 64-bit only (see the constructor)
                Linker.Option critical = Linker.Option.critical(false);
                MemorySegment initSymbol = find(library, arch.initSymbol());
                initAddress = initSymbol.address();
                init = linker.downcallHandle(initSymbol, FunctionDescriptor.of(word, word, word, word), critical);
                resume = linker.downcallHandle(find(library, arch.resumeSymbol()), FunctionDescriptor.of(word, word));
                register = linker.downcallHandle(find(library, arch.stackRegisterSymbol()),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, word, word), critical);
                deregister = linker.downcallHandle(find(library, arch.stackDeregisterSymbol()),
                        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT), critical);
                if (arch.recoversOverflow()) {
                    // Ordinary downcalls: the guarded resume runs the body like resume; the
                    // registry's writers take a mutex and may allocate.
                    resumeGuarded = linker.downcallHandle(find(library, arch.guardedResumeSymbol()),
                            FunctionDescriptor.of(word, word));
                    guardRegister = linker.downcallHandle(find(library, arch.guardRegisterSymbol()),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, word, word, word, word));
                    guardDeregister = linker.downcallHandle(find(library, arch.guardDeregisterSymbol()),
                            FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
                }
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            }
            INIT = init;
            RESUME = resume;
            REGISTER = register;
            DEREGISTER = deregister;
            RESUME_GUARDED = resumeGuarded;
            GUARD_REGISTER = guardRegister;
            GUARD_DEREGISTER = guardDeregister;
            INIT_ADDRESS = initAddress;
            FAILURE = failure;
        }

        private Handles() {}

        private static MemorySegment find(SymbolLookup library, String symbol) {
            return library.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("the library exports no " + symbol));
        }
    }
}
