// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fringe.testing.Counterexample;
import dev.fringe.testing.Explore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Proves that the differential property bites: the same property as
 * {@link NativeEngineDifferentialTest#nativeEngine_tracesLikeTheBestJavaBackend}, with the same
 * cases, run against {@code fringe_test_interpreter_faulty} (the C interpreter with the third
 * value each generator suspends off by one), must fail within {@value #TRIES} cases, and
 * shrinking must reduce the failure to the smallest case that shows the fault: three suspends
 * of the input, resumed three times with 0, from whatever first failure a seed leads to. New
 * seeds every run (unless {@code -Dfringe.testing.seed} gives one).
 */
class PlantedFaultTest {
    static final int TRIES = 1000;
    /** Seeds of the many-seeds test (before {@link ScaledTries scaling}). */
    static final int SEEDS = 50;
    static final String MINIMAL = "[suspend(in), suspend(in), suspend(in)], inputs [0, 0, 0]";

    /** Runs the property against the faulty interpreter; returns how it failed, or null. */
    private static Counterexample explore(Explore exploration) {
        return catchThrowableOfType(Counterexample.class, () -> exploration.forAll(NativeEngineDifferentialTest.oracleCases(),
                c -> NativeEngineDifferentialTest.check(c, NativeInterpreter.FAULTY).assertSameTraces()));
    }

    @Test
    void faultyNativeInterpreter_isCaught_andShrunkToThreeSuspendsOfTheInput() {
        long start = System.nanoTime();
        Counterexample found = explore(Explore.tries(TRIES));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(found).as("the planted fault (the third suspended value off by one) went unnoticed in %d cases",
                TRIES).isNotNull();
        System.out.printf("planted fault found by try %d (seed %d) and shrunk in %d steps, %d ms in all:%n%s%n",
                found.failedTry(), found.seed(), found.shrinkSteps(), millis, found.getMessage());
        Scenarios.Case shrunk = (Scenarios.Case) found.value();
        assertThat("scenario " + shrunk.scenario() + ", inputs " + shrunk.inputs()).as("%s", found.getMessage())
                .isEqualTo("scenario " + MINIMAL);
        assertThat(found.getCause()).as("the property failed, but not on a trace divergence")
                .isInstanceOf(AssertionError.class).hasMessageContaining(" diverges from ");
        assertThat(found.getMessage())
                .contains("(seed " + found.seed() + ")")
                .contains("-Dfringe.testing.seed=" + found.seed())
                .contains("  " + shrunk)
                .endsWith(found.getCause().getMessage())
                .contains(">>    2  0      0 [RUNNABLE]");
    }

    @Test
    void faultyNativeInterpreter_theSeedItPrints_replaysTheSameFailure() {
        Counterexample first = explore(Explore.tries(TRIES));
        assertThat(first).isNotNull();

        Counterexample replayed = explore(Explore.tries(TRIES).seed(first.seed()));

        assertThat(replayed).isNotNull();
        assertThat(replayed.seed()).isEqualTo(first.seed());
        assertThat(replayed.failedTry()).isEqualTo(first.failedTry());
        assertThat(replayed.original()).isEqualTo(first.original());
        assertThat(replayed.value()).isEqualTo(first.value());
        assertThat(replayed.getMessage()).isEqualTo(first.getMessage());
    }

    @Test
    void faultyNativeInterpreter_isShrunkToThreeSuspendsOfTheInput_fromTheFirstFailuresOfManySeeds() {
        int seeds = ScaledTries.scaled(SEEDS);
        long base = new SplittableRandom().nextLong();
        Map<String, List<Long>> seedsByOutcome = new TreeMap<>();
        for (int i = 0; i < seeds; i++) {
            long seed = base + i;
            Counterexample found = explore(Explore.tries(TRIES).seed(seed));
            String outcome = found == null ? "not found in " + TRIES + " cases"
                    : "shrunk to scenario " + ((Scenarios.Case) found.value()).scenario() + ", inputs "
                            + ((Scenarios.Case) found.value()).inputs();
            seedsByOutcome.computeIfAbsent(outcome, k -> new ArrayList<>()).add(seed);
        }
        System.out.printf("planted fault, %d seeds from %d: %s%n", seeds, base, seedsByOutcome.keySet());

        assertThat(seedsByOutcome).as("outcome -> seeds (replay one with -Dfringe.testing.seed=...)")
                .containsOnlyKeys("shrunk to scenario " + MINIMAL);
    }
}
