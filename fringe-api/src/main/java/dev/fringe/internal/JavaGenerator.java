// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import dev.fringe.Generator;
import dev.fringe.State;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Optional;

/**
 * The {@link Generator} users hold for a Java body, whatever the engine. It owns the
 * {@link Cleaner} registration that closes its {@link GeneratorCore} once this object becomes
 * unreachable; the core never points back here (see {@link GeneratorCore}).
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class JavaGenerator<I, O> implements Generator<I, O> {
    private final GeneratorCore<I, O> core;
    private final Cleaner.Cleanable cleanable;
    private final String backend;

    /**
     * Wraps a core and registers it for cleaning.
     *
     * @param core    the engine-specific core
     * @param backend the backend's name, for {@link #toString()}
     */
    public JavaGenerator(GeneratorCore<I, O> core, String backend) {
        this.core = core;
        this.backend = backend;
        this.cleanable = FringeCleaner.register(this, new Unreachable(core));
    }

    @Override
    public Optional<O> resume(I input) {
        try {
            return core.resume(input);
        } finally {
            // The cleaner must not close the core while its body runs on our behalf.
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public State state() {
        return core.state();
    }

    @Override
    public void close() {
        try {
            core.close();
        } finally {
            if (core.state().isTerminal()) {
                cleanable.clean(); // deregisters; the action finds the core closed and does nothing
            }
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return "Generator[" + backend + ", " + core.state() + "]";
    }

    /** The cleaning action: holds the core, never the facade. */
    private static final class Unreachable implements Runnable {
        private final GeneratorCore<?, ?> core;

        Unreachable(GeneratorCore<?, ?> core) {
            this.core = core;
        }

        @Override
        public void run() {
            core.closeUnreachable();
        }
    }
}
