// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorExit;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import dev.fringe.tests.support.Gc;
import dev.fringe.tests.support.TestBackends;
import dev.fringe.tests.support.ThreadBasedBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README rule 6, in this JVM: a suspended generator that becomes unreachable is
 * collected, and fringe's cleaner unwinds its body (its {@code finally} blocks run, with
 * {@link GeneratorExit}); on the thread-based backends the parked body thread does not keep its
 * generator reachable, and the thread ends. The 200 000-generator run in a small heap is
 * {@link DropManyGeneratorsTest}.
 *
 * <p>These tests create generators through {@link TestBackends#untracked} so that nothing but
 * the test's own references keeps them alive, and drop them inside helper methods so that no
 * local variable of the test does.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CollectionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @AllBackends
    void unreachableSuspendedGenerator_isCollectedAndItsBodyUnwound(GeneratorBackend backend) throws Exception {
        CountDownLatch unwound = new CountDownLatch(1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<Thread> unwoundOn = new AtomicReference<>();

        Gc watch = startAndDrop(TestBackends.untracked(backend), unwound, seen, unwoundOn);

        assertThat(watch.awaitCollected(PATIENCE)).as("generator collected").isTrue();
        assertThat(unwound.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("body's finally ran").isTrue();
        assertThat(seen.get()).isExactlyInstanceOf(GeneratorExit.class);
        // "on a fringe-owned daemon thread" (Generator's Javadoc): never the application's.
        assertThat(unwoundOn.get().isDaemon()).as("unwound on %s", unwoundOn.get()).isTrue();
        assertThat(unwoundOn.get()).isNotSameAs(Thread.currentThread());
    }

    private static Gc startAndDrop(GeneratorBackend backend, CountDownLatch unwound, AtomicReference<Throwable> seen,
            AtomicReference<Thread> unwoundOn) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
                yielder.suspend(2);
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            } finally {
                unwoundOn.set(Thread.currentThread());
                unwound.countDown();
            }
        });
        assertThat(g.resume(0)).contains(1);
        return Gc.watch(g);
    }

    @AllBackends
    void unreachableGeneratorNeverStarted_isCollectedWithoutRunningBody(GeneratorBackend backend) throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Gc watch = createAndDrop(TestBackends.untracked(backend), ran);

        assertThat(watch.awaitCollected(PATIENCE)).isTrue();
        // Anything the cleaner did for it is done before a later collection finds another one.
        CountDownLatch later = new CountDownLatch(1);
        assertThat(startAndDrop(TestBackends.untracked(backend), later, new AtomicReference<>(), new AtomicReference<>())
                .awaitCollected(PATIENCE)).isTrue();
        assertThat(later.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    private static Gc createAndDrop(GeneratorBackend backend, AtomicInteger ran) {
        return Gc.watch(backend.create((yielder, input) -> ran.incrementAndGet()));
    }

    @AllBackends
    void unreachableGenerator_whoseUnwindingThrows_doesNotStopTheCleaner(GeneratorBackend backend) throws Exception {
        CountDownLatch thrown = new CountDownLatch(1);
        Gc first = startThrowingOnCloseAndDrop(TestBackends.untracked(backend), thrown);
        assertThat(first.awaitCollected(PATIENCE)).isTrue();
        assertThat(thrown.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CountDownLatch unwound = new CountDownLatch(1);
        Gc second = startAndDrop(TestBackends.untracked(backend), unwound, new AtomicReference<>(), new AtomicReference<>());

        assertThat(second.awaitCollected(PATIENCE)).isTrue();
        assertThat(unwound.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("a later generator is still unwound").isTrue();
    }

    private static Gc startThrowingOnCloseAndDrop(GeneratorBackend backend, CountDownLatch thrown) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
            } catch (GeneratorExit e) {
                thrown.countDown();
                throw new IllegalStateException("thrown while being cleaned: nobody is left to see it");
            }
        });
        assertThat(g.resume(0)).contains(1);
        return Gc.watch(g);
    }

    @ThreadBasedBackends
    void parkedBodyThreads_doNotKeepTheirGeneratorsReachable(GeneratorBackend backend) throws Exception {
        int count = 100 * TestBackends.scale();
        CountDownLatch unwound = new CountDownLatch(count);
        ConcurrentLinkedQueue<Thread> bodyThreads = new ConcurrentLinkedQueue<>();
        List<Gc> watches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            watches.add(startParkedAndDrop(TestBackends.untracked(backend), unwound, bodyThreads));
        }
        // Each body thread was parked in suspend(), holding its generator's core (a collection
        // during the loop may already have unwound the first ones).
        assertThat(bodyThreads).hasSize(count).doesNotContain(Thread.currentThread());

        for (Gc watch : watches) {
            assertThat(watch.awaitCollected(PATIENCE)).as("generator collected while its body thread is parked").isTrue();
        }
        assertThat(unwound.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("every body unwound").isTrue();
        for (Thread t : bodyThreads) {
            t.join(PATIENCE.toMillis());
            assertThat(t.isAlive()).as("body thread %s", t).isFalse();
        }
    }

    private static Gc startParkedAndDrop(GeneratorBackend backend, CountDownLatch unwound, ConcurrentLinkedQueue<Thread> threads) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            threads.add(Thread.currentThread());
            try {
                yielder.suspend(input);
            } finally {
                unwound.countDown();
            }
        });
        assertThat(g.resume(7)).contains(7);
        return Gc.watch(g);
    }

    /** The {@code thread} backend's body threads are named {@code fringe-thread-N}: count them. */
    @Test
    void threadBackend_liveBodyThreads_goBackDownAfterCollection() throws Exception {
        GeneratorBackend thread = Backends.named("thread").orElseThrow();
        Set<Thread> before = fringeThreads();
        int count = 50 * TestBackends.scale();
        CountDownLatch unwound = new CountDownLatch(count);
        List<Gc> watches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            watches.add(startParkedAndDrop(thread, unwound, new ConcurrentLinkedQueue<>()));
        }
        Set<Thread> started = fringeThreads();
        started.removeAll(before);
        assertThat(started).as("new fringe-thread-* threads").hasSizeGreaterThanOrEqualTo(count);

        for (Gc watch : watches) {
            assertThat(watch.awaitCollected(PATIENCE)).isTrue();
        }
        assertThat(unwound.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (Thread t : started) {
            t.join(PATIENCE.toMillis());
        }

        Set<Thread> after = fringeThreads();
        after.retainAll(started);
        assertThat(after).as("body threads of collected generators still alive").isEmpty();
        assertThat(fringeThreads().size()).isLessThanOrEqualTo(before.size());
    }

    private static Set<Thread> fringeThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fringe-thread-")) {
                threads.add(t);
            }
        }
        return threads;
    }
}
