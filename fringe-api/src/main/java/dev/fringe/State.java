// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * Where a {@link Generator} is in its life. The transitions, all caused by the generator's
 * owner except where noted:
 *
 * <pre>
 * RUNNABLE -> RUNNING    resume(x), or close() of a suspended Java generator (its body unwinds)
 * RUNNING  -> RUNNABLE   the body called suspend(v)              (resume returns Optional.of(v))
 * RUNNING  -> RUNNABLE   the engine could not hand control to the body: no stack left
 *                        (StackOverflowError) or no thread could be started (OutOfMemoryError);
 *                        resume or close throws it and nothing has run
 * RUNNING  -> FINISHED   the body returned                       (resume returns empty)
 * RUNNING  -> FAILED     the body threw                          (resume rethrows it)
 * RUNNING  -> CLOSED     close() finished unwinding the body, or gave up on a body that kept
 *                        catching GeneratorExit (close throws IllegalStateException)
 * RUNNABLE -> CLOSED     close() of a generator that never started: the body never runs
 * RUNNABLE -> CLOSED     close() of a suspended native generator: its stack is released (C code
 *                        cannot be unwound)
 * RUNNABLE -> CLOSED     fringe's cleaner, for a generator that became unreachable (nobody can
 *                        observe it; a suspended Java body is unwound afterwards)
 * </pre>
 *
 * FINISHED, FAILED and CLOSED are final.
 */
public enum State {
    /** Created and not yet started, or suspended: {@code resume} runs the body. */
    RUNNABLE,
    /** The body is running (on some thread) or is being closed. */
    RUNNING,
    /** The body returned. Every later {@code resume} returns empty and runs nothing. */
    FINISHED,
    /** The body threw. Every later {@code resume} returns empty and runs nothing. */
    FAILED,
    /** {@code close()} ended the generator. A later {@code resume} throws {@link IllegalStateException}. */
    CLOSED;

    /**
     * Returns whether the state is final: {@code FINISHED}, {@code FAILED} or {@code CLOSED}.
     *
     * @return {@code true} if nothing can run the body any more
     */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CLOSED;
    }
}
