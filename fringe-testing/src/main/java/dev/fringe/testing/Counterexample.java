// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import java.util.Arrays;

/**
 * The failure of an {@link Explore#forAll exploration}: the case that failed, shrunk, the seed
 * that replays the run, and (as its {@linkplain #getCause() cause}) what the shrunk case threw.
 * Its message says all of it, for example:
 *
 * <pre>
 * property falsified by try 2 of 1000 (seed -1237921632508079291), shrunk in 70 steps to:
 *   [0, 1, 1]
 * replay: -Dfringe.testing.seed=-1237921632508079291, or Explore.tries(1000).seed(-1237921632508079291L)
 * first failing case, before shrinking:
 *   [6, 9, -2498957466663206967, 0, 16991, 2438271369535950495, 638213231622731265, 3, 8]
 * the shrunk case fails with:
 * native generator diverges from Java model on continuation at step 2 (resume #3 of 3, input 1):
 *      step  input  Java model on continuation  native generator
 *         0  0      0 [RUNNABLE]                0 [RUNNABLE]
 *         1  1      1 [RUNNABLE]                1 [RUNNABLE]
 *   &gt;&gt;    2  1      3 [RUNNABLE]                2 [RUNNABLE]
 * </pre>
 *
 * Cases print with {@code toString()} (arrays element by element), so give case types a
 * readable one; long ones are abbreviated.
 *
 * <p><b>Thread safety.</b> Immutable once thrown. The cases themselves are not serialized: a
 * deserialized instance keeps the message and the numbers, with null cases.
 */
public final class Counterexample extends AssertionError {
    private static final long serialVersionUID = 1L;
    /** Cases longer than this print abbreviated; the whole case is in {@link #value()}. */
    private static final int PRINTED = 2000;

    /** The seed of the run. */
    private final long seed;
    /** The first try that failed, from 1. */
    private final int failedTry;
    /** Smaller failing cases found while shrinking. */
    private final int shrinkSteps;
    private final transient Object value;
    private final transient Object original;

    Counterexample(long seed, int failedTry, int tries, Object value, Object original, int shrinkSteps, int attempts,
            boolean exhausted, boolean reproducible, Throwable failure) {
        super(message(seed, failedTry, tries, value, original, shrinkSteps, attempts, exhausted, reproducible, failure),
                failure);
        this.seed = seed;
        this.failedTry = failedTry;
        this.shrinkSteps = shrinkSteps;
        this.value = value;
        this.original = original;
    }

    /**
     * Returns the seed of the run: {@code Explore.seed(seed)} or
     * {@code -Dfringe.testing.seed=seed} replays it.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns which try failed first, counting from 1.
     *
     * @return the number of the try
     */
    public int failedTry() {
        return failedTry;
    }

    /**
     * Returns how many times shrinking found a smaller failing case.
     *
     * @return the number of shrinking steps, 0 if the first failing case was already minimal
     */
    public int shrinkSteps() {
        return shrinkSteps;
    }

    /**
     * Returns the shrunk case, as the gen made it (cast it to the type of the gen).
     *
     * @return the case, or {@code null} after deserialization
     */
    public Object value() {
        return value;
    }

    /**
     * Returns the first failing case, before shrinking.
     *
     * @return the case, or {@code null} after deserialization
     */
    public Object original() {
        return original;
    }

    private static String message(long seed, int failedTry, int tries, Object value, Object original, int steps,
            int attempts, boolean exhausted, boolean reproducible, Throwable failure) {
        StringBuilder sb = new StringBuilder("property falsified by try ").append(failedTry).append(" of ").append(tries)
                .append(" (seed ").append(seed).append(")");
        if (!reproducible) {
            sb.append(", NOT shrunk: the case did not fail again when replayed, so the property depends on more"
                    + " than its case (state kept between runs, time, threads); the case:");
        } else {
            sb.append(", shrunk in ").append(steps).append(steps == 1 ? " step" : " steps");
            if (exhausted) {
                sb.append(" (stopped at the limit of ").append(attempts).append(" runs; it may shrink further)");
            }
            sb.append(" to:");
        }
        sb.append(System.lineSeparator()).append("  ").append(print(value));
        sb.append(System.lineSeparator()).append("replay: -D").append(Explore.SEED_PROPERTY).append('=').append(seed)
                .append(", or Explore.tries(").append(tries).append(").seed(").append(seed).append("L)");
        if (reproducible && steps > 0) {
            sb.append(System.lineSeparator()).append("first failing case, before shrinking:")
                    .append(System.lineSeparator()).append("  ").append(print(original));
        }
        sb.append(System.lineSeparator()).append("the ").append(reproducible ? "shrunk " : "").append("case fails with:")
                .append(System.lineSeparator()).append(describe(failure));
        return sb.toString();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof AssertionError && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return failure.toString();
    }

    /** A case as text: {@code toString()}, arrays element by element, abbreviated when long. */
    static String print(Object value) {
        String text;
        if (value instanceof Object[]) {
            text = Arrays.deepToString((Object[]) value);
        } else if (value != null && value.getClass().isArray()) {
            text = Arrays.deepToString(new Object[] {value});
            text = text.substring(1, text.length() - 1);
        } else {
            text = String.valueOf(value);
        }
        if (text.length() > PRINTED) {
            text = text.substring(0, PRINTED) + "... (" + (text.length() - PRINTED) + " more characters)";
        }
        return text;
    }
}
