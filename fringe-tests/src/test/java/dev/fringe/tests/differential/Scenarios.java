// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of scenarios and input rows, for the machine word of this platform
 * ({@link Engines#WORD_MASK}).
 *
 * <p><b>Why a flat genome.</b> A scenario is generated as a flat list of {@link Gene}s and
 * decoded into a tree: a block gene ({@code loop}, {@code recurse}, {@code yield from}) takes
 * the next {@code span} steps as its body. jqwik shrinks the list, so removing a block gene
 * splices its body into the enclosing block; a tree generated directly can only empty a block,
 * never unwrap it, and shrinking then stops at counterexamples like
 * {@code [yield from [recurse 0 {suspend(in), suspend(in), suspend(in)}]]} instead of
 * {@code [loop 3 {suspend(in)}]}. Each gene shrinks towards {@code suspend(in)}, counts and
 * constants towards 0.
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
     * One step of a scenario before decoding. {@code count} is a loop's rounds (modulo 5) or a
     * recursion's depth; {@code span} is how many steps a block takes as its body.
     */
    record Gene(Kind kind, int count, int span, Scenario.Expr expr) {}

    // Built once: an arbitrary is an immutable recipe.
    private static final Arbitrary<List<Gene>> GENOMES = gene().list().ofMaxSize(MAX_GENES);

    private Scenarios() {}

    /** Returns random scenarios whose constants fit the machine word. */
    static Arbitrary<Scenario> scenarios() {
        return GENOMES.map(Scenarios::decode);
    }

    /** Returns rows of resume inputs: whole machine words, mostly small. */
    static Arbitrary<List<Long>> inputs() {
        return words().list().ofMaxSize(MAX_INPUTS);
    }

    /**
     * Returns long runs: one loop of 100 to 1000 rounds over a random non-empty scenario, so that
     * thousands of switches (nested generators' included) can happen in one run.
     */
    static Arbitrary<Scenario> longScenarios() {
        return Combinators.combine(Arbitraries.integers().between(100, 1000),
                        GENOMES.map(Scenarios::decode).filter(s -> !s.steps().isEmpty()))
                .as((rounds, body) -> Scenario.of(new Scenario.Loop(rounds, body.steps())));
    }

    /** Returns 200 to 2000 inputs, for {@link #longScenarios()}. */
    static Arbitrary<List<Long>> longInputs() {
        return words().list().ofMinSize(200).ofMaxSize(2000);
    }

    /** Decodes a genome: every gene becomes a step, blocks taking the steps that follow. */
    static Scenario decode(List<Gene> genome) {
        Decoder d = new Decoder(genome);
        List<Scenario.Step> steps = new ArrayList<>();
        while (d.hasNext()) {
            steps.add(d.step(DEPTH));
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

        /** Decodes the next gene; at depth 0 a block gets an empty body. */
        Scenario.Step step(int depth) {
            Gene g = genome.get(next++);
            switch (g.kind()) {
                case SUSPEND:
                    return new Scenario.Suspend(g.expr());
                case RETURN:
                    return new Scenario.Return(g.expr());
                case LOOP:
                    return new Scenario.Loop(g.count() % 5, body(depth, g.span()));
                case RECURSE:
                    return new Scenario.Recurse(g.count(), body(depth, g.span()));
                default:
                    return new Scenario.YieldFrom(new Scenario(body(depth, g.span())));
            }
        }

        private List<Scenario.Step> body(int depth, int span) {
            List<Scenario.Step> steps = new ArrayList<>();
            for (int i = 0; depth > 0 && i < span && hasNext(); i++) {
                steps.add(step(depth - 1));
            }
            return steps;
        }
    }

    private static Arbitrary<Gene> gene() {
        Arbitrary<Kind> kind = Arbitraries.frequency(List.of(Tuple.of(8, Kind.SUSPEND), Tuple.of(1, Kind.RETURN),
                Tuple.of(3, Kind.LOOP), Tuple.of(1, Kind.RECURSE), Tuple.of(2, Kind.YIELD_FROM)));
        return Combinators.combine(kind, Arbitraries.integers().between(0, 12), Arbitraries.integers().between(0, 4), expr())
                .as(Gene::new);
    }

    private static Arbitrary<Scenario.Expr> expr() {
        Arbitrary<Long> constant = Arbitraries.frequencyOf(List.of(
                Tuple.of(8, Arbitraries.longs().between(0, 10)), Tuple.of(1, words())));
        return Combinators.combine(Arbitraries.of(Scenario.Op.class), constant).as(Scenario.Expr::new);
    }

    private static Arbitrary<Long> words() {
        long mask = Engines.WORD_MASK;
        return mask == -1L ? Arbitraries.longs() : Arbitraries.longs().between(0, mask);
    }
}
