// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for {@link MonitorTest}: what the {@code continuation} backend does with
 * monitors on a JVM that keeps them on the thread (JDK 21-23, or 24-25 with
 * {@code -XX:LockingMode=1}), run without the {@code -Dfringe.continuation.monitors} consent.
 * One {@code key=value} line each:
 *
 * <pre>
 * continuation=usable            usable without the consent (else: why not)
 * resumer-holds-monitor=OK       1000 round trips resumed inside synchronized; the resumer keeps
 *                                its lock throughout and others can take it afterwards
 * body-suspends-in-monitor=...   what suspend() inside synchronized threw (the body goes on)
 * after=OK                       the same body suspends normally once out of synchronized
 * </pre>
 */
public final class LegacyLockingMonitors {
    private LegacyLockingMonitors() {}

    private static GeneratorBackend continuation;

    public static void main(String[] args) throws Exception {
        continuation = Backends.named("continuation").orElseThrow();
        System.out.println("continuation=" + continuation.unavailableReason().orElse("usable").replace('\n', ' '));
        if (continuation.unavailableReason().isPresent()) {
            return;
        }
        System.out.println("resumer-holds-monitor=" + resumerHoldsMonitor());
        bodySuspendsInMonitor();
    }

    private static String resumerHoldsMonitor() throws InterruptedException {
        Object lock = new Object();
        try (Generator<Integer, Integer> g = continuation.create((yielder, input) -> {
            int x = input;
            while (true) {
                x = yielder.suspend(x + 1);
            }
        })) {
            synchronized (lock) {
                for (int i = 0; i < 1000; i++) {
                    if (!g.resume(i).equals(Optional.of(i + 1))) {
                        return "wrong value at round " + i;
                    }
                    if (!Thread.holdsLock(lock)) {
                        return "the resumer lost its monitor at round " + i;
                    }
                }
            }
        }
        CountDownLatch entered = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            synchronized (lock) {
                entered.countDown();
            }
        });
        other.setDaemon(true);
        other.start();
        return entered.await(5, TimeUnit.SECONDS) ? "OK" : "the monitor stayed locked";
    }

    private static void bodySuspendsInMonitor() {
        Object lock = new Object();
        String[] refused = {"nothing"};
        try (Generator<Void, String> g = continuation.create((yielder, input) -> {
            synchronized (lock) {
                try {
                    yielder.suspend("inside");
                } catch (IllegalStateException e) {
                    refused[0] = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            yielder.suspend("outside");
        })) {
            Optional<String> first = g.resume(null);
            System.out.println("body-suspends-in-monitor=" + refused[0].replace('\n', ' '));
            System.out.println("after=" + (first.equals(Optional.of("outside")) ? "OK" : String.valueOf(first)));
        }
    }
}
