// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import dev.fringe.Generator;
import dev.fringe.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Checks, after every test, the generators the test created through a {@link TrackingBackend}:
 * none may still be {@link State#RUNNING} (a body that never handed control back), and each one
 * left suspended must close into a final state. Closing them also keeps suspended bodies (and
 * the threads of the thread-based backends) from piling up across the suite.
 *
 * <p>Tests run one at a time (JUnit's default), so one registry serves them all.
 */
public final class GeneratorInvariants implements AfterEachCallback {
    private static final ConcurrentLinkedQueue<Generator<?, ?>> CREATED = new ConcurrentLinkedQueue<>();

    static <I, O> Generator<I, O> track(Generator<I, O> generator) {
        CREATED.add(generator);
        return generator;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> problems = new ArrayList<>();
        Generator<?, ?> g;
        while ((g = CREATED.poll()) != null) {
            State state = g.state();
            if (state == State.RUNNING) {
                problems.add(g + " is still RUNNING after the test: its body never handed control back");
                continue;
            }
            if (state == State.RUNNABLE) {
                try {
                    g.close();
                } catch (RuntimeException e) {
                    // A body written to misbehave while closing; only the final state matters here.
                }
                if (!g.state().isTerminal()) {
                    problems.add(g + " is " + g.state() + " after close()");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("generator invariants violated after " + context.getDisplayName() + ":\n  "
                    + String.join("\n  ", problems));
        }
    }
}
