// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The monitor scenarios of {@link MonitorTest}, run in a child JVM: a scenario that breaks the
 * JVM's monitor bookkeeping can deadlock or crash the JVM (see {@link MonitorTest}) and must not
 * take the rest of the suite with it.
 *
 * <p>Arguments: backend name, then scenario names. Runs them in order, each with a time limit,
 * and prints one line per scenario: {@code SCENARIO name PASSED}, {@code SCENARIO name FAILED:
 * why} (with a stack trace) or {@code SCENARIO name TIMED OUT} (for these scenarios: a thread is
 * stuck on a monitor); then {@value #ALL_RUN}. A JVM crash ends the list early.
 */
public final class MonitorScenarios {
    static final String ALL_RUN = "ALL-SCENARIOS-RUN";
    private static final long TIMEOUT_SECONDS = 20;

    /** The scenarios, in the order they run (the one that can crash a JVM last). */
    enum Scenario {
        SUSPEND_IN_SYNCHRONIZED_RESUME_ON_SAME_THREAD(MonitorScenarios::suspendInSynchronizedResumeOnSameThread),
        SUSPEND_IN_SYNCHRONIZED_RESUME_ON_OTHER_THREADS(MonitorScenarios::suspendInSynchronizedResumeOnOtherThreads),
        WITH_AND_WITHOUT_MONITOR_SAME_RESULTS(MonitorScenarios::withAndWithoutMonitorSameResults),
        CLOSE_RELEASES_MONITOR(MonitorScenarios::closeReleasesMonitor),
        COLLECTION_RELEASES_MONITOR(MonitorScenarios::collectionReleasesMonitor),
        RESUMER_HOLDS_MONITOR(MonitorScenarios::resumerHoldsMonitor);

        final ScenarioBody body;

        Scenario(ScenarioBody body) {
            this.body = body;
        }
    }

    @FunctionalInterface
    interface ScenarioBody {
        void run(GeneratorBackend backend, ExecutorService other) throws Exception;
    }

    private MonitorScenarios() {}

    public static void main(String[] args) {
        GeneratorBackend backend = Backends.named(args[0]).orElseThrow();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "scenario-helper");
            t.setDaemon(true);
            return t;
        };
        for (int i = 1; i < args.length; i++) {
            Scenario scenario = Scenario.valueOf(args[i]);
            // Fresh helper threads per scenario: a stuck one must not hold up the next.
            ExecutorService other = Executors.newFixedThreadPool(2, daemons);
            ExecutorService runner = Executors.newSingleThreadExecutor(daemons);
            String line = "SCENARIO " + scenario + " ";
            try {
                runner.submit((Callable<Void>) () -> {
                    scenario.body.run(backend, other);
                    return null;
                }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                System.out.println(line + "PASSED");
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println(line + "TIMED OUT after " + TIMEOUT_SECONDS + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                System.out.println(line + "FAILED: " + e.getCause());
                e.getCause().printStackTrace(System.out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                other.shutdownNow();
                runner.shutdownNow();
            }
            System.out.flush();
        }
        System.out.println(ALL_RUN);
        System.exit(0);
    }

    /**
     * The body suspends inside {@code synchronized}; while it is suspended another thread cannot
     * enter; it is resumed on two other threads and still owns the monitor there (it can
     * {@code notifyAll}); once it leaves the block the waiting thread gets in.
     */
    static void suspendInSynchronizedResumeOnOtherThreads(GeneratorBackend backend, ExecutorService other) throws Exception {
        Object lock = new Object();
        Generator<Integer, String> g = backend.create((yielder, input) -> {
            synchronized (lock) {
                int next = yielder.suspend("locked, holds=" + Thread.holdsLock(lock));
                lock.notifyAll(); // IllegalMonitorStateException unless the body owns the monitor
                yielder.suspend("resumed with " + next + ", holds=" + Thread.holdsLock(lock));
            }
            yielder.suspend("released, holds=" + Thread.holdsLock(lock));
        });

        expect("locked, holds=true", g.resume(0).orElse(null));
        Contender contender = Contender.start(lock);
        contender.awaitBlocked();

        expect("resumed with 7, holds=true", on(other, () -> g.resume(7)).orElse(null));
        check(!contender.entered.get(), "another thread entered the monitor while the suspended body holds it");

        expect("released, holds=false", on(other, () -> g.resume(8)).orElse(null));
        contender.thread.join(TimeUnit.SECONDS.toMillis(5));
        check(contender.entered.get(), "the waiting thread never got the monitor after the body left the block ("
                + contender.thread.getState() + ")");
        check(g.resume(9).isEmpty(), "body should have finished");
        expect(State.FINISHED, g.state());
    }

    /** As above, but every resume on the thread that started the body. */
    static void suspendInSynchronizedResumeOnSameThread(GeneratorBackend backend, ExecutorService other) throws Exception {
        Object lock = new Object();
        Generator<Integer, String> g = backend.create((yielder, input) -> {
            synchronized (lock) {
                yielder.suspend("locked");
                lock.notifyAll();
            }
            yielder.suspend("released");
        });
        expect("locked", g.resume(0).orElse(null));
        Contender contender = Contender.start(lock);
        contender.awaitBlocked();
        check(!contender.entered.get(), "another thread entered the monitor while the suspended body holds it");

        expect("released", g.resume(0).orElse(null));
        contender.thread.join(TimeUnit.SECONDS.toMillis(5));
        check(contender.entered.get(), "the waiting thread never got the monitor after the body left the block ("
                + contender.thread.getState() + ")");
    }

    /**
     * The same body, resumed from three threads, suspending directly, ten frames deep and
     * inside a nested monitor, then failing: once with the whole run inside
     * {@code synchronized} and once without. The outputs must be the same.
     */
    static void withAndWithoutMonitorSameResults(GeneratorBackend backend, ExecutorService other) throws Exception {
        List<String> without = trace(backend, other, false);
        List<String> with = trace(backend, other, true);
        expect(List.of("1", "12", "2003", "failed: ArithmeticException", "FAILED"), without);
        expect(without, with);
    }

    private static List<String> trace(GeneratorBackend backend, ExecutorService other, boolean holdMonitor) throws Exception {
        Object lock = new Object();
        Object inner = new Object();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            if (holdMonitor) {
                synchronized (lock) {
                    steps(yielder, input, inner);
                }
            } else {
                steps(yielder, input, inner);
            }
        });
        List<String> trace = new ArrayList<>();
        trace.add(String.valueOf(g.resume(1).orElse(-1)));
        trace.add(String.valueOf(on(other, () -> g.resume(2)).orElse(-1)));
        trace.add(String.valueOf(g.resume(3).orElse(-1)));
        try {
            on(other, () -> g.resume(0));
            trace.add("no failure");
        } catch (ArithmeticException e) {
            trace.add("failed: " + e.getClass().getSimpleName());
        }
        trace.add(g.state().toString());
        return trace;
    }

    private static void steps(Yielder<Integer, Integer> yielder, int input, Object inner) {
        int a = yielder.suspend(input);
        int b = deep(yielder, 10, a);
        int c;
        synchronized (inner) {
            c = yielder.suspend(b + 2000);
        }
        yielder.suspend(10 / c); // c == 0: ArithmeticException
    }

    private static int deep(Yielder<Integer, Integer> yielder, int depth, int value) {
        return depth == 0 ? yielder.suspend(value + 10) : deep(yielder, depth - 1, value);
    }

    /**
     * The resumer holds a monitor of its own while the body suspends (any {@code synchronized}
     * method up the resumer's call chain does that); the body holds none.
     */
    static void resumerHoldsMonitor(GeneratorBackend backend, ExecutorService other) {
        Object resumersLock = new Object();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            int x = input;
            while (true) {
                x = yielder.suspend(x + 1);
            }
        });
        for (int i = 0; i < 10_000; i++) {
            synchronized (resumersLock) {
                expect(i + 1, g.resume(i).orElse(null));
                check(Thread.holdsLock(resumersLock), "the resumer lost its own monitor");
            }
        }
    }

    /** Closing a body suspended inside {@code synchronized} unwinds it out of the block. */
    static void closeReleasesMonitor(GeneratorBackend backend, ExecutorService other) throws Exception {
        Object lock = new Object();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            synchronized (lock) {
                yielder.suspend(1);
            }
        });
        expect(1, g.resume(0).orElse(null));
        Contender contender = Contender.start(lock);
        contender.awaitBlocked();

        on(other, () -> {
            g.close();
            return null;
        });

        contender.thread.join(TimeUnit.SECONDS.toMillis(5));
        check(contender.entered.get(), "the waiting thread never got the monitor after close() ("
                + contender.thread.getState() + ")");
        expect(State.CLOSED, g.state());
    }

    /** A dropped body suspended inside {@code synchronized} is unwound by the cleaner. */
    static void collectionReleasesMonitor(GeneratorBackend backend, ExecutorService other) throws Exception {
        Object lock = new Object();
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> ref = startLockedAndDrop(backend, lock, queue);
        Contender contender = Contender.start(lock);
        contender.awaitBlocked();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ref.get() != null && queue.remove(50) == null) {
            check(System.nanoTime() < deadline, "the dropped generator was never collected");
            System.gc();
        }

        contender.thread.join(TimeUnit.SECONDS.toMillis(5));
        check(contender.entered.get(), "the waiting thread never got the monitor after the generator was collected ("
                + contender.thread.getState() + ")");
    }

    private static WeakReference<Object> startLockedAndDrop(GeneratorBackend backend, Object lock, ReferenceQueue<Object> queue) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            synchronized (lock) {
                yielder.suspend(1);
            }
        });
        expect(1, g.resume(0).orElse(null));
        return new WeakReference<>(g, queue);
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T on(ExecutorService other, Callable<T> task) throws Exception {
        try {
            return other.submit(task).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private static void expect(Object expected, Object actual) {
        check(Objects.equals(expected, actual), "expected " + expected + " but got " + actual);
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    /** A thread that tries to enter a monitor and records whether it got in. */
    private static final class Contender {
        final AtomicBoolean entered = new AtomicBoolean();
        final Thread thread;

        private Contender(Object lock) {
            thread = new Thread(() -> {
                synchronized (lock) {
                    entered.set(true);
                }
            }, "contender");
            thread.setDaemon(true);
        }

        static Contender start(Object lock) {
            Contender c = new Contender(lock);
            c.thread.start();
            return c;
        }

        /** Waits until the contender is blocked on the monitor; fails if it got in instead. */
        void awaitBlocked() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.BLOCKED) {
                check(!entered.get(), "another thread entered a monitor the suspended body holds");
                check(System.nanoTime() < deadline, "the contender never blocked: " + thread.getState());
                Thread.onSpinWait();
            }
        }
    }
}
