// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import java.util.List;
import java.util.OptionalInt;

/**
 * The outcome of {@link Differential#compare}: the trace of the Java model, the trace of the
 * subject (the native generator, or a Java body on a backend under test), and where they first
 * differ. Immutable and thread-safe.
 *
 * <p>{@link #toString()} prints both traces side by side and marks the first divergence, here
 * of a model that suspends a running sum off by one on its third resume:
 *
 * <pre>
 * native generator diverges from Java model on continuation at step 2 (resume #3 of 4, input 3):
 *      step  input  Java model on continuation       native generator
 *         0  1      1 [RUNNABLE]                     1 [RUNNABLE]
 *         1  2      3 [RUNNABLE]                     3 [RUNNABLE]
 *   &gt;&gt;    2  3      7 [RUNNABLE]                     6 [RUNNABLE]
 *         3  0      finished, returned 6 [FINISHED]  finished, returned 6 [FINISHED]
 * </pre>
 *
 * Each cell is what that resume returned (a value, {@code finished, returned r},
 * {@code threw ...} or {@code empty}) and the state after it. Traces longer than 40 steps print
 * their first steps and those around the divergence.
 */
public final class Comparison {
    /** Traces up to this length print in full; longer ones around the divergence only. */
    private static final int PRINT_ALL = 40;
    private static final int HEAD = 3;
    private static final int BEFORE = 10;
    private static final int AFTER = 5;

    private final Trace model;
    private final Trace nativ;
    private final int divergence;

    Comparison(Trace model, Trace nativ) {
        if (model.steps().size() != nativ.steps().size()) {
            throw new IllegalArgumentException("traces of different lengths: " + model.steps().size() + " and "
                    + nativ.steps().size());
        }
        this.model = model;
        this.nativ = nativ;
        int first = -1;
        for (int i = 0; i < model.steps().size(); i++) {
            if (!model.steps().get(i).equals(nativ.steps().get(i))) {
                first = i;
                break;
            }
        }
        this.divergence = first;
    }

    /**
     * Returns whether every step agrees: same outputs, same return value, same states, and
     * neither side threw (or both threw alike).
     *
     * @return {@code true} if the traces are equal
     */
    public boolean matches() {
        return divergence < 0;
    }

    /**
     * Returns the index (from 0) of the first step where the traces differ.
     *
     * @return the index into both traces' {@link Trace#steps() steps}, or empty if they match
     */
    public OptionalInt firstDivergence() {
        return divergence < 0 ? OptionalInt.empty() : OptionalInt.of(divergence);
    }

    /**
     * Returns what the Java model did.
     *
     * @return the model's trace
     */
    public Trace modelTrace() {
        return model;
    }

    /**
     * Returns what the subject did: the native generator, or, for
     * {@link Differential#compare(dev.fringe.spi.GeneratorBackend, ModelBody,
     * dev.fringe.spi.GeneratorBackend, ModelBody, long...) two Java bodies}, the subject.
     *
     * @return the subject's trace
     */
    public Trace nativeTrace() {
        return nativ;
    }

    /**
     * Fails unless the traces match.
     *
     * @return this comparison, if the traces match
     * @throws AssertionError with {@link #toString()} as its message if they differ; its cause
     *                        is the exception a side threw at the divergence, if any
     */
    public Comparison assertSameTraces() {
        if (divergence >= 0) {
            AssertionError error = new AssertionError(toString());
            model.steps().get(divergence).failure()
                    .or(() -> nativ.steps().get(divergence).failure())
                    .ifPresent(error::initCause);
            throw error;
        }
        return this;
    }

    /**
     * Describes the result in one line, then prints both traces side by side (around the
     * divergence, for long traces), marking the first divergence with {@code >>}.
     */
    @Override
    public String toString() {
        List<Trace.Step> left = model.steps();
        List<Trace.Step> right = nativ.steps();
        int n = left.size();
        StringBuilder sb = new StringBuilder(nativ.engine());
        if (divergence < 0) {
            sb.append(" matches ").append(model.engine()).append(" over ").append(n)
                    .append(n == 1 ? " resume" : " resumes").append(':');
        } else {
            sb.append(" diverges from ").append(model.engine()).append(" at step ").append(divergence)
                    .append(" (resume #").append(divergence + 1).append(" of ").append(n).append(", input ")
                    .append(Trace.word(left.get(divergence).input())).append("):");
        }
        int stepWidth = Math.max(4, Integer.toString(Math.max(n - 1, 0)).length());
        int inputWidth = "input".length();
        int modelWidth = model.engine().length();
        for (int i = 0; i < n; i++) {
            if (shown(i, n)) {
                inputWidth = Math.max(inputWidth, Trace.word(left.get(i).input()).length());
                modelWidth = Math.max(modelWidth, left.get(i).outcome().length());
            }
        }
        String format = "%n%-5s%" + stepWidth + "s  %-" + inputWidth + "s  %-" + modelWidth + "s  %s";
        sb.append(String.format(format, "", "step", "input", model.engine(), nativ.engine()));
        int skipped = 0;
        for (int i = 0; i < n; i++) {
            if (!shown(i, n)) {
                skipped++;
                continue;
            }
            if (skipped > 0) {
                sb.append(String.format("%n%-5s... %d more step%s", "", skipped, skipped == 1 ? "" : "s"));
                skipped = 0;
            }
            sb.append(String.format(format, i == divergence ? "  >>" : "", i, Trace.word(left.get(i).input()),
                    left.get(i).outcome(), right.get(i).outcome()));
        }
        if (skipped > 0) {
            sb.append(String.format("%n%-5s... %d more step%s", "", skipped, skipped == 1 ? "" : "s"));
        }
        return sb.toString();
    }

    private boolean shown(int i, int n) {
        if (n <= PRINT_ALL) {
            return true;
        }
        if (divergence < 0) {
            return i < BEFORE || i >= n - BEFORE;
        }
        return i < HEAD || (i >= divergence - BEFORE && i <= divergence + AFTER);
    }
}
