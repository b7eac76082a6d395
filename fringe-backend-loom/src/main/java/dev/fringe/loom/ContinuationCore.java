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
    private final Object continuation;

    ContinuationCore(GeneratorBody<I, O> body) {
        super(body);
        this.continuation = Loom.newContinuation(this::runBody);
    }

    @Override
    protected void transferToBody(boolean start) {
        try {
            Loom.RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw Loom.propagate(t);
        }
    }

    @Override
    protected void transferToResumer() {
        try {
            Loom.yieldScope();
        } catch (IllegalStateException pinned) {
            // The JVM's onPinned: a native frame (or a critical section) is on the way.
            throw new IllegalStateException(NativeFrames.MESSAGE + " (JVM: " + pinned.getMessage() + ")", pinned);
        }
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
        // the body's frames (its remaining finally blocks never run).
    }
}
