// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

import dev.fringe.GeneratorBody;
import dev.fringe.Yielder;

/**
 * A generator body that the {@code fringe-stackless} transformer has rewritten: besides the
 * ordinary {@link GeneratorBody#run(Yielder, Object) run}, it has a resumable form that the
 * {@code stackless} backend calls. The transformer adds this interface to body classes and
 * makes it the target type of body lambdas; nobody implements it by hand.
 *
 * <p>On every other backend the body behaves as written: a lambda's
 * {@link #run(Yielder, Object)} runs the resumable form with {@link Strand#PASSTHROUGH}, which
 * suspends through the public {@link Yielder#suspend}; a class keeps its own original
 * {@code run}.
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface StacklessBody<I, O> extends GeneratorBody<I, O> {
    /**
     * The resumable form of the body. For generated code only.
     *
     * @param yielder the generator's yielder
     * @param input   the first input
     * @param strand  the running generator's strand, or {@link Strand#PASSTHROUGH}
     * @throws Exception what the body throws
     */
    void run(Yielder<I, O> yielder, I input, Strand strand) throws Exception;

    @Override
    default void run(Yielder<I, O> yielder, I input) throws Exception {
        run(yielder, input, Strand.PASSTHROUGH);
    }
}
