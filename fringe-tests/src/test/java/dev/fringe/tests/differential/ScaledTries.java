// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import dev.fringe.testing.Explore;

/**
 * The number of cases of a differential property, scaled with the suite's usual knobs:
 * {@code -Dfringe.test.scale=N} multiplies (long runs), {@code -Dfringe.test.divisor=N} divides
 * (runs under emulation). The count in the test is the CI default.
 */
final class ScaledTries {
    private ScaledTries() {}

    /** Returns {@code n} scaled by {@code fringe.test.scale} and {@code fringe.test.divisor}, at least 1. */
    static int scaled(int n) {
        long scaled = (long) n * Integer.getInteger("fringe.test.scale", 1) / Integer.getInteger("fringe.test.divisor", 1);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, scaled));
    }

    /** Returns an exploration of {@code n} cases, {@linkplain #scaled scaled}. */
    static Explore explore(int n) {
        return Explore.tries(scaled(n));
    }
}
