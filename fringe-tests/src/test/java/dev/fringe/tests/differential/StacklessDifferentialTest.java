// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Generator;
import dev.fringe.GeneratorExit;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.testing.Gen;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The stackless engine against the oracle ({@code continuation} on JDK 21+, {@code thread} on
 * 17) on random scenarios of the differential language (nested generators, recursion through
 * real frames, loops, early returns), each run as a transformed Java body on both and compared
 * trace for trace. On top of the language: the body throws when its result is a multiple of 8
 * (an exception leaving resumed frames), and the generator is closed after a random number of
 * resumes (close at every point: {@code GeneratorExit} unwinds the body and the nested
 * generators' {@code try}-with-resources, and a {@code finally} records it). Cases are drawn and
 * shrunk by {@code fringe-testing}'s {@code Explore}; a failure replays with
 * {@code -Dfringe.testing.seed=<the seed it printed>}.
 */
class StacklessDifferentialTest {
    // Cases per run of each property, before scaling (ScaledTries).
    static final int TRIES = 2000;
    static final int TRIES_LONG_RUNS = 20;

    /** A scenario, its inputs, and after how many resumes it is closed. */
    record Run(Scenario scenario, List<Long> inputs, int closeAfter) {
        @Override
        public String toString() {
            return "scenario " + scenario + ", inputs " + inputs + ", closed after " + closeAfter + " resumes";
        }
    }

    @Test
    void stackless_tracesLikeTheOracle() {
        ScaledTries.explore(TRIES).forAll(Gen.compose(src -> new Run(src.draw(Scenarios.scenarios()),
                src.draw(Scenarios.inputs()), src.draw(Gen.ints(0, Scenarios.MAX_INPUTS)))),
                StacklessDifferentialTest::assertSameTraces);
    }

    @Test
    void stackless_tracesLikeTheOracle_overLongRuns() {
        ScaledTries.explore(TRIES_LONG_RUNS).forAll(Gen.compose(src -> new Run(src.draw(Scenarios.longScenarios()),
                src.draw(Scenarios.longInputs()), Integer.MAX_VALUE)), StacklessDifferentialTest::assertSameTraces);
    }

    @Test
    void aNestedRecursiveScenario_closedHalfway_unwindsAlikeOnBoth() {
        Scenario child = Scenario.of(new Scenario.Suspend(new Scenario.Expr(Scenario.Op.ADD, 1)),
                new Scenario.Recurse(3, List.of(new Scenario.Suspend(new Scenario.Expr(Scenario.Op.MUL, 2)))));
        Scenario s = Scenario.of(new Scenario.Loop(2, List.of(new Scenario.YieldFrom(child))));

        List<String> stackless = traces(Engines.STACKLESS, s, List.of(1L, 2L, 3L, 4L), 3);

        assertThat(stackless).containsExactly("2 [RUNNABLE]", "4 [RUNNABLE]", "4 [RUNNABLE]",
                "closed: unwound=true exit=true [CLOSED]");
        assertThat(stackless).isEqualTo(traces(Engines.ORACLE, s, List.of(1L, 2L, 3L, 4L), 3));
    }

    private static void assertSameTraces(Run run) {
        Scenario scenario = run.scenario();
        List<Long> inputs = run.inputs();
        int closeAfter = run.closeAfter();
        long start = System.nanoTime();
        List<String> expected = traces(Engines.ORACLE, scenario, inputs, closeAfter);
        List<String> actual = traces(Engines.STACKLESS, scenario, inputs, closeAfter);
        Tally.record("stackless vs " + Engines.ORACLE.name(), scenario + " " + inputs.size() + " inputs", actual.size(),
                System.nanoTime() - start);
        assertThat(actual).as("stackless vs %s on %s, inputs %s, close after %d", Engines.ORACLE.name(), scenario, inputs,
                closeAfter).isEqualTo(expected);
    }

    /**
     * Runs the scenario on {@code backend}: one trace line per resume, then the close (if it came
     * before the body ended).
     */
    static List<String> traces(GeneratorBackend backend, Scenario scenario, List<Long> inputs, int closeAfter) {
        List<String> trace = new ArrayList<>();
        JavaInterpreter interpreter = new JavaInterpreter(scenario, backend, -1L, new AtomicLong());
        boolean[] unwound = {false};
        boolean[] exit = {false};
        Generator<Long, Long> g = backend.create((y, first) -> {
            try {
                long result = interpreter.run(y, first);
                if (result % 8 == 0) {
                    throw new IllegalStateException("result " + result);
                }
            } catch (GeneratorExit e) {
                exit[0] = true;
                throw e;
            } finally {
                unwound[0] = true;
            }
        });
        if (!g.toString().startsWith("Generator[" + backend.name() + ",")) {
            throw new AssertionError(g + " does not run on " + backend.name());
        }
        int resumes = 0;
        for (long in : inputs) {
            if (resumes++ == closeAfter) {
                break;
            }
            try {
                Optional<Long> out = g.resume(in);
                trace.add((out.isPresent() ? Scenario.word(out.get()) : "finished") + " [" + g.state() + "]");
            } catch (IllegalStateException e) {
                trace.add("threw " + e.getMessage() + " [" + g.state() + "]");
            }
        }
        boolean wasRunnable = g.state() == dev.fringe.State.RUNNABLE;
        g.close();
        if (wasRunnable && resumes > 0) {
            trace.add("closed: unwound=" + unwound[0] + " exit=" + exit[0] + " [" + g.state() + "]");
        }
        return trace;
    }

    @AfterAll
    static void report() {
        System.out.println(Tally.report());
    }
}
