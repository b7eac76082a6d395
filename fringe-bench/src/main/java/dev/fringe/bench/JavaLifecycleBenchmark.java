// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A generator's whole life on each Java backend: create it, resume it once (its body suspends
 * holding 1 KiB), then close it ({@code createResumeClose}) or drop it for fringe's cleaner to
 * unwind ({@code createResumeAbandon}). The second measures what abandonment costs the creating
 * thread, including the back-pressure that makes it help the cleaner when the cleaner falls
 * behind; {@code -prof gc} shows the heap it needs. Compare runs of two builds, the ratio of the
 * two benchmarks within one run, and the {@code continuation} round trip of
 * {@link JavaRoundTripBenchmark} as the floor.
 *
 * <pre>
 * java -jar fringe-bench/target/benchmarks.jar JavaLifecycleBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
    "-Dfringe.continuation.monitors=unchecked", "-Xmx256m"})
public class JavaLifecycleBenchmark {
    @Param({"continuation", "virtual-thread", "thread"})
    String backend;

    private GeneratorBackend engine;

    @Setup
    public void find() {
        engine = Backends.named(backend).orElseThrow();
    }

    private Generator<Object, Object> started() {
        Generator<Object, Object> g = engine.create((yielder, input) -> {
            byte[] ballast = new byte[1024];
            yielder.suspend(ballast);
            yielder.suspend(input);
        });
        g.resume(JavaEngine.INPUT);
        return g;
    }

    @Benchmark
    public Object createResumeClose() {
        Generator<Object, Object> g = started();
        g.close();
        return g;
    }

    @Benchmark
    public Object createResumeAbandon() {
        return started().state();
    }
}
