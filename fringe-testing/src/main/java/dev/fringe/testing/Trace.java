// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import dev.fringe.State;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one generator did with a row of inputs: one {@link Step} per resume, in order.
 * Immutable and thread-safe.
 */
public final class Trace {
    private final String engine;
    private final List<Step> steps;

    Trace(String engine, List<Step> steps) {
        this.engine = engine;
        this.steps = List.copyOf(steps);
    }

    /**
     * Names what ran, e.g. {@code "Java model on continuation"} or {@code "native generator"}.
     *
     * @return the engine's description
     */
    public String engine() {
        return engine;
    }

    /**
     * Returns the steps, one per input, in the order of the resumes.
     *
     * @return an unmodifiable list
     */
    public List<Step> steps() {
        return steps;
    }

    /** Returns the engine and one line per step, e.g. {@code resume(3) -> 4 [RUNNABLE]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(engine).append(':');
        for (Step step : steps) {
            sb.append("\n  ").append(step);
        }
        return sb.toString();
    }

    /**
     * Formats a machine word: unsigned decimal when small, else hexadecimal, so that both
     * traces print the same value the same way.
     */
    static String word(long value) {
        return value >= 0 && value < 1_000_000 ? Long.toString(value) : "0x" + Long.toHexString(value);
    }

    /**
     * One resume: its input, what it returned, the return value once the body has returned, an
     * exception if the resume threw, and the generator's state afterwards. Two steps are
     * {@linkplain #equals equal} when all of these agree (exceptions by class and message).
     */
    public static final class Step {
        private final long input;
        private final OptionalLong output;
        private final OptionalLong returnValue;
        private final Throwable failure;
        private final State state;

        Step(long input, OptionalLong output, OptionalLong returnValue, Throwable failure, State state) {
            this.input = input;
            this.output = output;
            this.returnValue = returnValue;
            this.failure = failure;
            this.state = state;
        }

        /**
         * Returns the value passed to {@code resume}.
         *
         * @return the input
         */
        public long input() {
            return input;
        }

        /**
         * Returns the value the body suspended with, or empty if this resume found the body
         * finished (now or earlier), failed or threw.
         *
         * @return the output
         */
        public OptionalLong output() {
            return output;
        }

        /**
         * Returns the body's return value, present whenever the state is
         * {@link State#FINISHED}.
         *
         * @return the return value
         */
        public OptionalLong returnValue() {
            return returnValue;
        }

        /**
         * Returns what this resume threw, if it threw.
         *
         * @return the exception
         */
        public Optional<Throwable> failure() {
            return Optional.ofNullable(failure);
        }

        /**
         * Returns the generator's state after this resume.
         *
         * @return the state
         */
        public State state() {
            return state;
        }

        /**
         * Describes what the resume returned and the state after it, e.g. {@code 4 [RUNNABLE]},
         * {@code finished, returned 7 [FINISHED]} or
         * {@code threw java.lang.ArithmeticException: / by zero [FAILED]}.
         *
         * @return the outcome, without the input
         */
        public String outcome() {
            String what;
            if (output.isPresent()) {
                what = word(output.getAsLong());
            } else if (failure != null) {
                what = "threw " + describe(failure);
            } else if (returnValue.isPresent()) {
                what = "finished, returned " + word(returnValue.getAsLong());
            } else {
                what = "empty";
            }
            return what + " [" + state + "]";
        }

        private static String describe(Throwable t) {
            return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Step)) {
                return false;
            }
            Step s = (Step) o;
            return input == s.input && output.equals(s.output) && returnValue.equals(s.returnValue) && state == s.state
                    && Objects.equals(failure == null ? null : describe(failure),
                            s.failure == null ? null : describe(s.failure));
        }

        @Override
        public int hashCode() {
            return Objects.hash(input, output, returnValue, state, failure == null ? null : describe(failure));
        }

        /** Returns e.g. {@code resume(3) -> 4 [RUNNABLE]}. */
        @Override
        public String toString() {
            return "resume(" + word(input) + ") -> " + outcome();
        }
    }
}
