// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

import dev.fringe.GeneratorExit;
import dev.fringe.internal.GeneratorCore;
import dev.fringe.internal.NativeFrames;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine of the {@code stackless} backend: the body is transformed code that runs as
 * ordinary frames on the resumer's own thread and suspends by returning (see {@link Strand}).
 * No thread, no continuation: {@code resume()} inside {@code synchronized}, resumers that are
 * virtual threads, bodies that block, all simply work.
 *
 * <pre>
 * Stack while a resumed body runs (top first)
 *   fresh body frames ... -> the resumed (innermost) frame's transformed method
 *   its resume bridge (removed from exception traces)
 *   StacklessCore.resumeFrames                  the trampoline
 *   StacklessCore.transferToBody -> GeneratorCore.resume -> JavaGenerator.resume -> the resumer
 * </pre>
 *
 * <p>Frames that stay suspended are not on the Java stack; when an exception leaves a resumed
 * frame into its caller's frame, the trampoline inserts the caller's stack trace element, so a
 * body's exception still shows the body's frames followed by the resumer's (README rule 3).
 *
 * @param <I> input type
 * @param <O> output type
 */
final class StacklessCore<I, O> extends GeneratorCore<I, O> {
    /** Name prefix of the generated resume bridges; the transformer uses the same. */
    static final String BRIDGE_PREFIX = "$fringe$resume$";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final Strand strand = new Strand(this);

    StacklessCore(StacklessBody<I, O> body) {
        super(body);
    }

    @Override
    protected void transferToBody(boolean start) {
        Strand s = strand;
        reserveStackForOutput(); // before anything the resume could not roll back
        if (!start) {
            resumeFrames(s);
            return;
        }
        // Input before body: if a call here overflows the stack, GeneratorCore rolls the resume
        // back, and the body must still be there for the next one (the input is passed again).
        // takeBody marks the body entered: from there on a failure is the body's.
        I first = takeInput();
        @SuppressWarnings("unchecked")
        StacklessBody<I, O> b = (StacklessBody<I, O>) takeBody();
        try {
            b.run(this, first, s);
        } catch (Throwable t) {
            threw(s, t);
            return;
        }
        if (s.suspending) {
            yielded(s);
        } else {
            bodyReturned();
        }
    }

    /** The trampoline: continues the innermost frame, then each caller frame it returns to. */
    private void resumeFrames(Strand s) {
        // The calls first, the strand after: if a call overflows the stack here, GeneratorCore
        // rolls the resume back and the suspended frames must still be in place.
        if (isExiting()) {
            takeInput();
            s.pending = new GeneratorExit();
        } else {
            s.retA = takeInput();
        }
        bodyEntered();
        Frame f = s.top;
        s.top = null;
        s.capTail = null;
        while (true) {
            Frame parent = f.parent;
            s.resuming = f;
            try {
                f.method.resumer.resume(f, s);
            } catch (Throwable t) {
                s.resuming = null;
                if (parent == null) {
                    s.release(f);
                    threw(s, t);
                    return;
                }
                if (!(t instanceof GeneratorExit)) {
                    insertCaller(t, parent);
                }
                s.release(f);
                s.pending = t; // rethrown at the parent's call site
                f = parent;
                continue;
            }
            if (s.suspending) {
                yielded(s);
                return;
            }
            s.release(f);
            if (parent == null) {
                bodyReturned();
                return;
            }
            f = parent;
        }
    }

    @SuppressWarnings("unchecked")
    private void yielded(Strand s) {
        Object value = s.out;
        s.out = null;
        s.suspending = false;
        bodyYielded((O) value);
    }

    private void threw(Strand s, Throwable t) {
        // A failure while unwinding (say, no memory for a frame) leaves a partial chain: drop it.
        s.suspending = false;
        s.out = null;
        s.top = null;
        s.capTail = null;
        s.pending = null;
        bodyThrew(t);
    }

    /**
     * An exception leaves a resumed frame into its caller's frame, which was not on the Java
     * stack when the exception was created: put the caller's element where the JVM would have,
     * right below the frames that threw (before the bridge and the trampoline).
     */
    private static void insertCaller(Throwable t, Frame parent) {
        StackTraceElement[] trace = t.getStackTrace();
        if (trace.length == 0) {
            return; // stack traces disabled for this exception
        }
        List<StackTraceElement> out = new ArrayList<>(trace.length + 1);
        boolean inserted = false;
        for (StackTraceElement e : trace) {
            if (!inserted && isEngineFrame(e)) {
                out.add(parent.method.element(parent.pc));
                inserted = true;
            }
            if (!e.getMethodName().startsWith(BRIDGE_PREFIX)) {
                out.add(e);
            }
        }
        if (inserted) {
            t.setStackTrace(out.toArray(new StackTraceElement[0]));
        }
    }

    private static boolean isEngineFrame(StackTraceElement e) {
        return e.getMethodName().startsWith(BRIDGE_PREFIX)
                || (e.getClassName().equals(StacklessCore.class.getName()) && e.getMethodName().equals("resumeFrames"));
    }

    @Override
    protected void spliceStackTrace(Throwable bodyFailure) {
        StackTraceElement[] trace = bodyFailure.getStackTrace();
        int bridges = 0;
        for (StackTraceElement e : trace) {
            if (e.getMethodName().startsWith(BRIDGE_PREFIX)) {
                bridges++;
            }
        }
        if (bridges > 0) {
            StackTraceElement[] out = new StackTraceElement[trace.length - bridges];
            int i = 0;
            for (StackTraceElement e : trace) {
                if (!e.getMethodName().startsWith(BRIDGE_PREFIX)) {
                    out[i++] = e;
                }
            }
            bodyFailure.setStackTrace(out);
        }
    }

    /**
     * The public {@code Yielder.suspend} of a stackless generator. Transformed code never calls
     * it on its own generator's yielder (it calls {@link Strand#suspend}), so reaching it means
     * the call came through a frame the transformer did not rewrite, or from outside the body:
     * it is always refused, naming that frame.
     */
    @Override
    protected void checkSuspendable() {
        throw new IllegalStateException(refusal());
    }

    private String refusal() {
        // Top first: this engine's frames, the caller of suspend, then (for a foreign frame) the
        // untransformed frames down to the transformed code that called into them.
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s
                .dropWhile(f -> f.getDeclaringClass().getPackageName().equals("dev.fringe.internal")
                        || f.getDeclaringClass() == StacklessCore.class)
                .limit(1000)
                .collect(java.util.stream.Collectors.toList()));
        int transformed = -1;
        boolean nativeFrame = false;
        for (int i = 0; i < frames.size(); i++) {
            StackWalker.StackFrame f = frames.get(i);
            if (isTransformed(f.getMethodType())) {
                transformed = i;
                break;
            }
            nativeFrame |= f.isNativeMethod();
        }
        if (frames.isEmpty()) {
            return "suspend() of a stackless generator was called from outside its body";
        }
        if (transformed == 0) {
            return "suspend() was called on the yielder of a stackless generator that is not the one running this"
                    + " code (" + frames.get(0).toStackTraceElement() + "): a body may only suspend its own generator,"
                    + " from its own thread, while it runs";
        }
        if (transformed > 0 && (nativeFrame || NativeFrames.upcallAbove(frames.get(transformed)))) {
            return NativeFrames.MESSAGE;
        }
        if (transformed < 0) {
            return "suspend() of a stackless generator was called from outside its body (another thread, another"
                    + " generator, or after the body ended), at " + frames.get(0).toStackTraceElement();
        }
        StackWalker.StackFrame entry = frames.get(transformed - 1);
        return "suspend() of a stackless generator was reached through " + entry.toStackTraceElement()
                + (transformed > 1 ? " (suspend called at " + frames.get(0).toStackTraceElement() + ")" : "")
                + ", code that the fringe-stackless transformer did not rewrite (a class it did not process, a method it"
                + " refused, or a call through an interface, lambda, reflection or method handle whose target it"
                + " could not see), called from " + frames.get(transformed).toStackTraceElement() + ". Nothing was"
                + " suspended; see docs/stackless.md for what is transformed, or run this generator on another"
                + " backend (-Dfringe.backend=continuation or virtual-thread)";
    }

    private static boolean isTransformed(MethodType type) {
        return type.parameterCount() > 0 && type.parameterType(type.parameterCount() - 1) == Strand.class;
    }

    @Override
    protected void transferToResumer() {
        // Never reached: checkSuspendable always refuses (see above).
        throw new IllegalStateException(refusal());
    }

    @Override
    protected void abandon() {
        // The body's frames are heap objects: dropping the chain drops the body (its remaining
        // finally blocks never run, as on the continuation engine).
        strand.top = null;
    }
}
