// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * Thrown out of a suspended body's {@link Yielder#suspend suspend} when its generator is
 * {@linkplain Generator#close() closed}, so that the body's {@code finally} blocks and
 * try-with-resources run before the generator ends.
 *
 * <p>It is an {@link Error} so that {@code catch (Exception e)} in a body does not swallow it.
 * A body should let it propagate. A body that catches it and suspends again gets it once more
 * from that suspend, and {@code close()} throws {@link IllegalStateException}; a body that
 * catches it twice and suspends a third time is dropped: it never runs again, on every backend
 * (see {@link Generator#close()}). An unreachable generator's body is closed the same way by
 * fringe's cleaner.
 */
public class GeneratorExit extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates the exception {@code close()} throws into a suspended body. */
    public GeneratorExit() {
        super("generator closed while suspended: unwinding its body");
    }
}
