// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import dev.fringe.GeneratorBody;
import dev.fringe.GeneratorExit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * A generator engine that runs the body on a thread of its own and passes control back and
 * forth with {@link LockSupport}: the {@code thread} backend (platform threads) and the
 * {@code virtual-thread} backend (virtual threads) differ only in their {@link ThreadFactory}.
 *
 * <pre>
 * Turn: offers, claims, withdrawals (field offered; per side: claimed, withdrew, backedOff)
 *   The side that runs hands the turn over by making an offer: offered = k, then unpark the
 *   other side if its parked flag is set. A waiting side spins a while, then sets parked, reads
 *   offered once more and only then parks: both write first and read second, so either it sees
 *   the offer or the offerer sees the flag. Offers to the body are odd, offers to the resumer even, each numbered above
 *   every earlier one, so a number names one offer for good. Each side writes only its own
 *   Side fields.
 *   The waiting side takes offer k by writing its claimed = k, then reading the offerer's
 *   withdrew:
 *     withdrew != k     it owns the turn and runs
 *     withdrew == k     the offer was withdrawn: its backedOff = k, unpark the offerer, wait on
 *   The offering side withdraws k if it fails between the offer and taking the turn back (a
 *   StackOverflowError in unpark or park, an OutOfMemoryError): its withdrew = k, then reads:
 *     offered == k and the other's claimed != k
 *                       withdrawn: the other side never took it and backs off if it tries
 *     otherwise         wait for the other side's decision: its backedOff == k (withdrawn after
 *                       all), or a new offer comes back (the round trip happened; take it)
 *   Both sides write first and read second, so volatile's total order lets exactly one of them
 *   win: never both running, never a value delivered twice.
 *   Every such write-then-read has a VarHandle.fullFence() between the two. The Java memory
 *   model does not need it (volatile accesses are totally ordered), but qemu-user running an
 *   arm64 JVM on an x86 host does not keep an ARM store-release and a later load-acquire in
 *   order: scripts/build/VolatileLitmus.java, two volatile stores and loads, saw both loads
 *   read the old value thousands of times in 200 000 rounds there (4 796 and 2 386 in two
 *   runs), and never with the fence; without it a hand-off there lost its wake-up and both
 *   sides parked for good. On x86 the volatile store is already a full barrier, so the fence
 *   costs next to nothing. Taking an offer is the last thing the wait does, so a failure always
 *   comes before it. The withdrawal and the wait after a failure make no call they depend on
 *   (volatile fields; a fence that overflows the stack is skipped; a park that overflows the stack
 *   is retried as a spin), so they work where the failure happened: near the stack limit. The
 *   JDK calls themselves (park, unpark, start) go through StackReserve: they happen whole or
 *   not at all (an unpark of a virtual thread cut short by an overflow loses that thread).
 *   An interrupt never ends a wait (the other side will hand the turn back); it is kept for the
 *   waiting thread, which must not spin through park() meanwhile (awaitOffer).
 *
 * Lifecycle of the body thread
 *   started on the first resume, then waits for the first offer (a start that threw leaves no
 *   thread, or a thread still waiting for it, which the next resume reuses);
 *   ends when the body returns or throws, after handing the outcome over;
 *   closed before it ran (a failed start left it waiting): woken with cancelled = true, ends;
 *   unreachable while suspended: woken with exiting = true (GeneratorCore), its pending suspend
 *     throws GeneratorExit on its own thread, the next suspend once more, the one after that
 *     parks for good (GeneratorCore's "Closing a body that ignores GeneratorExit");
 *   dropped by close(): never offered the turn again, stays parked.
 *
 * Reachability
 *   The parked body thread references this core, never the facade, so an abandoned generator's
 *   facade is collected and its cleaner unwinds the thread (closeUnreachable).
 * </pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class HandoffCore<I, O> extends GeneratorCore<I, O> {
    static {
        // Initialized with the first generator (created on an ordinary stack), not on first use:
        // a class whose initializer overflows the stack stays unusable for the JVM's lifetime
        // (NoClassDefFoundError), and the first suspend or resume may come near the limit.
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(StackReserve.class);
            lookup.ensureInitialized(NativeFrames.class);
            lookup.ensureInitialized(StackTraces.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Spin-wait iterations before parking (about 20 us on a 2021 x86 server); 0 on a single CPU. */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 1 << 10 : 0;

    private final ThreadFactory threads;
    private Thread bodyThread;           // set before start(), which publishes it to the body thread
    private volatile Thread resumer;     // the thread waiting in transferToBody

    // The turn; see "Turn" above. Written only as described there.
    private volatile long offered;
    private final Side bodySide = new Side();
    private final Side resumerSide = new Side();

    private boolean bodyStarted;         // body thread only: it took its first offer and runs the body
    private volatile boolean cancelled;  // closed before the body thread ran the body
    private volatile boolean unwinding;  // unreachable: nobody will resume again (closeUnreachable)
    private int exitsWhileUnwinding;     // body thread only: suspends seen since unwinding began

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

    // ---------------------------------------------------------------- resumer side

    @Override
    protected void transferToBody(boolean start) {
        Thread t = bodyThread;
        if (start && (t == null || t.getState() == Thread.State.NEW)) {
            // No thread yet, or the last attempt could not start it: make one. If start()
            // throws, nothing was offered and the next resume tries again.
            t = threads.newThread(this::bodyMain);
            bodyThread = t;
            StackReserve.start(t);
        }
        resumer = Thread.currentThread();
        handOff(t, true);
    }

    // ---------------------------------------------------------------- body side

    private void bodyMain() {
        awaitOffer(bodySide, resumerSide, true);
        if (cancelled) {
            return;
        }
        bodyStarted = true;
        try {
            runBody();
        } finally {
            if (!unwinding) {
                // The last hand-over: nothing can fail here (the body thread's stack is shallow)
                // and nobody needs to withdraw it.
                Thread r = resumer;
                offered = nextOffer(false);
                StackReserve.unpark(r);
            }
        }
    }

    @Override
    protected void transferToResumer() {
        handOff(resumer, false);
    }

    @Override
    protected void checkSuspendable() {
        if (Thread.currentThread() != bodyThread) {
            throw new IllegalStateException("suspend() must be called by the generator's own body, on its own thread;"
                    + " this call came from " + Thread.currentThread());
        }
        if (unwinding) {
            // Nobody resumes an unreachable generator: the body gets GeneratorExit once more,
            // then is dropped (see GeneratorCore, "Closing a body that ignores GeneratorExit").
            if (exitsWhileUnwinding++ == 0) {
                throw new GeneratorExit();
            }
            parkForGood();
        }
        if (NativeFrames.belowCaller()) {
            throw new IllegalStateException(NativeFrames.MESSAGE);
        }
    }

    /** A dropped body's thread: waits for nothing, without spinning, until the JVM exits. */
    private void parkForGood() {
        while (true) {
            StackReserve.park(this); // clears the interrupt flag: an interrupt must not make this spin
        }
    }

    // ---------------------------------------------------------------- the turn

    /** The number for a new offer: above every earlier one, odd for the body, even for the resumer. */
    private long nextOffer(boolean toBody) {
        long next = offered + 1;
        return (next & 1) == (toBody ? 1 : 0) ? next : next + 1;
    }

    /**
     * Offers the turn to {@code other} and waits until it comes back. If anything throws before
     * the other side took the offer, withdraws it and rethrows: nothing was handed over.
     */
    private void handOff(Thread other, boolean toBody) {
        Side me = toBody ? resumerSide : bodySide;
        Side them = toBody ? bodySide : resumerSide;
        long k = nextOffer(toBody);
        offered = k; // release: the hand-over slots of GeneratorCore are visible to the other side
        try {
            VarHandle.fullFence(); // write, then read (see "Turn")
            if (them.parked) {
                // Only a parked side needs waking: a spinning one sees the offer by itself, and an
                // unpark costs a lock and a signal even then. See "Turn" for why none is missed.
                StackReserve.unpark(other);
            }
            awaitOffer(me, them, !toBody);
        } catch (Throwable failure) {
            // No call from here on that the outcome depends on: see "Turn". Withdraw first.
            me.withdrew = k;
            try {
                VarHandle.fullFence(); // write, then read (see "Turn")
            } catch (Throwable tooDeep) {
                // No stack left to call it (interpreted): a conforming JVM keeps volatile order anyway.
            }
            if (offered == k && them.claimed != k) {
                throw failure; // the other side never took it
            }
            // It took k, or is deciding: it backs off (it saw the withdrawal), or it runs and
            // hands the turn back. Wait for either; park when a call works, spin when not.
            boolean interrupted = false;
            while (true) {
                if (them.backedOff == k) {
                    if (interrupted) {
                        try {
                            Thread.currentThread().interrupt();
                        } catch (Throwable tooDeep) {
                            // The turn is decided and must stay so: no exception may leave here now.
                            // Losing the flag is the lesser harm.
                        }
                    }
                    throw failure;
                }
                long o = offered;
                if (o > k && o > me.seen && ((o & 1) == 1) != toBody) {
                    me.seen = o;
                    me.claimed = o;
                    try {
                        VarHandle.fullFence(); // write, then read (see "Turn")
                    } catch (Throwable tooDeep) {
                        // No stack left to call it (interpreted): a conforming JVM keeps volatile order anyway.
                    }
                    if (them.withdrew != o) {
                        if (interrupted) {
                            try {
                                Thread.currentThread().interrupt();
                            } catch (Throwable tooDeep) {
                                // The turn is decided and must stay so: no exception may leave here now.
                                // Losing the flag is the lesser harm.
                            }
                        }
                        return; // the round trip happened: the turn is ours again
                    }
                    me.backedOff = o;
                    try {
                        StackReserve.unpark(other);
                    } catch (Throwable tooDeep) {
                        // it waits with a timeout as well
                    }
                }
                try {
                    interrupted |= StackReserve.parkNanos(this, 1_000_000L);
                } catch (Throwable tooDeep) {
                    // Cannot even call park here: wait by spinning on the volatile fields.
                }
            }
        }
    }

    /**
     * Waits for a new offer addressed to this side and takes it (see "Turn"); taking it is the
     * last thing this method does. An interrupt does not end the wait but is kept for the
     * caller: {@code park} returns at once while the interrupt flag is set, so waiting with it
     * set would spin a core for as long as the other side runs, or, for a suspended body, until
     * it is resumed.
     */
    private void awaitOffer(Side me, Side them, boolean forBody) {
        boolean interrupted = false;
        int spins = SPINS;
        while (true) {
            long o = offered;
            if (o > me.seen && ((o & 1) == 1) == forBody) {
                me.seen = o;
                me.claimed = o;
                try {
                    VarHandle.fullFence(); // write, then read (see "Turn")
                } catch (Throwable tooDeep) {
                    // No stack left to call it (interpreted): a conforming JVM keeps volatile order anyway.
                }
                if (them.withdrew != o) {
                    if (interrupted) {
                        try {
                            Thread.currentThread().interrupt();
                        } catch (Throwable tooDeep) {
                            // The turn is decided and must stay so: no exception may leave here now.
                            // Losing the flag is the lesser harm.
                        }
                    }
                    return;
                }
                // The offerer failed and withdrew it: it keeps the turn and may wait for this.
                me.backedOff = o;
                StackReserve.unpark(forBody ? resumer : bodyThread);
                continue;
            }
            // Spin briefly first: the other side usually answers within a few microseconds, and
            // a park/unpark pair costs a futex wake-up (measured 10-15 us on a 2-core VM) each
            // way. Spinning only helps when the other side can run meanwhile: never on one CPU.
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            // Say "parked" first, then look once more: an offer made before that is seen here, one
            // made after it finds the flag set and unparks (volatile's total order; see "Turn").
            me.parked = true;
            try {
                VarHandle.fullFence(); // write, then read (see "Turn")
                long again = offered;
                if (!(again > me.seen && ((again & 1) == 1) == forBody) && StackReserve.park(this)) {
                    interrupted = true;
                }
            } finally {
                me.parked = false;
            }
        }
    }

    /** One side's part of the turn protocol; see "Turn". */
    private static final class Side {
        volatile long claimed;   // the last offer this side took
        volatile long withdrew;  // the last offer this side withdrew
        volatile long backedOff; // the last offer this side declined because it was withdrawn
        long seen;               // this side's threads only: the last offer it took or declined
        volatile boolean parked; // this side is parked, or about to park, waiting for an offer
    }

    // ---------------------------------------------------------------- closing

    @Override
    protected void abandon() {
        Thread t = bodyThread;
        if (t == null || bodyStarted) {
            // Never started, or dropped by close(): never offered the turn again. (bodyStarted
            // is the body thread's; the hand-over that brought the generator here published it.)
            return;
        }
        // A failed start left a thread waiting for its first offer: let it end unused.
        cancelled = true;
        offered = nextOffer(true);
        StackReserve.unpark(t);
    }

    @Override
    protected void closeUnreachable() {
        if (!markClosedForUnwinding()) {
            abandon(); // never started (a waiting thread ends) or already ended: nothing to unwind
            return;
        }
        // Wake the body without waiting for it: its pending suspend throws GeneratorExit
        // (exiting is set) and the thread unwinds and ends on its own.
        unwinding = true;
        Thread t = bodyThread;
        offered = nextOffer(true);
        StackReserve.unpark(t);
    }

    @Override
    protected void spliceStackTrace(Throwable bodyFailure) {
        StackTraces.splice(bodyFailure);
    }
}
