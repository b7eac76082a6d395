// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

import dev.fringe.GeneratorBody;
import dev.fringe.Yielder;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run-time state of one {@code stackless} generator as transformed code sees it. Every
 * transformed method has a copy that takes the strand as an extra last parameter and passes it
 * on to the transformed methods it calls. For generated code only.
 *
 * <pre>
 * Protocol (lazy capture, trampoline resume)
 *   suspend     Strand.suspend(y, v, s) with y the generator's own yielder records v, sets
 *               suspending and returns a dummy. Every transformed caller checks isSuspending()
 *               after each suspendable call; if set, it spills its live locals and operand stack
 *               into a pooled Frame (frame), links it (capture: innermost first) and returns a
 *               dummy itself. So the Java stack unwinds to the engine, leaving a chain of frames.
 *   resume      The engine's trampoline takes the innermost frame, makes it the pending
 *               resumeFrame and calls its method's Resumer; the method's prologue takes the
 *               frame, restores it and jumps to the call site, where resumeObject() (or Int, ...)
 *               delivers the resume input, the callee's result or the exception to rethrow. A
 *               frame that returns hands its result to the trampoline (returnInt, ...), which
 *               continues its caller's frame the same way: outer frames are only re-entered when
 *               inner ones return, so frames that stay suspended cost nothing per round trip.
 *   passthrough PASSTHROUGH is the strand of transformed code running outside a stackless
 *               generator (another backend, or a call from untransformed code): its yielder is
 *               null, so suspend goes through the public Yielder.suspend and nothing is captured.
 *
 * States (per generator)
 *   IDLE       -> RUNNING     first resume: the engine calls the body's transformed run
 *   RUNNING    -> SUSPENDING  suspend(y, v, s): suspending = true, out = v
 *   SUSPENDING -> SUSPENDED   the stack unwound to the engine; top = innermost frame
 *   SUSPENDED  -> RESUMING    resume or close: resuming = top, retA = input or pending = exit
 *   RESUMING   -> RUNNING     the frame's prologue took resumeFrame()
 *   RUNNING    -> RESUMING    a resumed frame returned or threw and has a caller frame
 *   RUNNING    -> IDLE        the entry frame returned or threw
 * </pre>
 *
 * <p><b>Thread safety.</b> None needed: a strand belongs to one generator, which runs on one
 * thread at a time, and the generator's state machine publishes it between threads.
 * {@link #PASSTHROUGH} is shared and never written.
 */
public final class Strand {
    /** The strand of transformed code that runs outside a stackless generator. */
    public static final Strand PASSTHROUGH = new Strand(null);

    final Yielder<?, ?> yielder; // the generator's own yielder; null for PASSTHROUGH
    boolean suspending;
    Object out;        // the value of the pending suspend
    Frame resuming;    // the frame whose prologue runs next
    Throwable pending; // thrown at the resumed call site instead of a result
    int retI;          // the result of the callee, or the resume input (retA)
    long retJ;
    float retF;
    double retD;
    Object retA;
    Frame top;         // innermost captured frame
    Frame capTail;     // the frame captured last (the outermost so far) while unwinding
    private Frame pool;

    Strand(Yielder<?, ?> yielder) {
        this.yielder = yielder;
    }

    // ---------------------------------------------------------------- suspending

    /**
     * Replaces {@code yielder.suspend(value)} in transformed code. On the strand's own yielder
     * it records the value and starts unwinding (the caller must check
     * {@link #isSuspending()}); on any other yielder it is the public {@code suspend}.
     *
     * @param yielder the yielder the code suspends on
     * @param value   the value to hand out
     * @param strand  the strand of the calling code
     * @return the next input (public path), or a dummy while unwinding
     * @throws NullPointerException if {@code value} is {@code null} (nothing is suspended), or
     *                              if {@code yielder} is {@code null}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object suspend(Yielder yielder, Object value, Strand strand) {
        if (yielder != strand.yielder) {
            return yielder.suspend(value);
        }
        if (value == null) {
            throw new NullPointerException("a generator cannot suspend with null: an empty resume() result means"
                    + " 'finished'. Suspend a sentinel value or an Optional instead");
        }
        strand.out = value;
        strand.suspending = true;
        return null;
    }

    /**
     * Replaces a call of {@code GeneratorBody.run(yielder, input)} in transformed code (a body
     * running another body on its own yielder): a transformed body runs in its resumable form
     * on this strand, any other as written. The caller checks {@link #isSuspending()} after it,
     * as after any suspendable call; this frame only forwards, so it is never captured.
     *
     * @param body    the body to run
     * @param yielder its yielder
     * @param input   its input
     * @param strand  the strand of the calling code
     * @throws Exception what the body throws
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void runBody(GeneratorBody body, Yielder yielder, Object input, Strand strand) throws Exception {
        if (StacklessBackend.isTransformed(body)) {
            ((StacklessBody) body).run(yielder, input, strand);
        } else {
            body.run(yielder, input);
        }
    }

    /**
     * Returns whether the call that just returned is unwinding for a suspend.
     *
     * @return {@code true} if the caller must capture its frame and return
     */
    public boolean isSuspending() {
        return suspending;
    }

    /**
     * Returns a frame to capture into: {@code reuse} if not {@code null} (the frame the method
     * was resumed from), else a pooled or new one with at least the given slots.
     *
     * @param reuse the method's resume frame, or {@code null}
     * @param longs primitive slots needed
     * @param refs  reference slots needed
     * @return the frame
     */
    public Frame frame(Frame reuse, int longs, int refs) {
        if (reuse != null) {
            return reuse;
        }
        Frame f = pool;
        if (f != null) {
            pool = f.parent;
            f.parent = null;
        } else {
            f = new Frame();
        }
        f.ensure(longs, refs);
        return f;
    }

    /**
     * Links a filled frame into the chain; frames are captured innermost first.
     *
     * @param frame  the frame
     * @param method the frame's method
     * @param pc     the call site it suspended at
     */
    public void capture(Frame frame, SuspendableMethod method, int pc) {
        frame.method = method;
        frame.pc = pc;
        Frame t = capTail;
        if (t == null) {
            top = frame;
        } else {
            t.parent = frame;
        }
        capTail = frame;
    }

    void release(Frame f) {
        f.clear();
        f.parent = pool;
        pool = f;
    }

    // ---------------------------------------------------------------- resuming

    /**
     * Called first by every transformed method: takes the frame to resume, if this call is a
     * resume.
     *
     * @return the frame to restore, or {@code null} for an ordinary call
     */
    public Frame resumeFrame() {
        Frame f = resuming;
        if (f != null) {
            resuming = null;
        }
        return f;
    }

    private void rethrowPending() {
        Throwable t = pending;
        if (t != null) {
            pending = null;
            throw Strand.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * At a resumed call site: the resume input (suspend sites) or the callee's reference
     * result, or throws the exception to rethrow there.
     *
     * @return the value
     */
    public Object resumeObject() {
        rethrowPending();
        Object v = retA;
        retA = null;
        return v;
    }

    /**
     * At a resumed call site returning int, short, char, byte or boolean.
     *
     * @return the callee's result
     */
    public int resumeInt() {
        rethrowPending();
        return retI;
    }

    /**
     * At a resumed call site returning long.
     *
     * @return the callee's result
     */
    public long resumeLong() {
        rethrowPending();
        return retJ;
    }

    /**
     * At a resumed call site returning float.
     *
     * @return the callee's result
     */
    public float resumeFloat() {
        rethrowPending();
        return retF;
    }

    /**
     * At a resumed call site returning double.
     *
     * @return the callee's result
     */
    public double resumeDouble() {
        rethrowPending();
        return retD;
    }

    /** At a resumed void call site: rethrows the callee's exception, if any. */
    public void resumeVoid() {
        rethrowPending();
    }

    /**
     * A resume bridge hands its method's int-like result to the caller's frame.
     *
     * @param value  the result
     * @param strand the strand
     */
    public static void returnInt(int value, Strand strand) {
        strand.retI = value;
    }

    /**
     * A resume bridge hands its method's long result to the caller's frame.
     *
     * @param value  the result
     * @param strand the strand
     */
    public static void returnLong(long value, Strand strand) {
        strand.retJ = value;
    }

    /**
     * A resume bridge hands its method's float result to the caller's frame.
     *
     * @param value  the result
     * @param strand the strand
     */
    public static void returnFloat(float value, Strand strand) {
        strand.retF = value;
    }

    /**
     * A resume bridge hands its method's double result to the caller's frame.
     *
     * @param value  the result
     * @param strand the strand
     */
    public static void returnDouble(double value, Strand strand) {
        strand.retD = value;
    }

    /**
     * A resume bridge hands its method's reference result to the caller's frame.
     *
     * @param value  the result
     * @param strand the strand
     */
    public static void returnObject(Object value, Strand strand) {
        strand.retA = value;
    }

    // ---------------------------------------------------------------- dispatch

    private static final ClassValue<Map<String, Boolean>> REDIRECTS = new ClassValue<>() {
        @Override
        protected Map<String, Boolean> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /**
     * Called on entry of the transformed copy of an overridable method when the receiver's class
     * is not the copy's declaring class: returns whether the receiver's class overrides the
     * original method without a transformed copy (an untransformed subclass), so that virtual
     * dispatch of the copy landed on the wrong code and the caller must call the original
     * instead.
     *
     * @param self       the receiver
     * @param declaring  the class declaring the running copy
     * @param name       the method's name
     * @param descriptor the original method's descriptor
     * @return {@code true} if the original method must run instead
     */
    public static boolean redirected(Object self, Class<?> declaring, String name, String descriptor) {
        return REDIRECTS.get(self.getClass()).computeIfAbsent(declaring.getName() + '.' + name + descriptor,
                key -> overriddenWithoutCopy(self.getClass(), declaring, name, descriptor));
    }

    private static boolean overriddenWithoutCopy(Class<?> type, Class<?> declaring, String name, String descriptor) {
        String copy = descriptor.substring(0, descriptor.indexOf(')')) + "Ldev/fringe/stackless/Strand;"
                + descriptor.substring(descriptor.indexOf(')'));
        for (Class<?> k = type; k != null && k != declaring; k = k.getSuperclass()) {
            if (declares(k, name, descriptor)) {
                return !declares(k, name, copy);
            }
        }
        return false;
    }

    static boolean declares(Class<?> type, String name, String descriptor) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(name)
                    && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(descriptor)) {
                return true;
            }
        }
        return false;
    }
}
