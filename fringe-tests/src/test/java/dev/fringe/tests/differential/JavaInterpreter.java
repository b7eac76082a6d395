// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import dev.fringe.Generator;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.testing.ModelBody;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link Scenario} as a Java generator body: the model side of the differential tests.
 * Step for step the same as {@code interpreter.c} (a difference between the two is a bug in the
 * tests): {@code yield from} runs the child on a nested generator of the same backend, and
 * {@code recurse} descends real Java frames.
 */
final class JavaInterpreter implements ModelBody {
    private final Scenario scenario;
    private final GeneratorBackend backend;
    private final long mask;
    private final AtomicLong resumes;

    /**
     * @param scenario what to run
     * @param backend  runs the nested generators of {@code yield from}
     * @param mask     the machine word: {@code -1L} on 64-bit platforms, {@code 0xFFFF_FFFFL}
     *                 on 32-bit ones
     * @param resumes  counts every resume of a nested generator, for the run-length statistics
     */
    JavaInterpreter(Scenario scenario, GeneratorBackend backend, long mask, AtomicLong resumes) {
        this.scenario = scenario;
        this.backend = backend;
        this.mask = mask;
        this.resumes = resumes;
    }

    @Override
    public long run(Yielder<Long, Long> yielder, long input) {
        Machine m = new Machine(yielder, input);
        m.block(scenario.steps());
        return m.v;
    }

    private final class Machine {
        private final Yielder<Long, Long> yielder;
        private long v;

        Machine(Yielder<Long, Long> yielder, long input) {
            this.yielder = yielder;
            this.v = input;
        }

        /** Runs a block; returns true once a {@code return} step ran (then v is the result). */
        boolean block(List<Scenario.Step> steps) {
            for (Scenario.Step step : steps) {
                if (step instanceof Scenario.Suspend s) {
                    v = yielder.suspend(s.value().eval(v, mask));
                } else if (step instanceof Scenario.Return r) {
                    v = r.value().eval(v, mask);
                    return true;
                } else if (step instanceof Scenario.Loop l) {
                    for (int i = 0; i < l.times(); i++) {
                        if (block(l.body())) {
                            return true;
                        }
                    }
                } else if (step instanceof Scenario.Recurse r) {
                    if (descend(r.depth(), r.body())) {
                        return true;
                    }
                } else if (step instanceof Scenario.YieldFrom y) {
                    v = yieldFrom(y.child());
                }
            }
            return false;
        }

        private boolean descend(int depth, List<Scenario.Step> body) {
            return depth == 0 ? block(body) : descend(depth - 1, body);
        }

        private long yieldFrom(Scenario child) {
            JavaInterpreter body = new JavaInterpreter(child, backend, mask, resumes);
            long[] returned = new long[1]; // written by the child, read after it finished (happens-before)
            try (Generator<Long, Long> g = backend.create((y, input) -> returned[0] = body.run(y, input))) {
                resumes.incrementAndGet();
                Optional<Long> out = g.resume(v);
                while (out.isPresent()) {
                    long next = yielder.suspend(out.get());
                    resumes.incrementAndGet();
                    out = g.resume(next);
                }
                return returned[0];
            }
        }
    }
}
