// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import dev.fringe.GeneratorBody;
import dev.fringe.GeneratorExit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * A generator engine that runs the body on a thread of its own and passes control back and
 * forth with {@link LockSupport}: the {@code thread} backend (platform threads) and the
 * {@code virtual-thread} backend (virtual threads) differ only in their {@link ThreadFactory}.
 *
 * <pre>
 * Turn (field bodysTurn, volatile)
 *   false -> true    resumer: transferToBody   (after writing input / exiting)
 *   true  -> false   body:    transferToResumer, or the body ended (after writing output, outcome)
 *   Each side parks until the flag says it is its turn; the volatile store publishes the hand-over
 *   slots of GeneratorCore, the volatile load on the other side acquires them.
 *   An interrupt never ends a wait (the other side will hand the turn back); it is kept for the
 *   waiting thread, which must not spin through park() meanwhile (awaitTurn).
 *
 * Reachability
 *   The parked body thread references this core, never the facade, so an abandoned generator's
 *   facade is collected and its cleaner unwinds the thread (closeUnreachable -> abandon).
 * </pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class HandoffCore<I, O> extends GeneratorCore<I, O> {
    /** Spin-wait iterations before parking (about 20 us on a 2021 x86 server); 0 on a single CPU. */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 1 << 10 : 0;

    private final ThreadFactory threads;
    private Thread bodyThread;           // set before start(), which publishes it to the body thread
    private volatile Thread resumer;     // the thread waiting in transferToBody
    private volatile boolean bodysTurn;
    private volatile boolean abandoned;  // nobody will resume again: suspend throws GeneratorExit

    /**
     * Creates the core; the body thread is made by {@code threads} on the first resume.
     *
     * @param body    the body
     * @param threads makes the (unstarted) body thread
     */
    public HandoffCore(GeneratorBody<I, O> body, ThreadFactory threads) {
        super(body);
        this.threads = threads;
    }

    @Override
    protected void transferToBody(boolean start) {
        resumer = Thread.currentThread();
        bodysTurn = true; // release: input and exiting are visible to the body from here
        if (start) {
            Thread t = threads.newThread(this::bodyMain);
            bodyThread = t;
            t.start();
        } else {
            LockSupport.unpark(bodyThread);
        }
        awaitTurn(false);
    }

    @Override
    protected void transferToResumer() {
        Thread r = resumer;
        bodysTurn = false; // release: output and outcome are visible to the resumer from here
        LockSupport.unpark(r);
        awaitTurn(true);
    }

    /**
     * Parks until it is {@code bodys}' turn. An interrupt does not end the wait (the other side
     * owns the turn and will hand it back) but is kept for the caller: {@code park} returns at
     * once while the interrupt flag is set, so waiting with it set would spin a core for as long
     * as the other side runs, or, for a suspended body, until it is resumed.
     */
    private void awaitTurn(boolean bodys) {
        // Spin briefly first: the other side usually answers within a few microseconds, and a
        // park/unpark pair costs a futex wake-up (measured 10-15 us on a 2-core VM) each way.
        // Spinning only helps when the other side can run meanwhile: never on one CPU.
        for (int i = 0; i < SPINS && bodysTurn != bodys; i++) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (bodysTurn != bodys) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void bodyMain() {
        try {
            runBody();
        } finally {
            if (!abandoned) {
                Thread r = resumer;
                bodysTurn = false;
                LockSupport.unpark(r);
            }
        }
    }

    @Override
    protected void checkSuspendable() {
        if (Thread.currentThread() != bodyThread) {
            throw new IllegalStateException("suspend() must be called by the generator's own body, on its own thread;"
                    + " this call came from " + Thread.currentThread());
        }
        if (abandoned) {
            throw new GeneratorExit();
        }
        if (NativeFrames.belowCaller()) {
            throw new IllegalStateException(NativeFrames.MESSAGE);
        }
    }

    @Override
    protected void abandon() {
        // Wake the body without waiting: its pending suspend throws GeneratorExit (exiting is
        // set) and every later suspend does too, so the thread unwinds and ends on its own.
        abandoned = true;
        bodysTurn = true;
        LockSupport.unpark(bodyThread);
    }

    @Override
    protected void closeUnreachable() {
        if (markClosedForUnwinding()) {
            abandon();
        }
    }

    @Override
    protected void spliceStackTrace(Throwable bodyFailure) {
        StackTraces.splice(bodyFailure);
    }
}
