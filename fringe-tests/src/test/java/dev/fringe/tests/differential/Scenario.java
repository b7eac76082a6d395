// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A generator behaviour as data: the scenario language of the differential tests.
 *
 * <pre>
 * scenario := [ step, ... ]
 * step     := suspend(expr)          v = suspend(expr): hand the value out, v becomes the next input
 *           | return(expr)           v = expr, and the generator returns v (from any depth)
 *           | loop n { step, ... }   run the block n times
 *           | recurse n { step, ... } descend n real stack frames, run the block in the innermost
 *           | yield from scenario    run the scenario as a child generator to completion: start it
 *                                    with v, suspend each of its outputs, feed it each input
 *                                    received; its return value becomes v
 * expr     := in | k | in+k | in*k | in^k      (in = v, the current value; k a word constant)
 * </pre>
 *
 * {@code v} starts as the body's argument (the first resume's input); a scenario that runs off
 * its end returns {@code v}. Arithmetic wraps at the machine word ({@code uintptr_t}), which
 * the Java side reproduces with a mask.
 *
 * <p>{@link #encode()} writes a scenario as machine words for the C interpreter
 * ({@code src/test/c/bodies/interpreter.c}), steps one after another, blocks inline with their
 * length in words. <b>Must match interpreter.c</b>:
 * <pre>
 * suspend     1 op k              op: 0 in, 1 k, 2 in+k, 3 in*k, 4 in^k
 * return      2 op k
 * loop        3 n length block...
 * recurse     4 n length block...
 * yield from  5 length program...
 * </pre>
 *
 * @param steps the steps, in order
 */
record Scenario(List<Step> steps) {
    static final int SUSPEND = 1;
    static final int RETURN = 2;
    static final int LOOP = 3;
    static final int RECURSE = 4;
    static final int YIELD_FROM = 5;

    Scenario {
        steps = List.copyOf(steps);
    }

    static Scenario of(Step... steps) {
        return new Scenario(List.of(steps));
    }

    /** An expression's operator; the ordinal is its encoding. */
    enum Op {
        IN, CONST, ADD, MUL, XOR
    }

    /** A value computed from the current value {@code v}. */
    record Expr(Op op, long k) {
        static Expr in() {
            return new Expr(Op.IN, 0);
        }

        static Expr constant(long k) {
            return new Expr(Op.CONST, k);
        }

        static Expr plus(long k) {
            return new Expr(Op.ADD, k);
        }

        static Expr times(long k) {
            return new Expr(Op.MUL, k);
        }

        static Expr xor(long k) {
            return new Expr(Op.XOR, k);
        }

        /** Evaluates as {@code uintptr_t} arithmetic of a word that {@code mask} covers. */
        long eval(long v, long mask) {
            switch (op) {
                case IN:
                    return v;
                case CONST:
                    return k & mask;
                case ADD:
                    return (v + k) & mask;
                case MUL:
                    return (v * k) & mask;
                case XOR:
                    return (v ^ k) & mask;
                default:
                    throw new AssertionError(op);
            }
        }

        @Override
        public String toString() {
            String c = word(k);
            switch (op) {
                case IN:
                    return "in";
                case CONST:
                    return c;
                case ADD:
                    return "in+" + c;
                case MUL:
                    return "in*" + c;
                default:
                    return "in^" + c;
            }
        }
    }

    /** One step of a scenario. */
    sealed interface Step permits Suspend, Return, Loop, Recurse, YieldFrom {}

    record Suspend(Expr value) implements Step {
        @Override
        public String toString() {
            return "suspend(" + value + ")";
        }
    }

    record Return(Expr value) implements Step {
        @Override
        public String toString() {
            return "return(" + value + ")";
        }
    }

    record Loop(int times, List<Step> body) implements Step {
        Loop {
            body = List.copyOf(body);
        }

        @Override
        public String toString() {
            return "loop " + times + " " + block(body);
        }
    }

    record Recurse(int depth, List<Step> body) implements Step {
        Recurse {
            body = List.copyOf(body);
        }

        @Override
        public String toString() {
            return "recurse " + depth + " " + block(body);
        }
    }

    record YieldFrom(Scenario child) implements Step {
        @Override
        public String toString() {
            return "yield from " + child;
        }
    }

    /** Writes the scenario as words, the format interpreter.c reads (see the class comment). */
    long[] encode() {
        List<Long> out = new ArrayList<>();
        encode(steps, out);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static void encode(List<Step> block, List<Long> out) {
        for (Step step : block) {
            if (step instanceof Suspend s) {
                out.add((long) SUSPEND);
                out.add((long) s.value().op().ordinal());
                out.add(s.value().k());
            } else if (step instanceof Return r) {
                out.add((long) RETURN);
                out.add((long) r.value().op().ordinal());
                out.add(r.value().k());
            } else if (step instanceof Loop l) {
                nested(LOOP, l.times(), l.body(), out);
            } else if (step instanceof Recurse r) {
                nested(RECURSE, r.depth(), r.body(), out);
            } else if (step instanceof YieldFrom y) {
                out.add((long) YIELD_FROM);
                int lengthAt = out.size();
                out.add(0L);
                encode(y.child().steps(), out);
                out.set(lengthAt, (long) (out.size() - lengthAt - 1));
            }
        }
    }

    private static void nested(int code, int count, List<Step> body, List<Long> out) {
        out.add((long) code);
        out.add((long) count);
        int lengthAt = out.size();
        out.add(0L);
        encode(body, out);
        out.set(lengthAt, (long) (out.size() - lengthAt - 1));
    }

    /** Returns the number of steps, nested ones included: the size of a counterexample. */
    int size() {
        return size(steps);
    }

    private static int size(List<Step> block) {
        int n = 0;
        for (Step step : block) {
            n++;
            if (step instanceof Loop l) {
                n += size(l.body());
            } else if (step instanceof Recurse r) {
                n += size(r.body());
            } else if (step instanceof YieldFrom y) {
                n += y.child().size();
            }
        }
        return n;
    }

    /** Returns how deeply {@code yield from}s nest: the number of child stacks a run needs. */
    int nesting() {
        return nesting(steps);
    }

    private static int nesting(List<Step> block) {
        int deepest = 0;
        for (Step step : block) {
            if (step instanceof Loop l) {
                deepest = Math.max(deepest, nesting(l.body()));
            } else if (step instanceof Recurse r) {
                deepest = Math.max(deepest, nesting(r.body()));
            } else if (step instanceof YieldFrom y) {
                deepest = Math.max(deepest, 1 + y.child().nesting());
            }
        }
        return deepest;
    }

    /** Returns e.g. {@code [suspend(in+3), loop 2 {suspend(in*2)}, return(in)]}. */
    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String block(List<Step> body) {
        return body.stream().map(Step::toString).collect(Collectors.joining(", ", "{", "}"));
    }

    /** Formats a word constant: decimal when small, else hexadecimal. */
    static String word(long value) {
        return value >= 0 && value < 1_000_000 ? Long.toString(value) : "0x" + Long.toHexString(value);
    }
}
