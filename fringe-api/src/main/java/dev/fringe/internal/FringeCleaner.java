// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fringe's one {@link Cleaner}: a daemon thread named {@code fringe-cleaner} that closes
 * generators (and frees native stacks) nobody closed. It is separate from the JDK's common
 * cleaner because closing a Java generator runs the body's {@code finally} blocks, which is user
 * code and may be slow.
 */
public final class FringeCleaner {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "fringe-cleaner-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private FringeCleaner() {}

    /**
     * Registers {@code action} to run once {@code owner} is phantom reachable.
     *
     * @param owner  the object whose death triggers the action
     * @param action the action; must not reference {@code owner}
     * @return the registration, to run the action early with {@link Cleaner.Cleanable#clean()}
     */
    public static Cleaner.Cleanable register(Object owner, Runnable action) {
        return CLEANER.register(owner, action);
    }
}
