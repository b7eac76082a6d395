// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * The body's side of a {@link Generator}: suspends the body, hands a value to the resumer, and
 * returns the next input.
 *
 * <p><b>Thread safety.</b> A yielder belongs to the body it was passed to: call it only from
 * that body's own call stack (at any depth of calls). Calling it from anywhere else (another
 * thread, a nested generator's body, after the body returned) throws
 * {@link IllegalStateException} and suspends nothing.
 *
 * @param <I> the type of the values passed in by {@code resume}
 * @param <O> the type of the values handed out by {@code suspend}
 */
public interface Yielder<I, O> {

    /**
     * Suspends the body: the {@link Generator#resume resume} that is running returns
     * {@code Optional.of(value)}. Returns when the generator is resumed again, with that
     * {@code resume}'s input.
     *
     * @param value the value to hand out; never {@code null}, because an empty result of
     *              {@code resume} means "finished"
     * @return the input of the next {@code resume}
     * @throws NullPointerException  if {@code value} is {@code null}; nothing is suspended
     * @throws GeneratorExit         if the generator was closed while suspended here: let it
     *                               propagate so the body's {@code finally} blocks run
     * @throws IllegalStateException if called outside this generator's body, or where the JVM
     *                               cannot suspend (inside a native frame, for example a JNA
     *                               callback); nothing is suspended and the body keeps running
     * @throws StackOverflowError    if too little stack is left here to suspend; nothing is
     *                               suspended (the value was not handed out) and the body keeps
     *                               running
     */
    I suspend(O value);
}
