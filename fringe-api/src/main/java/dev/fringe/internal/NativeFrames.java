// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds native frames between a {@code suspend} call and its body's entry frame.
 *
 * <p>The JVM cannot suspend a continuation through a native frame (a JNI, JNA or FFM upcall);
 * it throws "Pinned: NATIVE". A thread-based engine could block there, but fringe refuses it on
 * every backend so that a body that works on one backend works on all (README rule 7). The
 * continuation engine gets the answer from the JVM for free; the thread-based engines walk
 * their body thread's stack, which is short: from {@code suspend} down to
 * {@code GeneratorCore.runBody}.
 *
 * <p>Two kinds of frame mean native code lies below:
 * <ul>
 *   <li>a native method (JNI, JNA's {@code Native.invoke*} and direct-mapped methods), which
 *       calls back into Java through JNI;
 *   <li>an FFM upcall stub (a class of {@code jdk.internal.foreign.abi}, hidden on JDK 22+): FFM's own
 *       downcall leaves no native <em>method</em> frame, so the stub above the C code is the
 *       only trace of it; hidden frames are walked for that reason.
 * </ul>
 *
 * <p><b>Cost.</b> A walk is a call into the JVM and back, and JDK 25 builds a frame buffer
 * reflectively for each one, so its fixed part dominates: about 1.4 us in the hand-off loop of
 * docs/benchmarks.md, several times the hand-off itself. Resolving each frame's method (to ask
 * {@code isNativeMethod}) adds more, so the walk resolves none: on JDK 22+ it drops method
 * information ({@code StackWalker.Option.DROP_METHOD_INFO}) and classifies each frame by its
 * class alone, once per class ({@link #KINDS}). Only when a frame belongs to a class that
 * declares a native method does a second walk, with method information, look at that frame's
 * method. On JDK 17-21 the single walk resolves methods, as that option does not exist there.
 */
public final class NativeFrames {
    /** What a frame's class says about the frame. */
    private enum Kind {
        /** No native method in the class: the frame is Java code. */
        JAVA,
        /** The class declares a native method: the frame may be one (ask its method). */
        MAY_BE_NATIVE,
        /** An FFM upcall stub: native code called this frame. */
        UPCALL
    }

    private static final ClassValue<Kind> KINDS = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            return kindOf(type);
        }
    };

    /** {@code StackWalker.Option.DROP_METHOD_INFO} (JDK 22+), or {@code null} before it. */
    private static final StackWalker.Option DROP_METHOD_INFO = dropMethodInfo();

    /** Classes only, when the JDK can drop method information; else the same as {@link #METHODS}. */
    private static final StackWalker CLASSES = walker(DROP_METHOD_INFO);

    /** Classes and methods. */
    private static final StackWalker METHODS = walker(null);

    /** A walk of {@link #CLASSES}: TRUE, FALSE, or null for "ask {@link #METHODS}". */
    private static final Function<Stream<StackWalker.StackFrame>, Boolean> BY_CLASS =
            frames -> scan(frames, DROP_METHOD_INFO == null);

    /** A walk of {@link #METHODS}: TRUE or FALSE. */
    private static final Function<Stream<StackWalker.StackFrame>, Boolean> BY_METHOD = frames -> scan(frames, true);

    private NativeFrames() {}

    /**
     * Returns whether a native frame lies between the caller's {@code suspend} and the body's
     * entry frame.
     *
     * @return {@code true} if suspending here would suspend through native code
     */
    static boolean belowCaller() {
        try {
            Boolean found = CLASSES.walk(BY_CLASS);
            return found != null ? found : METHODS.walk(BY_METHOD);
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

    /**
     * Returns whether an FFM upcall stub lies between the caller and {@code bottom}, a frame
     * lower on this thread's stack: the stackless engine asks this when it words a refusal.
     *
     * @param bottom a frame of this thread, below the caller
     * @return whether native code called some frame between the caller and {@code bottom}
     */
    public static boolean upcallAbove(StackWalker.StackFrame bottom) {
        return METHODS.walk(frames -> {
            for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame f = it.next();
                if (KINDS.get(f.getDeclaringClass()) == Kind.UPCALL) {
                    return true;
                }
                if (f.getDeclaringClass() == bottom.getDeclaringClass()
                        && f.getMethodName().equals(bottom.getMethodName())
                        && f.getMethodType().equals(bottom.getMethodType())) {
                    return false;
                }
            }
            return false;
        });
    }

    /**
     * Walks from the top: this class, the engine's {@code checkSuspendable}, then
     * {@code GeneratorCore.suspend}; then the body's frames, down to the next
     * {@code GeneratorCore} frame, its entry {@code runBody}.
     *
     * @param methods whether the frames carry method information
     * @return TRUE or FALSE; null when a frame may be a native method and {@code methods} is false
     */
    private static Boolean scan(Stream<StackWalker.StackFrame> frames, boolean methods) {
        Iterator<StackWalker.StackFrame> it = frames.iterator();
        boolean inBody = false;
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            Class<?> type = f.getDeclaringClass();
            if (type == GeneratorCore.class) {
                if (inBody) {
                    return Boolean.FALSE; // runBody: the body's entry frame
                }
                inBody = true; // suspend: the body's frames come next
            } else if (inBody) {
                Kind kind = KINDS.get(type);
                if (kind == Kind.UPCALL) {
                    return Boolean.TRUE;
                }
                if (kind == Kind.MAY_BE_NATIVE) {
                    if (!methods) {
                        return null;
                    }
                    if (f.isNativeMethod()) {
                        return Boolean.TRUE;
                    }
                }
            }
        }
        return Boolean.FALSE;
    }

    private static Kind kindOf(Class<?> type) {
        if (type.getPackageName().equals("jdk.internal.foreign.abi") && type.getName().contains("Upcall")) {
            return Kind.UPCALL;
        }
        try {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isNative(m.getModifiers())) {
                    return Kind.MAY_BE_NATIVE;
                }
            }
            return Kind.JAVA;
        } catch (LinkageError | SecurityException e) {
            return Kind.MAY_BE_NATIVE; // cannot list its methods: let the method walk decide
        }
    }

    private static StackWalker.Option dropMethodInfo() {
        try {
            return StackWalker.Option.valueOf("DROP_METHOD_INFO");
        } catch (IllegalArgumentException beforeJdk22) {
            return null;
        }
    }

    private static StackWalker walker(StackWalker.Option extra) {
        Set<StackWalker.Option> options =
                EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES);
        if (extra != null) {
            options.add(extra);
        }
        // The first batch covers a shallow body: suspend's own frames, a few of the body's, runBody.
        return StackWalker.getInstance(options, 16);
    }

    /** The message of the exception {@code suspend} throws there. */
    public static final String MESSAGE = "cannot suspend here: a native frame (for example a JNA, JNI or FFM callback) lies"
            + " between this suspend() and the generator's body, and the JVM cannot suspend native frames. Suspend only"
            + " from Java code called by the body; return from the callback first";
}
