// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Pointer;
import dev.fringe.Generator;
import dev.fringe.Stack;
import dev.fringe.State;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * A generator whose body is a native function with the C ABI of {@code fringe.h}, running on
 * a fringe {@link Stack} and switched by the architecture module on the class path
 * ({@code fringe-arch-*}). Values are machine words, seen from Java as {@code long}
 * (zero-extended on 32-bit platforms).
 *
 * <pre>{@code
 * NativeLibrary lib = NativeLibrary.getInstance("mybodies");
 * try (OsStack stack = OsStack.allocate(64 * 1024);
 *      NativeGenerator gen = NativeGenerator.create(stack, lib.getFunction("count_to"), null)) {
 *     while (gen.advance(3)) {                 // allocation-free form of resume
 *         System.out.println(gen.value());     // 1, 2, 3
 *     }
 *     System.out.println(gen.returnValue());  // what the body returned
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 * The {@link Generator} contract, with what C allows: creating runs nothing; the first resume
 * calls {@code body(env, input, yielder)}; each {@code yielder->suspend(yielder, v)} makes that
 * resume return {@code v}; returning finishes the generator and keeps the returned word as
 * {@link #returnValue()}; a finished generator's resumes return empty and run nothing.
 * C has no exceptions, and no unwinding: {@link #close()} of a suspended generator never runs
 * its body again, it only releases the stack (free what the body owns through {@code env}).
 *
 * <h2>Stack overflow</h2>
 * A body that runs past the end of a guarded stack ({@link OsStack}) makes the resume that ran
 * it throw {@link StackOverflowError}, whose message names the stack's size and how to enlarge
 * it; the generator is then {@link State#FAILED} (later resumes return empty and run nothing),
 * its stack is released and the body's frames are never entered again. C cannot unwind: locks
 * the abandoned frames held stay held and their destructors never run; a frame larger than the
 * 64 KiB guard can jump over it (compile bodies with {@code -fstack-clash-protection}); see
 * {@code docs/native-overflow.md}. {@link OwnedStack} and {@link SliceStack} have no guard. Any
 * other fault in a body (a null pointer, say) still ends the JVM with its error report.
 *
 * <p>A native body must not call back into Java (for example through a JNA callback): the JVM
 * cannot run Java frames on a stack it did not create (measured: {@code StackOverflowError} or
 * a corrupted heap after the next GC). Java bodies belong on {@link Generator#create}.
 *
 * <h2>Stacks</h2>
 * A stack serves one live generator at a time: creating a generator on a stack (or memory
 * range) that a live generator still uses throws {@link IllegalStateException}. The stack is
 * released, and may be reused, when its generator finishes or is closed; a generator that
 * becomes unreachable releases it through a {@link Cleaner}. {@link #create(long, Pointer, Pointer)}
 * makes the generator own a fresh {@link OsStack}, unmapped when the generator ends.
 *
 * <h2>Bindings</h2>
 * Java calls the architecture library through one of two bindings, chosen once per JVM: FFM
 * ({@code java.lang.foreign}, JDK 22+, when native access is enabled for this module:
 * {@code --enable-native-access=dev.fringe.jna} on the module path, {@code =ALL-UNNAMED} on the
 * class path), about ten times cheaper per round trip, or JNA (JDK 17+, everywhere else).
 * {@code -Dfringe.native.binding=ffm} or {@code =jna} forces one. {@link #binding()},
 * {@link #diagnostics()} and {@link #toString()} say which one runs; {@link #isAvailable()} and
 * {@link #unavailabilityCause()} say whether native generators work here at all, decided once
 * with a real round trip.
 *
 * <h2>Thread safety</h2>
 * As for every {@link Generator}: one thread at a time runs the body; a concurrent
 * {@code resume}/{@code advance}/{@code close} throws {@link IllegalStateException} and changes
 * nothing; a suspended generator may be resumed from any thread, with everything either side
 * wrote before the switch visible to the other after it.
 */
public final class NativeGenerator implements Generator<Long, Long> {
    /*
     * States (the field status; state() maps NEW and SUSPENDED to RUNNABLE):
     *
     *   NEW       -> RUNNING    // enter(): CAS, by the one thread that wins a resume
     *   SUSPENDED -> RUNNING    // enter(): CAS, likewise
     *   RUNNING   -> SUSPENDED  // leave(): control block status 0; release store, after value
     *   RUNNING   -> FINISHED   // ended(): status 1, the body returned; the stack is released
     *   RUNNING   -> FAILED     // ended(): status 2, the body overflowed its stack (fringe_guard.c
     *                           //   completed a suspend for it); the stack is released, throws
     *   RUNNING   -> CLOSED     // ended(): any other status: a broken control block
     *   NEW       -> CLOSED     // close(): CAS; the body never ran; the stack is released
     *   SUSPENDED -> CLOSED     // close(): CAS; the body never runs again; the stack is released
     *
     * FINISHED, FAILED and CLOSED are final. Only the thread that moved the generator to RUNNING touches
     * the control block until it publishes the next state, so the control block needs no lock.
     */
    private static final int NEW = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int FINISHED = 3;
    private static final int CLOSED = 4;
    private static final int FAILED = 5;
    /** {@link #guardId} of a generator whose overflow nobody recovers. */
    private static final int NO_GUARD = -1;
    private static final VarHandle STATUS;
    /** {@code Thread.isVirtual()} (JDK 21+), or {@code null} on a JDK without virtual threads. */
    private static final MethodHandle IS_VIRTUAL;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(NativeGenerator.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        MethodHandle isVirtual;
        try {
            isVirtual = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            isVirtual = null; // JDK 17-20: every thread is a platform thread
        }
        IS_VIRTUAL = isVirtual;
    }

    /**
     * The binding, read once per JVM into constants so that the JIT compiles a resume to a direct
     * call of its native entry. Touched only after {@link NativeRuntime#require()} succeeded.
     */
    private static final class Bound {
        static final Binding BINDING = NativeRuntime.require();
        static final int WORD = BINDING.arch.wordSize();
        static final boolean WIDE = WORD == 8;
        static final int TRANSFER_OFFSET = ControlBlock.TRANSFER * WORD;
        static final int STATUS_OFFSET = ControlBlock.STATUS * WORD;
    }

    private volatile int status;
    private final long ctl;
    private final ByteBuffer ctlView;  // the control block, for the input and status words
    private final Stack stack;
    private final Pointer body;        // keeps the function's library reachable
    private final Pointer env;
    private final Cleaner.Cleanable cleanable;
    private final int guardId;         // the guard region's registration for overflow recovery, or NO_GUARD
    private long value;                // last suspended value; valid while SUSPENDED
    private long returnValue;          // valid once FINISHED
    /*
     * The platform thread that last resumed the body through the guarded resume routine, which
     * set that thread up for overflow recovery (an alternate signal stack): later resumes on it
     * take the plain routine, and the hot path pays one comparison. Read and written only by the
     * thread that holds RUNNING; the status CAS and release store publish it to the next one.
     * Never a virtual thread: its carrier may change between two resumes.
     */
    private Thread resumer;

    private NativeGenerator(Stack stack, Pointer body, Pointer env, Object claimOwner, NativeStack owned) {
        Binding binding = Bound.BINDING;
        this.stack = stack;
        this.body = body;
        this.env = env;
        this.ctl = binding.init(stack.base(), Pointer.nativeValue(body), env == null ? 0 : Pointer.nativeValue(env));
        this.ctlView = binding.view(ctl, ControlBlock.WORDS * Bound.WORD);
        this.guardId = registerGuard(binding, stack, ctl);
        try {
            this.cleanable = NativeStack.CLEANER.register(this, new Release(stack.limit(), claimOwner, owned, guardId));
        } catch (RuntimeException | Error e) {
            Release.deregister(guardId);
            throw e;
        }
    }

    /**
     * Registers the guard region below a guarded stack, so that the library's fault handler
     * recognises the body's overflow (docs/native-overflow.md).
     *
     * @return the registration, or {@link #NO_GUARD} if the stack has no guard or the library
     *         recovers no overflow
     * @throws OutOfMemoryError if the library's registry cannot grow
     */
    private static int registerGuard(Binding binding, Stack stack, long ctl) {
        if (!binding.arch.recoversOverflow() || !stack.guarded()) {
            return NO_GUARD;
        }
        long limit = stack.limit();
        // Stack's contract: a guard of at least 64 KiB lies right below limit(); OsStack knows its own.
        long guardStart = stack instanceof OsStack ? ((OsStack) stack).guardStart() : limit - OsStack.GUARD_SIZE;
        int id = binding.registerGuard(guardStart, limit, stack.base(), ctl);
        if (id < 0) {
            throw new OutOfMemoryError("cannot register the guard region of " + stack
                    + " for stack overflow recovery (errno " + -id + ")");
        }
        return id;
    }

    /**
     * Returns whether native generators can run in this JVM: an architecture module serves it,
     * its library loads through the chosen binding, and one real round trip through it works.
     * Decided once, on first use of native generators, and never retried.
     *
     * @return {@code true} if {@link #create} can work here
     */
    public static boolean isAvailable() {
        return NativeRuntime.get().cause() == null;
    }

    /**
     * Returns why native generators cannot run in this JVM.
     *
     * @return {@code null} if they can ({@link #isAvailable()}); otherwise the failure, whose
     *         message names what is missing and what to do (for example which
     *         {@code fringe-arch-*} artifact to add), with earlier failures attached as causes or
     *         suppressed exceptions
     */
    public static Throwable unavailabilityCause() {
        return NativeRuntime.get().cause();
    }

    /**
     * Returns the name of the binding native generators use in this JVM.
     *
     * @return {@code "ffm"} ({@code java.lang.foreign}) or {@code "jna"}
     * @throws UnsupportedOperationException if native generators cannot run here
     *                                       ({@link #unavailabilityCause()})
     */
    public static String binding() {
        return NativeRuntime.require().name();
    }

    /**
     * Describes, in one line, what native generators run on in this JVM: the binding and why it
     * was chosen, the architecture module and its library; or why they cannot run.
     *
     * @return e.g. {@code "native generators available: binding ffm (java.lang.foreign downcalls
     *         (Java 25); the default where native access is enabled), switch fringe-arch-x86_64
     *         (linux-x86-64/libfringe_x86_64.so, os.arch amd64)"}
     */
    public static String diagnostics() {
        return NativeRuntime.get().describe();
    }

    /**
     * Creates a generator running {@code body(env, input, yielder)} on {@code stack}. Nothing
     * runs until the first resume.
     *
     * @param stack the stack to run on; not used by another live generator
     * @param body  the address of a {@code fringe_body_fn}, e.g. from
     *              {@link com.sun.jna.NativeLibrary#getFunction(String)}
     * @param env   passed to the body as its first argument; may be {@code null}
     * @return the generator, in state {@link State#RUNNABLE}
     * @throws NullPointerException          if {@code stack} or {@code body} is {@code null}, or
     *                                       {@code body} is a null function pointer (address 0)
     * @throws IllegalArgumentException      if the stack is smaller than
     *                                       {@link NativeStack#MINIMUM_SIZE} or its base is
     *                                       not aligned as the ABI requires
     * @throws IllegalStateException         if a live generator uses the stack (or memory it
     *                                       overlaps), or the stack was closed
     * @throws UnsupportedOperationException if no {@code fringe-arch-*} module for this JVM is
     *                                       on the class path (the message names the artifact)
     */
    public static NativeGenerator create(Stack stack, Pointer body, Pointer env) {
        return create(stack, body, env, null);
    }

    /**
     * Creates a generator on a new {@link OsStack} of {@code stackSize} bytes that it owns:
     * the stack is unmapped when the generator finishes, is closed, or is collected.
     *
     * @param stackSize the usable stack size in bytes
     * @param body      the address of a {@code fringe_body_fn}
     * @param env       passed to the body as its first argument; may be {@code null}
     * @return the generator
     * @throws NullPointerException          if {@code body} is {@code null} or address 0
     * @throws IllegalArgumentException      if {@code stackSize} is below
     *                                       {@link NativeStack#MINIMUM_SIZE} or does not fit the
     *                                       address space
     * @throws UnsupportedOperationException if no architecture module serves this JVM
     */
    public static NativeGenerator create(long stackSize, Pointer body, Pointer env) {
        requireFunction(body);
        NativeRuntime.require();
        OsStack stack = OsStack.allocate(stackSize);
        try {
            return create(stack, body, env, stack);
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private static void requireFunction(Pointer body) {
        Objects.requireNonNull(body, "body");
        if (Pointer.nativeValue(body) == 0) {
            throw new NullPointerException("body is a null function pointer (address 0): pass the address of a"
                    + " fringe_body_fn, e.g. NativeLibrary.getFunction(name)");
        }
    }

    private static NativeGenerator create(Stack stack, Pointer body, Pointer env, NativeStack owned) {
        Objects.requireNonNull(stack, "stack");
        requireFunction(body);
        int alignment = NativeRuntime.require().arch.stackAlignment();
        if (stack instanceof NativeStack && ((NativeStack) stack).isClosed()) {
            throw new IllegalStateException("the stack was closed; allocate a new one");
        }
        long base = stack.base();
        long limit = stack.limit();
        if (base - limit < NativeStack.MINIMUM_SIZE) {
            throw new IllegalArgumentException("the stack has " + (base - limit) + " usable bytes; the minimum is "
                    + NativeStack.MINIMUM_SIZE + " (NativeStack.MINIMUM_SIZE)");
        }
        if (base % alignment != 0) {
            throw new IllegalArgumentException("the stack's base 0x" + Long.toHexString(base) + " is not aligned to "
                    + alignment + " bytes as the " + Bound.BINDING.arch.resourcePrefix() + " ABI requires");
        }
        Object claimOwner = stack instanceof NativeStack ? ((NativeStack) stack).claimOwner() : new Object();
        StackClaims.claim(limit, base, claimOwner);
        try {
            return new NativeGenerator(stack, body, env, claimOwner, owned);
        } catch (RuntimeException | Error e) {
            StackClaims.release(limit, claimOwner);
            throw e;
        }
    }

    /**
     * Starts or continues the body, allocation-free: the primitive form of {@link #resume}.
     *
     * @param input the body's argument on the first call, afterwards what the pending
     *              {@code suspend} returns
     * @return {@code true} if the body suspended (read {@link #value()}), {@code false} if it
     *         has returned, now or earlier (read {@link #returnValue()}), or overflowed its stack
     *         earlier
     * @throws IllegalStateException    if the generator is running (another thread is resuming
     *                                  it) or was closed; nothing changes
     * @throws IllegalArgumentException on a 32-bit platform, if {@code input} does not fit a
     *                                  machine word ({@code [-2^31, 2^32)}); nothing changes
     * @throws StackOverflowError       if the body ran past the end of its guarded stack now: the
     *                                  generator is {@link State#FAILED} and its stack released
     */
    public boolean advance(long input) {
        return enter(input) && leave(run());
    }

    /** Switches to the body and back: the plain resume routine on the thread that resumed it last. */
    private long run() {
        Thread current = Thread.currentThread();
        return current == resumer ? Bound.BINDING.resume(ctl) : runOnAnotherThread(current);
    }

    /**
     * The first resume on this thread (every resume on a virtual thread): through the guarded
     * routine, which sets the thread up for overflow recovery if that never happened on it.
     */
    private long runOnAnotherThread(Thread current) {
        long out = Bound.BINDING.resumeGuarded(ctl);
        if (!isVirtual(current)) {
            resumer = current;
        }
        return out;
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.isVirtual() failed", t);
        }
    }

    /**
     * Takes the generator from NEW or SUSPENDED to RUNNING and hands {@code input} to the body.
     *
     * @return {@code false} if it is FINISHED (nothing runs)
     * @throws IllegalStateException    if it is running or closed; nothing changes
     * @throws IllegalArgumentException if {@code input} does not fit a 32-bit word; nothing changes
     */
    private boolean enter(long input) {
        if (!Bound.WIDE && (input < Integer.MIN_VALUE || input > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("input " + input + " does not fit this platform's 32-bit machine word");
        }
        int s = status;
        if ((s != SUSPENDED && s != NEW) || !STATUS.compareAndSet(this, s, RUNNING)) {
            return notResumable();
        }
        if (Bound.WIDE) {
            ctlView.putLong(Bound.TRANSFER_OFFSET, input);
        } else {
            ctlView.putInt(Bound.TRANSFER_OFFSET, (int) input);
        }
        return true;
    }

    /**
     * Settles what the switch back brought: the body suspended with {@code out}, or ended.
     * Publishes the new state last, so a caller that wants {@code out} must use its own copy:
     * once SUSPENDED is visible, another thread may resume and overwrite {@link #value}.
     *
     * @param out the word the body handed over
     * @return {@code true} if the body suspended
     */
    private boolean leave(long out) {
        long word = Bound.WIDE ? ctlView.getLong(Bound.STATUS_OFFSET) : ctlView.getInt(Bound.STATUS_OFFSET);
        if (word != ControlBlock.RESUMABLE) {
            return ended(word, out);
        }
        value = out;
        // Release store (no fence on x86): the next owner acquires through the status CAS, so
        // value and everything the body wrote are visible to it.
        STATUS.setRelease(this, SUSPENDED);
        return true;
    }

    /**
     * The body is done: it returned {@code out}, or overflowed its stack, or the control block
     * says something else.
     */
    private boolean ended(long word, long out) {
        if (word == ControlBlock.RETURNED) {
            returnValue = out;
            status = FINISHED;
            cleanable.clean(); // the stack is free for another generator
            return false;
        }
        if (word == ControlBlock.OVERFLOWED) {
            status = FAILED;
            cleanable.clean(); // deregisters the guard, frees (or unmaps) the stack; the body never runs again
            throw overflowed();
        }
        // Garbage: the body cannot continue.
        status = CLOSED;
        cleanable.clean();
        throw new IllegalStateException("the control block at 0x" + Long.toHexString(ctl) + " reports status " + word
                + ", which this version of fringe does not know; the generator is closed");
    }

    /** The error of an overflow: how large the stack was, what to do, what was lost. */
    private StackOverflowError overflowed() {
        long usable = stack.base() - stack.limit();
        long larger = (Math.max(2 * usable, 64 * 1024L) + 4095) & -4096L; // twice as large, whole pages
        return new StackOverflowError("the native body at 0x" + Long.toHexString(Pointer.nativeValue(body))
                + " overflowed its stack of " + usable + " bytes (" + stack + "); the generator is FAILED and its"
                + " stack was released. Give the body a larger stack, e.g. NativeGenerator.create(" + larger
                + ", body, env) or OsStack.allocate(" + larger + "). The body's frames were abandoned: locks they"
                + " held stay held and nothing they allocated was freed (docs/native-overflow.md)");
    }

    private boolean notResumable() {
        switch (status) {
            case FINISHED:
            case FAILED:
                return false;
            case CLOSED:
                throw new IllegalStateException("the generator was closed; create a new one to run the body again");
            default:
                throw new IllegalStateException("the generator is running: another thread is resuming it (or a body"
                        + " called back into Java); a generator runs on one thread at a time");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Allocates the {@code Optional} and boxes; see {@link #advance(long)} for the
     * allocation-free form.
     *
     * @param input the input word; {@code null} passes 0
     * @throws StackOverflowError if the body ran past the end of its guarded stack now: the
     *                            generator is {@link State#FAILED} and its stack released
     */
    @Override
    public Optional<Long> resume(Long input) {
        if (!enter(input == null ? 0 : input)) {
            return Optional.empty();
        }
        long out = run();
        // out, not the field value: another thread may resume as soon as leave() published SUSPENDED.
        return leave(out) ? Optional.of(out) : Optional.empty();
    }

    /**
     * Returns the value the body last suspended with.
     *
     * @return the value
     * @throws IllegalStateException if the generator is not suspended (never started, running,
     *                               finished or closed)
     */
    public long value() {
        if (status != SUSPENDED) {
            throw new IllegalStateException("no suspended value: the generator is " + describe()
                    + "; call value() after advance() returned true");
        }
        return value;
    }

    /**
     * Returns what the body returned.
     *
     * @return the body's return value
     * @throws IllegalStateException if the body has not returned
     */
    public long returnValue() {
        if (status != FINISHED) {
            throw new IllegalStateException("no return value: the generator is " + describe()
                    + "; call returnValue() after advance() returned false");
        }
        return returnValue;
    }

    private String describe() {
        int s = status;
        return s == NEW ? "not started" : state().toString();
    }

    @Override
    public State state() {
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

    /**
     * Returns the stack the body runs on.
     *
     * @return the stack
     */
    public Stack stack() {
        return stack;
    }

    /**
     * Ends the generator. A suspended or unstarted body never runs again (C cannot be unwound:
     * nothing in the body runs on close) and the stack is released; an owned stack is unmapped.
     * A finished, failed or closed generator is left as it is. Idempotent.
     *
     * @throws IllegalStateException if the generator is running; nothing changes
     */
    @Override
    public void close() {
        while (true) {
            int s = status;
            if (s == RUNNING) {
                throw new IllegalStateException("cannot close a running generator: another thread is resuming it");
            }
            if (s == FINISHED || s == FAILED || s == CLOSED) {
                return;
            }
            if (STATUS.compareAndSet(this, s, CLOSED)) {
                cleanable.clean();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "NativeGenerator[" + state() + ", " + Bound.BINDING.name() + ", body 0x" + Long.toHexString(Pointer.nativeValue(body))
                + (env == null ? "" : ", env 0x" + Long.toHexString(Pointer.nativeValue(env))) + ", " + stack + "]";
    }

    /**
     * Deregisters the guard region, releases the stack claim, and unmaps an owned stack; never
     * references the generator. The guard goes first: once the claim is released, another
     * generator may register the same stack.
     */
    private static final class Release implements Runnable {
        private final long limit;
        private final Object claimOwner;
        private final NativeStack owned;
        private final int guardId;

        Release(long limit, Object claimOwner, NativeStack owned, int guardId) {
            this.limit = limit;
            this.claimOwner = claimOwner;
            this.owned = owned;
            this.guardId = guardId;
        }

        static void deregister(int guardId) {
            if (guardId != NO_GUARD) {
                Bound.BINDING.deregisterGuard(guardId);
            }
        }

        @Override
        public void run() {
            deregister(guardId);
            StackClaims.release(limit, claimOwner);
            if (owned != null) {
                owned.close();
            }
        }
    }
}
