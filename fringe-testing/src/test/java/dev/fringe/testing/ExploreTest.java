// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** {@link Explore}: finding failures, shrinking them, seeds and replay, the report. */
class ExploreTest {

    /** Runs the property with a fixed seed; returns its counterexample, or null if it held. */
    private static <T> Counterexample falsify(Gen<T> gen, Consumer<? super T> property) {
        return catchThrowableOfType(Counterexample.class, () -> Explore.tries(1000).seed(42).forAll(gen, property));
    }

    private static <T> List<T> casesOf(Explore exploration, Gen<T> gen) {
        List<T> seen = new ArrayList<>();
        exploration.forAll(gen, seen::add);
        return seen;
    }

    @Test
    void aPropertyThatHolds_runsExactlyTheGivenNumberOfCases_andReturns() {
        AtomicInteger runs = new AtomicInteger();
        Explore.tries(137).forAll(Gen.longs(0, 10), v -> runs.incrementAndGet());
        assertThat(runs).hasValue(137);
    }

    @Test
    void aPropertyThatMustFail_isFound_andShrunkToTheBoundaryOfTheFailure() {
        Counterexample e = falsify(Gen.longs(0, 1_000_000), v -> assertThat(v).isLessThan(1000));

        assertThat(e).as("v < 1000 over [0, 1000000]").isNotNull();
        assertThat(e.value()).isEqualTo(1000L);
        assertThat((Long) e.original()).isGreaterThanOrEqualTo(1000L);
        assertThat(e.failedTry()).isGreaterThan(1);
        assertThat(e.seed()).isEqualTo(42);
    }

    @Test
    void numbers_shrinkTowardsTheValueNearestZero_inEveryKindOfRange() {
        assertThat(falsify(Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE), v -> assertThat(v).isGreaterThan(-1000)).value())
                .isEqualTo(-1000L);
        assertThat(falsify(Gen.longs(-100, -10), v -> assertThat(v).isGreaterThan(-50)).value()).isEqualTo(-50L);
        assertThat(falsify(Gen.longs(-3, 1 << 20), v -> assertThat(v).isLessThan(77)).value()).isEqualTo(77L);
        assertThat(falsify(Gen.ints(10, 20), v -> assertThat(v).isLessThan(10)).value()).isEqualTo(10);
        assertThat(falsify(Gen.words(), w -> assertThat(Long.compareUnsigned(w, 1000)).isLessThan(0)).value())
                .as("words are unsigned: -1 is the largest").isEqualTo(1000L);
    }

    @Test
    void lists_shrinkToTheFewestAndSmallestElements() {
        @SuppressWarnings("unchecked")
        List<Long> sum200 = (List<Long>) falsify(Gen.longs(0, 100).list(0, 50),
                l -> assertThat(l.stream().mapToLong(Long::longValue).sum()).isLessThan(200)).value();
        assertThat(sum200).as("a local minimum: no element can be removed or lowered")
                .allMatch(v -> v > 0).hasSizeBetween(2, 4).matches(l -> l.stream().mapToLong(Long::longValue).sum() == 200);
        assertThat(falsify(Gen.longs(0, 1000).list(0, 50), l -> assertThat(l).allMatch(v -> v < 50)).value())
                .isEqualTo(List.of(50L));
        assertThat(falsify(Gen.words().list(0, 64), l -> assertThat(l).hasSizeLessThan(3)).value())
                .isEqualTo(List.of(0L, 0L, 0L));
        @SuppressWarnings("unchecked")
        List<Long> atLeastFour = (List<Long>) falsify(Gen.longs(0, 9).list(4, 8), l -> assertThat(l).doesNotContain(7L))
                .value();
        assertThat(atLeastFour).as("never below the least size").hasSizeBetween(4, 5).containsOnlyOnce(7L)
                .containsOnly(0L, 7L);
    }

    /** Two lists drawn one after the other. */
    record TwoLists(List<Long> first, List<Long> second) {}

    @Test
    void aListAtItsMostElements_stillLosesThem_withoutEatingIntoWhatFollows() {
        Gen<TwoLists> gen = Gen.compose(src -> new TwoLists(src.draw(Gen.longs(0, 9).list(0, 5)),
                src.draw(Gen.longs(0, 9).list(0, 5))));
        int firstWasFull = 0;
        for (long seed = 0; seed < 100; seed++) {
            long s = seed;
            Counterexample e = catchThrowableOfType(Counterexample.class, () -> Explore.tries(1000).seed(s).forAll(gen,
                    t -> assertThat(t.second()).hasSizeLessThan(3)));
            firstWasFull += ((TwoLists) e.original()).first().size() == 5 ? 1 : 0;
            assertThat(e.value()).as("seed %d, first failure %s", s, e.original())
                    .isEqualTo(new TwoLists(List.of(), List.of(0L, 0L, 0L)));
        }
        assertThat(firstWasFull).as("first failures with a full first list").isPositive();
    }

    @Test
    void alternatives_shrinkTowardsTheFirst() {
        assertThat(falsify(Gen.oneOf("a", "b", "c"), s -> assertThat(s).isEqualTo("a")).value()).isEqualTo("b");
        Gen<String> weighted = Gen.frequency(entry(1, Gen.constant("simple")), entry(50, Gen.constant("rare")),
                entry(50, Gen.constant("complex")));
        assertThat(falsify(weighted, s -> assertThat(s).isNotEqualTo("simple")).value()).isEqualTo("simple");
    }

    /** A part drawn after a size it depends on: the shape of most composed cases. */
    record Sized(int size, List<Long> values) {}

    @Test
    void composedAndDependentParts_shrinkTogether() {
        Gen<Sized> sized = Gen.compose(src -> {
            int n = src.draw(Gen.ints(1, 10));
            return new Sized(n, src.draw(Gen.longs(0, 1000).list(n, n)));
        });
        // Fails when the last value alone is large: taking fewer values (a smaller size) passes,
        // and so does deleting a value without lowering the size; both together shrink.
        Predicate<List<Long>> onlyTheLastIsLarge = l -> l.get(l.size() - 1) >= 500
                && l.subList(0, l.size() - 1).stream().allMatch(v -> v < 500);
        for (long seed = 0; seed < 20; seed++) {
            long s = seed;
            Counterexample e = catchThrowableOfType(Counterexample.class, () -> Explore.tries(1000).seed(s).forAll(sized,
                    z -> assertThat(z.values()).noneMatch(v -> onlyTheLastIsLarge.test(z.values()))));
            assertThat(e.value()).as("seed %d, first failure %s", s, e.original()).isEqualTo(new Sized(1, List.of(500L)));
        }

        Gen<List<Long>> flat = Gen.ints(1, 10).flatMap(n -> Gen.longs(0, 1000).list(n, n));
        assertThat(falsify(flat, l -> assertThat(onlyTheLastIsLarge.test(l)).isFalse()).value()).isEqualTo(List.of(500L));

        Gen<Long> even = Gen.longs(0, 1000).filter(v -> v % 2 == 0);
        assertThat(falsify(even, v -> assertThat(v).isLessThan(301)).value()).isEqualTo(302L);
    }

    @Test
    void theSameSeed_makesTheSameCases_andAnotherSeedOthers() {
        Gen<List<Long>> gen = Gen.words().list(0, 10);
        List<List<Long>> first = casesOf(Explore.tries(200).seed(7), gen);
        List<List<Long>> again = casesOf(Explore.tries(200).seed(7), gen);
        List<List<Long>> other = casesOf(Explore.tries(200).seed(8), gen);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first.get(0)).as("the first case is the simplest").isEmpty();
        assertThat(first).as("random cases are not all alike").hasSizeGreaterThan(100)
                .filteredOn(l -> l.size() > 5).isNotEmpty();
    }

    @Test
    void theSeedProperty_replaysARunWithoutASeedInTheCode() {
        Gen<Long> gen = Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE);
        String before = System.getProperty(Explore.SEED_PROPERTY);
        try {
            System.setProperty(Explore.SEED_PROPERTY, "-1234567890123");
            assertThat(casesOf(Explore.tries(50), gen)).isEqualTo(casesOf(Explore.tries(50).seed(-1234567890123L), gen));
            assertThat(casesOf(Explore.tries(50).seed(5), gen)).as("a seed in the code wins")
                    .isEqualTo(casesOf(Explore.tries(50).seed(5).seed(5), gen))
                    .isNotEqualTo(casesOf(Explore.tries(50), gen));

            System.setProperty(Explore.SEED_PROPERTY, "0x12");
            assertThatThrownBy(() -> Explore.tries(1).forAll(gen, v -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Dfringe.testing.seed=0x12")
                    .hasMessageContaining("is not a seed");
        } finally {
            if (before == null) {
                System.clearProperty(Explore.SEED_PROPERTY);
            } else {
                System.setProperty(Explore.SEED_PROPERTY, before);
            }
        }
    }

    @Test
    void theReport_givesTheSeed_howToReplay_theShrunkCase_andWhatItThrew() {
        Counterexample e = catchThrowableOfType(Counterexample.class, () -> Explore.tries(500).forAll(
                Gen.longs(0, 1000).list(0, 20), l -> assertThat(l).as("no element above 99").allMatch(v -> v <= 99)));

        assertThat(e.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("no element above 99");
        String n = System.lineSeparator();
        assertThat(e.getMessage()).startsWith("property falsified by try " + e.failedTry() + " of 500 (seed " + e.seed()
                + "), shrunk in " + e.shrinkSteps() + (e.shrinkSteps() == 1 ? " step" : " steps") + " to:" + n + "  [100]"
                + n + "replay: -Dfringe.testing.seed=" + e.seed() + ", or Explore.tries(500).seed(" + e.seed() + "L)" + n)
                .endsWith("the shrunk case fails with:" + n + e.getCause().getMessage());
        if (e.shrinkSteps() > 0) {
            assertThat(e.getMessage()).contains("first failing case, before shrinking:" + n + "  " + e.original() + n);
        }

        Counterexample replayed = catchThrowableOfType(Counterexample.class, () -> Explore.tries(500).seed(e.seed()).forAll(
                Gen.longs(0, 1000).list(0, 20), l -> assertThat(l).as("no element above 99").allMatch(v -> v <= 99)));
        assertThat(replayed.getMessage()).as("the printed seed replays the run").isEqualTo(e.getMessage());
    }

    @Test
    void arraysPrintElementByElement_andLongCasesAbbreviated() {
        assertThat(Counterexample.print(new long[] {1, 2})).isEqualTo("[1, 2]");
        assertThat(Counterexample.print(new String[] {"a"})).isEqualTo("[a]");
        assertThat(Counterexample.print("x".repeat(5000))).hasSize(2000 + "... (3000 more characters)".length())
                .endsWith("... (3000 more characters)");
    }

    @Test
    void shrinking_keepsTheClassOfTheFirstFailure_insteadOfDriftingToAnotherBug() {
        Consumer<Long> twoBugs = v -> {
            if (v >= 500) {
                throw new IllegalStateException("big bug at " + v);
            }
            if (v >= 10) {
                throw new AssertionError("small bug at " + v);
            }
        };
        for (long seed = 0; seed < 40; seed++) {
            long s = seed;
            Counterexample e = catchThrowableOfType(Counterexample.class,
                    () -> Explore.tries(1000).seed(s).forAll(Gen.longs(0, 1000), twoBugs));
            boolean big = (Long) e.original() >= 500;
            assertThat(e.value()).as("seed %d, first failure %s", s, e.original()).isEqualTo(big ? 500L : 10L);
            assertThat(e.getCause()).isInstanceOf(big ? IllegalStateException.class : AssertionError.class);
        }
    }

    @Test
    void aPropertyThatDependsOnMoreThanItsCase_isReportedUnshrunk_asNotReproducible() {
        AtomicInteger calls = new AtomicInteger();
        Counterexample e = catchThrowableOfType(Counterexample.class, () -> Explore.tries(100).forAll(Gen.longs(0, 1000),
                v -> assertThat(calls.incrementAndGet()).isNotEqualTo(5)));

        assertThat(e.failedTry()).isEqualTo(5);
        assertThat(e.shrinkSteps()).isZero();
        assertThat(e.value()).isEqualTo(e.original());
        assertThat(e.getMessage()).contains("NOT shrunk: the case did not fail again when replayed");
    }

    @Test
    void aStackOverflow_isAFailureOfTheCase() {
        Counterexample e = falsify(Gen.ints(0, 100_000), n -> {
            if (n >= 50) {
                throw new StackOverflowError("pretend");
            }
        });
        assertThat(e.value()).isEqualTo(50);
        assertThat(e.getCause()).isInstanceOf(StackOverflowError.class);
    }

    @Test
    void aFilterThatRejectsEverything_saysSo() {
        assertThatThrownBy(() -> Explore.tries(10).seed(1).forAll(Gen.longs(0, 10).filter(v -> v > 10), v -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seed 1")
                .hasMessageContaining("Gen.filter rejected 100 values in a row");
    }

    @Test
    void aSourceKeptPastItsComposeFunction_isRefused() {
        List<Gen.Source> kept = new ArrayList<>();
        Explore.tries(1).forAll(Gen.compose(src -> kept.add(src)), v -> { });
        assertThatThrownBy(() -> kept.get(0).draw(Gen.longs(0, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only inside the Gen.compose function");
    }

    @Test
    void badArguments_areRefusedWithTheirReason() {
        assertThatThrownBy(() -> Explore.tries(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tries is 0");
        assertThatThrownBy(() -> Gen.longs(5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min is greater than max");
        assertThatThrownBy(() -> Gen.ints(5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gen.longs(0, 1).list(-1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gen.longs(0, 1).list(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gen.oneOf(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gen.frequency(entry(0, Gen.constant(1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight 0");
        assertThatThrownBy(() -> Explore.tries(1).forAll(null, v -> { })).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Explore.tries(1).forAll(Gen.constant(1), null)).isInstanceOf(NullPointerException.class);
    }
}
