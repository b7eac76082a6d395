// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.stackless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Monitors and blocking on the stackless engine, where raw continuations fail (see
 * {@code MonitorTest}): the body runs as ordinary frames on the resumer's thread, so a
 * {@code resume()} inside {@code synchronized} keeps its lock, a {@code synchronized} block that
 * does not span a suspend is fine, a body that would hold a monitor while suspended runs on
 * another backend instead ({@code StacklessVirtualThreadTest}: virtual threads can resume bodies
 * that block).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StacklessMonitorTest {
    private static final GeneratorBackend STACKLESS = Backends.named("stackless").orElseThrow();

    @Test
    void resumeInsideSynchronized_keepsTheLock_andTheBodySeesItHeld() {
        Object lock = new Object();
        Generator<Integer, Boolean> g = STACKLESS.create((y, in) -> {
            while (true) {
                y.suspend(Thread.holdsLock(lock));
            }
        });
        assertThat(g.toString()).startsWith("Generator[stackless,");

        synchronized (lock) {
            for (int i = 0; i < 10_000; i++) {
                assertThat(g.resume(i)).contains(true);
                assertThat(Thread.holdsLock(lock)).isTrue();
            }
        }
        assertThat(g.resume(0)).contains(false);
        g.close();
    }

    @Test
    void synchronizedBlockNotSpanningASuspend_runsStackless() {
        Object lock = new Object();
        int[] counter = new int[1];
        Generator<Integer, Integer> g = STACKLESS.create((y, in) -> {
            for (int i = 0; i < 3; i++) {
                int seen;
                synchronized (lock) {
                    seen = ++counter[0];
                }
                y.suspend(seen);
            }
        });

        assertThat(g.toString()).startsWith("Generator[stackless,");
        assertThat(List.of(g.resume(0).orElseThrow(), g.resume(0).orElseThrow(), g.resume(0).orElseThrow()))
                .containsExactly(1, 2, 3);
    }

    @Test
    void bodySuspendingInsideSynchronized_runsElsewhere_andKeepsItsMonitorWhileSuspended() throws Exception {
        Object lock = new Object();
        Generator<Integer, Integer> g = STACKLESS.create((y, in) -> {
            synchronized (lock) {
                y.suspend(1);
                y.suspend(2);
            }
        });
        assertThat(g.toString()).doesNotStartWith("Generator[stackless,");

        assertThat(g.resume(0)).contains(1);
        // Suspended inside the block: another thread cannot enter it.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> entered = other.submit(() -> {
                synchronized (lock) {
                    return true;
                }
            });
            assertThat(catchTimeout(entered)).isTrue();
            assertThat(g.resume(0)).contains(2);
            assertThat(g.resume(0)).isEmpty();
            assertThat(entered.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    private static boolean catchTimeout(Future<?> f) throws Exception {
        try {
            f.get(100, TimeUnit.MILLISECONDS);
            return false;
        } catch (java.util.concurrent.TimeoutException expected) {
            return true;
        }
    }
}
