// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Child-JVM program for the {@code thread} backend when no more threads can be started: run it
 * with a large {@code -Xss} under a small address-space limit, so that starting a body thread
 * fails with "OutOfMemoryError: unable to create native thread" after a few. Starts generators
 * until one's first resume fails, then reports, one {@code key=value} line each:
 *
 * <pre>
 * started=N            body threads started before the failure
 * failure=...          what the failed resume threw
 * state=RUNNABLE       the failed generator's state right after
 * live=N               the backend's count of live body threads (must equal started)
 * after-close=...      the failed generator's first resume once the others were closed
 * </pre>
 */
public final class ThreadExhaustion {
    private ThreadExhaustion() {}

    public static void main(String[] args) throws Exception {
        GeneratorBackend backend = Backends.named("thread").orElseThrow();
        List<Generator<Void, Integer>> started = new ArrayList<>();
        Generator<Void, Integer> failed = null;
        Throwable failure = null;
        for (int i = 0; i < 1000 && failed == null; i++) {
            Generator<Void, Integer> g = backend.create((yielder, input) -> yielder.suspend(1));
            try {
                g.resume(null);
                started.add(g);
            } catch (OutOfMemoryError e) {
                failed = g;
                failure = e;
            }
        }
        System.out.println("started=" + started.size());
        System.out.println("failure=" + failure);
        if (failed == null) {
            return;
        }
        System.out.println("state=" + failed.state());
        System.out.println("live=" + liveBodyThreads());
        for (Generator<Void, Integer> g : started) {
            g.close();
        }
        String afterClose;
        try {
            Optional<Integer> first = failed.resume(null);
            afterClose = String.valueOf(first);
            failed.close();
        } catch (Throwable t) {
            afterClose = t.toString();
        }
        System.out.println("after-close=" + afterClose);
    }

    /** The {@code thread} backend's own count, which decides when it asks for a collection. */
    private static int liveBodyThreads() throws ReflectiveOperationException {
        java.lang.reflect.Field live = Class.forName("dev.fringe.internal.ThreadBackend").getDeclaredField("LIVE");
        live.setAccessible(true);
        return ((java.util.concurrent.atomic.AtomicInteger) live.get(null)).get();
    }
}
