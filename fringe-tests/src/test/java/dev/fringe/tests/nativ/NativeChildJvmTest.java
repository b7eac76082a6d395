// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static dev.fringe.tests.nativ.TestBodies.scaled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.jna.NativeGenerator;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Native generators in a JVM of their own: what one JVM decides once (the binding), and what
 * needs JVM flags of its own (a JIT-free interpreter to widen a race, a heap too large to collect
 * on its own). Each child runs with this JVM's binding, native access and test scale unless the
 * test says otherwise.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NativeChildJvmTest {

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
        ChildJvm.Result result = child("-XX:+UseSerialGC", "-Xms512m", "-Xmx512m", "-Xmn400m")
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
    // Which binding a JVM chooses
    // ------------------------------------------------------------------------------------------

    /** Prints the diagnostics line and the binding a generator runs on. */
    public static final class Diagnose {
        public static void main(String[] args) {
            System.out.println("diagnostics=" + NativeGenerator.diagnostics());
            System.out.println("available=" + NativeGenerator.isAvailable());
            if (NativeGenerator.isAvailable()) {
                try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("count"), null)) {
                    System.out.println("generator=" + gen + " " + gen.resume(2L).orElseThrow());
                }
            }
        }
    }

    private static ChildJvm.Result diagnose(String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.addAll(TestBodies.inheritedJvmFlags());
        ChildJvm.Result result = ChildJvm.withArgs().jvmArgs(args.toArray(String[]::new))
                .run(Duration.ofMinutes(2), Diagnose.class);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result;
    }

    private static boolean ffmExists() {
        return Runtime.version().feature() >= 22;
    }

    /** Without native access granted, the default is JNA, and the diagnostics say why. */
    @Test
    void withoutNativeAccess_theDefaultIsJna_andTheDiagnosticsSayWhy() {
        ChildJvm.Result result = diagnose();

        assertThat(result.value("diagnostics")).as("%s", result).startsWith("native generators available: binding jna")
                .contains(ffmExists() ? "native access is not enabled" : "needs JDK 22");
        assertThat(result.value("generator")).startsWith("NativeGenerator[RUNNABLE, jna, ").endsWith(" 1");
    }

    /** With native access granted, the default is FFM where the JDK has it. */
    @Test
    void withNativeAccess_theDefaultIsFfmFromJdk22On() {
        ChildJvm.Result result = diagnose("--enable-native-access=ALL-UNNAMED");

        String binding = ffmExists() ? "ffm" : "jna";
        assertThat(result.value("diagnostics")).as("%s", result).startsWith("native generators available: binding " + binding);
        assertThat(result.value("generator")).startsWith("NativeGenerator[RUNNABLE, " + binding + ", ").endsWith(" 1");
    }

    /** The property forces a binding; asking for FFM where it cannot exist says so and what to do. */
    @Test
    void theBindingPropertyForcesOne_andAnUnknownOrImpossibleOneSaysWhatToDo() {
        ChildJvm.Result jna = diagnose("--enable-native-access=ALL-UNNAMED", "-Dfringe.native.binding=jna");
        assertThat(jna.value("diagnostics")).as("%s", jna).startsWith("native generators available: binding jna")
                .contains("-Dfringe.native.binding=jna");

        ChildJvm.Result ffm = diagnose("-Dfringe.native.binding=ffm");
        if (ffmExists()) {
            assertThat(ffm.value("diagnostics")).as("%s", ffm).startsWith("native generators available: binding ffm");
        } else {
            assertThat(ffm.value("available")).as("%s", ffm).isEqualTo("false");
            assertThat(ffm.value("diagnostics")).contains("the ffm binding needs JDK 22 or later");
        }

        ChildJvm.Result unknown = diagnose("-Dfringe.native.binding=panama");
        assertThat(unknown.value("available")).as("%s", unknown).isEqualTo("false");
        assertThat(unknown.value("diagnostics")).contains("-Dfringe.native.binding=panama names no binding: use ffm");
    }

    /** A child JVM with this JVM's binding, native access and test scale. */
    private static ChildJvm child(String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.addAll(TestBodies.childJvmFlags());
        return ChildJvm.withArgs().jvmArgs(args.toArray(String[]::new));
    }
}
