// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Shrinks a failing case by editing the row of choices it was drawn from (see {@link Choices}):
 * an edit is kept when the replayed case still fails, with the same class of exception, and its
 * row is smaller: shorter, or as long and lower at the first difference (unsigned). Rows only
 * ever get smaller, so shrinking ends; a budget of attempts bounds it. Not thread-safe: one per
 * failing case.
 */
/*
 * Passes, repeated until a round of all of them changes nothing:
 *   1. delete runs of k consecutive list elements (siblings), k = largest power of two first;
 *   2. delete any single span (a drawn value, a rejected filter attempt), alone or with the
 *      choice before it lowered by one (a size drawn before the elements it counts);
 *   3. set a span's choices to 0 (its simplest value);
 *   4. lower each choice: to 0, else the least value a binary search finds still failing.
 * Runs are tried from the end of the row towards its start: deleting near the end leaves the
 * spans before it where they were, so the scan goes on without recomputing positions.
 */
final class Shrinker<T> {
    /** A case: its row, the value drawn from it, the spans, and how the property failed. */
    static final class Attempt<T> {
        final long[] row;
        final T value;
        final Choices choices;
        final Throwable failure;

        Attempt(long[] row, T value, Choices choices, Throwable failure) {
            this.row = row;
            this.value = value;
            this.choices = choices;
            this.failure = failure;
        }
    }

    private final Gen<T> gen;
    private final Consumer<? super T> property;
    private final Class<?> failureClass;
    private final int budget;
    private Attempt<T> current;
    private int steps;
    private int attempts;

    Shrinker(Gen<T> gen, Consumer<? super T> property, Attempt<T> failing, int budget) {
        this.gen = gen;
        this.property = property;
        this.failureClass = failing.failure.getClass();
        this.current = failing;
        this.budget = budget;
    }

    /** Runs {@code property} on a value; returns what it threw, or null. */
    static <T> Throwable evaluate(Consumer<? super T> property, T value) {
        try {
            property.accept(value);
            return null;
        } catch (VirtualMachineError e) {
            if (e instanceof StackOverflowError) {
                return e;
            }
            throw e; // out of memory, an internal error: not a verdict about the case
        } catch (Throwable t) {
            return t;
        }
    }

    /** Replays a row and counts the attempt; see {@link #replay(Gen, Consumer, long[])}. */
    Attempt<T> replay(long[] row) {
        attempts++;
        return replay(gen, property, row);
    }

    /**
     * Replays a row: returns the case it decodes to, with a null failure if the property held,
     * or null if the row decodes to no case: too long, rejected by a filter, or refused by a
     * function of the gen (an edited row can make values the gen never made at random, and an
     * exception there says the edit is not a case, not that the property failed).
     */
    static <T> Attempt<T> replay(Gen<T> gen, Consumer<? super T> property, long[] row) {
        Choices choices = Choices.replaying(row);
        T value;
        try {
            value = gen.drawFrom(choices);
        } catch (RuntimeException e) {
            return null;
        } finally {
            choices.close();
        }
        return new Attempt<>(choices.row(), value, choices, evaluate(property, value));
    }

    Attempt<T> current() {
        return current;
    }

    int steps() {
        return steps;
    }

    int attempts() {
        return attempts;
    }

    boolean exhausted() {
        return attempts >= budget;
    }

    /** Shrinks until no pass makes progress or the budget is spent. */
    void shrink() {
        boolean progress = true;
        while (progress && !exhausted()) {
            progress = deleteElementRuns();
            progress |= deleteSpans();
            progress |= zeroSpans();
            progress |= lowerChoices();
        }
    }

    private boolean accept(long[] candidate) {
        if (exhausted() || !smaller(candidate, current.row)) {
            return false;
        }
        Attempt<T> a = replay(candidate);
        if (a == null || a.failure == null || a.failure.getClass() != failureClass || !smaller(a.row, current.row)) {
            return false;
        }
        current = a;
        steps++;
        return true;
    }

    /** Shortlex order: shorter first, then lower at the first difference, unsigned. */
    static boolean smaller(long[] a, long[] b) {
        if (a.length != b.length) {
            return a.length < b.length;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Long.compareUnsigned(a[i], b[i]) < 0;
            }
        }
        return false;
    }

    private static long[] without(long[] row, int from, int to) {
        long[] out = new long[row.length - (to - from)];
        System.arraycopy(row, 0, out, 0, from);
        System.arraycopy(row, to, out, from, row.length - to);
        return out;
    }

    /** Pass 1: runs of consecutive list elements, longest first, scanning from the end. */
    private boolean deleteElementRuns() {
        boolean any = false;
        for (int k = Integer.highestOneBit(Math.max(1, largestSiblingGroup())); k >= 1; k /= 2) {
            int limit = Integer.MAX_VALUE; // only runs starting before this choice are left to try
            boolean deleted = true;
            while (deleted && !exhausted()) {
                deleted = false;
                for (int[] run : elementRuns(k)) {
                    if (run[0] >= limit) {
                        continue;
                    }
                    limit = run[0];
                    if (accept(without(current.row, run[0], run[1]))) {
                        any = deleted = true;
                        break;
                    }
                }
            }
        }
        return any;
    }

    /** The element spans grouped by parent, in row order. */
    private List<List<Integer>> siblingGroups() {
        Choices c = current.choices;
        List<List<Integer>> groups = new ArrayList<>();
        int[] groupOf = new int[c.spanCount() + 1];
        Arrays.fill(groupOf, -1);
        for (int s = 0; s < c.spanCount(); s++) {
            if (!c.spanIsElement(s)) {
                continue;
            }
            int parent = c.spanParent(s) + 1; // -1 (top level) becomes 0
            if (groupOf[parent] < 0) {
                groupOf[parent] = groups.size();
                groups.add(new ArrayList<>());
            }
            groups.get(groupOf[parent]).add(s);
        }
        return groups;
    }

    private int largestSiblingGroup() {
        int largest = 0;
        for (List<Integer> g : siblingGroups()) {
            largest = Math.max(largest, g.size());
        }
        return largest;
    }

    /** Choice ranges of k consecutive siblings, latest start first. */
    private List<int[]> elementRuns(int k) {
        Choices c = current.choices;
        List<int[]> runs = new ArrayList<>();
        for (List<Integer> group : siblingGroups()) {
            for (int i = 0; i + k <= group.size(); i++) {
                runs.add(new int[] {c.spanStart(group.get(i)), c.spanEnd(group.get(i + k - 1))});
            }
        }
        runs.sort((a, b) -> Integer.compare(b[0], a[0]));
        return runs;
    }

    /** Pass 2: any single span, scanning from the end. */
    private boolean deleteSpans() {
        boolean any = false;
        int limit = Integer.MAX_VALUE;
        boolean deleted = true;
        while (deleted && !exhausted()) {
            deleted = false;
            Choices c = current.choices;
            for (int s = c.spanCount() - 1; s >= 0; s--) {
                int from = c.spanStart(s);
                int to = c.spanEnd(s);
                if (from >= limit || from == to) {
                    continue;
                }
                limit = from;
                long[] candidate = without(current.row, from, to);
                if (accept(candidate) || accept(lowerBefore(candidate, from))) {
                    any = deleted = true;
                    break;
                }
            }
        }
        return any;
    }

    /**
     * The row with the last nonzero choice before {@code index} lowered by one: after deleting
     * an element of a list whose size was drawn before it ({@code ints(1, 10).flatMap(n ->
     * gen.list(n, n))}), the size must shrink too, or the list reads on past its end.
     */
    private static long[] lowerBefore(long[] row, int index) {
        for (int i = Math.min(index, row.length) - 1; i >= 0; i--) {
            if (row[i] != 0) {
                return with(row, i, row[i] - 1);
            }
        }
        return row;
    }

    /** Pass 3: a span's choices all set to 0, the simplest value its gen has. */
    private boolean zeroSpans() {
        boolean any = false;
        for (int s = 0; s < current.choices.spanCount() && !exhausted(); s++) {
            Choices c = current.choices;
            int from = c.spanStart(s);
            int to = c.spanEnd(s);
            if (to - from < 2 || to > current.row.length) {
                continue;
            }
            long[] candidate = current.row.clone();
            boolean nonzero = false;
            for (int i = from; i < to; i++) {
                nonzero |= candidate[i] != 0;
                candidate[i] = 0;
            }
            if (nonzero && accept(candidate)) {
                any = true;
            }
        }
        return any;
    }

    /** Pass 4: each choice lowered to 0, or as far as a binary search finds it still failing. */
    private boolean lowerChoices() {
        boolean any = false;
        for (int i = 0; i < current.row.length && !exhausted(); i++) {
            long v = current.row[i];
            if (v == 0) {
                continue;
            }
            if (accept(with(current.row, i, 0))) {
                any = true;
                continue;
            }
            long lo = 0; // passes (or is not smaller)
            long hi = v; // fails
            while (Long.compareUnsigned(hi - lo, 1) > 0 && !exhausted()) {
                long mid = lo + ((hi - lo) >>> 1);
                if (accept(with(current.row, i, mid))) {
                    any = true;
                    if (i >= current.row.length || current.row[i] != mid) {
                        break; // the row changed shape around i: move on
                    }
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
        }
        return any;
    }

    private static long[] with(long[] row, int i, long v) {
        long[] out = row.clone();
        out[i] = v;
        return out;
    }
}
