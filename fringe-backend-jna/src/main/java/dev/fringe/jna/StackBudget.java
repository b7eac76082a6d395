// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the stacks fringe allocates ({@link OsStack}, {@link OwnedStack}) from piling up
 * unreachable faster than the garbage collector notices them. The heap does not see native
 * memory: an abandoned generator costs a few hundred bytes of heap but a stack of memory and two
 * memory maps, and the kernel refuses new maps at {@code vm.max_map_count} (65 530 by default,
 * reached after about 32 000 abandoned {@code OsStack}s) long before the heap asks for a
 * collection. Like {@code java.nio}'s direct-buffer reservation and the {@code thread} backend,
 * fringe therefore asks for one when more than {@code -Dfringe.native.gcThreshold} (default 1024)
 * stacks it allocated are alive as another is allocated, and waits briefly for the cleaner to
 * free the unreachable ones. If that frees almost none, they are really in use and the threshold
 * doubles, so a program that keeps many generators pays for it a few times, not on every
 * allocation.
 *
 * <p><b>Thread safety.</b> Lock-free counting; one thread at a time asks for a collection.
 */
final class StackBudget {
    private static final long STALL_MS = 100;
    private static final long START_MS = 500;
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static volatile int threshold = Math.max(1, Integer.getInteger("fringe.native.gcThreshold", 1024));

    private StackBudget() {}

    /** Counts a stack about to be allocated, first reclaiming unreachable ones if there are many. */
    static void reserve() {
        if (LIVE.get() >= threshold) {
            relieve();
        }
        LIVE.incrementAndGet();
    }

    /** Uncounts a stack that was freed, or whose allocation failed after {@link #reserve()}. */
    static void release() {
        LIVE.decrementAndGet();
    }

    /**
     * Asks for a collection and waits for the cleaner to free what it found: until half the live
     * stacks are gone, or freeing stalls for {@value #STALL_MS} ms after it began, or nothing at
     * all was freed within {@value #START_MS} ms (the reference handler and the cleaner are
     * ordinary threads, late on a loaded machine). Raises the threshold only if nearly nothing
     * was unreachable: a slow cleaner is no reason to let stacks pile up.
     */
    private static synchronized void relieve() {
        int before = LIVE.get();
        if (before < threshold) {
            return; // another thread just did it
        }
        System.gc();
        long start = System.nanoTime();
        long lastProgress = 0;
        int last = before;
        while (LIVE.get() > before / 2) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            int now = LIVE.get();
            if (now < last) {
                last = now;
                lastProgress = waited;
            }
            boolean stalled = last < before ? waited - lastProgress > STALL_MS : waited > START_MS;
            if (stalled) {
                break;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int after = LIVE.get();
        if (after > before - before / 10) {
            threshold = Math.max(threshold, after * 2); // they are really in use: stop asking so often
        }
    }
}
