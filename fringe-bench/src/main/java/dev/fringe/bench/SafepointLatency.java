// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code Linker.Option.critical} would cost fringe's resume: while one thread resumes a
 * native body that computes for {@code BODY_MS} milliseconds before it suspends, another thread
 * asks for a garbage collection, which needs every thread at a safepoint. The collection's wall
 * time is printed for an ordinary downcall of the resume routine (what fringe uses) and for a
 * critical one. Not JMH: one event per mode, measured in milliseconds.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xlog:safepoint -cp fringe-bench/target/benchmarks.jar \
 *     dev.fringe.bench.SafepointLatency
 * </pre>
 */
// "restricted": raw FFM downcalls, with native access enabled on the command line.
@SuppressWarnings("restricted")
public final class SafepointLatency {
    private static final long BODY_MS = 2000;

    private SafepointLatency() {}

    public static void main(String[] args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor wordToWord = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        MemorySegment resume = NativeRoundTripBenchmark.Ffm.RESUME_SYMBOL;
        for (boolean critical : new boolean[] {false, true}) {
            MethodHandle handle = critical ? linker.downcallHandle(resume, wordToWord, Linker.Option.critical(false))
                    : linker.downcallHandle(resume, wordToWord);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment stack = arena.allocate(64 * 1024, 16);
                long address = (long) NativeRoundTripBenchmark.Ffm.INIT.invokeExact(stack.address() + stack.byteSize(),
                        NativeRoundTripBenchmark.Ffm.SPIN.address(), 0L);
                MemorySegment ctl = MemorySegment.ofAddress(address).reinterpret(32);
                ctl.set(ValueLayout.JAVA_LONG, 16, BODY_MS);
                AtomicLong spins = new AtomicLong();
                Thread resumer = new Thread(() -> {
                    try {
                        spins.set((long) handle.invokeExact(ctl.address()));
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }, "resumer");
                resumer.start();
                Thread.sleep(200); // the body is computing now
                long start = System.nanoTime();
                System.gc();
                long gcMs = (System.nanoTime() - start) / 1_000_000;
                resumer.join();
                System.out.printf("%s resume: System.gc() during a %d ms body took %d ms (body spun %d times)%n",
                        critical ? "critical" : "ordinary", BODY_MS, gcMs, spins.get());
            }
        }
    }
}
