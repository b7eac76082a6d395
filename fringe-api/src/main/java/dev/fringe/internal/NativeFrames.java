// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

/**
 * Finds native frames between a {@code suspend} call and its body's entry frame.
 *
 * <p>The JVM cannot suspend a continuation through a native frame (a JNI or JNA upcall); it
 * throws "Pinned: NATIVE". A thread-based engine could block there, but fringe refuses it on
 * every backend so that a body that works on one backend works on all. A stack walk costs
 * about a microsecond, which the thread-based engines (several microseconds per hand-off)
 * can afford; the continuation engine gets the same answer from the JVM for free.
 */
public final class NativeFrames {
    private static final String CORE = GeneratorCore.class.getName();
    private static final StackWalker WALKER = StackWalker.getInstance();

    private NativeFrames() {}

    /**
     * Returns whether a native method frame lies between the caller and the body's entry frame.
     *
     * @return {@code true} if suspending here would suspend through native code
     */
    static boolean belowCaller() {
        return WALKER.walk(frames -> frames
                .takeWhile(f -> !(f.getClassName().equals(CORE) && f.getMethodName().equals("runBody")))
                .anyMatch(StackWalker.StackFrame::isNativeMethod));
    }

    /** The message of the exception {@code suspend} throws there. */
    public static final String MESSAGE = "cannot suspend here: a native frame (for example a JNA or JNI callback) lies between"
            + " this suspend() and the generator's body, and the JVM cannot suspend native frames. Suspend only"
            + " from Java code called by the body; return from the callback first";
}
