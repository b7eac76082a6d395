// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorExit;
import dev.fringe.State;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import dev.fringe.tests.support.Gc;
import dev.fringe.tests.support.TestBackends;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A body that catches {@link GeneratorExit} instead of letting it propagate, the same on every
 * backend: closing throws it at the pending suspend; if the body suspends again it gets one
 * more {@code GeneratorExit} there (so a body that caught the first by mistake still unwinds and
 * runs its {@code finally} blocks), and {@code close()} throws {@link IllegalStateException}; a
 * body that suspends yet again is dropped and never runs again. Never a loop.
 *
 * <p>Before, the thread-based backends threw {@code GeneratorExit} from every later suspend at
 * once: a body that kept catching it spun a core forever (and, on {@code virtual-thread}, as
 * many such bodies as carrier threads starved every other virtual thread), while
 * {@code continuation} dropped the body after the first.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IgnoredGeneratorExitTest {
    /** How long a dropped body is watched for running again. */
    private static final long QUIET_MILLIS = 300;

    /** Catches GeneratorExit forever and counts every catch. */
    private static Generator<Void, Integer> stubborn(GeneratorBackend backend, AtomicLong caught) {
        return backend.create((yielder, input) -> {
            while (true) {
                try {
                    yielder.suspend(1);
                } catch (GeneratorExit e) {
                    caught.incrementAndGet();
                }
            }
        });
    }

    @AllBackends
    void close_bodyThatKeepsCatchingGeneratorExit_getsItTwiceThenIsDropped(GeneratorBackend backend) throws Exception {
        AtomicLong caught = new AtomicLong();
        Generator<Void, Integer> g = stubborn(backend, caught);
        assertThat(g.resume(null)).contains(1);

        assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("dropped");

        assertThat(g.state()).isEqualTo(State.CLOSED);
        assertThat(caught).as("GeneratorExit thrown at the pending suspend and once more").hasValue(2);
        Thread.sleep(QUIET_MILLIS); // the body must not run again: a spinning one catches millions by now
        assertThat(caught).as("GeneratorExit caught since").hasValue(2);
        assertThatThrownBy(() -> g.resume(null)).isInstanceOf(IllegalStateException.class);
        g.close(); // idempotent
    }

    @AllBackends
    void close_bodyThatCatchesGeneratorExitOnce_unwindsAtTheSecond(GeneratorBackend backend) {
        AtomicInteger finallyRan = new AtomicInteger();
        AtomicInteger caught = new AtomicInteger();
        Generator<Void, Integer> g = backend.create((yielder, input) -> {
            try {
                try {
                    yielder.suspend(1);
                } catch (GeneratorExit e) {
                    caught.incrementAndGet();
                }
                yielder.suspend(2); // wrong, but lets the next GeneratorExit through
            } finally {
                finallyRan.incrementAndGet();
            }
        });
        assertThat(g.resume(null)).contains(1);

        assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("suspended again").hasMessageContaining("ended");

        assertThat(g.state()).isEqualTo(State.CLOSED);
        assertThat(caught).hasValue(1);
        assertThat(finallyRan).as("the body unwound at the second GeneratorExit").hasValue(1);
    }

    @AllBackends
    void unreachable_bodyThatKeepsCatchingGeneratorExit_isDroppedByTheCleaner(GeneratorBackend backend) throws Exception {
        AtomicLong caught = new AtomicLong();
        Gc watch = startAndDrop(TestBackends.untracked(backend), caught);

        assertThat(watch.awaitCollected(Duration.ofSeconds(30))).as("the generator was collected").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (caught.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(caught).as("GeneratorExit from the pending suspend and once more").hasValue(2);
        Thread.sleep(QUIET_MILLIS);
        assertThat(caught).as("GeneratorExit caught since").hasValue(2);
    }

    private static Gc startAndDrop(GeneratorBackend backend, AtomicLong caught) {
        Generator<Void, Integer> g = stubborn(backend, caught);
        assertThat(g.resume(null)).contains(1);
        return Gc.watch(g);
    }

    /** As many stubborn bodies as the virtual-thread scheduler has carriers, then anything else. */
    @Test
    void virtualThread_closedStubbornBodies_doNotStarveOtherVirtualThreads() throws Exception {
        GeneratorBackend backend = Backends.named("virtual-thread").orElseThrow();
        int carriers = Runtime.getRuntime().availableProcessors();
        AtomicLong caught = new AtomicLong();
        for (int i = 0; i < carriers; i++) {
            Generator<Void, Integer> g = stubborn(backend, caught);
            g.resume(null);
            assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class);
        }

        // A virtual thread that is not a generator's body, started through a generator's (the
        // suite compiles for release 17, without Thread.ofVirtual()).
        CountDownLatch ran = new CountDownLatch(1);
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
            try (Generator<Void, Integer> g = backend.create((yielder, input) -> {
                ran.countDown();
                yielder.suspend(42);
            })) {
                return g.resume(null).orElseThrow();
            }
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("another virtual thread ran").isTrue();
        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(caught).hasValue(2L * carriers);
    }
}
