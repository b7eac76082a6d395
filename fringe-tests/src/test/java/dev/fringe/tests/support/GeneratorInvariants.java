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
 * the threads of the thread-based backends) from piling up across the suite. A generator made by
 * the {@code stackless} backend must really run stackless (its {@code toString()} names the
 * backend that runs it): every body in this suite is transformed at build time, so one that fell
 * back to another backend is a transformer regression, unless the test says
 * {@link StacklessFallback}.
 *
 * <p>Tests run one at a time (JUnit's default), so one registry serves them all.
 */
public final class GeneratorInvariants implements AfterEachCallback {
    private static final ConcurrentLinkedQueue<Generator<?, ?>> CREATED = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Generator<?, ?>> FELL_BACK = new ConcurrentLinkedQueue<>();

    static <I, O> Generator<I, O> track(Generator<I, O> generator, String backend) {
        CREATED.add(generator);
        if (!generator.toString().startsWith("Generator[" + backend + ",")) {
            FELL_BACK.add(generator);
        }
        return generator;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> problems = new ArrayList<>();
        boolean fallbackExpected = context.getTestMethod().map(m -> m.isAnnotationPresent(StacklessFallback.class))
                .orElse(false);
        Generator<?, ?> fell;
        while ((fell = FELL_BACK.poll()) != null) {
            if (!fallbackExpected) {
                problems.add(fell + " was made by a backend that does not run it: its body was not transformed"
                        + " (see the fringe-stackless notes in the build log), or the test must say @StacklessFallback");
            }
        }
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
