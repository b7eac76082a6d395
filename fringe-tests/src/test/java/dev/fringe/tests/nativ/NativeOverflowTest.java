// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.spi.ArchSupport;
import dev.fringe.tests.support.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A native body that runs past the end of its {@link OsStack}: the resume throws
 * {@link StackOverflowError}, the generator is {@link State#FAILED}, its stack is released and
 * never entered again, and the JVM goes on (docs/native-overflow.md). Every scenario runs in a
 * child JVM of its own, which writes any HotSpot error report into the test's directory and is
 * killed after a timeout: a failure here would take the JVM down. The child checks what it can,
 * prints counts, and exits 0; the test asserts the counts and that no error report was written.
 *
 * <p>The matrix: 200 overflows in a row; a suspend that meets the guard at every word near the
 * limit (inside the switch too); generators nested in C and a native generator inside a Java
 * one; threads overflowing at once while others collect garbage, take implicit null pointer
 * exceptions and overflow their Java stacks; 600 short-lived threads; virtual-thread resumers;
 * G1 and Serial, {@code -Xint}, C1 only, {@code -Xcheck:jni}; {@code libjsig} preloaded. These run
 * on the build's JDK and, through the cross profile, on the i386 and arm64 JDK 17s. Negative: a
 * null write in a body stays a crash, with HotSpot's error report. (A frame larger than the guard
 * is measured by the architecture modules' C harness: it depends on how the body was compiled.)
 *
 * <p>Child JVMs get this JVM's binding (the native suite runs once per binding), native access and
 * test scale ({@link TestBodies#childJvmFlags()}).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NativeOverflowTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(4);
    private static final long SMALL_STACK = 16 * 1024;

    // ------------------------------------------------------------------------------------------
    // In a row
    // ------------------------------------------------------------------------------------------

    /**
     * 200 overflows in a row, every other on a stack the generator owns and the others on one
     * {@code OsStack} used again and again; each leaves the generator FAILED and its stack free;
     * afterwards a generator runs normally.
     */
    @Test
    void overflows_200InARow_eachThrowsStackOverflowError_andTheJvmGoesOn(@TempDir Path dir) {
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, InARow.class, "200");

        assertHealthy(result, dir);
        assertThat(result.value("overflows")).as("%s", result).isEqualTo("200");
        assertThat(result.value("recovered")).as("the library's count; %s", result).isEqualTo("200");
        assertThat(result.value("afterwards")).as("%s", result).isEqualTo("1 2 3 returned 300");
    }

    /** The child of {@link #overflows_200InARow_eachThrowsStackOverflowError_andTheJvmGoesOn}. */
    public static final class InARow {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[0]);
            System.out.println("overflows=" + overflowsInARow(n));
            System.out.println("recovered=" + recoveredOverflows());
            System.out.println("afterwards=" + countToThree());
        }

        static int overflowsInARow(int n) {
            OsStack reused = OsStack.allocate(SMALL_STACK);
            int overflows = 0;
            for (int i = 0; i < n; i++) {
                boolean owned = i % 2 == 1;
                Memory runs = TestBodies.word(0);
                NativeGenerator gen = owned
                        ? NativeGenerator.create(SMALL_STACK + (i % 7) * 4096L, body("overflow_counting"), runs)
                        : NativeGenerator.create(reused, body("overflow_counting"), runs);
                long usable = gen.stack().base() - gen.stack().limit();
                check(gen.resume((long) i).equals(Optional.of(i + 1L)), "the first resume suspends input + 1");
                StackOverflowError error = overflowOf(gen);
                check(error.getMessage().contains("overflowed its stack of " + usable + " bytes")
                        && error.getMessage().contains("NativeGenerator.create(") && error.getMessage().contains("OsStack.allocate("),
                        "the message names the size and how to enlarge it: " + error.getMessage());
                check(gen.state() == State.FAILED, "FAILED, not " + gen.state());
                check(runs(runs) == 2, "the body ran twice before it overflowed: " + runs(runs));
                // Never entered again: a resume runs nothing and returns empty, as after any failure.
                check(!gen.advance(5) && gen.resume(6L).isEmpty() && runs(runs) == 2, "a failed generator ran again");
                check(fails(gen::value) && fails(gen::returnValue), "no value and no return value after an overflow");
                gen.close(); // idempotent, changes nothing
                check(gen.state() == State.FAILED, "close() changed a FAILED generator");
                check(!((dev.fringe.jna.NativeStack) gen.stack()).inUse(), "the stack was released");
                if (owned) {
                    // An owned stack is unmapped: it cannot carry a generator any more.
                    check(fails(() -> NativeGenerator.create(gen.stack(), body("count"), null)), "owned stack not closed");
                }
                overflows++;
            }
            reused.close();
            return overflows;
        }
    }

    // ------------------------------------------------------------------------------------------
    // At every word of a call into the switch
    // ------------------------------------------------------------------------------------------

    /**
     * A body suspends from every depth, with every pad of a word below its last frame: for each
     * pad there is a depth from which on the suspend overflows (its call's push, or the switch's
     * saving of registers meets the guard) and below which it suspends and continues normally.
     * Across the pads the faulting position moves a word at a time. (The C harness of each
     * architecture module places the stack pointer exactly.)
     */
    @Test
    void overflowAtEveryWordOfASuspend_isEitherASuspendOrAStackOverflowError(@TempDir Path dir) {
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, EveryWord.class);

        assertHealthy(result, dir);
        int pads = Integer.parseInt(result.value("pads"));
        assertThat(pads).as("%s", result).isGreaterThanOrEqualTo(8);
        assertThat(result.value("monotonic")).as("%s", result).isEqualTo(String.valueOf(pads));
    }

    /** The child of {@link #overflowAtEveryWordOfASuspend_isEitherASuspendOrAStackOverflowError}. */
    public static final class EveryWord {
        public static void main(String[] args) {
            OsStack stack = OsStack.allocate(SMALL_STACK);
            int word = Native.POINTER_SIZE;
            int pads = 0;
            int monotonic = 0;
            for (int pad = 0; pad < 16 * word; pad += word) {
                Memory env = TestBodies.word(pad);
                // The smallest depth that overflows, by bisection; then its neighbours one by one.
                int low = 0;
                int high = (int) (SMALL_STACK / 8);
                check(!overflows(stack, env, low) && overflows(stack, env, high), "pad " + pad + ": no boundary");
                while (high - low > 1) {
                    int middle = (low + high) >>> 1;
                    if (overflows(stack, env, middle)) {
                        high = middle;
                    } else {
                        low = middle;
                    }
                }
                boolean ordered = true;
                for (int depth = high - 4; depth <= high + 4; depth++) {
                    ordered &= overflows(stack, env, depth) == (depth >= high);
                }
                pads++;
                monotonic += ordered ? 1 : 0;
            }
            stack.close();
            System.out.println("pads=" + pads);
            System.out.println("monotonic=" + monotonic);
            System.out.println("recovered=" + recoveredOverflows());
        }

        /** One generator: suspend from {@code depth} frames deep; true if that overflowed. */
        private static boolean overflows(OsStack stack, Memory env, int depth) {
            NativeGenerator gen = NativeGenerator.create(stack, body("suspend_deep"), env);
            try {
                check(gen.resume((long) depth).equals(Optional.of(0L)), "the suspend hands over 0");
            } catch (StackOverflowError e) {
                check(gen.state() == State.FAILED && !stack.inUse(), "FAILED and released after an overflow");
                return true;
            }
            // The suspend went through: the body continues where it stopped and returns.
            check(!gen.advance(1) && gen.returnValue() == depth, "the body returns its depth after the suspend");
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Nested generators
    // ------------------------------------------------------------------------------------------

    /**
     * A native body resumes a generator nested in it (from C, through the architecture library),
     * which overflows: the outer body sees status 2 and goes on, then overflows itself. And a
     * native generator overflowing inside a Java generator's body: the same
     * {@code StackOverflowError} fails the Java generator (README rule 3).
     */
    @Test
    void nestedGenerators_anInnerOverflowReachesItsResumer_thenTheOuterOverflows(@TempDir Path dir) {
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, Nested.class);

        assertHealthy(result, dir);
        assertThat(result.value("outerSuspended")).as("inner: 3 + 1, then 0; %s", result).isEqualTo("40");
        assertThat(result.value("innerStatus")).as("%s", result).isEqualTo("2");
        assertThat(result.value("innerRuns")).as("%s", result).isEqualTo("2");
        assertThat(result.value("outer")).as("%s", result).isEqualTo("StackOverflowError FAILED");
        assertThat(result.value("javaGenerator")).as("%s", result).isEqualTo("1, then the same StackOverflowError, FAILED");
    }

    /** The child of {@link #nestedGenerators_anInnerOverflowReachesItsResumer_thenTheOuterOverflows}. */
    public static final class Nested {
        public static void main(String[] args) {
            ArchSupport arch = TestBodies.arch();
            NativeLibrary library = TestBodies.archLibrary();
            int word = Native.POINTER_SIZE;
            OsStack inner = OsStack.allocate(32 * 1024);
            Memory env = new Memory(9L * word);
            env.clear();
            String[] functions = {arch.initSymbol(), arch.guardedResumeSymbol(), arch.guardRegisterSymbol(),
                arch.guardDeregisterSymbol()};
            for (int i = 0; i < functions.length; i++) {
                env.setPointer((long) i * word, library.getFunction(functions[i]));
            }
            env.setPointer(4L * word, new Pointer(inner.guardStart()));
            env.setPointer(5L * word, new Pointer(inner.limit()));
            env.setPointer(6L * word, new Pointer(inner.base()));
            try (NativeGenerator outer = NativeGenerator.create(64 * 1024, body("nest_outer"), env)) {
                System.out.println("outerSuspended=" + outer.resume(3L).orElseThrow());
                System.out.println("innerRuns=" + env.getNativeLong(7L * word));
                System.out.println("innerStatus=" + env.getNativeLong(8L * word));
                System.out.println("outer=" + overflowOf(outer).getClass().getSimpleName() + " " + outer.state());
            }
            inner.close();

            AtomicLong innerRuns = new AtomicLong();
            Memory runs = TestBodies.word(0);
            StackOverflowError[] seen = new StackOverflowError[1];
            Generator<Long, Long> java = Generator.create((yielder, input) -> {
                NativeGenerator gen = NativeGenerator.create(SMALL_STACK, body("overflow_counting"), runs);
                yielder.suspend(gen.resume(0L).orElseThrow());
                innerRuns.set(runs(runs));
                try {
                    gen.advance(0);
                } catch (StackOverflowError e) {
                    seen[0] = e;
                    throw e;
                }
            });
            long first = java.resume(0L).orElseThrow();
            try {
                java.resume(0L);
                System.out.println("javaGenerator=no error");
            } catch (StackOverflowError e) {
                System.out.println("javaGenerator=" + first + ", then " + (e == seen[0] ? "the same " : "another ")
                        + e.getClass().getSimpleName() + ", " + java.state());
            }
            System.out.println("recovered=" + recoveredOverflows());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Threads, with the JVM busy
    // ------------------------------------------------------------------------------------------

    /**
     * Six threads overflow 20 times each while other threads allocate and collect garbage, take
     * implicit null pointer exceptions (HotSpot's own SIGSEGVs, forwarded by fringe's handler)
     * and overflow their Java stacks (HotSpot's guard zones, likewise).
     */
    @Test
    void threadsOverflowingAtOnce_whileTheJvmCollectsAndTakesItsOwnFaults(@TempDir Path dir) {
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, Concurrent.class, "6", "20", String.valueOf(javaStackOverflows()));

        assertHealthy(result, dir);
        assertThat(result.value("overflows")).as("%s", result).isEqualTo("120");
        assertBusy(result);
    }

    /**
     * Whether Java stack overflows run beside: not on i386 under qemu-i386, where a JVM dies on
     * its first Java {@code StackOverflowError} while other threads run, with or without fringe
     * (qemu's sigreturn gives the thread another thread's TLS: see fringe_guard.c).
     */
    private static boolean javaStackOverflows() {
        boolean i386 = List.of("i386", "x86", "i686").contains(System.getProperty("os.arch"));
        return !(i386 && Integer.getInteger("fringe.test.divisor", 1) > 1);
    }

    private static void assertBusy(ChildJvm.Result result) {
        assertThat(result.value("gcs")).as("%s", result).isEqualTo("yes");
        assertThat(result.value("nullPointerExceptions")).as("%s", result).isEqualTo("yes");
        assertThat(result.value("javaStackOverflows")).as("%s", result).isIn(javaStackOverflows() ? "yes" : "skipped");
    }

    /** The child of {@link #threadsOverflowingAtOnce_whileTheJvmCollectsAndTakesItsOwnFaults}. */
    public static final class Concurrent {
        public static void main(String[] args) throws Exception {
            busy(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Boolean.parseBoolean(args[2])).forEach(System.out::println);
            System.out.println("recovered=" + recoveredOverflows());
        }

        /** Runs the scenario and returns its result lines. */
        static List<String> busy(int threads, int each, boolean javaStackOverflows) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong npes = new AtomicLong();
            AtomicLong soes = new AtomicLong();
            AtomicLong gcs = new AtomicLong();
            List<Thread> background = new ArrayList<>();
            background.add(new Thread(() -> {
                while (!stop.get()) {
                    try {
                        nothing.hashCode(); // an implicit null check: a SIGSEGV that HotSpot answers
                    } catch (NullPointerException e) {
                        npes.incrementAndGet();
                    }
                }
            }, "npe"));
            if (javaStackOverflows) {
                background.add(new Thread(null, () -> {
                    while (!stop.get()) {
                        try {
                            deep(0);
                        } catch (StackOverflowError e) {
                            soes.incrementAndGet();
                        }
                    }
                }, "java-soe", 512 * 1024));
            }
            background.add(new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    sink = new byte[64 * 1024];
                    if (i % 500 == 0) {
                        System.gc();
                        gcs.incrementAndGet();
                    }
                }
            }, "gc"));
            background.forEach(Thread::start);
            List<Thread> overflowers = new ArrayList<>();
            AtomicLong overflows = new AtomicLong();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                overflowers.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            overflowOnce();
                            overflows.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "overflower-" + t));
            }
            overflowers.forEach(Thread::start);
            for (Thread t : overflowers) {
                t.join();
            }
            // Let each kind of background work happen at least once, however fast the overflows were.
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    (npes.get() == 0 || gcs.get() == 0 || javaStackOverflows && soes.get() == 0) && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Thread t : background) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " overflow threads failed", failures.get(0));
            }
            return List.of("overflows=" + overflows.get(),
                    "gcs=" + (gcs.get() > 0 ? "yes" : "no"),
                    "nullPointerExceptions=" + (npes.get() > 0 ? "yes" : "no"),
                    "javaStackOverflows=" + (!javaStackOverflows ? "skipped" : soes.get() > 0 ? "yes" : "no"));
        }

        static Object nothing;
        static volatile Object sink;

        private static int deep(int n) {
            return deep(n + 1) + 1;
        }
    }

    /**
     * 600 threads, 20 at a time, each overflows a generator and exits: the alternate signal
     * stack fringe gave each is unmapped when it exits, so the process has about as many memory
     * maps afterwards as before (a leak would leave two per thread: 1 200), and fringe's count of
     * alternate stacks is back to 0.
     */
    @Test
    void shortLivedThreads_leaveNoStrayMappings(@TempDir Path dir) {
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, ShortLivedThreads.class, "600");

        assertHealthy(result, dir);
        assertThat(result.value("threads")).as("%s", result).isEqualTo("600");
        // 20 threads at a time, each with its alternate stack; the batch before may still be
        // exiting (a joined Java thread's native thread ends a moment later).
        assertThat(Integer.parseInt(result.value("alternateStacksAtThePeak"))).as("%s", result).isBetween(20, 40);
        assertThat(result.value("alternateStacksAfter")).as("%s", result).isEqualTo("0");
        // The JVM maps on its own meanwhile (compiler threads come and go, the code cache grows;
        // seen: up to 74 under qemu-aarch64): some slack, far below a leak's one or two mappings
        // per thread (qemu-i386's maps file leaves out PROT_NONE guards).
        assertThat(Integer.parseInt(result.value("extraMappings"))).as("%s", result).isLessThan(200);
    }

    /** The child of {@link #shortLivedThreads_leaveNoStrayMappings}. */
    public static final class ShortLivedThreads {
        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[0]);
            int batch = 20;
            // Warm-up without generators: the JVM's and glibc's per-thread caches fill once.
            runBatch(batch, () -> {
                sink = new byte[1024];
            });
            recoveredOverflows(); // loads the library: its mappings count as "before"
            int before = maps();
            long peak = 0;
            for (int done = 0; done < n; done += batch) {
                java.util.concurrent.CyclicBarrier allSetUp = new java.util.concurrent.CyclicBarrier(batch + 1);
                java.util.concurrent.CountDownLatch counted = new java.util.concurrent.CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    threads.add(new Thread(() -> {
                        overflowOnce();
                        await(allSetUp);
                        awaitLatch(counted);
                    }));
                }
                threads.forEach(Thread::start);
                await(allSetUp);
                peak = Math.max(peak, alternateStacks());
                counted.countDown();
                for (Thread t : threads) {
                    t.join();
                }
            }
            // The native threads finish exiting (and unmap their alternate stacks) after join().
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); alternateStacks() > 0
                    && System.nanoTime() < end; ) {
                Thread.sleep(10);
            }
            System.out.println("threads=" + n);
            System.out.println("alternateStacksAtThePeak=" + peak);
            System.out.println("alternateStacksAfter=" + alternateStacks());
            System.out.println("extraMappings=" + (maps() - before));
            System.out.println("recovered=" + recoveredOverflows());
        }

        static volatile Object sink;

        private static void runBatch(int batch, Runnable work) throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                threads.add(new Thread(work));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }

        private static int maps() {
            try {
                return Files.readAllLines(Path.of("/proc/self/maps")).size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Virtual threads resume native generators: a virtual thread may move to another carrier
     * between two resumes, so each resume from one goes through the guarded routine, which sets
     * up whichever carrier runs it. 200 virtual threads, each resumes, sleeps (and may move),
     * then overflows.
     */
    @Test
    void virtualThreadResumers_overflowOnWhateverCarrierRunsThem(@TempDir Path dir) {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, VirtualThreads.class, "200");

        assertHealthy(result, dir);
        assertThat(result.value("overflows")).as("%s", result).isEqualTo("200");
    }

    /** The child of {@link #virtualThreadResumers_overflowOnWhateverCarrierRunsThem}. */
    public static final class VirtualThreads {
        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[0]);
            AtomicLong overflows = new AtomicLong();
            // Executors.newVirtualThreadPerTaskExecutor(), a JDK 21 API (these tests compile for 17).
            ExecutorService executor = (ExecutorService) java.util.concurrent.Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(executor.submit(() -> {
                    Memory runs = TestBodies.word(0);
                    NativeGenerator gen = NativeGenerator.create(SMALL_STACK, body("overflow_counting"), runs);
                    check(gen.resume(1L).equals(Optional.of(2L)), "first resume");
                    Thread.sleep(1); // unmounts: the next resume may run on another carrier
                    overflowOf(gen);
                    overflows.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            executor.shutdown();
            System.out.println("overflows=" + overflows.get());
            System.out.println("recovered=" + recoveredOverflows());
        }
    }

    // ------------------------------------------------------------------------------------------
    // JVM configurations
    // ------------------------------------------------------------------------------------------

    /**
     * Overflows in a row and at once, with the JVM busy, under each collector and compiler
     * configuration, and under {@code -Xcheck:jni}, whose periodic check of HotSpot's signal
     * handlers notices fringe's and says so once (expected; docs/native-overflow.md).
     *
     * @param flags the child's JVM flags, separated by spaces
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseSerialGC", "-Xint", "-XX:TieredStopAtLevel=1", "-Xcheck:jni"})
    void overflowsUnder(String flags, @TempDir Path dir) {
        List<String> jvmFlags = new ArrayList<>(List.of(flags.split(" ")));
        ChildJvm.Result result = child(dir, jvmFlags.toArray(String[]::new)).run(CHILD_TIMEOUT, Mixed.class,
                String.valueOf(javaStackOverflows()), String.valueOf(flags.contains("-Xcheck:jni")));

        assertHealthy(result, dir);
        assertThat(result.value("inARow")).as("%s", result).isEqualTo("50");
        assertThat(result.value("overflows")).as("%s", result).isEqualTo("40");
        assertBusy(result);
        if (flags.contains("-Xcheck:jni")) {
            assertThat(result.output()).as("HotSpot's check of its handlers; %s", result)
                    .contains("Warning: SIGSEGV handler modified!");
        }
    }

    /** The child of {@link #overflowsUnder}: 50 in a row, then 4 threads x 10 with the JVM busy. */
    public static final class Mixed {
        public static void main(String[] args) throws Exception {
            List<String> lines = new ArrayList<>();
            lines.add("inARow=" + InARow.overflowsInARow(50));
            lines.addAll(Concurrent.busy(4, 10, Boolean.parseBoolean(args[0])));
            if (Boolean.parseBoolean(args[1])) {
                // -Xcheck:jni checks the handlers about every 50 ms, and prints what it finds into
                // the middle of any line: the results come after.
                Thread.sleep(1500);
            }
            lines.add("recovered=" + recoveredOverflows());
            lines.forEach(System.out::println);
        }
    }

    /**
     * With {@code libjsig} preloaded, which after the JVM's start only records new SIGSEGV
     * handlers instead of installing them: overflows are still recovered, because fringe
     * installs its handler through libc's own {@code __sigaction} (docs/native-overflow.md).
     */
    @Test
    void withLibjsigPreloaded_overflowsAreStillRecovered(@TempDir Path dir) {
        Path libjsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        assumeTrue(Files.exists(libjsig), "this JDK has no " + libjsig);
        ChildJvm.Result result = child(dir).environment("LD_PRELOAD", libjsig.toString())
                .run(CHILD_TIMEOUT, InARow.class, "20");

        assertHealthy(result, dir);
        assertThat(result.value("overflows")).as("%s", result).isEqualTo("20");
        assertThat(result.value("recovered")).as("%s", result).isEqualTo("20");
    }

    // ------------------------------------------------------------------------------------------
    // Not an overflow
    // ------------------------------------------------------------------------------------------

    /**
     * A body that writes to address 0 has not overflowed its stack: fringe forwards the fault to
     * HotSpot, which writes its error report and ends the JVM; no {@code StackOverflowError}.
     */
    @Test
    void aNullWriteInABody_stillCrashesWithHotSpotsErrorReport(@TempDir Path dir) throws IOException {
        ChildJvm.Result result = child(dir).run(CHILD_TIMEOUT, Crash.class);

        assertThat(result.exitCode()).as("%s", result).isNotZero();
        assertThat(result.output()).as("%s", result).contains("crashing").doesNotContain("SURVIVED")
                .doesNotContain("StackOverflowError");
        Path report = errorReport(dir);
        assertThat(report).as("HotSpot's error report; %s", result).exists();
        String text = Files.readString(report);
        assertThat(text).contains("SIGSEGV").contains("fringe_test_null_write").containsPattern("si_addr: (0x)?0+\\b");
        // Emptied for @TempDir's cleanup, which lists the directory (impossible under qemu-i386).
        Files.delete(report);
    }

    /** The child of {@link #aNullWriteInABody_stillCrashesWithHotSpotsErrorReport}. */
    public static final class Crash {
        public static void main(String[] args) {
            NativeGenerator gen = NativeGenerator.create(SMALL_STACK, body("null_write"), null);
            System.out.println("crashing");
            System.out.flush();
            try {
                gen.resume(1L);
            } catch (Throwable e) {
                System.out.println("SURVIVED with " + e);
            }
            System.out.println("SURVIVED");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers, for the test and its children
    // ------------------------------------------------------------------------------------------

    /** A child JVM with the suite's flags, writing error reports into {@code dir}. */
    private static ChildJvm child(Path dir, String... jvmFlags) {
        List<String> flags = new ArrayList<>(TestBodies.childJvmFlags());
        flags.add("-XX:ErrorFile=" + errorReport(dir));
        flags.addAll(List.of(jvmFlags));
        return ChildJvm.withArgs().jvmArgs(flags.toArray(String[]::new));
    }

    private static void assertHealthy(ChildJvm.Result result, Path dir) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        // The count per configuration, in the build's log.
        List<String> command = result.command();
        List<String> flags = command.subList(1, command.indexOf("-cp")).stream()
                .filter(f -> f.startsWith("-X") && !f.startsWith("-XX:ErrorFile") && !f.startsWith("-XX:-CreateCoredump"))
                .toList();
        System.out.println("NativeOverflowTest: " + result.value("recovered") + " overflows recovered: Java "
                + System.getProperty("java.version") + " " + System.getProperty("os.arch") + ", binding "
                + NativeGenerator.binding() + ", flags " + flags + ", " + command.get(command.indexOf("-cp") + 2)
                .replaceFirst(".*\\$", "") + " " + String.join(" ", command.subList(command.indexOf("-cp") + 3, command.size())));
        assertThat(errorReport(dir)).as("HotSpot's error report; %s", result).doesNotExist();
        assertThat(result.output()).as("%s", result).doesNotContain("A fatal error has been detected");
    }

    /**
     * Where a child writes HotSpot's error report: one child per directory, so a fixed name (the
     * directory is not listed: under qemu-i386, a 32-bit readdir() of ext4 fails with EOVERFLOW).
     */
    private static Path errorReport(Path dir) {
        return dir.resolve("hs_err.log");
    }

    /** A generator on a stack of its own that suspends once, then overflows: checked, end to end. */
    static void overflowOnce() {
        Memory runs = TestBodies.word(0);
        NativeGenerator gen = NativeGenerator.create(SMALL_STACK, body("overflow_counting"), runs);
        check(gen.resume(1L).equals(Optional.of(2L)), "the first resume suspends input + 1");
        overflowOf(gen);
        check(runs(runs) == 2 && !gen.advance(0) && runs(runs) == 2, "the body ran twice, and never again");
    }

    /** Resumes {@code gen}, which must overflow, and returns the error. */
    static StackOverflowError overflowOf(NativeGenerator gen) {
        try {
            gen.advance(0);
        } catch (StackOverflowError e) {
            check(gen.state() == State.FAILED, "FAILED after the overflow, not " + gen.state());
            return e;
        }
        throw new AssertionError("the body did not overflow: " + gen);
    }

    /** Runs {@code action} and says whether it threw. */
    static boolean fails(Runnable action) {
        try {
            action.run();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    static long runs(Memory counter) {
        return Native.POINTER_SIZE == 8 ? counter.getLong(0) : Integer.toUnsignedLong(counter.getInt(0));
    }

    static String countToThree() {
        try (NativeGenerator gen = NativeGenerator.create(SMALL_STACK, body("count"), null)) {
            StringBuilder out = new StringBuilder();
            while (gen.advance(3)) {
                out.append(gen.value()).append(' ');
            }
            return out + "returned " + gen.returnValue();
        }
    }

    /** The library's count of recovered overflows ({@code fringe_guard_recovered_count}). */
    static long recoveredOverflows() {
        return libraryCount("fringe_guard_recovered_count");
    }

    /** The alternate signal stacks fringe has mapped and not yet unmapped. */
    static long alternateStacks() {
        return libraryCount("fringe_guard_alternate_stacks");
    }

    private static long libraryCount(String function) {
        NativeLong count = (NativeLong) TestBodies.archLibrary().getFunction(function).invoke(NativeLong.class, new Object[0]);
        return count.longValue();
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
