// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.Yielder;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The contenders of {@link JavaRoundTripBenchmark}: a raw {@code jdk.internal.vm.Continuation}
 * (the floor) and one fringe generator per Java backend, all running the same body: descend
 * {@code depth} frames once, then suspend the same object forever from there (the frames stay).
 */
public enum JavaEngine {
    /** {@code Continuation.run()} + {@code Continuation.yield(scope)}, no fringe code at all. */
    RAW_CONTINUATION {
        @Override
        RoundTrip start(int depth) {
            return new RawContinuation(depth);
        }
    },
    /** fringe's {@code continuation} backend. */
    CONTINUATION {
        @Override
        RoundTrip start(int depth) {
            return new Fringe("continuation", depth);
        }
    },
    /** fringe's {@code virtual-thread} backend. */
    VIRTUAL_THREAD {
        @Override
        RoundTrip start(int depth) {
            return new Fringe("virtual-thread", depth);
        }
    },
    /** fringe's {@code thread} backend. */
    THREAD {
        @Override
        RoundTrip start(int depth) {
            return new Fringe("thread", depth);
        }
    };

    /** What every body suspends with: one constant object, so nothing is boxed. */
    static final Object VALUE = new Object();
    static final Object INPUT = new Object();

    abstract RoundTrip start(int depth);

    /** One started engine; {@link #roundTrip()} resumes it once and returns what it suspended. */
    interface RoundTrip extends AutoCloseable {
        Object roundTrip();

        @Override
        void close();
    }

    private static final class Fringe implements RoundTrip {
        private final Generator<Object, Object> generator;

        Fringe(String backend, int depth) {
            generator = Backends.named(backend).orElseThrow().create((yielder, input) -> descend(yielder, depth));
            generator.resume(INPUT);
        }

        private static void descend(Yielder<Object, Object> yielder, int depth) {
            if (depth > 1) {
                descend(yielder, depth - 1);
                return;
            }
            while (true) {
                yielder.suspend(VALUE);
            }
        }

        @Override
        public Object roundTrip() {
            return generator.resume(INPUT).orElseThrow();
        }

        @Override
        public void close() {
            generator.close();
        }
    }

    private static final class RawContinuation implements RoundTrip {
        private static final ContinuationScope SCOPE = new ContinuationScope("bench");
        private final Continuation continuation;
        private Object out;

        RawContinuation(int depth) {
            continuation = new Continuation(SCOPE, () -> descend(depth));
            continuation.run();
        }

        private void descend(int depth) {
            if (depth > 1) {
                descend(depth - 1);
                return;
            }
            while (true) {
                out = VALUE;
                Continuation.yield(SCOPE);
            }
        }

        @Override
        public Object roundTrip() {
            continuation.run();
            return out;
        }

        @Override
        public void close() {}
    }
}
