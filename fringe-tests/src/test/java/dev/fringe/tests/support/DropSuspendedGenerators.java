// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for README rule 6: creates {@code count} generators on one backend,
 * resumes each once (so its body is parked in {@code suspend}, holding {@value #BALLAST} bytes)
 * and drops it. Run it with a small heap ({@code -Xmx256m}); it exits 0 and prints a line
 * starting with {@link #SUCCESS} only if every dropped generator was unwound by fringe's cleaner
 * (each body's {@code finally} ran) and, on thread-based backends, every body thread ended.
 *
 * <p>The proof is that every body's {@code finally} block runs: a generator that stayed reachable
 * (or whose cleanup never ran) would leave the count short and the program fails. The small heap
 * is the point of the test: 200 000 bodies holding 1 KiB each need more than 256 MiB if the
 * program creates and drops them faster than fringe's cleaner unwinds them, which it did on the
 * {@code continuation} backend (OutOfMemoryError) until creating a generator started to help
 * the cleaner when it falls behind. (A leak on the {@code thread} backend would also exceed the
 * kernel's thread limit: {@code pid_max} is often 32 768.)
 *
 * <p>Arguments: backend name, count, timeout in seconds for the cleanup to finish.
 */
public final class DropSuspendedGenerators {
    /** The first word of the line printed on success. */
    public static final String SUCCESS = "DROPPED-AND-COLLECTED";
    /** What each body holds while suspended. */
    static final int BALLAST = 1024;
    private static final String BODY_THREAD_PREFIX = "fringe-thread-";

    private DropSuspendedGenerators() {}

    public static void main(String[] args) throws InterruptedException {
        GeneratorBackend backend = Backends.named(args[0])
                .orElseThrow(() -> new IllegalArgumentException("no backend named " + args[0] + ":\n" + Backends.describe()));
        backend.unavailableReason().ifPresent(why -> {
            throw new IllegalStateException(backend.name() + " is unavailable: " + why);
        });
        int count = Integer.parseInt(args[1]);
        long timeoutSeconds = Long.parseLong(args[2]);

        CountDownLatch unwound = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            startAndDrop(backend, i, unwound);
        }
        long created = System.nanoTime();

        // Every dropped generator must be closed by the cleaner; nudge the collector until the
        // last finally block has run.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!unwound.await(100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                System.out.println("FAILED: only " + (count - unwound.getCount()) + " of " + count
                        + " dropped generators were unwound within " + timeoutSeconds + " s");
                System.exit(2);
            }
            System.gc();
        }
        long cleaned = System.nanoTime();

        // A body thread ends right after its finally block; join the stragglers.
        List<Thread> bodyThreads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(BODY_THREAD_PREFIX)) {
                bodyThreads.add(t);
            }
        }
        for (Thread t : bodyThreads) {
            t.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())) + 1);
            if (t.isAlive()) {
                System.out.println("FAILED: body thread " + t.getName() + " is still alive after its generator was unwound");
                System.exit(3);
            }
        }
        System.out.printf("%s backend=%s count=%d createMs=%d cleanupMs=%d maxHeapMiB=%d%n", SUCCESS, backend.name(),
                count, TimeUnit.NANOSECONDS.toMillis(created - start), TimeUnit.NANOSECONDS.toMillis(cleaned - created),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** In a method of its own so that no local of the loop keeps the generator reachable. */
    private static void startAndDrop(GeneratorBackend backend, int i, CountDownLatch unwound) {
        Generator<Integer, Integer> generator = backend.create((yielder, input) -> {
            byte[] ballast = new byte[BALLAST];
            try {
                yielder.suspend(input);
                yielder.suspend(input + ballast.length);
            } finally {
                unwound.countDown();
            }
        });
        Integer out = generator.resume(i).orElseThrow();
        if (out != i) {
            throw new AssertionError("resume(" + i + ") returned " + out);
        }
    }
}
