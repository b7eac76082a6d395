// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * The random choices one case is made of: every decision a {@link Gen} takes is a number drawn
 * here, and recorded. A case is generated from a random source, or replayed from a recorded row
 * of choices (that the {@link Shrinker} has edited). Not thread-safe: one per case.
 */
/*
 * Why choices, not values: shrinking edits the recorded row (deletes runs, lowers numbers) and
 * runs the generator again on the edited row. Every combinator (map, filter, flatMap, compose)
 * shrinks for free this way, and the generator decides what a shorter row means. Two rules make
 * edited rows decode sensibly:
 *   - 0 is every decision's simplest outcome (the first alternative, the smallest number, "no
 *     more elements"), so lowering a choice simplifies the case;
 *   - a replay past the end of the row reads 0, and a number above what a decision allows is
 *     clamped to the largest it allows.
 * Spans: every draw of a Gen records the range of choices it read, and its parent span; a
 * list element's span includes the flag before it, so deleting that span removes the element
 * and nothing else.
 */
final class Choices implements Gen.Source {
    /** A generator that draws more than this many numbers for one case is runaway. */
    static final int MAX_CHOICES = 1 << 20;

    /** The replayed row does not decode to a case (too long, or a filter rejected it). */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final SplittableRandom random; // null when replaying
    private final long[] prefix;           // the row being replayed; empty when generating
    private long[] row = new long[32];
    private int size;

    // Spans, in the order they were opened: [start, end) in the row, parent span, kind.
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    private int[] parents = new int[32];
    private boolean[] elements = new boolean[32];
    private int spans;
    private int open = -1;
    private boolean closed;

    private Choices(SplittableRandom random, long[] prefix) {
        this.random = random;
        this.prefix = prefix;
    }

    static Choices generating(SplittableRandom random) {
        return new Choices(random, new long[0]);
    }

    static Choices replaying(long[] row) {
        return new Choices(null, row);
    }

    boolean generating() {
        return random != null;
    }

    /** The random source, for biases that only shape generation (never read when replaying). */
    SplittableRandom random() {
        if (random == null) {
            throw new IllegalStateException("no random source while replaying");
        }
        return random;
    }

    /**
     * Draws a number in [0, max] ({@code max} unsigned: -1 means every 64-bit value): from
     * {@code generate} when generating, from the replayed row otherwise.
     */
    long choose(long max, ToLongFunction<SplittableRandom> generate) {
        if (closed) {
            throw new IllegalStateException("a Gen.Source was used after its case was drawn: use it only inside the Gen.compose function");
        }
        long v;
        if (random != null) {
            v = generate.applyAsLong(random);
            if (Long.compareUnsigned(v, max) > 0) {
                throw new AssertionError("generated " + Long.toUnsignedString(v) + " above " + Long.toUnsignedString(max));
            }
        } else {
            v = size < prefix.length ? prefix[size] : 0;
            if (Long.compareUnsigned(v, max) > 0) {
                v = max;
            }
        }
        if (size == MAX_CHOICES) {
            String what = "a case drew more than " + MAX_CHOICES + " random choices";
            if (random == null) {
                throw new Invalid(what);
            }
            throw new IllegalStateException(what + ": a generator recurses or repeats without end");
        }
        if (size == row.length) {
            row = Arrays.copyOf(row, size * 2);
        }
        row[size++] = v;
        return v;
    }

    @Override
    public <T> T draw(Gen<T> gen) {
        if (closed) {
            throw new IllegalStateException("a Gen.Source was used after its case was drawn: use it only inside the Gen.compose function");
        }
        return gen.drawFrom(this);
    }

    /** Opens a span; {@code element}: a list element with its flag, deletable as a whole. */
    int begin(boolean element) {
        if (spans == starts.length) {
            int n = spans * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            parents = Arrays.copyOf(parents, n);
            elements = Arrays.copyOf(elements, n);
        }
        starts[spans] = size;
        ends[spans] = -1;
        parents[spans] = open;
        elements[spans] = element;
        open = spans;
        return spans++;
    }

    void end(int span) {
        ends[span] = size;
        open = parents[span];
    }

    /** Forgets an open span that read nothing worth keeping (the stop flag of a list). */
    void drop(int span) {
        if (span != spans - 1) {
            throw new AssertionError("only the last span can be dropped");
        }
        open = parents[span];
        spans--;
    }

    /** Marks the end of the case: a {@code Gen.Source} kept past its function fails. */
    void close() {
        closed = true;
    }

    long[] row() {
        return Arrays.copyOf(row, size);
    }

    int spanCount() {
        return spans;
    }

    int spanStart(int span) {
        return starts[span];
    }

    /** The end of a span, exclusive; a span left open by an exception ends where the row ends. */
    int spanEnd(int span) {
        return ends[span] < 0 ? size : ends[span];
    }

    int spanParent(int span) {
        return parents[span];
    }

    boolean spanIsElement(int span) {
        return elements[span];
    }
}
