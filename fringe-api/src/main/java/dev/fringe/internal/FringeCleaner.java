// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import java.lang.ref.Cleaner;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fringe's cleaner for Java generators: closes the ones nobody closed, on a daemon
 * thread named {@code fringe-cleaner-N}. It is separate from the JDK's common cleaner because
 * closing a Java generator runs the body's {@code finally} blocks, which is user code and may be
 * slow.
 *
 * <h2>Back-pressure</h2>
 * One thread unwinds abandoned {@code continuation} generators at a few microseconds each; a
 * loop that creates and drops them faster leaves every dropped body (and what it holds) waiting
 * in the queue, and a small heap runs out. So {@link #register} first looks whether a dropped
 * owner is waiting: a reference sits in the queue only while the cleaner thread is busy with
 * another one. If so, the registering thread runs that one cleanup itself before it registers
 * its own. Creating then costs at most one cleanup more, and garbage cannot pile up faster than
 * it is cleaned: two threads clean while the creator makes one. When the cleaner keeps up, the
 * check is one read of a volatile field.
 *
 * <p>So a cleanup (a body's {@code finally} blocks, for example) may run on a thread that is
 * creating a generator, not only on the cleaner thread; a cleanup that itself creates
 * generators does not help in turn. Cleanups never throw.
 *
 * <pre>
 * Registration states
 *   listed   -> unlisted    clean(): by the owner (close), the cleaner thread or a helper;
 *                           the one that unlists it runs the action, exactly once
 *   listed                  keeps the registration strongly reachable (a phantom reference
 *                           that is itself unreachable would never be enqueued)
 * </pre>
 */
public final class FringeCleaner {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    /** Head of the doubly linked list of registrations not yet cleaned; guarded by itself. */
    private static final Registration LISTED = new Registration();
    /** Set while this thread helps: a cleanup that creates generators does not help in turn. */
    private static final ThreadLocal<Boolean> HELPING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    static {
        Thread t = new Thread(FringeCleaner::cleanForever, "fringe-cleaner-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    private FringeCleaner() {}

    /**
     * Registers {@code action} to run once {@code owner} is phantom reachable. If the cleaner is
     * behind, first runs one waiting cleanup on this thread (see "Back-pressure").
     *
     * @param owner  the object whose death triggers the action
     * @param action the action; must not reference {@code owner}; its exceptions are ignored
     * @return the registration, to run the action early with {@link Cleaner.Cleanable#clean()}
     */
    public static Cleaner.Cleanable register(Object owner, Runnable action) {
        if (!HELPING.get()) {
            Registration waiting = (Registration) QUEUE.poll();
            if (waiting != null) {
                HELPING.set(Boolean.TRUE);
                try {
                    waiting.clean();
                } finally {
                    HELPING.set(Boolean.FALSE);
                }
            }
        }
        return new Registration(owner, action);
    }

    private static void cleanForever() {
        while (true) {
            try {
                ((Registration) QUEUE.remove()).clean();
            } catch (Throwable ignored) {
                // InterruptedException, or an Error while cleaning: keep cleaning the others.
            }
        }
    }

    /** One registration: a phantom reference to the owner, on the list until cleaned. */
    private static final class Registration extends PhantomReference<Object> implements Cleaner.Cleanable {
        private final Runnable action;
        private Registration prev; // guarded by LISTED
        private Registration next; // guarded by LISTED

        /** The list head. */
        Registration() {
            super(null, null);
            action = null;
            prev = this;
            next = this;
        }

        Registration(Object owner, Runnable action) {
            super(owner, QUEUE);
            this.action = action;
            synchronized (LISTED) {
                prev = LISTED;
                next = LISTED.next;
                next.prev = this;
                LISTED.next = this;
            }
        }

        @Override
        public void clean() {
            synchronized (LISTED) {
                if (next == null) {
                    return; // cleaned already
                }
                prev.next = next;
                next.prev = prev;
                prev = null;
                next = null;
            }
            clear();
            try {
                action.run();
            } catch (Throwable ignored) {
                // Nobody is left to tell (the owner is gone); the next cleanup must still run.
            }
        }
    }
}
