// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.samples;

import dev.fringe.Yielder;
import java.util.List;

/** Hands its yielder to JDK code, in a method reference and in a lambda: both refused. */
public final class ForEachBody {
    private ForEachBody() {}

    /** {@code forEach} calls {@code Consumer.accept}, which no transformer can make resumable. */
    public static void eachByReference(Yielder<Integer, Integer> y, List<Integer> values) {
        values.forEach(y::suspend);
    }

    /** The same with a lambda. */
    public static void eachByLambda(Yielder<Integer, Integer> y, List<Integer> values) {
        values.forEach(v -> y.suspend(v * 2));
    }

    /** A lambda that takes the yielder as its parameter: transformed like any method. */
    public static void nested(Yielder<Integer, Integer> y) {
        Step step = (inner, v) -> inner.suspend(v);
        step.run(y, 1);
    }

    /** An interface of the project's own whose method takes a yielder. */
    public interface Step {
        /**
         * Suspends with {@code v}.
         *
         * @param y the yielder
         * @param v the value
         */
        void run(Yielder<Integer, Integer> y, int v);
    }
}
