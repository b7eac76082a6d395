// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link Shrinker} from a given failing row: its order, and rows that decode to no case. */
class ShrinkerTest {

    private static <T> Shrinker<T> shrinkerFrom(Gen<T> gen, Consumer<? super T> property, long... row) {
        Shrinker.Attempt<T> failing = Shrinker.replay(gen, property, row);
        assertThat(failing.failure).as("the starting row fails").isNotNull();
        Shrinker<T> shrinker = new Shrinker<>(gen, property, failing, Explore.SHRINK_ATTEMPTS);
        shrinker.shrink();
        return shrinker;
    }

    @Test
    void rowsAreOrderedShortestFirst_thenByTheirFirstDifference_unsigned() {
        assertThat(Shrinker.smaller(new long[] {9}, new long[] {0, 0})).isTrue();
        assertThat(Shrinker.smaller(new long[] {0, 5}, new long[] {1, 0})).isTrue();
        assertThat(Shrinker.smaller(new long[] {Long.MAX_VALUE}, new long[] {-1})).as("-1 is the largest").isTrue();
        assertThat(Shrinker.smaller(new long[] {3}, new long[] {3})).isFalse();
    }

    @Test
    void anEditedRowThatTheGenRefuses_isSkipped_notReportedAsTheFailure() {
        // Lowering 700 tries 0 first: the gen's own function refuses it. That says the edit is
        // no case; shrinking goes on past it.
        Gen<Long> refusesSmall = Gen.longs(0, 1000).map(v -> {
            if (v < 300) {
                throw new IllegalArgumentException("refused " + v);
            }
            return v;
        });
        Shrinker<Long> shrinker = shrinkerFrom(refusesSmall, v -> assertThat(v).isLessThan(500), 700);

        assertThat(shrinker.current().value).isEqualTo(500L);
        assertThat(shrinker.exhausted()).isFalse();
    }

    @Test
    void theBudget_boundsTheRunsOfTheProperty() {
        Gen<List<Long>> lists = Gen.words().list(0, 64);
        Shrinker.Attempt<List<Long>> failing = Shrinker.replay(lists, l -> assertThat(l).isEmpty(),
                new long[] {1, -1, 1, -1, 1, -1, 0});
        Shrinker<List<Long>> shrinker = new Shrinker<>(lists, l -> assertThat(l).isEmpty(), failing, 3);
        shrinker.shrink();

        assertThat(shrinker.attempts()).isEqualTo(3);
        assertThat(shrinker.exhausted()).isTrue();
    }
}
