// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.Yielder;
import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stackless engine against the JVM's continuations, in one run: a round trip (one
 * {@code resume} and the next {@code suspend}) of fringe's {@code stackless} backend, of a raw
 * {@code jdk.internal.vm.Continuation} (run + yield, no fringe code) and of fringe's
 * {@code continuation} backend, for the same body shapes:
 * <ul>
 *   <li>{@code DEPTH_1}: the body itself suspends in a loop;</li>
 *   <li>{@code STAY_5}, {@code STAY_20}: the body descends 5 or 20 frames once, then suspends in a
 *       loop from there (the frames stay);</li>
 *   <li>{@code FRESH_5}, {@code FRESH_20}: every round trip calls a fresh chain of 5 or 20 frames
 *       that suspends at the bottom and then returns all the way up.</li>
 * </ul>
 * Goals: {@code STACKLESS} at most 0.15x {@code RAW_CONTINUATION} at depth 1 and for frames that
 * stay, at most 0.5x with 5 fresh frames, 0 B/op at depth 1 ({@code -prof gc}). This module's
 * classes are rewritten by the {@code fringe-stackless} plugin, so the same body runs stackless
 * on {@code STACKLESS} and as written on {@code CONTINUATION}.
 *
 * <pre>
 * ./scripts/bench.sh stackless     # or:
 * java -jar fringe-bench/target/benchmarks.jar StacklessRoundTripBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
    "-Dfringe.continuation.monitors=unchecked"})
public class StacklessRoundTripBenchmark {
    /**
     * The engines compared. {@code CONTINUATION_AS_WRITTEN} runs the same body through a
     * serializable lambda, which the transformer leaves alone: against {@code CONTINUATION}
     * (whose lambda was rewritten and runs its copies with {@code Strand.PASSTHROUGH} there) it
     * shows what the rewriting costs other backends.
     */
    public enum Engine { STACKLESS, RAW_CONTINUATION, CONTINUATION, CONTINUATION_AS_WRITTEN }

    /** Where the body suspends; see the class comment. */
    public enum Shape {
        DEPTH_1(1, false), STAY_5(5, false), STAY_20(20, false), FRESH_5(5, true), FRESH_20(20, true);

        final int frames;
        final boolean fresh;

        Shape(int frames, boolean fresh) {
            this.frames = frames;
            this.fresh = fresh;
        }
    }

    /** What every body suspends with: one constant object, so nothing is boxed. */
    static final Object VALUE = new Object();
    static final Object INPUT = new Object();

    @Param
    Engine engine;

    @Param
    Shape shape;

    private Generator<Object, Object> generator;
    private Continuation continuation;
    private Object out;

    @Setup(Level.Trial)
    public void start() {
        int frames = shape.frames;
        boolean fresh = shape.fresh;
        switch (engine) {
            case RAW_CONTINUATION -> {
                continuation = new Continuation(SCOPE, () -> rawBody(frames, fresh));
                continuation.run();
            }
            default -> {
                String name = engine == Engine.STACKLESS ? "stackless" : "continuation";
                GeneratorBody<Object, Object> body = engine == Engine.CONTINUATION_AS_WRITTEN
                        ? (GeneratorBody<Object, Object> & Serializable) (yielder, input) -> body(yielder, frames, fresh)
                        : (yielder, input) -> body(yielder, frames, fresh);
                generator = Backends.named(name).orElseThrow().create(body);
                if (!generator.toString().startsWith("Generator[" + name + ",")) {
                    throw new IllegalStateException(generator + " is not on " + name + ": was this module transformed?");
                }
                generator.resume(INPUT);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (generator != null) {
            generator.close();
        }
    }

    @Benchmark
    public Object roundTrip() {
        if (continuation != null) {
            continuation.run();
            return out;
        }
        return generator.resume(INPUT).orElseThrow();
    }

    // ---------------------------------------------------------------- fringe bodies

    private static void body(Yielder<Object, Object> yielder, int frames, boolean fresh) {
        if (fresh) {
            while (true) {
                freshChain(yielder, frames - 1);
            }
        }
        stay(yielder, frames - 1);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void stay(Yielder<Object, Object> yielder, int below) {
        if (below > 0) {
            stay(yielder, below - 1);
            return;
        }
        while (true) {
            yielder.suspend(VALUE);
        }
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static Object freshChain(Yielder<Object, Object> yielder, int below) {
        if (below > 0) {
            return freshChain(yielder, below - 1);
        }
        return yielder.suspend(VALUE);
    }

    // ---------------------------------------------------------------- the same on a raw continuation

    private static final ContinuationScope SCOPE = new ContinuationScope("bench");

    private void rawBody(int frames, boolean fresh) {
        if (fresh) {
            while (true) {
                rawFresh(frames - 1);
            }
        }
        rawStay(frames - 1);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void rawStay(int below) {
        if (below > 0) {
            rawStay(below - 1);
            return;
        }
        while (true) {
            out = VALUE;
            Continuation.yield(SCOPE);
        }
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private Object rawFresh(int below) {
        if (below > 0) {
            return rawFresh(below - 1);
        }
        out = VALUE;
        Continuation.yield(SCOPE);
        return INPUT;
    }
}
