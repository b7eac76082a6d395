// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.stackless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Virtual threads resuming stackless bodies that block: the body runs as ordinary frames of the
 * resuming virtual thread, which may unmount while it blocks. JDK 21+ (the JDK 17 run of the
 * stackless suite leaves this class out).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads")
class StacklessVirtualThreadTest {
    private static final GeneratorBackend STACKLESS = Backends.named("stackless").orElseThrow();

    /**
     * Many generators whose bodies block (sleep, a blocking queue, a lock, a monitor wait) are
     * each resumed by a fresh virtual thread every round; the continuation backend cannot do this
     * (a blocking virtual thread unmounts its carrier, and with it the raw continuation mounted
     * on it). Virtual threads are JDK 21 API, reached by reflection (the suite compiles for 17).
     */
    @Test
    void virtualThreadResumers_ofBodiesThatBlock_runEveryRound() throws Exception {
        int generators = 32;
        int rounds = 20;
        BlockingQueue<Integer> tokens = new ArrayBlockingQueue<>(generators * rounds);
        for (int i = 0; i < generators * rounds; i++) {
            tokens.add(i);
        }
        ReentrantLock shared = new ReentrantLock();
        Object monitor = new Object();
        List<Generator<Integer, Integer>> gens = new ArrayList<>();
        for (int n = 0; n < generators; n++) {
            int id = n;
            gens.add(STACKLESS.create((y, in) -> blockingLoop(y, id, in, rounds, tokens, shared, monitor)));
        }
        assertThat(gens.get(0).toString()).startsWith("Generator[stackless,");
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try {
            for (int r = 0; r < rounds; r++) {
                List<Future<Integer>> results = new ArrayList<>();
                for (Generator<Integer, Integer> g : gens) {
                    int round = r;
                    results.add(virtual.submit(() -> g.resume(round).orElseThrow()));
                }
                for (int n = 0; n < generators; n++) {
                    assertThat(results.get(n).get(30, TimeUnit.SECONDS)).as("generator %d round %d", n, r)
                            .isEqualTo(n * 1000 + r);
                }
            }
        } finally {
            virtual.shutdownNow();
        }
        assertThat(tokens).isEmpty();
    }

    private static void blockingLoop(Yielder<Integer, Integer> y, int id, int first, int rounds, BlockingQueue<Integer> tokens,
            ReentrantLock shared, Object monitor) throws InterruptedException {
        int round = first;
        for (int i = 0; i < rounds; i++) {
            Thread.sleep(1);
            tokens.take();
            shared.lock();
            try {
                waitBriefly(monitor);
            } finally {
                shared.unlock();
            }
            round = y.suspend(id * 1000 + round);
        }
    }

    private static void waitBriefly(Object monitor) throws InterruptedException {
        synchronized (monitor) {
            monitor.wait(1);
        }
    }
}
