// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumSet;
import java.util.Iterator;

/**
 * fringe's only contact with {@code jdk.internal.vm.Continuation}, through method handles.
 *
 * <p>Why method handles: {@code javac --release N} refuses {@code --add-exports} for
 * {@code java.base}, and compiling this module with {@code -source/-target} instead would let
 * newer JDK API slip into a module that promises to run on 21. A handle found by
 * {@link MethodHandles.Lookup} is subject to the same module export check at run time (it fails
 * with {@link IllegalAccessException} unless the JVM was started with {@code --add-exports}),
 * and a {@code static final} handle is a constant the JIT inlines through, so the calls cost
 * what direct calls would.
 *
 * <p>Availability is computed once, with a real run / yield / run round trip; the reason names
 * the exact flag for the way this module was loaded.
 */
final class Loom {
    /** The flag that makes {@code jdk.internal.vm} accessible to fringe on the class path. */
    static final String CLASS_PATH_FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";
    /** The same for the module path. */
    static final String MODULE_PATH_FLAG = "--add-exports java.base/jdk.internal.vm=dev.fringe.loom";

    // Declared before the static initializer, which uses it (onPinned runs during the probes).
    private static final StackWalker WALKER = StackWalker.getInstance(EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));

    private static final MethodHandle NEW_CONTINUATION; // (Object scope, Runnable) Object
    /**
     * (Object continuation) void: {@code Continuation.run()} behind fringe's stack guard
     * ({@link ContinuationClass#RESERVE_SLOTS}); invoked inline by the engine: one fringe frame
     * less in traces.
     */
    static final MethodHandle RUN;
    private static final MethodHandle YIELD;            // (Object scope) boolean
    private static final MethodHandle CURRENT;          // (Object scope) Object
    /** fringe's continuation scope (a {@code jdk.internal.vm.ContinuationScope}), or null. */
    static final Object SCOPE;
    /** Why the continuation backend is unusable, or null if it is usable. */
    static final String UNAVAILABLE;
    /**
     * Whether this JVM moves the monitors a thread holds into a raw continuation when it yields
     * (JDK 24+ with lightweight locking, the default: JEP 491's support, built for virtual
     * threads, whose carriers never hold monitors). For a raw continuation that corrupts those
     * monitors: a resumer that calls {@code run()} inside {@code synchronized} loses its own lock
     * at the first yield, and a body resumed on another thread can leave its monitor
     * unenterable. JVMs that keep monitors on the thread (JDK 21-23, and 24-25 with
     * {@code -XX:LockingMode=1}) set aside the resumer's monitors when a continuation is entered
     * and refuse to yield while the continuation itself holds one ("Pinned: MONITOR"), which is
     * safe; the probe below, which yields inside {@code synchronized}, tells the two apart.
     */
    static final boolean FREEZES_MONITORS;

    static {
        MethodHandle newCont = null;
        MethodHandle run = null;
        MethodHandle yield = null;
        MethodHandle current = null;
        Object scope = null;
        String why = null;
        boolean freezesMonitors = false;
        try {
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("fringe");
            MethodHandles.Lookup fringeContinuation = ContinuationClass.define(lookup, ContinuationClass.RESERVE_SLOTS);
            newCont = fringeContinuation.findConstructor(fringeContinuation.lookupClass(),
                            MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = fringeContinuation.findStatic(fringeContinuation.lookupClass(), "enter",
                            MethodType.methodType(void.class, contClass))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            current = lookup.findStatic(contClass, "getCurrentContinuation", MethodType.methodType(contClass, scopeClass))
                    .asType(MethodType.methodType(Object.class, Object.class));
            why = roundTrip(newCont, run, yield, scope);
            freezesMonitors = why == null && freezesMonitors(newCont, run, yield, scope);
        } catch (IllegalAccessException | IllegalAccessError e) {
            // IllegalAccessError: defining fringe's Continuation subclass needs the same export.
            why = "the JVM does not export jdk.internal.vm to fringe. Start java with " + flagForThisModule()
                    + " (" + otherFlagHint() + ")";
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            why = "this JVM (" + Runtime.version() + ", " + System.getProperty("java.vm.name")
                    + ") has no usable jdk.internal.vm.Continuation: " + e;
        } catch (Throwable e) {
            why = "jdk.internal.vm.Continuation failed its start-up round trip: " + e;
        }
        NEW_CONTINUATION = newCont;
        RUN = run;
        YIELD = yield;
        CURRENT = current;
        SCOPE = scope;
        UNAVAILABLE = why;
        FREEZES_MONITORS = freezesMonitors;
    }

    private Loom() {}

    private static String flagForThisModule() {
        return Loom.class.getModule().isNamed() ? MODULE_PATH_FLAG : CLASS_PATH_FLAG;
    }

    private static String otherFlagHint() {
        return Loom.class.getModule().isNamed()
                ? "fringe is on the module path; on the class path the flag is " + CLASS_PATH_FLAG
                : "fringe is on the class path; on the module path the flag is " + MODULE_PATH_FLAG;
    }

    private static String roundTrip(MethodHandle newCont, MethodHandle run, MethodHandle yield, Object scope)
            throws Throwable {
        int[] steps = new int[1];
        Object c = newCont.invoke(scope, (Runnable) () -> {
            steps[0]++;
            try {
                yield.invoke(scope);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            steps[0]++;
        });
        run.invoke(c);
        int afterFirst = steps[0];
        run.invoke(c);
        return afterFirst == 1 && steps[0] == 2 ? null
                : "jdk.internal.vm.Continuation did not suspend and resume as expected (steps " + afterFirst + ", "
                        + steps[0] + ")";
    }

    /**
     * Yields a continuation while this thread holds a monitor and checks whether the monitor
     * left with it; then runs the continuation again on this same thread, which gives the
     * monitor back, before leaving the {@code synchronized} block.
     */
    private static boolean freezesMonitors(MethodHandle newCont, MethodHandle run, MethodHandle yield, Object scope)
            throws Throwable {
        Object lock = new Object();
        boolean[] refused = new boolean[1];
        Object c = newCont.invoke(scope, (Runnable) () -> {
            try {
                yield.invoke(scope);
            } catch (IllegalStateException pinned) {
                refused[0] = true; // "Pinned: MONITOR": the JVM keeps monitors on the thread
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        boolean lost;
        synchronized (lock) {
            run.invoke(c);
            lost = !Thread.holdsLock(lock);
            if (!refused[0]) {
                run.invoke(c); // thaw here: the lock stack, our monitor included, comes back
            }
            if (!Thread.holdsLock(lock)) {
                throw new IllegalStateException("the monitor did not come back after the continuation was resumed");
            }
        }
        return lost;
    }

    /**
     * {@code onPinned} of fringe's continuations (see {@link ContinuationClass}): called when a
     * yield through a fringe continuation failed because it is pinned. For fringe's own yield
     * ({@link #yieldScope}) it throws the JVM's usual exception, which the engine turns into
     * the {@code IllegalStateException} of README rule 7. For any other scope's yield (a virtual
     * thread that parks inside a fringe body it resumed) it returns: the virtual thread then
     * stays mounted and parks its carrier, as it does when pinned anywhere else.
     *
     * <p>Slow (a stack walk), but it runs only when a yield has already failed.
     *
     * @param reason the JVM's {@code Continuation.Pinned} value
     * @throws IllegalStateException "Pinned: REASON" if fringe's own yield failed
     */
    static void onPinned(Object reason) {
        boolean fringeYield = WALKER.walk(frames -> {
            Iterator<Class<?>> classes = frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass).iterator();
            classes.next(); // this method
            while (classes.hasNext()) {
                Class<?> c = classes.next();
                if (!isContinuation(c)) {
                    return c == Loom.class; // yieldScope, or the start-up probes
                }
            }
            return false;
        });
        if (fringeYield) {
            throw new IllegalStateException("Pinned: " + reason);
        }
    }

    private static boolean isContinuation(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals("jdk.internal.vm.Continuation")) {
                return true;
            }
        }
        return false;
    }

    static Object newContinuation(Runnable body) {
        try {
            return NEW_CONTINUATION.invokeExact(SCOPE, body);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }


    /**
     * Yields fringe's innermost continuation on this thread.
     *
     * @throws IllegalStateException from the JVM if it cannot (the continuation is pinned)
     */
    static void yieldScope() {
        try {
            boolean ok = (boolean) YIELD.invokeExact(SCOPE);
            assert ok;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    static Object current() {
        try {
            return CURRENT.invokeExact(SCOPE);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t); // the handles declare no checked exceptions
    }
}
