// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import dev.fringe.GeneratorBody;
import dev.fringe.GeneratorException;
import dev.fringe.GeneratorExit;
import dev.fringe.State;
import dev.fringe.Yielder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;

/**
 * The state machine every Java-body engine shares; an engine only says how control moves
 * between the resumer and the body ({@link #transferToBody}, {@link #transferToResumer}).
 * Not API: public only so that fringe's backend modules can extend it.
 *
 * <p>This object is also the body's {@link Yielder}. It must never reference the
 * {@link JavaGenerator} the user holds: the body's frames (and a hand-off engine's parked
 * thread) keep the core reachable, and the facade must stay collectable so that its
 * {@link java.lang.ref.Cleaner} can close an abandoned generator.
 *
 * <pre>
 * States (field status) and transitions
 *   NEW       -> RUNNING    resume(x): the engine starts the body with x
 *   SUSPENDED -> RUNNING    resume(x): the pending suspend returns x
 *   SUSPENDED -> RUNNING    close():   the pending suspend throws GeneratorExit (exiting = true)
 *   RUNNING   -> SUSPENDED  the body suspended (outcome YIELDED)
 *   RUNNING   -> FINISHED   the body returned (outcome RETURNED)
 *   RUNNING   -> FAILED     the body threw (outcome THREW)
 *   RUNNING   -> CLOSED     close() saw the body end, or suspend again (then abandon())
 *   NEW       -> CLOSED     close() before the first resume: the body never runs
 *
 * Ordering
 *   status is volatile and every transition out of NEW/SUSPENDED is a CAS, so exactly one
 *   caller owns a run of the body. The plain hand-over slots (input, output, failure, outcome,
 *   exiting) are written by one side before the engine transfers control and read by the other
 *   after: a continuation runs on the caller's thread (program order), a hand-off engine
 *   publishes them with a volatile store of its turn flag. The final volatile store of status
 *   publishes everything the body did to whichever thread next reads status.
 * </pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public abstract class GeneratorCore<I, O> implements Yielder<I, O> {
    private static final int NEW = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int FINISHED = 3;
    private static final int FAILED = 4;
    private static final int CLOSED = 5;

    private static final int YIELDED = 1;
    private static final int RETURNED = 2;
    private static final int THREW = 3;

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(GeneratorCore.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Message for a resume or close that finds the body running. */
    static final String RUNNING_MESSAGE = "the generator is running: resume() or close() was called from inside its own"
            + " body, or from another thread while it runs; a generator runs on one thread at a time";

    private volatile int status;
    private GeneratorBody<I, O> body; // cleared once started: the frames hold what they need

    // Hand-over slots; see "Ordering" above.
    private I input;
    private O output;
    private Throwable failure;
    private int outcome;
    private boolean exiting;

    /**
     * Creates the core of a generator that has not started.
     *
     * @param body the body to run on the first resume
     */
    protected GeneratorCore(GeneratorBody<I, O> body) {
        this.body = Objects.requireNonNull(body, "body");
    }

    // ---------------------------------------------------------------- engine hooks

    /**
     * Runs the body until it suspends or ends: on the first call ({@code start}) by calling
     * {@link #runBody()} on the body's own stack, afterwards by continuing the pending
     * {@link #transferToResumer()}. Called by the resumer with the status RUNNING.
     *
     * @param start whether this is the first run
     */
    protected abstract void transferToBody(boolean start);

    /** Called on the body's stack: hands control back and returns when resumed again. */
    protected abstract void transferToResumer();

    /**
     * Throws {@link IllegalStateException} unless the caller runs on this generator's own body
     * stack, at a point where the engine can suspend.
     */
    protected abstract void checkSuspendable();

    /**
     * Lets go of a body that will never be resumed again (it suspended while closing, or its
     * generator became unreachable). A continuation can simply be dropped; a thread must be
     * made to finish.
     */
    protected abstract void abandon();

    /**
     * Adjusts the stack trace of an exception the body threw so that it continues into the
     * resumer's frames. Engines whose body runs on the resumer's stack need not do anything.
     *
     * @param bodyFailure the exception, about to be thrown out of {@code resume}
     */
    protected void spliceStackTrace(Throwable bodyFailure) {}

    // ---------------------------------------------------------------- resumer side

    /**
     * See {@link dev.fringe.Generator#resume}.
     *
     * @param in the input
     * @return the output, or empty when finished
     */
    public final Optional<O> resume(I in) {
        int s = status;
        if ((s != SUSPENDED && s != NEW) || !STATUS.compareAndSet(this, s, RUNNING)) {
            return notResumable();
        }
        input = in;
        transferToBody(s == NEW);
        switch (outcome) {
            case YIELDED:
                O value = output;
                output = null;
                // Release store: the resumer owns nothing from here. A full volatile store would add
                // a StoreLoad fence that no reader needs (they acquire with a volatile read or CAS).
                STATUS.setRelease(this, SUSPENDED);
                return Optional.of(value);
            case RETURNED:
                status = FINISHED;
                return Optional.empty();
            default:
                Throwable t = failure;
                failure = null;
                status = FAILED;
                throw rethrow(t);
        }
    }

    private Optional<O> notResumable() {
        switch (status) {
            case FINISHED:
            case FAILED:
                return Optional.empty();
            case CLOSED:
                throw new IllegalStateException("the generator was closed; create a new one to run the body again");
            default:
                throw new IllegalStateException(RUNNING_MESSAGE);
        }
    }

    /** See {@link dev.fringe.Generator#close}. */
    public final void close() {
        while (true) {
            int s = status;
            if (s == RUNNING) {
                throw new IllegalStateException(RUNNING_MESSAGE);
            }
            if (s == NEW && STATUS.compareAndSet(this, NEW, CLOSED)) {
                body = null;
                return;
            }
            if (s == SUSPENDED && STATUS.compareAndSet(this, SUSPENDED, RUNNING)) {
                break;
            }
            if (s == FINISHED || s == FAILED || s == CLOSED) {
                return;
            }
        }
        exiting = true;
        transferToBody(false);
        int how = outcome;
        Throwable t = failure;
        failure = null;
        output = null;
        status = CLOSED;
        if (how == YIELDED) {
            abandon();
            throw new IllegalStateException("the generator's body suspended again while being closed (it caught"
                    + " GeneratorExit instead of letting it propagate); the generator is CLOSED and its body abandoned");
        }
        if (how == THREW && !(t instanceof GeneratorExit)) {
            throw rethrow(t);
        }
    }

    /**
     * Closes a generator whose facade became unreachable; runs on the cleaner thread and never
     * throws. A suspended body is unwound as by {@link #close()}; engines whose bodies run on
     * threads override this to unwind without waiting.
     */
    protected void closeUnreachable() {
        try {
            close();
        } catch (RuntimeException | Error ignored) {
            // Nobody is left to tell: the body's own exception during unwinding is dropped.
        }
    }

    /**
     * Marks the generator closed and sets the exit flag without running the body; for engines
     * that unwind an unreachable body asynchronously (then call {@link #abandon()}).
     *
     * @return whether the body was suspended and must now be abandoned
     */
    protected final boolean markClosedForUnwinding() {
        while (true) {
            int s = status;
            if (s == NEW && STATUS.compareAndSet(this, NEW, CLOSED)) {
                body = null;
                return false;
            }
            if (s == SUSPENDED && STATUS.compareAndSet(this, SUSPENDED, CLOSED)) {
                exiting = true;
                return true;
            }
            if (s != NEW && s != SUSPENDED) {
                return false;
            }
        }
    }

    /**
     * See {@link dev.fringe.Generator#state}.
     *
     * @return the public state
     */
    public final State state() {
        switch (status) {
            case NEW:
            case SUSPENDED:
                return State.RUNNABLE;
            case RUNNING:
                return State.RUNNING;
            case FINISHED:
                return State.FINISHED;
            case FAILED:
                return State.FAILED;
            default:
                return State.CLOSED;
        }
    }

    private RuntimeException rethrow(Throwable t) {
        spliceStackTrace(t);
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new GeneratorException(t);
    }

    // ---------------------------------------------------------------- body side

    /**
     * The entry frame of the body, called by the engine on the body's own stack. Never throws:
     * the outcome is left in the hand-over slots for the resumer. Public (in a package that is
     * not API) so that an engine can pass {@code this::runBody} without a lambda frame.
     */
    public final void runBody() {
        GeneratorBody<I, O> b = body;
        body = null;
        I first = input;
        input = null;
        try {
            b.run(this, first);
            outcome = RETURNED;
        } catch (Throwable t) {
            failure = t;
            outcome = THREW;
        }
    }

    // ---------------------------------------------------------------- engines without a body stack

    // An engine that runs the body as ordinary calls on the resumer's stack (the stackless
    // engine) cannot use runBody/suspend/transferToResumer: the body "suspends" by returning.
    // It drives the hand-over slots with these instead, from inside transferToBody.

    /**
     * Takes the body on the first run (it is not kept: the frames hold what they need).
     *
     * @return the body, or {@code null} if it was taken already
     */
    protected final GeneratorBody<I, O> takeBody() {
        GeneratorBody<I, O> b = body;
        body = null;
        return b;
    }

    /**
     * Takes the input of the running {@code resume}.
     *
     * @return the input; the slot is cleared
     */
    protected final I takeInput() {
        I in = input;
        input = null;
        return in;
    }

    /**
     * Returns whether the running transfer is {@code close()} unwinding the body, so that the
     * pending suspend must throw {@link GeneratorExit}.
     *
     * @return {@code true} while closing
     */
    protected final boolean isExiting() {
        return exiting;
    }

    /**
     * Records that the body suspended with {@code value}.
     *
     * @param value the output, not {@code null}
     */
    protected final void bodyYielded(O value) {
        output = value;
        outcome = YIELDED;
    }

    /** Records that the body returned. */
    protected final void bodyReturned() {
        outcome = RETURNED;
    }

    /**
     * Records that the body threw.
     *
     * @param t the body's exception
     */
    protected final void bodyThrew(Throwable t) {
        failure = t;
        outcome = THREW;
    }

    @Override
    public final I suspend(O value) {
        if (value == null) {
            throw new NullPointerException("a generator cannot suspend with null: an empty resume() result means"
                    + " 'finished'. Suspend a sentinel value or an Optional instead");
        }
        checkSuspendable();
        output = value;
        outcome = YIELDED;
        try {
            transferToResumer();
        } catch (RuntimeException | Error e) {
            output = null; // the engine refused to suspend here; the body keeps running
            throw e;
        }
        if (exiting) {
            throw new GeneratorExit();
        }
        I in = input;
        input = null;
        return in;
    }
}
