// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * A stackful generator: its {@link GeneratorBody body} runs on a call stack of its own and can
 * suspend from any depth of calls, handing a value to whoever resumed it; the next
 * {@link #resume resume} continues it where it stopped.
 *
 * <h2>Contract (every backend, Java or native)</h2>
 * <ol>
 *   <li>Creating runs nothing. The first {@code resume(x)} starts the body with {@code x}; a
 *       later {@code resume(x)} makes the pending {@link Yielder#suspend suspend} return
 *       {@code x}. Each {@code suspend(v)} makes that {@code resume} return
 *       {@code Optional.of(v)}.</li>
 *   <li>When the body returns, that {@code resume} returns empty and the state is
 *       {@link State#FINISHED}; every later {@code resume} returns empty without running
 *       anything. Outputs are never {@code null}, so empty always means "finished".</li>
 *   <li>An exception thrown by the body leaves the state {@link State#FAILED} and is thrown out
 *       of that {@code resume}: the same object if unchecked, wrapped in
 *       {@link GeneratorException} if checked. Its stack trace shows the body's frames followed
 *       by the frames of the code that called {@code resume}.</li>
 *   <li>{@code resume} from inside the running body, or from a second thread while it runs,
 *       throws {@link IllegalStateException} and changes nothing. A suspended generator may be
 *       resumed from any thread.</li>
 *   <li>{@link #close()} of a suspended generator makes the pending {@code suspend} throw
 *       {@link GeneratorExit}, so the body's {@code finally} blocks run; the state becomes
 *       {@link State#CLOSED}. Closing a generator that never started never runs its body.
 *       {@code close} is idempotent.</li>
 *   <li>A suspended generator that becomes unreachable is closed and collected: nothing leaks.
 *       Its body is unwound as by {@code close()}, on a fringe-owned daemon thread, with any
 *       exception ignored. Close generators yourself (try-with-resources) when the timing of
 *       that cleanup matters.</li>
 * </ol>
 *
 * <h2>Thread safety</h2>
 * A generator may be used from several threads but runs on one at a time: concurrent
 * {@code resume}/{@code close} calls are not queued, the loser gets an
 * {@link IllegalStateException}. Everything the body wrote before it suspended
 * <i>happens-before</i> the return of that {@code resume}, and everything the resumer wrote
 * before calling {@code resume} happens-before the body continues, whichever threads are
 * involved. {@link #state()} may be called at any time from any thread.
 *
 * @param <I> the type of the values passed in by {@code resume}
 * @param <O> the type of the values handed out by the body's {@code suspend}
 */
public interface Generator<I, O> extends AutoCloseable {

    /**
     * Creates a generator on the {@linkplain Backends#selected() selected backend}. Nothing
     * runs until the first {@link #resume resume}.
     *
     * @param body the code to run
     * @param <I>  the input type
     * @param <O>  the output type
     * @return a new generator in state {@link State#RUNNABLE}
     * @throws NullPointerException  if {@code body} is {@code null}
     * @throws IllegalStateException if {@code -Dfringe.backend} names a backend that is not
     *                               installed or not usable (the message lists every backend
     *                               found and why each is or is not usable)
     */
    static <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        return Backends.selected().create(body);
    }

    /**
     * Runs {@code body} as a generator on the {@linkplain Backends#selected() selected
     * backend} and returns its outputs as a sequential, ordered stream. Each element resumes
     * the generator with {@code null}; the stream ends when the body returns. Closing the
     * stream closes the generator (use try-with-resources when the stream may be abandoned
     * early); an exception from the body is thrown out of the terminal operation.
     *
     * @param body the code to run; its input is always {@code null}
     * @param <O>  the output type
     * @return a lazy stream of the body's outputs
     * @throws NullPointerException if {@code body} is {@code null}
     */
    static <O> Stream<O> stream(GeneratorBody<Void, O> body) {
        return GeneratorStreams.stream(create(body));
    }

    /**
     * Starts or continues the body and waits until it suspends, returns or throws.
     *
     * @param input the body's argument on the first call, afterwards the value the pending
     *              {@code suspend} returns; may be {@code null}
     * @return the value the body suspended with, or empty if the body has returned (now or
     *         earlier) or has failed earlier
     * @throws IllegalStateException if the generator is running (this is a re-entrant call
     *                               from its own body, or another thread is resuming it), or
     *                               was closed; nothing changes
     * @throws GeneratorException    if the body threw a checked exception now (state
     *                               {@link State#FAILED}); the exception is the cause
     * @throws RuntimeException      the body's own unchecked exception, or {@link Error}, if it
     *                               threw now (state {@link State#FAILED})
     * @throws StackOverflowError    if too little stack is left here to resume the body (the
     *                               {@code continuation} backend keeps a reserve of 32 KiB), or
     *                               the body's own; the generator is as it was before the call
     *                               in the first case, {@link State#FAILED} in the second
     * @throws OutOfMemoryError      if the body's thread could not be started (thread-based
     *                               backends, first resume), or the body's own; the generator is
     *                               as it was before the call in the first case (a later resume
     *                               tries again), {@link State#FAILED} in the second
     */
    Optional<O> resume(I input);

    /**
     * Returns where the generator is in its life. Thread-safe; the answer may be stale by the
     * time the caller looks at it if other threads use the generator.
     *
     * @return the current state
     */
    State state();

    /**
     * Ends the generator. A suspended body is unwound: its pending {@code suspend} throws
     * {@link GeneratorExit}, its {@code finally} blocks run, and the state becomes
     * {@link State#CLOSED}. A generator that never started becomes {@code CLOSED} without
     * running anything. A finished, failed or closed generator is left as it is. Native
     * generators cannot unwind C code: closing one simply releases its stack.
     *
     * @throws IllegalStateException if the generator is running (nothing changes), or if the
     *                               body caught {@code GeneratorExit} and suspended again. Then
     *                               that suspend throws {@code GeneratorExit} once more: if the
     *                               body ends now, its {@code finally} blocks have run; if it
     *                               suspends yet again, it is dropped and never runs again
     *                               (thread-based backends leave its thread parked). Either way
     *                               the generator is {@code CLOSED}
     * @throws StackOverflowError    if too little stack is left here to unwind the body; the
     *                               generator is as it was before the call
     * @throws RuntimeException      an unchecked exception the body threw while unwinding,
     *                               other than {@code GeneratorExit}, or a
     *                               {@link GeneratorException} wrapping a checked one; the
     *                               generator is {@code CLOSED}
     */
    @Override
    void close();
}
