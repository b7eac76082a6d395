// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
 * One native generator round trip (resume, the C body suspends its input back) against its
 * baselines, in one JMH run:
 *
 * <ul>
 *   <li>{@code ffmRoundTrip}: {@code NativeGenerator.advance} + {@code value} on the FFM binding;
 *   <li>{@code jnaRoundTrip}: the same on the JNA binding (forks of its own: the binding is
 *       chosen once per JVM);
 *   <li>{@code ffmDowncall}: a bare FFM downcall of a C function with the resume routine's
 *       signature ({@code uintptr_t f(uintptr_t)}), an ordinary downcall like fringe's resume;
 *       {@code ffmDowncallCritical} the same with {@code Linker.Option.critical(false)};
 *   <li>{@code jnaDowncall}: a bare JNA direct-mapped call of the same function;
 *   <li>{@code continuationRoundTrip}: a raw {@code jdk.internal.vm.Continuation} run + yield,
 *       the floor of Java generators;
 *   <li>{@code ffmSwitchRet} and {@code ffmSwitchPopJmp}: the x86_64 switch's two flavours
 *       ({@code fringe_resume_ret} and {@code fringe_resume}) called through FFM directly on a
 *       control block, without {@code NativeGenerator}: which one to ship behind FFM;
 *       {@code jnaSwitchRet} and {@code jnaSwitchPopJmp} the same through JNA direct mapping;
 *   <li>{@code ffmSwitchGuarded}: {@code fringe_resume_guarded}, the pop+jmp flavour after the
 *       thread's check for overflow recovery (docs/native-overflow.md), which a generator takes
 *       only on its first resume on a thread, and on every resume from a virtual thread.
 * </ul>
 *
 * Goals: {@code ffmRoundTrip} at most 6x {@code ffmDowncall} and 0.3x
 * {@code continuationRoundTrip}, 0 B/op.
 *
 * <pre>
 * ./scripts/bench.sh native        # or:
 * java -jar fringe-bench/target/benchmarks.jar NativeRoundTripBenchmark -prof gc
 * </pre>
 */
// "restricted": the baselines are raw FFM downcalls; the forks enable native access.
@SuppressWarnings("restricted")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
    "java.base/jdk.internal.vm=ALL-UNNAMED"})
public class NativeRoundTripBenchmark {
    private static final String BENCH_BODIES = "fringe_benchbodies";
    private static final NativeLibrary BODIES = NativeLibrary.getInstance(BENCH_BODIES,
            Map.of(Library.OPTION_CLASSLOADER, NativeRoundTripBenchmark.class.getClassLoader()));

    private long input;

    /** The JNA baseline, direct-mapped like fringe's JNA binding. */
    static final class JnaBaseline {
        static {
            Native.register(JnaBaseline.class, BODIES);
        }

        static native long fringe_bench_noop(long x);
    }

    /** The x86_64 switch's entry points, direct-mapped like fringe's JNA binding. */
    static final class JnaSwitch {
        static {
            Native.register(JnaSwitch.class, NativeLibrary.getInstance("fringe_x86_64",
                    Map.of(Library.OPTION_CLASSLOADER, NativeRoundTripBenchmark.class.getClassLoader())));
        }

        static native long fringe_init(long stackBase, long body, long env);

        static native long fringe_resume(long ctl);

        static native long fringe_resume_ret(long ctl);
    }

    /** FFM downcalls: the baseline function, and the x86_64 switch's entry points. */
    static final class Ffm {
        static final MethodHandle NOOP;
        static final MethodHandle NOOP_CRITICAL;
        static final MethodHandle INIT;
        static final MethodHandle RESUME_RET;
        static final MethodHandle RESUME_POP_JMP;
        static final MethodHandle RESUME_GUARDED;
        /** The resume routine fringe's binding calls, for {@link SafepointLatency}. */
        static final MemorySegment RESUME_SYMBOL;
        static final MemorySegment ECHO;
        static final MemorySegment SPIN;

        static {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor wordToWord = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
            SymbolLookup bodies = library(BENCH_BODIES);
            NOOP = linker.downcallHandle(bodies.findOrThrow("fringe_bench_noop"), wordToWord);
            NOOP_CRITICAL = linker.downcallHandle(bodies.findOrThrow("fringe_bench_noop"), wordToWord,
                    Linker.Option.critical(false));
            ECHO = bodies.findOrThrow("fringe_bench_echo");
            SPIN = bodies.findOrThrow("fringe_bench_spin");
            SymbolLookup arch = library("fringe_x86_64");
            INIT = linker.downcallHandle(arch.findOrThrow("fringe_init"), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            RESUME_RET = linker.downcallHandle(arch.findOrThrow("fringe_resume_ret"), wordToWord);
            RESUME_POP_JMP = linker.downcallHandle(arch.findOrThrow("fringe_resume"), wordToWord);
            RESUME_GUARDED = linker.downcallHandle(arch.findOrThrow("fringe_resume_guarded"), wordToWord);
            RESUME_SYMBOL = arch.findOrThrow(java.util.ServiceLoader.load(dev.fringe.jna.spi.ArchSupport.class).stream()
                    .map(java.util.ServiceLoader.Provider::get).filter(a -> a.libraryName().equals("fringe_x86_64"))
                    .findFirst().orElseThrow().resumeSymbol());
        }

        /** A library from this jar (JNA's resource prefix), extracted by JNA, opened by FFM. */
        private static SymbolLookup library(String name) {
            try {
                File file = Native.extractFromResourcePath(name, NativeRoundTripBenchmark.class.getClassLoader());
                return SymbolLookup.libraryLookup(file.toPath(), Arena.global());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** A native generator running the echo body, suspended; on the binding the fork chose. */
    @State(Scope.Thread)
    public static class Generator {
        OsStack stack;
        NativeGenerator generator;

        @Setup(Level.Trial)
        public void start() {
            stack = OsStack.allocate(64 * 1024);
            generator = NativeGenerator.create(stack, BODIES.getFunction("fringe_bench_echo"), null);
            generator.advance(0);
            System.out.println(NativeGenerator.diagnostics());
        }

        @TearDown(Level.Trial)
        public void stop() {
            generator.close();
            stack.close();
        }
    }

    /** A raw control block on its own stack, running the echo body, for one switch flavour. */
    @State(Scope.Thread)
    public static class RawSwitch {
        Arena arena;
        MemorySegment ctl;

        @Setup(Level.Trial)
        public void start() throws Throwable {
            arena = Arena.ofConfined();
            MemorySegment stack = arena.allocate(64 * 1024, 16);
            long address = (long) Ffm.INIT.invokeExact(stack.address() + stack.byteSize(), Ffm.ECHO.address(), 0L);
            ctl = MemorySegment.ofAddress(address).reinterpret(32);
        }

        @TearDown(Level.Trial)
        public void stop() {
            arena.close();
        }
    }

    /** The same through JNA: a control block in native memory, its words through a direct buffer. */
    @State(Scope.Thread)
    public static class JnaRawSwitch {
        com.sun.jna.Memory stack;
        long ctl;
        java.nio.ByteBuffer view;

        @Setup(Level.Trial)
        public void start() {
            stack = new com.sun.jna.Memory(64 * 1024);
            long base = (com.sun.jna.Pointer.nativeValue(stack) + stack.size()) & -16L;
            ctl = JnaSwitch.fringe_init(base, com.sun.jna.Pointer.nativeValue(BODIES.getFunction("fringe_bench_echo")), 0);
            view = new com.sun.jna.Pointer(ctl).getByteBuffer(0, 32).order(java.nio.ByteOrder.nativeOrder());
        }
    }

    /** A raw {@code Continuation}, suspended at depth 1 (see {@link JavaEngine}). */
    @State(Scope.Thread)
    public static class RawContinuation {
        JavaEngine.RoundTrip continuation;

        @Setup(Level.Trial)
        public void start() {
            continuation = JavaEngine.RAW_CONTINUATION.start(1);
        }

        @TearDown(Level.Trial)
        public void stop() {
            continuation.close();
        }
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dfringe.native.binding=ffm"})
    public long ffmRoundTrip(Generator g) {
        g.generator.advance(++input);
        return g.generator.value();
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dfringe.native.binding=jna"})
    public long jnaRoundTrip(Generator g) {
        g.generator.advance(++input);
        return g.generator.value();
    }

    @Benchmark
    public long ffmDowncall() throws Throwable {
        return (long) Ffm.NOOP.invokeExact(++input);
    }

    @Benchmark
    public long ffmDowncallCritical() throws Throwable {
        return (long) Ffm.NOOP_CRITICAL.invokeExact(++input);
    }

    @Benchmark
    public long jnaDowncall() {
        return JnaBaseline.fringe_bench_noop(++input);
    }

    @Benchmark
    public Object continuationRoundTrip(RawContinuation c) {
        return c.continuation.roundTrip();
    }

    @Benchmark
    public long ffmSwitchRet(RawSwitch s) throws Throwable {
        s.ctl.set(ValueLayout.JAVA_LONG, 16, ++input);
        return (long) Ffm.RESUME_RET.invokeExact(s.ctl.address());
    }

    @Benchmark
    public long jnaSwitchRet(JnaRawSwitch s) {
        s.view.putLong(16, ++input);
        return JnaSwitch.fringe_resume_ret(s.ctl);
    }

    @Benchmark
    public long jnaSwitchPopJmp(JnaRawSwitch s) {
        s.view.putLong(16, ++input);
        return JnaSwitch.fringe_resume(s.ctl);
    }

    @Benchmark
    public long ffmSwitchPopJmp(RawSwitch s) throws Throwable {
        s.ctl.set(ValueLayout.JAVA_LONG, 16, ++input);
        return (long) Ffm.RESUME_POP_JMP.invokeExact(s.ctl.address());
    }

    @Benchmark
    public long ffmSwitchGuarded(RawSwitch s) throws Throwable {
        s.ctl.set(ValueLayout.JAVA_LONG, 16, ++input);
        return (long) Ffm.RESUME_GUARDED.invokeExact(s.ctl.address());
    }
}
