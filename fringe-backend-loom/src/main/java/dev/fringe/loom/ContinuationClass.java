// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import static dev.fringe.internal.ClassBytes.ALOAD_0;
import static dev.fringe.internal.ClassBytes.ALOAD_1;
import static dev.fringe.internal.ClassBytes.ALOAD_2;
import static dev.fringe.internal.ClassBytes.INVOKESPECIAL;
import static dev.fringe.internal.ClassBytes.INVOKESTATIC;
import static dev.fringe.internal.ClassBytes.INVOKEVIRTUAL;
import static dev.fringe.internal.ClassBytes.RETURN;
import static dev.fringe.internal.ClassBytes.hi;
import static dev.fringe.internal.ClassBytes.lo;

import dev.fringe.internal.ClassBytes;
import java.lang.invoke.MethodHandles;

/**
 * The class file of fringe's subclass of {@code jdk.internal.vm.Continuation}, written out
 * here and defined at run time as a hidden class next to {@link Loom}.
 *
 * <p>Why a subclass: when a continuation cannot yield (it is pinned: a native frame, a held
 * monitor on some JVMs, a critical section) the JVM calls {@code onPinned} on the
 * <em>innermost</em> continuation, whoever asked to yield. A fringe body resumed from a virtual
 * thread is such an innermost continuation: if that body blocks (sleeps, waits for a lock)
 * while pinned, the virtual thread tries to yield through it, and the default {@code onPinned}
 * throws "Pinned: ..." out of {@code Thread.sleep} or {@code ReentrantLock.lock}. The JDK's own
 * virtual-thread continuation answers pinning by staying mounted and parking its carrier; this
 * subclass lets it do that, and reports pinning only for fringe's own yields
 * ({@link Loom#onPinned}).
 *
 * <h2>Stack guard</h2>
 * HotSpot cannot be trusted to resume a continuation near the stack limit: when
 * {@code Continuation.run()} runs out of stack in its own bookkeeping, or while thawing the
 * body's frames (it needs as much stack as the body's frozen frames take, beyond the JVM's own
 * reserve), the JVM crashes (SIGSEGV in {@code Continuation::prepare_thaw} or in
 * {@code java_lang_Throwable::fill_in_stack_trace}), with C1, C2 and the interpreter alike, and
 * so does a raw {@code Continuation}. fringe therefore calls {@code run()} through
 * {@code enter(Continuation)}, a method that declares {@link #RESERVE_SLOTS} locals it never
 * uses and first calls {@code probe()}, which declares twice as many:
 * <ul>
 *   <li>compiled code (C1 and C2) bangs the stack for the interpreter frames it would need if
 *       deoptimized, which include those locals: the compiled caller of {@code enter} checks,
 *       on entry, that that much stack is left, and throws {@link StackOverflowError} before
 *       fringe has changed anything if not. No memory is touched but the bang, one store per
 *       page;</li>
 *   <li>the interpreter allocates (and zeroes) a method's locals, so an interpreted
 *       {@code enter} uses its reserve instead of checking it: {@code probe()} checks twice
 *       the reserve first and returns, and {@code run()} then has the reserve below
 *       {@code enter}'s frame.</li>
 * </ul>
 * A resume with less stack left than that fails with {@code StackOverflowError} and leaves the
 * generator as it was (see {@code GeneratorCore}); bodies whose frozen frames take more than the
 * reserve can still meet the JVM bug when resumed that close to the limit.
 *
 * <p>Why bytes: the subclass must name {@code jdk.internal.vm.Continuation} as its superclass,
 * which {@code javac --release 21} cannot compile (see {@link Loom}), {@code java.lang.classfile}
 * is not available on JDK 21, and javac cannot declare locals that no code uses. The class is
 * tiny and branch-free ({@link ClassBytes}):
 *
 * <pre>
 * final class dev.fringe.loom.FringeContinuation extends jdk.internal.vm.Continuation {
 *     public FringeContinuation(ContinuationScope scope, Runnable target) { super(scope, target); }
 *     protected void onPinned(Continuation.Pinned reason) { Loom.onPinned(reason); }
 *     static void enter(Continuation c) { probe(); c.run(); }  // max_locals RESERVE_SLOTS
 *     static void probe() { }                                  // max_locals 2 * RESERVE_SLOTS
 * }
 * </pre>
 */
final class ContinuationClass {
    /**
     * The stack guard's reserve, in interpreter slots of 8 bytes: 32 KiB. Measured on Temurin
     * 25 (x86_64) with a sweep that resumes a generator suspended 50 frames deep at every
     * stack depth near the limit: 4 KiB let the JVM crash in C1-only, tiered and interpreted
     * runs; 8 KiB was the least that survived all three. 32 KiB leaves room for bodies
     * suspended several hundred frames deep.
     */
    static final int RESERVE_SLOTS = 4096;

    private static final String NAME = "dev/fringe/loom/FringeContinuation";
    private static final String CONTINUATION = "jdk/internal/vm/Continuation";

    private ContinuationClass() {}

    /**
     * Defines the subclass as a hidden class in {@link Loom}'s package.
     *
     * @param lookup       a full-privilege lookup of {@link Loom}
     * @param reserveSlots the stack guard's reserve (see "Stack guard"), at least 1
     * @return a lookup on the new class
     * @throws IllegalAccessException if {@code jdk.internal.vm} is not exported to fringe
     */
    static MethodHandles.Lookup define(MethodHandles.Lookup lookup, int reserveSlots) throws IllegalAccessException {
        return lookup.defineHiddenClass(bytes(reserveSlots), true);
    }

    private static byte[] bytes(int reserveSlots) {
        ClassBytes cls = new ClassBytes(NAME, CONTINUATION);
        String init = "(Ljdk/internal/vm/ContinuationScope;Ljava/lang/Runnable;)V";
        int superInit = cls.methodRef(CONTINUATION, "<init>", init);
        int hook = cls.methodRef("dev/fringe/loom/Loom", "onPinned", "(Ljava/lang/Object;)V");
        int run = cls.methodRef(CONTINUATION, "run", "()V");
        int probe = cls.methodRef(NAME, "probe", "()V");
        cls.method(ClassBytes.PUBLIC, "<init>", init, 3, 3,
                ALOAD_0, ALOAD_1, ALOAD_2, INVOKESPECIAL, hi(superInit), lo(superInit), RETURN);
        cls.method(ClassBytes.PROTECTED, "onPinned", "(Ljdk/internal/vm/Continuation$Pinned;)V", 1, 2,
                ALOAD_1, INVOKESTATIC, hi(hook), lo(hook), RETURN);
        cls.method(ClassBytes.STATIC, "enter", "(Ljdk/internal/vm/Continuation;)V", 1, reserveSlots,
                INVOKESTATIC, hi(probe), lo(probe), ALOAD_0, INVOKEVIRTUAL, hi(run), lo(run), RETURN);
        cls.method(ClassBytes.STATIC, "probe", "()V", 0, 2 * reserveSlots, RETURN);
        return cls.toByteArray();
    }
}
