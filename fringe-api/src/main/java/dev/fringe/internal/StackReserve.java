// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import static dev.fringe.internal.ClassBytes.ALOAD_0;
import static dev.fringe.internal.ClassBytes.INVOKESTATIC;
import static dev.fringe.internal.ClassBytes.INVOKEVIRTUAL;
import static dev.fringe.internal.ClassBytes.IRETURN;
import static dev.fringe.internal.ClassBytes.LLOAD_1;
import static dev.fringe.internal.ClassBytes.RETURN;
import static dev.fringe.internal.ClassBytes.hi;
import static dev.fringe.internal.ClassBytes.lo;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * JDK calls that must either happen completely or not at all, made only when enough stack is
 * left for all of them.
 *
 * <p>A {@link StackOverflowError} can strike any call, and some JDK methods are not written to
 * survive one halfway. {@code LockSupport.unpark} of a virtual thread sets its permit, then
 * schedules it: an overflow in between leaves a parked virtual thread with a permit that no
 * later {@code unpark} will ever act on (measured: a generator's body thread lost for good).
 * Parking, starting a virtual thread and (in the {@code continuation} backend)
 * {@code Continuation.run()} have such windows too. A generator resumed near the stack limit
 * must see either the whole call or a clean {@code StackOverflowError} before it.
 *
 * <pre>
 * How: a reserve of locals (see the continuation backend's ContinuationClass, "Stack guard")
 *   Each guarded call goes through a static method of a hidden class that declares
 *   {@link #SLOTS} locals it never uses and first calls probe(), which declares twice as many:
 *   - compiled code (C1, C2) bangs the stack, on entry to the compiled method that inlines the
 *     guarded call, for the interpreter frames a deoptimization would need, locals included:
 *     too little stack fails there, before anything happened; it costs a store per page;
 *   - an interpreted guarded method allocates its locals instead of checking them, so probe(),
 *     called first, checks twice the reserve and returns, leaving the reserve for the JDK.
 * </pre>
 *
 * Not API: public only so that fringe's backend modules can use it.
 */
public final class StackReserve {
    /**
     * The reserve, in interpreter slots of 8 bytes: 16 KiB, several times what the JDK methods
     * guarded here use (about 15 frames from {@code LockSupport.unpark} to the fork-join pool's
     * worker wake-up).
     */
    public static final int SLOTS = 2048;

    private static final String NAME = "dev/fringe/internal/StackReserveCalls";
    private static final MethodHandle UNPARK;     // (Thread) void
    private static final MethodHandle PARK;       // (Object blocker) boolean interrupted
    private static final MethodHandle PARK_NANOS; // (Object blocker, long nanos) boolean interrupted
    private static final MethodHandle START;      // (Thread) void

    static {
        try {
            MethodHandles.Lookup calls = MethodHandles.lookup().defineHiddenClass(bytes(), true);
            Class<?> c = calls.lookupClass();
            UNPARK = calls.findStatic(c, "unpark", MethodType.methodType(void.class, Thread.class));
            PARK = calls.findStatic(c, "park", MethodType.methodType(boolean.class, Object.class));
            PARK_NANOS = calls.findStatic(c, "parkNanos", MethodType.methodType(boolean.class, Object.class, long.class));
            START = calls.findStatic(c, "start", MethodType.methodType(void.class, Thread.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private StackReserve() {}

    /**
     * {@code LockSupport.unpark(thread)}, or a {@link StackOverflowError} before it.
     *
     * @param thread the thread to unpark
     */
    static void unpark(Thread thread) {
        try {
            UNPARK.invokeExact(thread);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * {@code LockSupport.park(blocker)} then {@code Thread.interrupted()}, or a
     * {@link StackOverflowError} before them.
     *
     * @param blocker the object the thread waits for
     * @return whether the thread was interrupted (the flag is cleared)
     */
    static boolean park(Object blocker) {
        try {
            return (boolean) PARK.invokeExact(blocker);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * {@code LockSupport.parkNanos(blocker, nanos)} then {@code Thread.interrupted()}, or a
     * {@link StackOverflowError} before them.
     *
     * @param blocker the object the thread waits for
     * @param nanos   the longest wait
     * @return whether the thread was interrupted (the flag is cleared)
     */
    static boolean parkNanos(Object blocker, long nanos) {
        try {
            return (boolean) PARK_NANOS.invokeExact(blocker, nanos);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * {@code thread.start()}, or a {@link StackOverflowError} before it.
     *
     * @param thread the thread to start
     */
    static void start(Thread thread) {
        try {
            START.invokeExact(thread);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t); // the handles declare no checked exceptions
    }

    /**
     * The hidden class:
     * <pre>
     * final class StackReserveCalls {
     *     static void unpark(Thread t)           { probe(); LockSupport.unpark(t); }
     *     static boolean park(Object b)          { probe(); LockSupport.park(b); return Thread.interrupted(); }
     *     static boolean parkNanos(Object b, long n) { probe(); LockSupport.parkNanos(b, n); return Thread.interrupted(); }
     *     static void start(Thread t)            { probe(); t.start(); }
     *     static void probe()                    { }
     * }
     * </pre>
     * each guarded method with {@link #SLOTS} locals, {@code probe} with twice as many.
     */
    private static byte[] bytes() {
        ClassBytes cls = new ClassBytes(NAME, "java/lang/Object");
        String lockSupport = "java/util/concurrent/locks/LockSupport";
        int probe = cls.methodRef(NAME, "probe", "()V");
        int unpark = cls.methodRef(lockSupport, "unpark", "(Ljava/lang/Thread;)V");
        int park = cls.methodRef(lockSupport, "park", "(Ljava/lang/Object;)V");
        int parkNanos = cls.methodRef(lockSupport, "parkNanos", "(Ljava/lang/Object;J)V");
        int interrupted = cls.methodRef("java/lang/Thread", "interrupted", "()Z");
        int start = cls.methodRef("java/lang/Thread", "start", "()V");
        cls.method(ClassBytes.STATIC, "unpark", "(Ljava/lang/Thread;)V", 1, SLOTS,
                INVOKESTATIC, hi(probe), lo(probe), ALOAD_0, INVOKESTATIC, hi(unpark), lo(unpark), RETURN);
        cls.method(ClassBytes.STATIC, "park", "(Ljava/lang/Object;)Z", 1, SLOTS,
                INVOKESTATIC, hi(probe), lo(probe), ALOAD_0, INVOKESTATIC, hi(park), lo(park),
                INVOKESTATIC, hi(interrupted), lo(interrupted), IRETURN);
        cls.method(ClassBytes.STATIC, "parkNanos", "(Ljava/lang/Object;J)Z", 3, SLOTS,
                INVOKESTATIC, hi(probe), lo(probe), ALOAD_0, LLOAD_1, INVOKESTATIC, hi(parkNanos), lo(parkNanos),
                INVOKESTATIC, hi(interrupted), lo(interrupted), IRETURN);
        cls.method(ClassBytes.STATIC, "start", "(Ljava/lang/Thread;)V", 1, SLOTS,
                INVOKESTATIC, hi(probe), lo(probe), ALOAD_0, INVOKEVIRTUAL, hi(start), lo(start), RETURN);
        cls.method(ClassBytes.STATIC, "probe", "()V", 0, 2 * SLOTS, RETURN);
        return cls.toByteArray();
    }
}
