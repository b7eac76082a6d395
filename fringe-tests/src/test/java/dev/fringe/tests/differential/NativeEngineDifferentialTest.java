// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import static dev.fringe.tests.differential.Scenario.Expr.constant;
import static dev.fringe.tests.differential.Scenario.Expr.in;
import static dev.fringe.tests.differential.Scenario.Expr.plus;
import static dev.fringe.tests.differential.Scenario.Expr.times;
import static dev.fringe.tests.differential.Scenario.Expr.xor;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Function;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.testing.Comparison;
import dev.fringe.testing.Differential;
import dev.fringe.testing.Gen;
import dev.fringe.testing.Trace;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The native engine against the Java engines: random {@link Scenario}s and input rows run
 * through the C interpreter ({@code interpreter.c}) on a {@code NativeGenerator} and through
 * {@link JavaInterpreter} on a Java backend, traces compared by {@link Differential}, the helper
 * users get in {@code fringe-testing}, cases drawn and shrunk by its {@code Explore}. A failure
 * prints the seed, the shrunk scenario and inputs, and both traces side by side.
 *
 * <ul>
 *   <li>against the oracle, the best available Java backend ({@code continuation} on JDK 21+,
 *       {@code thread} on JDK 17; {@code -Dfringe.backend} overrides);</li>
 *   <li>against every usable Java backend, one picked per try;</li>
 *   <li>over long runs: loops of hundreds of rounds, up to 2000 inputs.</li>
 * </ul>
 *
 * <p>Counts: each property's number of cases is the CI default; {@code -Dfringe.test.scale=N}
 * multiplies it, {@code -Dfringe.test.divisor=N} divides it ({@link ScaledTries}). The scenarios
 * checked per engine pair and the longest run are printed after the class. That these
 * properties can fail at all is shown by {@link PlantedFaultTest}; a failure replays with
 * {@code -Dfringe.testing.seed=<the seed it printed>}.
 */
class NativeEngineDifferentialTest {

    // Scenarios per run of each property, before scaling (see the class comment).
    static final int TRIES = 2000;
    static final int TRIES_EVERY_BACKEND = 600;
    static final int TRIES_LONG_RUNS = 20;

    @Test
    void nativeEngine_tracesLikeTheBestJavaBackend() {
        ScaledTries.explore(TRIES).forAll(oracleCases(), c -> check(c, NativeInterpreter.CORRECT).assertSameTraces());
    }

    @Test
    void nativeEngine_tracesLikeEveryUsableJavaBackend() {
        ScaledTries.explore(TRIES_EVERY_BACKEND).forAll(
                Scenarios.cases(Gen.oneOf(Engines.JAVA), Scenarios.scenarios(), Scenarios.inputs()),
                c -> check(c, NativeInterpreter.CORRECT).assertSameTraces());
    }

    @Test
    void nativeEngine_tracesLikeTheBestJavaBackend_overLongRuns() {
        ScaledTries.explore(TRIES_LONG_RUNS).forAll(
                Scenarios.cases(Gen.constant(Engines.ORACLE), Scenarios.longScenarios(), Scenarios.longInputs()),
                c -> check(c, NativeInterpreter.CORRECT).assertSameTraces());
    }

    @Test
    void bothInterpreters_runAHandWrittenScenarioAsTheLanguageSpecifies() {
        Scenario s = Scenario.of(new Scenario.Suspend(plus(3)), new Scenario.Loop(2, List.of(new Scenario.Suspend(times(2)))),
                new Scenario.Return(in()));
        Comparison c = check(Engines.ORACLE, s, List.of(1L, 10L, 20L, 30L, 40L), NativeInterpreter.CORRECT);

        assertThat(outcomes(c.nativeTrace())).containsExactly("4 [RUNNABLE]", "20 [RUNNABLE]", "40 [RUNNABLE]",
                "finished, returned 30 [FINISHED]", "finished, returned 30 [FINISHED]");
        assertThat(c.matches()).as("%s", c).isTrue();
    }

    @Test
    void bothInterpreters_runANestedGeneratorAndRecursionAsTheLanguageSpecifies() {
        Scenario child = Scenario.of(new Scenario.Suspend(plus(1)),
                new Scenario.Recurse(3, List.of(new Scenario.Suspend(times(2)))), new Scenario.Return(xor(1)));
        Scenario s = Scenario.of(new Scenario.Suspend(in()), new Scenario.YieldFrom(child), new Scenario.Suspend(in()));
        Comparison c = check(Engines.ORACLE, s, List.of(5L, 6L, 7L, 8L, 9L), NativeInterpreter.CORRECT);

        // 5 is suspended as is; the child starts with 6 and hands out 7, then 14 from 3 frames
        // down; it returns 8^1 = 9, which the parent suspends; the parent returns its last input.
        assertThat(outcomes(c.nativeTrace())).containsExactly("5 [RUNNABLE]", "7 [RUNNABLE]", "14 [RUNNABLE]",
                "9 [RUNNABLE]", "finished, returned 9 [FINISHED]");
        assertThat(c.matches()).as("%s", c).isTrue();
    }

    @Test
    void wordArithmetic_wrapsAlikeOnBothSides() {
        Scenario s = Scenario.of(new Scenario.Suspend(plus(Engines.WORD_MASK)), new Scenario.Suspend(times(Engines.WORD_MASK)),
                new Scenario.Suspend(xor(Engines.WORD_MASK)), new Scenario.Return(constant(Engines.WORD_MASK)));
        Comparison c = check(Engines.ORACLE, s, List.of(2L, 3L, 0L, 1L), NativeInterpreter.CORRECT);

        assertThat(outcomes(c.nativeTrace())).containsExactly("1 [RUNNABLE]", Scenario.word(Engines.WORD_MASK - 2)
                + " [RUNNABLE]", Scenario.word(Engines.WORD_MASK) + " [RUNNABLE]",
                "finished, returned " + Scenario.word(Engines.WORD_MASK) + " [FINISHED]");
        assertThat(c.matches()).as("%s", c).isTrue();
    }

    @Test
    void encoding_isTheWordFormatOfInterpreterC() {
        Scenario s = Scenario.of(new Scenario.Suspend(plus(3)), new Scenario.Loop(2, List.of(new Scenario.Suspend(times(2)))),
                new Scenario.YieldFrom(Scenario.of(new Scenario.Recurse(4, List.of(new Scenario.Suspend(constant(7)))))),
                new Scenario.Return(in()));

        assertThat(s.encode()).containsExactly(
                1, 2, 3,                 // suspend(in+3)
                3, 2, 3, 1, 3, 2,        // loop 2 {suspend(in*2)}
                5, 6, 4, 4, 3, 1, 1, 7,  // yield from [recurse 4 {suspend(7)}]
                2, 0, 0);                // return(in)
        assertThat(s).hasToString("[suspend(in+3), loop 2 {suspend(in*2)}, yield from [recurse 4 {suspend(7)}], return(in)]");
        assertThat(s.size()).isEqualTo(7);
        assertThat(s.nesting()).isEqualTo(1);
    }

    @Test
    void genome_blocksTakeTheGenesAfterThem_andASuspendGeneOfCount3Or4IsTwoSuspends() {
        Scenario.Expr in = in();
        List<Scenarios.Gene> genome = List.of(
                new Scenarios.Gene(Scenarios.Kind.LOOP, 7, 2, in),     // loop 7 % 5 = 2 rounds over the next 2 genes
                new Scenarios.Gene(Scenarios.Kind.SUSPEND, 3, 0, plus(1)),
                new Scenarios.Gene(Scenarios.Kind.SUSPEND, 5, 0, in),
                new Scenarios.Gene(Scenarios.Kind.YIELD_FROM, 0, 1, in),
                new Scenarios.Gene(Scenarios.Kind.SUSPEND, 9, 4, times(2)),
                new Scenarios.Gene(Scenarios.Kind.RETURN, 0, 0, in));

        assertThat(Scenarios.decode(genome)).hasToString(
                "[loop 2 {suspend(in+1), suspend(in+1), suspend(in)}, yield from [suspend(in*2), suspend(in*2)], return(in)]");
    }

    @AfterAll
    static void report() {
        System.out.println(Tally.report());
    }

    /** The cases of the main property: random scenarios and inputs, on the oracle. */
    static Gen<Scenarios.Case> oracleCases() {
        return Scenarios.cases(Gen.constant(Engines.ORACLE), Scenarios.scenarios(), Scenarios.inputs());
    }

    /** Runs a case against {@code body} (the C interpreter or its faulty copy); see below. */
    static Comparison check(Scenarios.Case c, Function body) {
        return check(c.backend(), c.scenario(), c.inputs(), body);
    }

    /**
     * Runs {@code scenario} on {@code backend} (Java interpreter) and on the native engine
     * ({@code body}, the C interpreter or its faulty copy), compares, and tallies the run.
     */
    static Comparison check(GeneratorBackend backend, Scenario scenario, List<Long> inputs, Function body) {
        long[] in = inputs.stream().mapToLong(Long::longValue).toArray();
        AtomicLong nested = new AtomicLong();
        long start = System.nanoTime();
        Comparison c;
        try (NativeInterpreter.Run run = new NativeInterpreter.Run(scenario, body)) {
            c = Differential.compare(backend, new JavaInterpreter(scenario, backend, Engines.WORD_MASK, nested),
                    run::newGenerator, in);
        }
        if (body == NativeInterpreter.CORRECT) {
            Tally.record("native vs " + backend.name(), scenario + " with " + inputs.size() + " inputs",
                    in.length + nested.get(), System.nanoTime() - start);
        }
        return c;
    }

    private static List<String> outcomes(Trace trace) {
        return trace.steps().stream().map(Trace.Step::outcome).collect(Collectors.toList());
    }
}
