// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * Where a {@link Generator} is in its life. The transitions, all caused by the generator's
 * owner except where noted:
 *
 * <pre>
 * RUNNABLE -> RUNNING    resume(x), or close() of a started generator (its body unwinds)
 * RUNNING  -> RUNNABLE   the body called suspend(v)              (resume returns Optional.of(v))
 * RUNNING  -> FINISHED   the body returned                       (resume returns empty)
 * RUNNING  -> FAILED     the body threw                          (resume rethrows it)
 * RUNNING  -> CLOSED     close() finished unwinding the body
 * RUNNABLE -> CLOSED     close() of a generator that never started: the body never runs
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
