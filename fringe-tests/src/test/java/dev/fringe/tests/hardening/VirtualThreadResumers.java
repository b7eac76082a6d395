// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Child-JVM program: generators resumed from virtual threads, whose bodies block while holding a
 * monitor (sleep inside {@code synchronized}, then take a contended {@link ReentrantLock} inside
 * it), which pins the virtual thread on JVMs that keep monitors on the thread: JDK 21-23, and
 * 24-25 with {@code -XX:LockingMode=1}. Arguments: backend, number of virtual threads. Prints
 * {@code ok=N}, {@code bad=N}, {@code first-bad=...}, then whether the shared monitor and lock are
 * free afterwards ({@code monitor-free=true}, {@code lock-free=true}).
 */
public final class VirtualThreadResumers {
    private VirtualThreadResumers() {}

    public static void main(String[] args) throws Exception {
        GeneratorBackend backend = Backends.named(args[0]).orElseThrow();
        int n = Integer.parseInt(args[1]);
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        AtomicReference<Throwable> firstBad = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int id = i;
            VirtualThreads.start(() -> {
                try (Generator<Integer, Integer> g = backend.create((yielder, input) -> {
                    int x = input;
                    for (int k = 0; k < 3; k++) {
                        Object mine = new Object();
                        synchronized (mine) {
                            Thread.sleep(1); // pinned: this virtual thread parks its carrier
                            lock.lock();     // contended across the virtual threads
                            try {
                                synchronized (monitor) {
                                    x++;
                                }
                            } finally {
                                lock.unlock();
                            }
                        }
                        x = yielder.suspend(x);
                    }
                })) {
                    int v = id * 100;
                    for (int k = 0; k < 3; k++) {
                        Optional<Integer> r = g.resume(v);
                        if (!r.equals(Optional.of(v + 1))) {
                            throw new AssertionError("resume(" + v + ") returned " + r);
                        }
                        v = r.get();
                    }
                    ok.incrementAndGet();
                } catch (Throwable t) {
                    bad.incrementAndGet();
                    firstBad.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        boolean finished = done.await(60, TimeUnit.SECONDS);
        System.out.println("finished=" + finished);
        System.out.println("ok=" + ok);
        System.out.println("bad=" + bad);
        Throwable t = firstBad.get();
        System.out.println("first-bad=" + (t == null ? "none" : t.toString().replace('\n', ' ')));
        if (t != null) {
            t.printStackTrace(System.out);
        }
        boolean lockFree = lock.tryLock(5, TimeUnit.SECONDS);
        System.out.println("lock-free=" + lockFree);
        CountDownLatch entered = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            synchronized (monitor) {
                entered.countDown();
            }
        });
        other.setDaemon(true);
        other.start();
        System.out.println("monitor-free=" + entered.await(5, TimeUnit.SECONDS));
        System.exit(0);
    }
}
