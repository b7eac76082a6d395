// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static dev.fringe.tests.nativ.TestBodies.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.NativeStack;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.OwnedStack;
import dev.fringe.jna.SliceStack;
import dev.fringe.tests.support.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Native generators under misuse, races and abandonment at scale: no input or misuse crashes
 * the JVM, hangs, hands out a wrong value or leaks; a misuse gets a clear exception. The cases
 * that need a JVM of their own (a JIT-free interpreter to widen a race, a heap too large to
 * collect on its own) run in a child JVM with the binding this JVM uses.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NativeMisuseTest {

    // ------------------------------------------------------------------------------------------
    // resume() returns its own value, never another thread's
    // ------------------------------------------------------------------------------------------

    /**
     * Threads race {@code resume(x)} on one generator whose body echoes its input: every resume
     * that wins must return its own {@code x}. Runs in a child JVM under {@code -Xint}, where the
     * window between a resume's switch and its read of the value is wide enough for another
     * thread's whole round trip to fit in (before the fix: a few in 10^5).
     */
    @Test
    void racingResumes_eachReturnTheirOwnValue() {
        ChildJvm.Result result = child("-Xint").run(Duration.ofMinutes(4), ResumeRace.class,
                String.valueOf(scaled(300_000)));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.value("wrong")).as("resumes that returned another thread's value; %s", result).isEqualTo("0");
        assertThat(Long.parseLong(result.value("done"))).isEqualTo(scaled(300_000));
    }

    /** The child of {@link #racingResumes_eachReturnTheirOwnValue}. */
    public static final class ResumeRace {
        public static void main(String[] args) throws InterruptedException {
            int rounds = Integer.parseInt(args[0]);
            NativeGenerator gen = NativeGenerator.create(64 * 1024, body("echo"), null);
            AtomicLong done = new AtomicLong();
            AtomicLong wrong = new AtomicLong();
            AtomicReference<String> first = new AtomicReference<>("");
            List<Thread> threads = new ArrayList<>();
            for (int t = 1; t <= 3; t++) {
                long tag = (long) t << 24; // fits a 32-bit word too
                threads.add(new Thread(() -> {
                    for (long k = 0; done.get() < rounds; ) {
                        long x = tag + (k & 0xFF_FFFF);
                        try {
                            Optional<Long> got = gen.resume(x);
                            if (got.orElseThrow() != x) {
                                wrong.incrementAndGet();
                                first.compareAndSet("", "resume(" + x + ") returned " + got.get());
                            }
                            k++;
                            done.incrementAndGet();
                        } catch (IllegalStateException lostTheRace) {
                            // README rule 4: the loser gets ISE and nothing changes; retry
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            System.out.println("done=" + Math.min(done.get(), rounds));
            System.out.println("wrong=" + wrong.get());
            System.out.println("first=" + first.get());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Abandoned generators do not exhaust the process's memory maps
    // ------------------------------------------------------------------------------------------

    /**
     * Abandons suspended generators, each on an {@code OsStack} of its own (two memory maps:
     * the stack and its guard), in a child JVM whose young generation is too large for the
     * loop to fill: nothing but fringe itself asks for a collection. The number of maps must
     * stay bounded (before the fix it grew by two per generator until {@code mmap} failed at
     * {@code vm.max_map_count}, 65 530 by default, after about 32 000 generators).
     */
    @Test
    void abandonedGenerators_keepTheNumberOfMemoryMapsBounded() {
        int generators = scaled(40_000);
        ChildJvm.Result result = child("-XX:+UseSerialGC", "-Xms1g", "-Xmx1g", "-Xmn900m")
                .run(Duration.ofMinutes(4), Abandon.class, String.valueOf(generators));

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(Integer.parseInt(result.value("created"))).isEqualTo(generators);
        // The default threshold (-Dfringe.native.gcThreshold) is 1024 live stacks of two maps each.
        assertThat(Integer.parseInt(result.value("peakMaps"))).as("%s", result).isLessThan(4 * 1024);
    }

    /** The child of {@link #abandonedGenerators_keepTheNumberOfMemoryMapsBounded}. */
    public static final class Abandon {
        public static void main(String[] args) throws IOException {
            int generators = Integer.parseInt(args[0]);
            int before = maps();
            int peak = 0;
            for (int i = 0; i < generators; i++) {
                NativeGenerator gen = NativeGenerator.create(64 * 1024, body("echo"), null);
                gen.advance(i & 0xFFFF); // suspended, then dropped
                if (i % 512 == 0) {
                    peak = Math.max(peak, maps() - before);
                }
            }
            System.out.println("created=" + generators);
            System.out.println("peakMaps=" + Math.max(peak, maps() - before));
        }

        private static int maps() throws IOException {
            return Files.readAllLines(Path.of("/proc/self/maps")).size();
        }
    }

    // ------------------------------------------------------------------------------------------
    // A generator abandoned with its stack never blocks a fresh stack
    // ------------------------------------------------------------------------------------------

    /**
     * A generator and the stack it was given are abandoned together, over and over. Their two
     * cleanups run in any order; a fresh stack that gets the freed memory must never be refused
     * as "in use" because the dead generator's claim outlived the memory (before the fix: about
     * one in a hundred {@code OsStack}s, many more {@code OwnedStack}s, whose memory
     * {@code malloc} hands out again at once).
     */
    @Test
    void stacksAbandonedWithTheirGenerator_neverBlockAFreshStack() {
        assertNoFreshStackRefused(OwnedStack::allocate);
        assertNoFreshStackRefused(OsStack::allocate);
    }

    private static void assertNoFreshStackRefused(IntFunction<NativeStack> allocate) {
        int rounds = scaled(20_000);
        int refused = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            NativeStack fresh = allocate.apply(64 * 1024);
            try {
                NativeGenerator gen = NativeGenerator.create(fresh, body("echo"), null);
                assertThat(gen.advance(i)).isTrue(); // suspended, then dropped with its stack
            } catch (IllegalStateException e) {
                if (refused++ < 3) {
                    examples.add("round " + i + ", " + fresh + ": " + e.getMessage());
                }
            }
            if (i % 500 == 499) {
                System.gc(); // lets the cleaner run both cleanups while the loop allocates
            }
        }
        assertThat(refused).as("fresh stacks of %d refused as in use, e.g. %s", rounds, examples).isZero();
    }

    // ------------------------------------------------------------------------------------------
    // Bad pointers and sizes get a clear exception, never a crash or a wrong size
    // ------------------------------------------------------------------------------------------

    @Test
    void create_refusesABodyAtAddressZero() {
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            assertThatThrownBy(() -> NativeGenerator.create(stack, new Pointer(0), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("body");
            assertThatThrownBy(() -> NativeGenerator.create(64 * 1024, new Pointer(0), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("body");
            assertThat(stack.inUse()).as("a refused create claims nothing").isFalse();
        }
    }

    @Test
    void sliceStack_refusesARangeThatWrapsPastTheEndOfTheAddressSpace() {
        Memory memory = new Memory(64 * 1024);
        assertThatThrownBy(() -> SliceStack.of(memory, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address space");
        // The last page a process's address space can have: below 2^63 (64-bit) or 2^32 (32-bit).
        long top = Native.POINTER_SIZE == 8 ? 0x7fff_ffff_ffff_f000L : 0xffff_f000L;
        assertThatThrownBy(() -> SliceStack.of(new Pointer(top), 8192))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address space");
        assertThat(SliceStack.of(new Pointer(top - 8192), 8192).size()).as("ends below the limit").isEqualTo(8192);
        if (Native.POINTER_SIZE == 8) {
            assertThatThrownBy(() -> SliceStack.of(new Pointer(0xffff_ffff_ffff_0000L), 8192))
                    .as("the kernel's half").isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ownedStack_ofAnImpossibleSize_isRefusedWithAPositiveLargestSize() {
        for (long size : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 14}) {
            assertThatThrownBy(() -> OwnedStack.allocate(size)).as("OwnedStack.allocate(%d)", size)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(size))
                    .hasMessageContaining("address space")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern(" -[0-9]"));
        }
        assertThatThrownBy(() -> OsStack.allocate(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address space");
        assertThatThrownBy(() -> NativeGenerator.create(Long.MAX_VALUE, body("echo"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A child JVM with this JVM's binding, native access and test scale. */
    private static ChildJvm child(String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.addAll(TestBodies.childJvmFlags());
        return ChildJvm.withArgs().jvmArgs(args.toArray(String[]::new));
    }
}
