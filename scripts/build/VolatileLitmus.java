// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The store-buffering litmus test behind the full fences in fringe's thread hand-off
 * (HandoffCore, "Turn"): two threads, round by round, each store to one volatile and then load
 * the other. Under Java's memory model at least one load sees the other thread's store, so
 * "both read 0" must never happen. Run it on the JVM to check, for example Debian's arm64 JDK
 * under qemu-aarch64 (through binfmt_misc) on an x86 host:
 *
 * <pre>
 *   /usr/lib/jvm/java-17-openjdk-arm64/bin/java scripts/build/VolatileLitmus.java
 *   /usr/lib/jvm/java-17-openjdk-arm64/bin/java scripts/build/VolatileLitmus.java fence
 * </pre>
 *
 * With {@code fence}, a {@code VarHandle.fullFence()} sits between each store and load.
 */
public class VolatileLitmus {
    static final int ROUNDS = 200_000;
    static final AtomicIntegerArray X = new AtomicIntegerArray(ROUNDS);
    static final AtomicIntegerArray Y = new AtomicIntegerArray(ROUNDS);
    static final int[] READ_BY_1 = new int[ROUNDS];
    static final int[] READ_BY_2 = new int[ROUNDS];
    static volatile int round1;
    static volatile int round2;

    public static void main(String[] args) throws InterruptedException {
        boolean fence = args.length > 0 && args[0].equals("fence");
        Thread t1 = new Thread(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                round1 = i;
                while (round2 < i) {
                    Thread.onSpinWait(); // start each round together
                }
                X.set(i, 1);
                if (fence) {
                    VarHandle.fullFence();
                }
                READ_BY_1[i] = Y.get(i);
            }
        });
        Thread t2 = new Thread(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                round2 = i;
                while (round1 < i) {
                    Thread.onSpinWait();
                }
                Y.set(i, 1);
                if (fence) {
                    VarHandle.fullFence();
                }
                READ_BY_2[i] = X.get(i);
            }
        });
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        int both0 = 0;
        for (int i = 0; i < ROUNDS; i++) {
            if (READ_BY_1[i] == 0 && READ_BY_2[i] == 0) {
                both0++;
            }
        }
        System.out.println((fence ? "store, fullFence, load" : "volatile store, volatile load")
                + ": both loads read 0 in " + both0 + " of " + ROUNDS + " rounds (the Java memory model allows none), on "
                + System.getProperty("java.version") + " " + System.getProperty("os.arch"));
    }
}
