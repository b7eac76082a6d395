// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import dev.fringe.tests.support.TestBackends;
import dev.fringe.tests.support.ThreadBasedBackends;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * README rule 4: {@code resume} from inside the running body, or from a second thread
 * while it runs, throws {@link IllegalStateException} and changes nothing; a suspended
 * generator may be resumed from any thread; {@code state()} says RUNNING while the body runs.
 * Threads meet on latches and futures, never on sleeps.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResumeConcurrencyTest {
    private final ExecutorService other = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopThreads() {
        other.shutdownNow();
    }

    @AllBackends
    void resume_fromInsideItsOwnBody_throwsIseAndChangesNothing(GeneratorBackend backend) {
        AtomicReference<Generator<Integer, Integer>> self = new AtomicReference<>();
        AtomicReference<Throwable> reentrant = new AtomicReference<>();
        AtomicReference<State> stateAfterwards = new AtomicReference<>();
        List<Integer> inputs = new ArrayList<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            reentrant.set(catchThrowable(() -> self.get().resume(999)));
            stateAfterwards.set(self.get().state());
            inputs.add(input);
            inputs.add(yielder.suspend(input + 1));
            inputs.add(yielder.suspend(input + 2));
        });
        self.set(g);

        assertThat(g.resume(1)).contains(2);
        assertThat(reentrant.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
        assertThat(stateAfterwards).hasValue(State.RUNNING);
        assertThat(g.resume(10)).contains(3);
        assertThat(g.resume(20)).isEmpty();
        // The rejected resume(999) delivered nothing to the body.
        assertThat(inputs).containsExactly(1, 10, 20);
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    @AllBackends
    void resume_fromSecondThreadWhileBodyRuns_throwsIseAndChangesNothing(GeneratorBackend backend) throws Exception {
        AtomicReference<Generator<Integer, Integer>> self = new AtomicReference<>();
        AtomicReference<Throwable> concurrent = new AtomicReference<>();
        List<Integer> inputs = new ArrayList<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            // The body waits for the second thread's attempt, so that attempt surely overlaps it.
            concurrent.set(other.submit(() -> catchThrowable(() -> self.get().resume(999))).get(10, TimeUnit.SECONDS));
            inputs.add(input);
            inputs.add(yielder.suspend(input + 1));
        });
        self.set(g);

        assertThat(g.resume(1)).contains(2);
        assertThat(concurrent.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
        assertThat(g.resume(10)).isEmpty();
        assertThat(inputs).containsExactly(1, 10);
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    @AllBackends
    void close_fromSecondThreadWhileBodyRuns_throwsIseAndChangesNothing(GeneratorBackend backend) throws Exception {
        AtomicReference<Generator<Integer, Integer>> self = new AtomicReference<>();
        AtomicReference<Throwable> concurrent = new AtomicReference<>();
        AtomicBoolean unwound = new AtomicBoolean();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            concurrent.set(other.submit(() -> catchThrowable(self.get()::close)).get(10, TimeUnit.SECONDS));
            try {
                yielder.suspend(input + 1);
            } finally {
                unwound.set(true);
            }
        });
        self.set(g);

        assertThat(g.resume(1)).contains(2);
        assertThat(concurrent.get()).isInstanceOf(IllegalStateException.class);
        assertThat(unwound).isFalse();
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
        assertThat(g.resume(3)).isEmpty();
        assertThat(unwound).isTrue();
    }

    @AllBackends
    void state_whileBodyRuns_isRunningFromInsideAndFromOtherThreads(GeneratorBackend backend) throws Exception {
        AtomicReference<Generator<Integer, Integer>> self = new AtomicReference<>();
        List<State> seen = new ArrayList<>();
        CountDownLatch bodyRunning = new CountDownLatch(1);
        CountDownLatch observed = new CountDownLatch(1);
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            seen.add(self.get().state());
            bodyRunning.countDown();
            if (!observed.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the observer never looked");
            }
            yielder.suspend(1);
        });
        self.set(g);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);

        // The test thread resumes on a helper thread and looks from here while the body waits.
        Future<Optional<Integer>> resumed = other.submit(() -> g.resume(0));
        assertThat(bodyRunning.await(10, TimeUnit.SECONDS)).isTrue();
        State fromOutside = g.state();
        State fromAThirdThread = other.submit(g::state).get(10, TimeUnit.SECONDS);
        observed.countDown();

        assertThat(resumed.get(10, TimeUnit.SECONDS)).contains(1);
        assertThat(seen).containsExactly(State.RUNNING);
        assertThat(fromOutside).isEqualTo(State.RUNNING);
        assertThat(fromAThirdThread).isEqualTo(State.RUNNING);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
    }

    @AllBackends
    void resume_afterSuspension_fromAnyThread_continuesTheBody(GeneratorBackend backend) throws Exception {
        List<String> bodyLog = new ArrayList<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            int next = input;
            while (true) {
                bodyLog.add("got " + next); // plain list: each hand-off must publish it
                next = yielder.suspend(next * 2);
            }
        });

        int rounds = 300 * TestBackends.scale();
        for (int i = 0; i < rounds; i++) {
            int in = i;
            // Alternate between the test thread and the pool's threads.
            Optional<Integer> out = i % 4 == 0 ? g.resume(in) : other.submit(() -> g.resume(in)).get(10, TimeUnit.SECONDS);
            assertThat(out).as("round %d", i).contains(2 * i);
        }
        assertThat(bodyLog).hasSize(rounds).startsWith("got 0", "got 1").endsWith("got " + (rounds - 1));
    }

    @AllBackends
    void resume_racingThreads_exactlyOneRunsTheBodyAtATime(GeneratorBackend backend) throws Exception {
        int threads = 3;
        int attempts = 1000 * TestBackends.scale();
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        ConcurrentLinkedQueue<Integer> bodyInputs = new ConcurrentLinkedQueue<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            int runs = 0;
            Integer next = input;
            while (true) {
                if (!inside.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
                bodyInputs.add(next);
                runs++;
                inside.set(false);
                next = yielder.suspend(runs);
            }
        });

        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Integer> outputs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> acceptedInputs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger rejected = new AtomicInteger();
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            racers.add(other.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < attempts; i++) {
                    int in = id * 1_000_000 + i;
                    try {
                        outputs.add(g.resume(in).orElseThrow());
                        acceptedInputs.add(in);
                    } catch (IllegalStateException e) {
                        rejected.incrementAndGet();
                    } catch (RuntimeException | Error e) {
                        unexpected.add(e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : racers) {
            f.get(60, TimeUnit.SECONDS);
        }

        assertThat(unexpected).isEmpty();
        assertThat(overlapped).as("two threads ran the body at once").isFalse();
        int accepted = outputs.size();
        assertThat(accepted + rejected.get()).isEqualTo(threads * attempts);
        // Every accepted resume ran the body exactly once, with that resume's input.
        assertThat(outputs).doesNotHaveDuplicates().hasSize(accepted)
                .allMatch(n -> n >= 1 && n <= accepted);
        assertThat(bodyInputs).containsExactlyInAnyOrderElementsOf(acceptedInputs);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
    }

    // ------------------------------------------------------------------ interrupts

    @ThreadBasedBackends
    void resume_fromInterruptedThread_waitsParkedAndKeepsTheInterrupt(GeneratorBackend backend) throws Exception {
        CountDownLatch bodyRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            bodyRunning.countDown();
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
            yielder.suspend(1);
        });
        AtomicReference<Optional<Integer>> result = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread resumer = new Thread(() -> {
            Thread.currentThread().interrupt();
            result.set(g.resume(0));
            interruptKept.set(Thread.interrupted());
        }, "interrupted-resumer");
        resumer.start();
        assertThat(bodyRunning.await(10, TimeUnit.SECONDS)).isTrue();

        // While the body runs the resumer must wait parked, not spin through park().
        try {
            assertParkedWithoutSpinning(resumer, "the resumer");
        } finally {
            release.countDown();
            resumer.join(10_000);
        }
        assertThat(result.get()).contains(1);
        assertThat(interruptKept).isTrue();
    }

    @ThreadBasedBackends
    void suspend_withInterruptFlagSet_parksAndKeepsTheInterrupt(GeneratorBackend backend) throws Exception {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        Generator<Integer, Boolean> g = backend.create((yielder, input) -> {
            bodyThread.set(Thread.currentThread());
            Thread.currentThread().interrupt();
            yielder.suspend(true);
            yielder.suspend(Thread.currentThread().isInterrupted());
        });
        assertThat(g.resume(0)).contains(true);

        // A suspended body must not cost a core, interrupted or not.
        assertParkedWithoutSpinning(bodyThread.get(), "the suspended body");

        assertThat(g.resume(0)).as("the body's interrupt flag after suspend").contains(true);
    }

    /**
     * Asserts that {@code t} waits without using the CPU. A spinning virtual thread never shows
     * WAITING (its park returns before unmounting). A platform thread spinning through
     * {@code park()} shows WAITING most of the time, so its CPU time is measured over a window
     * in which this thread itself sleeps; a parked thread uses none. (Under heavy load a spinning
     * thread might get little CPU and pass; a parked one can never fail.)
     */
    private static void assertParkedWithoutSpinning(Thread t, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " " + t + " never parked; state " + t.getState());
            }
            Thread.onSpinWait();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getThreadCpuTime(t.getId()); // -1 for virtual threads
        long window = System.nanoTime();
        Thread.sleep(WINDOW_MILLIS); // a measuring window, not synchronization
        window = System.nanoTime() - window;
        long after = threads.getThreadCpuTime(t.getId());
        if (before >= 0 && after >= 0) {
            assertThat(after - before).as("CPU time %s used while parked, in a window of %d ms", what, window / 1_000_000)
                    .isLessThan(window / 4);
        }
        assertThat(t.getState()).as(what).isEqualTo(Thread.State.WAITING);
    }

    private static final long WINDOW_MILLIS = 100;
}
