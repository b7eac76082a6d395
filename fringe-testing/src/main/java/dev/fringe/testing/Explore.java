// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Random exploration of a property: how many cases to try and from which seed, and
 * {@link #forAll} to run them. When a case fails, it is shrunk to a minimal failing case and
 * reported in a {@link Counterexample} with the seed that replays the run.
 *
 * <pre>{@code
 * Explore.tries(500).forAll(Gen.words().list(0, 64), inputs ->
 *         Differential.compare(model, subject, toArray(inputs)).assertSameTraces());
 * }</pre>
 *
 * <p><b>Replay.</b> Every run draws its cases from one seed. Without {@link #seed(long)}, the
 * seed is the system property {@value #SEED_PROPERTY} if set, otherwise a new random one. A
 * failure prints its seed: run the same test again with
 * {@code -Dfringe.testing.seed=<seed>} (Maven passes {@code -D} options to the tests), or
 * with {@code .seed(<seed>)} in the code, and the same cases come in the same order, provided
 * the property is deterministic. The first case of every run is the simplest value of the gen
 * (every choice at its simplest), when the gen can make it.
 *
 * <p><b>Shrinking</b> (see {@link Gen}) keeps a smaller case only if the property fails on it
 * with the same class of exception as on the original, so that it does not drift to another
 * bug; it stops after {@value #SHRINK_ATTEMPTS} attempts, saying so in the report.
 *
 * <p><b>Thread safety.</b> Immutable and thread-safe; {@link #forAll} runs every case on the
 * calling thread, and concurrent calls are independent.
 */
public final class Explore {
    /** The system property that gives the seed of runs without {@link #seed(long)}. */
    public static final String SEED_PROPERTY = "fringe.testing.seed";
    /** The number of tries of {@link Differential#explore(ModelBody, java.util.function.Supplier)}. */
    public static final int DEFAULT_TRIES = 1000;
    /** The most property runs shrinking spends on one failure. */
    public static final int SHRINK_ATTEMPTS = 5000;

    private final int tries;
    private final boolean seeded;
    private final long seed;

    private Explore(int tries, boolean seeded, long seed) {
        this.tries = tries;
        this.seeded = seeded;
        this.seed = seed;
    }

    /**
     * Returns an exploration of {@code tries} random cases (unless one fails first).
     *
     * @param tries the number of cases, at least 1
     * @return the exploration, seeded by {@value #SEED_PROPERTY} or at random
     * @throws IllegalArgumentException if {@code tries < 1}
     */
    public static Explore tries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries is " + tries + ": give at least 1");
        }
        return new Explore(tries, false, 0);
    }

    /**
     * Returns this exploration with a fixed seed, which wins over {@value #SEED_PROPERTY}.
     *
     * @param seed the seed, e.g. the one a {@link Counterexample} printed
     * @return a new exploration; this one is unchanged
     */
    public Explore seed(long seed) {
        return new Explore(tries, true, seed);
    }

    /**
     * Tries {@code property} on cases drawn from {@code cases}; a case fails when the property
     * throws anything (an {@link AssertionError}, an exception). Returns normally if every case
     * passed.
     *
     * @param cases    the gen of cases
     * @param property checks one case, by throwing if it fails
     * @param <T>      the type of the cases
     * @throws Counterexample           if a case failed: the shrunk case, the seed, and what
     *                                  the shrunk case threw as its cause
     * @throws IllegalStateException    if the gen cannot make a case (a {@link Gen#filter}
     *                                  that rejects everything)
     * @throws IllegalArgumentException if {@value #SEED_PROPERTY} is set but not a number
     * @throws VirtualMachineError      if the property ran out of memory or the like (a stack
     *                                  overflow is a failure of the case instead)
     */
    public <T> void forAll(Gen<T> cases, Consumer<? super T> property) {
        Objects.requireNonNull(cases, "cases");
        Objects.requireNonNull(property, "property");
        long runSeed = seeded ? seed : seedFromProperty();
        // Mixed first: SplittableRandom's streams from seeds a golden gamma apart overlap.
        SplittableRandom master = new SplittableRandom(mix(runSeed));
        for (int t = 1; t <= tries; t++) {
            Shrinker.Attempt<T> attempt = t == 1 ? simplest(cases, property) : null;
            if (attempt == null) {
                attempt = generate(cases, property, master.split(), t, runSeed);
            }
            if (attempt.failure != null) {
                throw shrink(cases, property, attempt, t, runSeed);
            }
        }
    }

    /** The finalizer of MurmurHash3: every bit of the seed affects every bit of the result. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long seedFromProperty() {
        String value = System.getProperty(SEED_PROPERTY);
        if (value == null || value.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + value
                    + " is not a seed: give the number a failure printed, e.g. -D" + SEED_PROPERTY + "=42", e);
        }
    }

    /** The case made of no choices at all (each one 0), or null if the gen cannot make it. */
    private static <T> Shrinker.Attempt<T> simplest(Gen<T> cases, Consumer<? super T> property) {
        return Shrinker.replay(cases, property, new long[0]);
    }

    private static <T> Shrinker.Attempt<T> generate(Gen<T> cases, Consumer<? super T> property,
            SplittableRandom random, int t, long runSeed) {
        Choices choices = Choices.generating(random);
        T value;
        try {
            value = cases.drawFrom(choices);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("could not make case " + t + " (seed " + runSeed + "): " + e.getMessage(), e);
        } finally {
            choices.close();
        }
        return new Shrinker.Attempt<>(choices.row(), value, choices, Shrinker.evaluate(property, value));
    }

    private <T> Counterexample shrink(Gen<T> cases, Consumer<? super T> property, Shrinker.Attempt<T> failing, int t,
            long runSeed) {
        Shrinker<T> shrinker = new Shrinker<>(cases, property, failing, SHRINK_ATTEMPTS);
        Shrinker.Attempt<T> again = shrinker.replay(failing.row);
        boolean reproducible = again != null && again.failure != null;
        if (reproducible) {
            shrinker.shrink();
        }
        Shrinker.Attempt<T> shrunk = shrinker.current();
        return new Counterexample(runSeed, t, tries, shrunk.value, failing.value, shrinker.steps(),
                shrinker.attempts(), shrinker.exhausted(), reproducible, shrunk.failure);
    }
}
