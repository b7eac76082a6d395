// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import java.lang.reflect.Method;

/**
 * Starts virtual threads from code compiled for release 17 (the suite also runs on JDK 17, where
 * there are none): {@code Thread.ofVirtual().unstarted(task)} through reflection.
 */
final class VirtualThreads {
    private VirtualThreads() {}

    /** Whether this JVM has virtual threads (JDK 21+). */
    static boolean supported() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * Starts {@code task} on a new virtual thread.
     *
     * @param task what to run
     * @return the started thread
     */
    static Thread start(Runnable task) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
            Thread t = (Thread) unstarted.invoke(builder, task);
            t.start();
            return t;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no virtual threads on " + Runtime.version(), e);
        }
    }
}
