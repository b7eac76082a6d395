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
 *   RUNNING   -> CLOSED     close() saw the body end, or suspend again twice (then abandon())
 *   RUNNING   -> NEW        the engine failed before the body got control (outcome still NONE):
 *   RUNNING   -> SUSPENDED    a StackOverflowError or OutOfMemoryError out of transferToBody;
 *                             resume/close rethrow it and the generator is as it was
 *   NEW       -> CLOSED     close() before the first resume: the body never runs (then abandon())
 *   NEW       -> CLOSED     markClosedForUnwinding(): the facade was collected before any resume
 *   SUSPENDED -> CLOSED     markClosedForUnwinding(): the facade was collected; an engine that
 *                           unwinds asynchronously (thread-based) then calls abandon(), and
 *                           the body's pending suspend throws GeneratorExit on its own thread
 *   The public State folds NEW and SUSPENDED into RUNNABLE.
 *
 * Outcome (field outcome) and who may write it
 *   resume/close set NONE before transferToBody; the body side sets YIELDED, RETURNED or THREW
 *   before it hands control back. So after transferToBody returns or throws, NONE means the body
 *   never got control, and a suspend whose hand-off failed sees its own YIELDED still there. An
 *   engine that runs the body inside transferToBody (stackless) marks ENTERED when the body gets
 *   control (takeBody, bodyEntered); a failure after that fails the generator.
 *
 * Closing a body that ignores GeneratorExit (every engine the same)
 *   close() continues the body with exiting = true, so the pending suspend throws GeneratorExit.
 *   If the body suspends again, it gets one more GeneratorExit from that suspend (a body that
 *   caught the first one by accident unwinds now, finally blocks included), and close() throws
 *   IllegalStateException once it has ended. If it suspends yet again, close() throws
 *   IllegalStateException, the state is CLOSED, and the body is dropped: abandon() lets go of
 *   it and it never runs again (a continuation is collected; a body thread stays parked).
 *   Never a loop that keeps throwing into a body that keeps catching. An unreachable generator
 *   is closed the same way by the cleaner (thread-based engines: on the body's own thread).
 *
 * Ordering
 *   status is volatile and every transition out of NEW/SUSPENDED is a CAS, so exactly one
 *   caller owns a run of the body. The plain hand-over slots (input, output, failure, outcome,
 *   exiting) are written by one side before the engine transfers control and read by the other
 *   after: a continuation runs on the caller's thread (program order), a hand-off engine
 *   publishes them with a volatile store of its turn. The final volatile store of status
 *   publishes everything the body did to whichever thread next reads status.
 *
 * Stack overflow
 *   A StackOverflowError can strike any call. run() makes the status CAS and opens the try
 *   around transferToBody in one frame, with no call in between, so an overflow cannot fall
 *   between them; from transferToBody's return to the final status store the resumer makes no
 *   call that could leave the status RUNNING: the Optional handed out is made by suspend, on the
 *   body's side, before the hand-off, or, for an engine that reserved more stack than that
 *   needs before the body got control (the continuation engine's guarded run(), the stackless
 *   engine's reserveStackForOutput()), by resume where escape analysis can remove it; "finished"
 *   is a constant, and the release store of SUSPENDED falls back to a plain volatile store. The classes the engines need are initialized with the first
 *   generator, not on first use near the stack limit (a failed initializer poisons a class).
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

    private static final int NONE = 0;
    private static final int YIELDED = 1;
    private static final int RETURNED = 2;
    private static final int THREW = 3;
    private static final int ENTERED = 4; // see bodyEntered()

    private static final VarHandle STATUS;
    /** Returned without a call once finished: a call there could overflow the stack after the fact. */
    private static final Optional<?> EMPTY = Optional.empty();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATUS = lookup.findVarHandle(GeneratorCore.class, "status", int.class);
            // Now rather than on first use, which may come near the stack limit, where a failed
            // initialization would leave the class unusable for the JVM's lifetime.
            lookup.ensureInitialized(GeneratorExit.class);
            lookup.ensureInitialized(GeneratorException.class);
            lookup.ensureInitialized(State.class); // state() is called anywhere, near the limit too
            // Stack traces are read and spliced when a body fails, near the limit too; the first
            // StackTraceElement of a JDK frame in a JVM initializes the JDK's table of its own
            // modules (StackTraceElement.HashedModules, private): make one of those here.
            try {
                Optional.empty().orElseThrow();
            } catch (java.util.NoSuchElementException fromJavaBase) {
                fromJavaBase.getStackTrace();
            }
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
    private Optional<O> output; // made by suspend before the hand-off (see "Stack overflow")
    private O yielded;          // or, from bodyYielded, boxed by resume on the same thread
    private Throwable failure;
    private int outcome;
    private boolean exiting;
    private final boolean resumeBoxes;

    /**
     * Creates the core of a generator that has not started.
     *
     * @param body the body to run on the first resume
     */
    protected GeneratorCore(GeneratorBody<I, O> body) {
        this(body, false);
    }

    /**
     * Creates the core of a generator that has not started.
     *
     * @param body          the body to run on the first resume
     * @param resumeBoxes   whether {@code resume} may box the value a {@code suspend} hands out,
     *                      after control came back: only for an engine that had reserved more
     *                      stack than that boxing needs, deeper than {@code resume}, before the
     *                      body got control (see "Stack overflow"). The box then costs nothing
     *                      once {@code resume} is inlined. Otherwise {@code suspend} boxes it
     *                      before the hand-off.
     */
    protected GeneratorCore(GeneratorBody<I, O> body, boolean resumeBoxes) {
        this.body = Objects.requireNonNull(body, "body");
        this.resumeBoxes = resumeBoxes;
    }

    // ---------------------------------------------------------------- engine hooks

    /**
     * Runs the body until it suspends or ends: on the first call ({@code start}) by calling
     * {@link #runBody()} on the body's own stack, afterwards by continuing the pending
     * {@link #transferToResumer()}. Called by the resumer with the status RUNNING.
     *
     * <p>May throw only before the body gets control (a {@link StackOverflowError}, or an
     * {@link OutOfMemoryError} when no thread can be started), and must then leave the engine
     * as it was, so that the generator can roll back (see "Outcome" above); the core calls
     * {@link #transferFailed(boolean)} to let the engine restore what the attempt used up.
     * Once the body has control, it must wait until the body hands control back.
     *
     * @param start whether this is the first run
     */
    protected abstract void transferToBody(boolean start);

    /**
     * Called on the body's stack: hands control back and returns when resumed again. May throw
     * only if nothing was handed over (the resumer still waits, the body keeps running).
     */
    protected abstract void transferToResumer();

    /**
     * Throws {@link IllegalStateException} unless the caller runs on this generator's own body
     * stack, at a point where the engine can suspend.
     */
    protected abstract void checkSuspendable();

    /**
     * Lets go of a body that will never be resumed again: it ignored {@code GeneratorExit}
     * twice while closing, its generator became unreachable, or it was closed before it started
     * (then there is nothing to let go of unless the engine prepared something). A continuation
     * can simply be dropped; a thread must be woken to unwind, or never be woken again.
     */
    protected abstract void abandon();

    /**
     * Restores what a {@link #transferToBody} that threw before the body got control used up,
     * for example a continuation that ended without running the body. Called by the resumer,
     * before the status rolls back, where the stack may have just overflowed: it must not throw
     * and should make no calls (set a flag that the next {@code transferToBody} acts on).
     *
     * @param start whether that was the first run
     */
    protected void transferFailed(boolean start) {}

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
        if ((s != SUSPENDED && s != NEW) || !run(in, s, false)) {
            return notResumable();
        }
        switch (outcome) {
            case YIELDED:
                Optional<O> value = output;
                output = null;
                if (value == null) {
                    // bodyYielded: boxed here, where escape analysis can remove the box once
                    // resume is inlined. The engine reserved the stack for it (see bodyYielded).
                    O raw = yielded;
                    yielded = null;
                    try {
                        value = Optional.of(raw);
                    } catch (Throwable tooDeep) {
                        status = FAILED; // never stuck RUNNING; the body's frames are gone
                        throw tooDeep;
                    }
                }
                // Release store: the resumer owns nothing from here. A full volatile store would add
                // a StoreLoad fence that no reader needs (they acquire with a volatile read or CAS).
                // Interpreted, setRelease is a chain of calls: if even that overflows the stack, the
                // plain volatile store must still happen (see "Stack overflow").
                try {
                    STATUS.setRelease(this, SUSPENDED);
                } catch (Throwable tooDeep) {
                    status = SUSPENDED;
                }
                return value;
            case RETURNED:
                status = FINISHED;
                @SuppressWarnings("unchecked")
                Optional<O> none = (Optional<O>) EMPTY; // no call after the status is final
                return none;
            default:
                Throwable t = failure;
                failure = null;
                assert outcome == THREW && t != null : "outcome " + outcome;
                status = FAILED;
                throw rethrow(t);
        }
    }

    /**
     * Takes the generator from {@code from} (NEW or SUSPENDED; RUNNING: it is ours already) to
     * RUNNING and transfers control to the body. Returns {@code false} if another caller changed
     * the status first. If the engine throws before the body got control, puts the status back
     * to {@code from} and rethrows: nothing happened. The status CAS and the {@code try} share
     * this frame, with no call in between, so that a StackOverflowError cannot fall between them.
     *
     * @param in   the body's input
     * @param from the status to leave
     * @param exit whether the pending suspend is to throw GeneratorExit (closing)
     */
    private boolean run(I in, int from, boolean exit) {
        if (from != RUNNING && !STATUS.compareAndSet(this, from, RUNNING)) {
            return false;
        }
        input = in;
        exiting = exit;
        outcome = NONE;
        try {
            transferToBody(from == NEW);
        } catch (Throwable t) {
            if (outcome == ENTERED) {
                // An engine that runs the body inside transferToBody failed after the body got
                // control, before it recorded an outcome: the body's state is unknown, it fails.
                failure = t;
                outcome = THREW;
                return true;
            }
            if (outcome != NONE) {
                // The body handed control back before the engine failed on its way out: the
                // round trip is complete and its outcome stands.
                return true;
            }
            input = null;
            exiting = false;
            try {
                transferFailed(from == NEW);
            } catch (Throwable tooDeep) {
                // Called where the stack just overflowed: if even this call cannot be made, the
                // status must roll back all the same (and nothing here may call anything else).
            }
            status = from; // release: back to NEW or SUSPENDED, as before the call
            throw t;
        }
        assert outcome != NONE && outcome != ENTERED : "transferToBody returned without an outcome";
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <O> Optional<O> empty() {
        return (Optional<O>) EMPTY;
    }

    private Optional<O> notResumable() {
        switch (status) {
            case FINISHED:
            case FAILED:
                return empty();
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
                abandon(); // an engine may have prepared a thread that now must not run
                return;
            }
            if (s == SUSPENDED && run(null, SUSPENDED, true)) {
                break;
            }
            if (s == FINISHED || s == FAILED || s == CLOSED) {
                return;
            }
        }
        boolean ignoredExit = outcome == YIELDED;
        if (ignoredExit) {
            // It caught GeneratorExit and suspended again: one more GeneratorExit from there
            // (see "Closing a body that ignores GeneratorExit"). An engine failure here counts
            // as the body's refusal.
            output = null;
            yielded = null;
            try {
                run(null, RUNNING, true);
            } catch (Throwable engineFailure) {
                outcome = YIELDED;
            }
        }
        int how = outcome;
        Throwable t = failure;
        failure = null;
        output = null;
        yielded = null;
        status = CLOSED;
        if (how == YIELDED) {
            abandon();
            throw new IllegalStateException("the generator's body suspended again while being closed, twice (it caught"
                    + " GeneratorExit instead of letting it propagate); the generator is CLOSED and its body dropped:"
                    + " it never runs again. Let GeneratorExit propagate out of suspend()");
        }
        if (ignoredExit) {
            // The second GeneratorExit ended it, but the body misbehaved: say so.
            throw new IllegalStateException("the generator's body suspended again while being closed (it caught"
                    + " GeneratorExit instead of letting it propagate); fringe threw GeneratorExit from that suspend"
                    + " once more and the body ended. The generator is CLOSED. Let GeneratorExit propagate out of"
                    + " suspend()", how == THREW && !(t instanceof GeneratorExit) ? t : null);
        }
        if (how == THREW && !(t instanceof GeneratorExit)) {
            throw rethrow(t);
        }
    }

    /**
     * Closes a generator whose facade became unreachable; runs on the cleaner thread (or a
     * thread that helps it, see {@link FringeCleaner}) and never throws. A suspended body is
     * unwound as by {@link #close()}; engines whose bodies run on threads override this to
     * unwind without waiting.
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
                // The pending suspend sees this after the engine's turn hand-over (abandon()).
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
        assert b != null : "runBody of a generator that was closed or already started";
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
     * Takes the body on the first run (it is not kept: the frames hold what they need), and
     * marks the body entered (see {@link #bodyEntered()}).
     *
     * @return the body, or {@code null} if it was taken already
     */
    protected final GeneratorBody<I, O> takeBody() {
        GeneratorBody<I, O> b = body;
        body = null;
        outcome = ENTERED; // no call in here: taking the body and this mark happen together
        return b;
    }

    /**
     * Marks the point from which the body has control, for an engine that runs it inside
     * {@link #transferToBody}: a failure of {@code transferToBody} before this point rolls the
     * generator back (nothing happened, see "Outcome"), a failure after it, before the engine
     * recorded an outcome, fails the generator with that exception. Call it right before the
     * first change the engine cannot undo.
     */
    protected final void bodyEntered() {
        outcome = ENTERED;
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
     * Records that the body suspended with {@code value}, for an engine whose body hands control
     * back on the resumer's own thread and stack (its {@code transferToBody} returns). The value
     * is boxed into the {@code Optional} that {@code resume} returns only there, which costs
     * nothing once {@code resume} is inlined; so that this boxing cannot overflow the stack
     * after the body suspended, the engine calls {@link #reserveStackForOutput()} before
     * {@link #bodyEntered()} (whatever the constructor was told).
     *
     * @param value the output, not {@code null}
     */
    protected final void bodyYielded(O value) {
        yielded = value;
        outcome = YIELDED;
    }

    /**
     * Boxes a value the way {@code resume} boxes one from {@link #bodyYielded}, deeper in the
     * stack than {@code resume}: called before the body gets control, it overflows (and the
     * resume rolls back) wherever that boxing could overflow after the body suspended. Compiled,
     * the unused box is removed and the call costs nothing.
     */
    protected static void reserveStackForOutput() {
        Optional.of(Boolean.TRUE);
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
        if (resumeBoxes) {
            yielded = value; // boxed by resume (see the constructor)
        } else {
            Optional<O> out = Optional.of(value); // on this side of the hand-off: see "Stack overflow"
            output = out;
        }
        outcome = YIELDED;
        try {
            transferToResumer();
        } catch (RuntimeException | Error e) {
            if (outcome == YIELDED) {
                output = null; // the engine refused to suspend here (nothing was handed over); the body keeps running
                yielded = null;
                throw e;
            }
            // The resumer took the value and resumed the body (it reset the outcome); the engine
            // failed on its way back into the body. The round trip happened: carry on.
        }
        if (exiting) {
            throw new GeneratorExit();
        }
        I in = input;
        input = null;
        return in;
    }
}
