// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import static java.util.Map.entry;

import dev.fringe.spi.GeneratorBackend;
import dev.fringe.testing.Gen;
import java.util.ArrayList;
import java.util.List;

/**
 * Gens of scenarios and input rows ({@code fringe-testing}'s {@link Gen}), for the machine word
 * of this platform ({@link Gen#words()}, the same word as {@link Engines#WORD_MASK}).
 *
 * <p><b>Why a flat genome.</b> A scenario is generated as a flat list of {@link Gene}s and
 * decoded into a tree: a block gene ({@code loop}, {@code recurse}, {@code yield from}) takes
 * the next {@code span} steps as its body. Shrinking deletes list elements, so deleting a block
 * gene splices its body into the enclosing block; a tree generated directly can only empty a
 * block, never unwrap it, and shrinking then stops at counterexamples like
 * {@code [yield from [recurse 0 {suspend(in), suspend(in), suspend(in)}]]}. Each gene shrinks
 * towards {@code suspend(in)}, counts and constants towards 0.
 *
 * <p><b>Why a suspend gene can stand for two suspends.</b> A suspend gene whose count is 3 or 4
 * (modulo 5, as a loop gene's rounds) decodes to two {@code suspend} steps, so that shrinking a
 * loop gene of 3 or 4 rounds over one suspend into a suspend gene still suspends three times:
 * shrinking can unroll {@code [loop 3 {suspend(in)}]} into
 * {@code [suspend(in), suspend(in), suspend(in)]}, which it could not reach otherwise (deleting
 * and lowering never lengthen a genome).
 *
 * <p>Sizes are bounded so that one run stays short: at most {@value #MAX_GENES} genes, blocks
 * nested at most {@value #DEPTH} deep, loops of at most 4 rounds, recursion of at most 12
 * frames per step, at most {@value #MAX_INPUTS} inputs.
 */
final class Scenarios {
    static final int DEPTH = 3;
    static final int MAX_GENES = 24;
    static final int MAX_INPUTS = 64;

    /** What a gene decodes to; shrinking moves towards the first. */
    enum Kind {
        SUSPEND, RETURN, LOOP, RECURSE, YIELD_FROM
    }

    /**
     * One step of a scenario before decoding. {@code count} is a loop's rounds (modulo 5), a
     * recursion's depth, or (3 or 4, modulo 5) a suspend's repetition; {@code span} is how many
     * steps a block takes as its body.
     */
    record Gene(Kind kind, int count, int span, Scenario.Expr expr) {}

    /** A scenario to run on a Java backend and on the native engine, with its inputs. */
    record Case(GeneratorBackend backend, Scenario scenario, List<Long> inputs) {
        /** Returns e.g. {@code scenario [suspend(in)], inputs [0] on continuation}. */
        @Override
        public String toString() {
            return "scenario " + scenario + ", inputs " + inputs + " on " + backend.name();
        }
    }

    // Built once: a gen is an immutable recipe.
    private static final Gen<Kind> KINDS = Gen.frequency(entry(8, Gen.constant(Kind.SUSPEND)),
            entry(1, Gen.constant(Kind.RETURN)), entry(3, Gen.constant(Kind.LOOP)), entry(1, Gen.constant(Kind.RECURSE)),
            entry(2, Gen.constant(Kind.YIELD_FROM)));
    private static final Gen<Long> CONSTANTS = Gen.frequency(entry(8, Gen.longs(0, 10)), entry(1, Gen.words()));
    private static final Gen<Scenario.Expr> EXPRS = Gen.compose(src -> new Scenario.Expr(
            src.draw(Gen.oneOf(Scenario.Op.values())), src.draw(CONSTANTS)));
    private static final Gen<Gene> GENES = Gen.compose(src -> new Gene(src.draw(KINDS), src.draw(Gen.ints(0, 12)),
            src.draw(Gen.ints(0, 4)), src.draw(EXPRS)));
    private static final Gen<Scenario> SCENARIOS = GENES.list(0, MAX_GENES).map(Scenarios::decode);

    private Scenarios() {}

    /** Returns random scenarios whose constants fit the machine word. */
    static Gen<Scenario> scenarios() {
        return SCENARIOS;
    }

    /** Returns rows of resume inputs: whole machine words, mostly small. */
    static Gen<List<Long>> inputs() {
        return Gen.words().list(0, MAX_INPUTS);
    }

    /**
     * Returns long runs: one loop of 100 to 1000 rounds over a random non-empty scenario, so that
     * thousands of switches (nested generators' included) can happen in one run.
     */
    static Gen<Scenario> longScenarios() {
        Gen<Scenario> bodies = SCENARIOS.filter(s -> !s.steps().isEmpty());
        return Gen.compose(src -> {
            int rounds = src.draw(Gen.ints(100, 1000));
            return Scenario.of(new Scenario.Loop(rounds, src.draw(bodies).steps()));
        });
    }

    /** Returns 200 to 2000 inputs, for {@link #longScenarios()}. */
    static Gen<List<Long>> longInputs() {
        return Gen.words().list(200, 2000);
    }

    /** Returns cases of a scenario and inputs from the given gens, on a backend from {@code backends}. */
    static Gen<Case> cases(Gen<GeneratorBackend> backends, Gen<Scenario> scenarios, Gen<List<Long>> inputs) {
        return Gen.compose(src -> new Case(src.draw(backends), src.draw(scenarios), src.draw(inputs)));
    }

    /** Decodes a genome: every gene becomes a step (or two), blocks taking the steps that follow. */
    static Scenario decode(List<Gene> genome) {
        Decoder d = new Decoder(genome);
        List<Scenario.Step> steps = new ArrayList<>();
        while (d.hasNext()) {
            d.step(DEPTH, steps);
        }
        return new Scenario(steps);
    }

    private static final class Decoder {
        private final List<Gene> genome;
        private int next;

        Decoder(List<Gene> genome) {
            this.genome = genome;
        }

        boolean hasNext() {
            return next < genome.size();
        }

        /** Decodes the next gene into {@code out}; at depth 0 a block gets an empty body. */
        void step(int depth, List<Scenario.Step> out) {
            Gene g = genome.get(next++);
            switch (g.kind()) {
                case SUSPEND:
                    out.add(new Scenario.Suspend(g.expr()));
                    if (g.count() % 5 >= 3) {
                        out.add(new Scenario.Suspend(g.expr())); // see the class comment
                    }
                    break;
                case RETURN:
                    out.add(new Scenario.Return(g.expr()));
                    break;
                case LOOP:
                    out.add(new Scenario.Loop(g.count() % 5, body(depth, g.span())));
                    break;
                case RECURSE:
                    out.add(new Scenario.Recurse(g.count(), body(depth, g.span())));
                    break;
                default:
                    out.add(new Scenario.YieldFrom(new Scenario(body(depth, g.span()))));
            }
        }

        /** The body of a block: the next {@code span} genes (fewer if the genome ends). */
        private List<Scenario.Step> body(int depth, int span) {
            List<Scenario.Step> steps = new ArrayList<>();
            for (int i = 0; depth > 0 && i < span && hasNext(); i++) {
                step(depth - 1, steps);
            }
            return steps;
        }
    }
}
