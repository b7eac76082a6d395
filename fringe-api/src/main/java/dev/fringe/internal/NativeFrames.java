// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds native frames between a {@code suspend} call and its body's entry frame.
 *
 * <p>The JVM cannot suspend a continuation through a native frame (a JNI or JNA upcall); it
 * throws "Pinned: NATIVE". A thread-based engine could block there, but fringe refuses it on
 * every backend so that a body that works on one backend works on all. The continuation engine
 * gets the answer from the JVM for free; the thread-based engines walk their body thread's
 * stack, which is short: from {@code suspend} down to {@code GeneratorCore.runBody}.
 *
 * <p>The walk is kept cheap: frames are recognised by their {@link Class} (no method names are
 * resolved), {@code isNativeMethod} reads a flag the JVM fills in, the first batch is sized for
 * a shallow body, and the stream is consumed by one shared, non-capturing function.
 */
public final class NativeFrames {
    private static final StackWalker WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE), 16);

    /**
     * Walks from the top: this class, the engine's {@code checkSuspendable}, then
     * {@code GeneratorCore.suspend}; then the body's frames, down to the next
     * {@code GeneratorCore} frame, its entry {@code runBody}.
     */
    private static final Function<Stream<StackWalker.StackFrame>, Boolean> NATIVE_IN_BODY = frames -> {
        Iterator<StackWalker.StackFrame> it = frames.iterator();
        boolean inBody = false;
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            boolean core = f.getDeclaringClass() == GeneratorCore.class;
            if (inBody) {
                if (core) {
                    return false; // runBody: the body's entry frame
                }
                if (f.isNativeMethod()) {
                    return true;
                }
            } else if (core) {
                inBody = true; // suspend: the body's frames come next
            }
        }
        return false;
    };

    private NativeFrames() {}

    /**
     * Returns whether a native method frame lies between the caller's {@code suspend} and the
     * body's entry frame.
     *
     * @return {@code true} if suspending here would suspend through native code
     */
    static boolean belowCaller() {
        try {
            return WALKER.walk(NATIVE_IN_BODY);
        } catch (InternalError e) {
            // Near the stack limit the walker's reflective set-up overflows and reports it as
            // InternalError(InvocationTargetException(StackOverflowError)): say what it is.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StackOverflowError) {
                    throw (StackOverflowError) cause;
                }
            }
            throw e;
        }
    }

    /** The message of the exception {@code suspend} throws there. */
    public static final String MESSAGE = "cannot suspend here: a native frame (for example a JNA or JNI callback) lies between"
            + " this suspend() and the generator's body, and the JVM cannot suspend native frames. Suspend only"
            + " from Java code called by the body; return from the callback first";
}
