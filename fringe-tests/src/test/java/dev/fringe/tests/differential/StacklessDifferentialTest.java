// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Generator;
import dev.fringe.GeneratorExit;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The stackless engine against the oracle ({@code continuation} on JDK 21+, {@code thread} on
 * 17) on random scenarios of the differential language (nested generators, recursion through
 * real frames, loops, early returns), each run as a transformed Java body on both and compared
 * trace for trace. On top of the language: the body throws when its result is a multiple of 8
 * (an exception leaving resumed frames), and the generator is closed after a random number of
 * resumes (close at every point: {@code GeneratorExit} unwinds the body and the nested
 * generators' {@code try}-with-resources, and a {@code finally} records it).
 *
 * <p>The checking is plain code ({@link #traces}); only the case generation is jqwik's.
 */
class StacklessDifferentialTest {

    @Property(tries = 2000)
    @AddLifecycleHook(ScaledTries.class)
    void stackless_tracesLikeTheOracle(@ForAll("scenarios") Scenario scenario, @ForAll("inputs") List<Long> inputs,
            @ForAll("closeAfter") int closeAfter) {
        assertSameTraces(scenario, inputs, closeAfter);
    }

    @Property(tries = 20)
    @AddLifecycleHook(ScaledTries.class)
    void stackless_tracesLikeTheOracle_overLongRuns(@ForAll("longScenarios") Scenario scenario,
            @ForAll("longInputs") List<Long> inputs) {
        assertSameTraces(scenario, inputs, Integer.MAX_VALUE);
    }

    @Example
    void aNestedRecursiveScenario_closedHalfway_unwindsAlikeOnBoth() {
        Scenario child = Scenario.of(new Scenario.Suspend(new Scenario.Expr(Scenario.Op.ADD, 1)),
                new Scenario.Recurse(3, List.of(new Scenario.Suspend(new Scenario.Expr(Scenario.Op.MUL, 2)))));
        Scenario s = Scenario.of(new Scenario.Loop(2, List.of(new Scenario.YieldFrom(child))));

        List<String> stackless = traces(Engines.STACKLESS, s, List.of(1L, 2L, 3L, 4L), 3);

        assertThat(stackless).containsExactly("2 [RUNNABLE]", "4 [RUNNABLE]", "4 [RUNNABLE]",
                "closed: unwound=true exit=true [CLOSED]");
        assertThat(stackless).isEqualTo(traces(Engines.ORACLE, s, List.of(1L, 2L, 3L, 4L), 3));
    }

    private static void assertSameTraces(Scenario scenario, List<Long> inputs, int closeAfter) {
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

    @AfterContainer
    static void report() {
        System.out.println(Tally.report());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Scenarios.scenarios();
    }

    @Provide
    Arbitrary<List<Long>> inputs() {
        return Scenarios.inputs();
    }

    @Provide
    Arbitrary<Integer> closeAfter() {
        return Arbitraries.integers().between(0, Scenarios.MAX_INPUTS);
    }

    @Provide
    Arbitrary<Scenario> longScenarios() {
        return Scenarios.longScenarios();
    }

    @Provide
    Arbitrary<List<Long>> longInputs() {
        return Scenarios.longInputs();
    }
}
