// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A recipe for random values of type {@code T} that also knows how to shrink them: the cases
 * {@link Explore#forAll Explore.forAll} tries and {@link Differential#explore
 * Differential.explore} feeds to native generators.
 *
 * <pre>{@code
 * Gen<List<Long>> inputs = Gen.words().list(0, 64);              // rows of machine words
 * Gen<Long> small = Gen.longs(0, 10);
 * Gen<Op> op = Gen.oneOf(Op.values());
 * Gen<Step> step = Gen.compose(src -> new Step(src.draw(op), src.draw(small)));
 * Gen<List<Step>> program = step.list(0, 24);
 * }</pre>
 *
 * <p><b>Shrinking.</b> A gen makes every decision by drawing a number, and each case remembers
 * the numbers it was made of. To shrink a failing case, {@link Explore} deletes runs of those
 * numbers (list elements first) and lowers the others, replays the gen on each edited row, and
 * keeps any edit after which the property still fails. So shrinking needs no code of its own,
 * through {@link #map}, {@link #filter}, {@link #flatMap} and {@link #compose} alike, and every
 * gen shrinks towards its simplest value: numbers towards 0 (or the bound nearest to it),
 * {@link #oneOf} and {@link #frequency} towards their first alternative, lists towards fewer
 * elements. Order alternatives simplest first.
 *
 * <p><b>Generation</b> is biased, as property testers usually are: numbers are often a bound,
 * 0, or small; lists are often empty or full. The same seed makes the same values.
 *
 * <p><b>Thread safety.</b> Immutable: a gen may be kept in a static field and used by any
 * number of threads at once, provided the functions given to it are thread-safe.
 *
 * @param <T> the type of the values
 */
public final class Gen<T> {
    /**
     * Where {@link #compose} functions draw their parts from.
     *
     * <p><b>Thread safety.</b> Not thread-safe: use it on the thread that called the function,
     * and only until the function returns.
     */
    public sealed interface Source permits Choices {
        /**
         * Draws a value from {@code gen}; what it draws shrinks as part of the composed value.
         *
         * @param gen the gen to draw from
         * @param <U> the type of its values
         * @return the value
         * @throws IllegalStateException if used after the compose function returned
         */
        <U> U draw(Gen<U> gen);
    }

    /** Attempts of {@link #filter} before it gives up on a case. */
    static final int FILTER_ATTEMPTS = 100;

    private final Function<Choices, ? extends T> body;

    private Gen(Function<Choices, ? extends T> body) {
        this.body = body;
    }

    /** Draws one value, recording the span of choices it read. */
    T drawFrom(Choices choices) {
        int span = choices.begin(false);
        T value = body.apply(choices);
        choices.end(span);
        return value;
    }

    // ---- factories --------------------------------------------------------------------------

    /**
     * Returns longs in {@code [min, max]}, shrinking towards the one nearest 0.
     *
     * @param min the smallest value, inclusive
     * @param max the largest value, inclusive
     * @return the gen
     * @throws IllegalArgumentException if {@code min > max}
     */
    public static Gen<Long> longs(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("longs(" + min + ", " + max + "): min is greater than max");
        }
        LongCoding coding = new LongCoding(min, max);
        return new Gen<>(c -> coding.decode(c.choose(coding.maxChoice(), coding::generate)));
    }

    /**
     * Returns ints in {@code [min, max]}, shrinking towards the one nearest 0.
     *
     * @param min the smallest value, inclusive
     * @param max the largest value, inclusive
     * @return the gen
     * @throws IllegalArgumentException if {@code min > max}
     */
    public static Gen<Integer> ints(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("ints(" + min + ", " + max + "): min is greater than max");
        }
        return longs(min, max).map(Long::intValue);
    }

    /**
     * Returns machine words of this platform, as a native body sees its {@code uintptr_t}
     * values: any {@code long} on a 64-bit platform, {@code [0, 2^32)} on a 32-bit one (JNA's
     * {@code Native.POINTER_SIZE}). Mostly small, often 0, 1 or the largest words; shrinks
     * towards 0, reading words as unsigned.
     *
     * @return the gen
     */
    public static Gen<Long> words() {
        return Words.GEN;
    }

    /**
     * Returns always {@code value}.
     *
     * @param value the value
     * @param <T>   its type
     * @return the gen
     */
    public static <T> Gen<T> constant(T value) {
        return new Gen<>(c -> value);
    }

    /**
     * Returns one of {@code values}, each as likely, shrinking towards the first.
     *
     * @param values the alternatives, simplest first
     * @param <T>    their type
     * @return the gen
     * @throws IllegalArgumentException if there are none
     * @throws NullPointerException     if {@code values} is or holds {@code null}
     */
    @SafeVarargs
    public static <T> Gen<T> oneOf(T... values) {
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) { // not Arrays.asList: passing the array on is what -Xlint warns of
            list.add(value);
        }
        return oneOf(list);
    }

    /**
     * Returns one of {@code values}, each as likely, shrinking towards the first.
     *
     * @param values the alternatives, simplest first; copied
     * @param <T>    their type
     * @return the gen
     * @throws IllegalArgumentException if there are none
     * @throws NullPointerException     if {@code values} is or holds {@code null}
     */
    public static <T> Gen<T> oneOf(List<? extends T> values) {
        List<? extends T> copy = List.copyOf(values);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("oneOf needs at least one value");
        }
        int n = copy.size();
        return new Gen<>(c -> copy.get((int) c.choose(n - 1, r -> r.nextInt(n))));
    }

    /**
     * Returns values of the given gens, each picked with the odds of its weight, shrinking
     * towards the first gen:
     * {@code Gen.frequency(Map.entry(8, Gen.longs(0, 10)), Map.entry(1, Gen.words()))}.
     *
     * @param weighted weights (positive) and gens, simplest first
     * @param <T>      the type of the values
     * @return the gen
     * @throws IllegalArgumentException if there are none, or a weight is not positive
     * @throws NullPointerException     if an entry or gen is {@code null}
     */
    @SafeVarargs
    public static <T> Gen<T> frequency(Map.Entry<Integer, ? extends Gen<? extends T>>... weighted) {
        if (weighted.length == 0) {
            throw new IllegalArgumentException("frequency needs at least one weighted gen");
        }
        int n = weighted.length;
        long[] cumulative = new long[n];
        List<Gen<? extends T>> gens = new ArrayList<>(n);
        long total = 0;
        for (int i = 0; i < n; i++) {
            int weight = weighted[i].getKey();
            if (weight <= 0) {
                throw new IllegalArgumentException("frequency: weight " + weight + " of alternative " + i
                        + " is not positive");
            }
            total += weight;
            cumulative[i] = total;
            gens.add(Objects.requireNonNull(weighted[i].getValue(), "gen"));
        }
        long sum = total;
        return new Gen<>(c -> {
            int i = (int) c.choose(n - 1, r -> {
                long ticket = r.nextLong(sum);
                int k = 0;
                while (cumulative[k] <= ticket) {
                    k++;
                }
                return k;
            });
            return gens.get(i).drawFrom(c);
        });
    }

    /**
     * Returns values built from other gens' values, drawn in order from the {@link Source}:
     * {@code Gen.compose(src -> new Point(src.draw(xs), src.draw(ys)))}. Each part shrinks, and
     * a part's gen may depend on the parts drawn before it.
     *
     * @param build builds a value; must draw all its randomness from the source
     * @param <T>   the type of the values
     * @return the gen
     */
    public static <T> Gen<T> compose(Function<? super Source, ? extends T> build) {
        Objects.requireNonNull(build, "build");
        return new Gen<>(build::apply);
    }

    // ---- combinators ------------------------------------------------------------------------

    /**
     * Returns this gen's values transformed by {@code f}; they shrink as this gen's do.
     *
     * @param f   the transformation
     * @param <R> the type of the results
     * @return the gen
     */
    public <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(c -> f.apply(drawFrom(c)));
    }

    /**
     * Returns values of the gen that {@code f} picks for each value of this one.
     *
     * @param f   picks the gen to draw from
     * @param <R> the type of the results
     * @return the gen
     */
    public <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
        Objects.requireNonNull(f, "f");
        return new Gen<>(c -> f.apply(drawFrom(c)).drawFrom(c));
    }

    /**
     * Returns this gen's values that satisfy {@code accept}, drawing again when one does not.
     * Use it for rare exclusions: generating what is wanted directly is faster.
     *
     * @param accept the condition
     * @return the gen; drawing from it throws {@link IllegalStateException} when
     *         {@value #FILTER_ATTEMPTS} values in a row were rejected
     */
    public Gen<T> filter(Predicate<? super T> accept) {
        Objects.requireNonNull(accept, "accept");
        return new Gen<>(c -> {
            for (int i = 0; i < FILTER_ATTEMPTS; i++) {
                int span = c.begin(true);
                T value = drawFrom(c);
                c.end(span);
                if (accept.test(value)) {
                    return value;
                }
            }
            String what = "Gen.filter rejected " + FILTER_ATTEMPTS + " values in a row";
            if (!c.generating()) {
                throw new Choices.Invalid(what);
            }
            throw new IllegalStateException(what + ": generate the wanted values directly instead");
        });
    }

    /**
     * Returns lists of this gen's values, of {@code minSize} to {@code maxSize} elements, that
     * shrink by losing elements (down to {@code minSize}) and by shrinking elements.
     *
     * @param minSize the fewest elements
     * @param maxSize the most elements
     * @return the gen of unmodifiable lists
     * @throws IllegalArgumentException if {@code minSize < 0} or {@code minSize > maxSize}
     */
    public Gen<List<T>> list(int minSize, int maxSize) {
        if (minSize < 0 || minSize > maxSize) {
            throw new IllegalArgumentException("list(" + minSize + ", " + maxSize
                    + "): sizes must satisfy 0 <= minSize <= maxSize");
        }
        return new Gen<>(c -> {
            // The size aimed at only shapes generation; a replay reads the flags instead.
            int target = c.generating() ? listSize(c.random(), minSize, maxSize) : 0;
            List<T> out = new ArrayList<>();
            while (out.size() < minSize) {
                out.add(drawFrom(c));
            }
            while (true) {
                // "One more?" before each optional element, inside its span: deleting the span
                // deletes the element cleanly, and a 0 (the end of a replayed row) ends the list.
                // A full list reads a last 0 too, so that a list shortened by deleting elements
                // still ends where it did instead of reading on into what follows it.
                int span = c.begin(true);
                int size = out.size();
                if (c.choose(size < maxSize ? 1 : 0, r -> size < target ? 1 : 0) == 0) {
                    c.drop(span);
                    break;
                }
                out.add(drawFrom(c));
                c.end(span);
            }
            return Collections.unmodifiableList(out);
        });
    }

    private static int listSize(SplittableRandom r, int min, int max) {
        int roll = r.nextInt(16);
        if (roll == 0) {
            return min;
        }
        if (roll == 1) {
            return max;
        }
        return min + r.nextInt(max - min + 1);
    }

    /** The machine words of {@link #words()}, built when first used (JNA loads on first use). */
    private static final class Words {
        static final long MASK = Native.POINTER_SIZE == 8 ? -1L : 0xFFFF_FFFFL;
        private static final long[] EDGES = {0, 1, 2, MASK, MASK - 1, MASK >>> 1, (MASK >>> 1) + 1};
        static final Gen<Long> GEN = new Gen<>(c -> c.choose(MASK, Words::generate));

        private static long generate(SplittableRandom r) {
            int roll = r.nextInt(16);
            if (roll < 2) {
                return EDGES[r.nextInt(EDGES.length)];
            }
            if (roll < 8) {
                return r.nextInt(16);
            }
            if (roll < 12) {
                return r.nextInt(1 << 16);
            }
            return r.nextLong() & MASK;
        }
    }

    /**
     * How a long of {@code [min, max]} is drawn: as its distance from the value nearest 0, so
     * that lowering the choice moves the value towards 0. Ranges that hold 0 use the zigzag
     * order 0, -1, 1, -2, 2, ...; a replayed choice outside the range is clamped into it.
     */
    private static final class LongCoding {
        private final long min;
        private final long max;

        LongCoding(long min, long max) {
            this.min = min;
            this.max = max;
        }

        long maxChoice() {
            if (min >= 0 || max <= 0) {
                return max - min; // unsigned
            }
            long a = zigzag(min);
            long b = zigzag(max);
            return Long.compareUnsigned(a, b) >= 0 ? a : b;
        }

        long encode(long v) {
            if (min >= 0) {
                return v - min;
            }
            if (max <= 0) {
                return max - v;
            }
            return zigzag(v);
        }

        long decode(long c) {
            if (min >= 0) {
                return min + c;
            }
            if (max <= 0) {
                return max - c;
            }
            long v = (c >>> 1) ^ -(c & 1);
            return Math.max(min, Math.min(max, v));
        }

        /** Generation: a bound, the target, a value near it, or any value, as a choice. */
        long generate(SplittableRandom r) {
            int roll = r.nextInt(16);
            long v;
            if (roll == 0) {
                v = min;
            } else if (roll == 1) {
                v = max;
            } else if (roll < 8) {
                long c = r.nextLong(33);
                v = decode(Long.compareUnsigned(c, maxChoice()) > 0 ? maxChoice() : c);
            } else {
                v = uniform(r);
            }
            return encode(v);
        }

        private long uniform(SplittableRandom r) {
            long span = max - min;
            if (span >= 0 && span < Long.MAX_VALUE) {
                return min + r.nextLong(span + 1);
            }
            while (true) { // more than half of all longs: rejection ends fast
                long v = r.nextLong();
                if (v >= min && v <= max) {
                    return v;
                }
            }
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }
    }
}
