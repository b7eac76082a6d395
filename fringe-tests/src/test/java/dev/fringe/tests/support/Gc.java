// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;

/** Watches an object for garbage collection, for tests that prove something is collectable. */
public final class Gc {
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final WeakReference<Object> ref;

    private Gc(Object referent) {
        this.ref = new WeakReference<>(referent, queue);
    }

    /**
     * Starts watching {@code referent}; the caller must drop its own references afterwards.
     *
     * @param referent the object that should become unreachable
     * @return the watch
     */
    public static Gc watch(Object referent) {
        return new Gc(referent);
    }

    /**
     * Requests collections until the object is collected.
     *
     * @param timeout how long to keep trying
     * @return whether it was collected in time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitCollected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            System.gc();
            // Returns as soon as the collector enqueues the reference.
            if (queue.remove(50) != null || ref.get() == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether the object is still reachable.
     *
     * @return {@code true} until the object is collected
     */
    public boolean isAlive() {
        return ref.get() != null;
    }
}
