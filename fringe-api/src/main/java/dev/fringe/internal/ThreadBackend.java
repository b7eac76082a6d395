// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import com.google.auto.service.AutoService;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code thread} backend: each started generator's body runs on a platform daemon thread of
 * its own, and control is handed over with {@code LockSupport}. Works on any JDK 17+, costs
 * several microseconds per resume; the lowest priority, the fallback when nothing better is
 * usable.
 *
 * <p>Parked body threads are a resource the heap-driven garbage collector cannot see (they are
 * limited by the kernel's {@code pid_max} and {@code vm.max_map_count}, often about 30 000).
 * Like {@code java.nio}'s direct-buffer reservation, this backend therefore asks for a
 * collection when more than {@code -Dfringe.thread.gcThreshold} (default 1024) body threads are
 * alive as a new one starts, so that unreachable generators are cleaned and their threads end.
 * If that frees nothing, the threshold doubles, so an application that really keeps many
 * generators suspended pays for it once, not on every start.
 */
@AutoService(GeneratorBackend.class)
public final class ThreadBackend implements GeneratorBackend {
    /** The backend's name. */
    public static final String NAME = "thread";

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile int threshold = Integer.getInteger("fringe.thread.gcThreshold", 1024);

    private static final ThreadFactory THREADS = task -> {
        if (LIVE.get() >= threshold) {
            relieve();
        }
        Thread t = new Thread(null, () -> {
            // Counted by the thread itself: a thread that could not start (OutOfMemoryError:
            // unable to create native thread, or a StackOverflowError in start()) never counts.
            LIVE.incrementAndGet();
            try {
                task.run();
            } finally {
                LIVE.decrementAndGet();
            }
        }, "fringe-thread-" + COUNTER.incrementAndGet(), 0);
        t.setDaemon(true);
        return t;
    };

    /** Creates the backend; called by {@link java.util.ServiceLoader}. */
    public ThreadBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        return new JavaGenerator<>(new HandoffCore<>(body, THREADS), NAME);
    }

    private static void relieve() {
        int before = LIVE.get();
        System.gc();
        for (int i = 0; i < 200 && LIVE.get() > before / 2; i++) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int after = LIVE.get();
        if (after >= threshold) {
            threshold = Math.max(threshold, after * 2); // they are really in use: stop asking
        }
    }
}
