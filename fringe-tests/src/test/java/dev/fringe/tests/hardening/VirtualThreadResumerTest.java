// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import dev.fringe.tests.support.ChildJvm;
import dev.fringe.tests.support.Qsort;
import dev.fringe.tests.support.TestBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Generators resumed from virtual threads whose bodies block where the virtual thread cannot
 * unmount (it is pinned): inside a native frame (a JNA callback), or, on JVMs that keep monitors
 * on the thread, inside {@code synchronized}. The virtual thread must simply stay on its carrier,
 * as it does when pinned anywhere else.
 *
 * <p>On {@code continuation} the JVM reports the pinning to the innermost continuation, the
 * fringe body's, whoever tried to yield; the default {@code onPinned} threw "Pinned: NATIVE" or
 * "Pinned: MONITOR" out of {@code Thread.sleep} or {@code ReentrantLock.lock} (and a lock whose
 * acquisition failed that way was then unlocked by a thread that did not own it:
 * {@code IllegalMonitorStateException}). fringe's continuations now report pinning only for
 * fringe's own suspends.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadResumerTest {

    @AllBackends
    void virtualThreadResumers_bodiesBlockInsideANativeCallback_allComplete(GeneratorBackend backend) throws Exception {
        assumeTrue(VirtualThreads.supported(), "virtual threads need JDK 21+");
        ReentrantLock lock = new ReentrantLock();
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        List<Thread> resumers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int id = i;
            resumers.add(VirtualThreads.start(() -> {
                int[] values = {5, 3, 9, 1};
                try (Generator<Integer, Integer> g = backend.create((yielder, input) -> {
                    int x = input;
                    for (int k = 0; k < 2; k++) {
                        Qsort.DIRECT.sort(values, (a, b) -> {
                            lock.lock(); // contended, inside a native frame: pinned
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                lock.unlock();
                            }
                            return Integer.compare(a.getInt(0), b.getInt(0));
                        });
                        x = yielder.suspend(x + values[0]);
                    }
                })) {
                    Optional<Integer> a = g.resume(id);
                    Optional<Integer> b = g.resume(100);
                    results.add(a.equals(Optional.of(id + 1)) && b.equals(Optional.of(101)) ? "ok" : a + "," + b);
                } catch (Throwable t) {
                    results.add(t);
                }
            }));
        }
        for (Thread t : resumers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(results).hasSize(8).containsOnly("ok");
        assertThat(lock.isLocked()).isFalse();
    }

    /**
     * Where monitors pin: JDK 21-23 always, 24-25 with {@code -XX:LockingMode=1}; JDK 26 has no
     * such flag (its virtual threads never pin on monitors).
     */
    @Test
    void continuation_virtualThreadResumers_bodiesBlockHoldingAMonitor_allComplete() {
        int feature = Runtime.version().feature();
        assumeTrue(feature >= 21 && feature <= 25, "monitors pin virtual threads only on JDK 21-25 (24-25: LockingMode=1)");
        List<String> flags = new ArrayList<>(List.of(TestBackends.CLASS_PATH_FLAG));
        if (feature >= 24) {
            flags.add("-XX:LockingMode=1");
        }
        ChildJvm.Result run = ChildJvm.withArgs().jvmArgs(flags.toArray(new String[0]))
                .run(Duration.ofSeconds(100), VirtualThreadResumers.class, "continuation", "50");

        assertThat(run.value("finished")).as("%s", run).isEqualTo("true");
        assertThat(run.value("first-bad")).as("%s", run).isEqualTo("none");
        assertThat(run.value("ok")).as("%s", run).isEqualTo("50");
        assertThat(run.value("lock-free")).as("%s", run).isEqualTo("true");
        assertThat(run.value("monitor-free")).as("%s", run).isEqualTo("true");
    }
}
