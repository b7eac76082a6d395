// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * The code a {@link Generator} runs.
 *
 * <p>{@code run} is called once, by the first {@link Generator#resume resume}, with that call's
 * input. Each {@link Yielder#suspend yielder.suspend(value)} hands {@code value} to the resumer
 * and returns the input of the next {@code resume}. Returning from {@code run} finishes the
 * generator; throwing fails it and rethrows the exception out of the {@code resume} that was
 * running (checked exceptions wrapped in {@link GeneratorException}).
 *
 * <p>If the generator is closed while suspended, the pending {@code suspend} throws
 * {@link GeneratorExit}: let it propagate (your {@code finally} blocks and try-with-resources
 * run on the way) rather than catching it.
 *
 * @param <I> the type of the values passed in by {@code resume}
 * @param <O> the type of the values handed out by {@code suspend}
 */
@FunctionalInterface
public interface GeneratorBody<I, O> {

    /**
     * Runs the generator's body.
     *
     * @param yielder the handle to suspend with; valid only inside this body, on the body's own
     *                call stack
     * @param input   the input of the first {@code resume}
     * @throws Exception anything; it fails the generator and leaves {@code resume}
     */
    void run(Yielder<I, O> yielder, I input) throws Exception;
}
