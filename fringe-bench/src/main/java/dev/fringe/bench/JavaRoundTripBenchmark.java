// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * One resume + suspend round trip of a Java generator on each backend, against the raw
 * {@code Continuation} run + yield it is built on, with the body suspending at depth 1 and 20
 * frames deep. Goal: {@code CONTINUATION} within 1.15x of {@code RAW_CONTINUATION} and 0 B/op.
 *
 * <pre>
 * ./scripts/bench.sh java          # or:
 * java -jar fringe-bench/target/benchmarks.jar JavaRoundTripBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
    "-Dfringe.continuation.monitors=unchecked",
    "--enable-native-access=ALL-UNNAMED"})
public class JavaRoundTripBenchmark {
    @Param
    JavaEngine engine;

    @Param({"1", "20"})
    int depth;

    private JavaEngine.RoundTrip started;

    @Setup(Level.Trial)
    public void start() {
        started = engine.start(depth);
    }

    @TearDown(Level.Trial)
    public void stop() {
        started.close();
    }

    @Benchmark
    public Object roundTrip() {
        return started.roundTrip();
    }
}
