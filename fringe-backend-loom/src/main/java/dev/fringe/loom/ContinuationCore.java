// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import dev.fringe.GeneratorBody;
import dev.fringe.internal.GeneratorCore;
import dev.fringe.internal.NativeFrames;

/**
 * A generator engine on {@code jdk.internal.vm.Continuation}: the body's frames are mounted on
 * the resumer's own stack by {@code run()} and frozen into the heap by {@code yield}, so a
 * body's exception already shows the resumer's frames below its own and nothing has to be
 * spliced.
 *
 * <pre>
 * Stack while the body runs (top first)
 *   body frames ... -> Yielder.suspend -> Continuation.yield
 *   GeneratorCore.runBody                      the body's entry frame
 *   Continuation.enter (hidden frames)
 *   Continuation.run -> ContinuationCore.transferToBody -> GeneratorCore.resume
 *   JavaGenerator.resume -> the caller of resume ...
 * </pre>
 *
 * <p>All generators share one continuation scope; {@code suspend} checks that the innermost
 * continuation of that scope on this thread is its own, so a nested generator's body cannot
 * suspend its parent by mistake.
 *
 * @param <I> input type
 * @param <O> output type
 */
final class ContinuationCore<I, O> extends GeneratorCore<I, O> {
    private Object continuation; // replaced only after a start that failed (transferFailed)
    private boolean restart;     // the last start failed: make a new continuation first

    ContinuationCore(GeneratorBody<I, O> body) {
        // resume boxes the output: Continuation.run() is entered behind a 32 KiB stack guard
        // (ContinuationClass), deeper than resume, so the box cannot overflow after the yield.
        super(body, true);
        this.continuation = Loom.newContinuation(this::runBody);
    }

    @Override
    protected void transferToBody(boolean start) {
        if (restart) {
            continuation = Loom.newContinuation(this::runBody);
            restart = false;
        }
        try {
            Loom.RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw Loom.propagate(t);
        }
    }

    @Override
    protected void transferFailed(boolean start) {
        if (start) {
            // Continuation.run() threw before the body got control (a StackOverflowError in its
            // entry frames): the continuation may have ended without running anything, and a
            // finished continuation cannot run again. The next resume starts afresh. (No call
            // here: this runs where the stack just overflowed.)
            restart = true;
        }
    }

    @Override
    protected void transferToResumer() {
        try {
            Loom.yieldScope();
        } catch (IllegalStateException pinned) {
            // The JVM's onPinned ("Pinned: NATIVE", "Pinned: MONITOR", ...): say which.
            throw new IllegalStateException(pinnedMessage(pinned.getMessage()) + " (JVM: " + pinned.getMessage() + ")", pinned);
        }
    }

    private static String pinnedMessage(String jvmMessage) {
        if (jvmMessage != null && jvmMessage.contains("MONITOR")) {
            // JDK 21-23 (and 24-25 with -XX:LockingMode=1) refuse to freeze a continuation that holds
            // a monitor; the resumer's own monitors were set aside when the continuation was entered.
            return "cannot suspend here: this thread holds a monitor (a synchronized block or method in the body,"
                    + " between its entry and this suspend) and this JVM cannot suspend a continuation then. Leave the"
                    + " synchronized block first; the body keeps running";
        }
        if (jvmMessage != null && jvmMessage.contains("NATIVE")) {
            return NativeFrames.MESSAGE;
        }
        return "cannot suspend here: the JVM refused to suspend the continuation";
    }

    @Override
    protected void checkSuspendable() {
        if (Loom.current() != continuation) {
            throw new IllegalStateException("suspend() must be called by the generator's own body, on its own stack;"
                    + " this call came from outside it (another thread, a nested generator's body, or after the"
                    + " body ended)");
        }
    }

    @Override
    protected void abandon() {
        // Nothing to do: an unmounted continuation is an ordinary heap object; dropping it drops
        // the body's frames (its remaining finally blocks never run). Called for a body that
        // ignored GeneratorExit twice, or that never started.
    }
}
