// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Java -> JNA -> {@code fringe_resume} -> C body suspends -> back, against a bare JNA
 * direct-mapped call of a C no-op with the same signature ({@code uintptr_t f(uintptr_t)}) in
 * the same run. Goal: {@code resumeNative} within 1.15x of {@code jnaNoop}, 0 B/op.
 *
 * <pre>
 * ./scripts/bench.sh native        # or:
 * java -jar fringe-bench/target/benchmarks.jar NativeRoundTripBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeRoundTripBenchmark {
    private static final NativeLibrary BODIES = NativeLibrary.getInstance("fringe_benchbodies",
            Map.of(Library.OPTION_CLASSLOADER, NativeRoundTripBenchmark.class.getClassLoader()));

    /** The baseline, direct-mapped like fringe's own binding. */
    static final class Baseline {
        static {
            Native.register(Baseline.class, BODIES);
        }

        static native long fringe_bench_noop(long x);
    }

    private OsStack stack;
    private NativeGenerator generator;
    private long input;

    @Setup(Level.Trial)
    public void start() {
        stack = OsStack.allocate(64 * 1024);
        generator = NativeGenerator.create(stack, BODIES.getFunction("fringe_bench_echo"), null);
        generator.advance(0);
    }

    @TearDown(Level.Trial)
    public void stop() {
        generator.close();
        stack.close();
    }

    @Benchmark
    public long jnaNoop() {
        return Baseline.fringe_bench_noop(++input);
    }

    @Benchmark
    public long resumeNative() {
        generator.advance(++input);
        return generator.value();
    }
}
