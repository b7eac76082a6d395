// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Pointer;
import dev.fringe.Generator;
import dev.fringe.Stack;
import dev.fringe.State;
import dev.fringe.jna.spi.ArchSupport;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * A body that overflows an {@link OsStack} dies on its guard region with {@code SIGSEGV}
 * (the JVM cannot recover from that); other stacks have no guard.
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
 * <h2>Thread safety</h2>
 * As for every {@link Generator}: one thread at a time runs the body; a concurrent
 * {@code resume}/{@code advance}/{@code close} throws {@link IllegalStateException} and changes
 * nothing; a suspended generator may be resumed from any thread, with everything either side
 * wrote before the switch visible to the other after it.
 */
public final class NativeGenerator implements Generator<Long, Long> {
    private static final int NEW = 0;
    private static final int SUSPENDED = 1;
    private static final int RUNNING = 2;
    private static final int FINISHED = 3;
    private static final int CLOSED = 4;
    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(NativeGenerator.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The architecture, bound once per JVM so that the JIT sees constants on the hot path. */
    private static final class Bound {
        static final ArchSupport ARCH = Arch.require();
        static final boolean WIDE = ARCH.wordSize() == 8;
        static final int TRANSFER_OFFSET = ControlBlock.TRANSFER * ARCH.wordSize();
        static final int STATUS_OFFSET = ControlBlock.STATUS * ARCH.wordSize();
    }

    private volatile int status;
    private final long ctl;
    private final ByteBuffer ctlView;  // the control block, for the input and status words
    private final Stack stack;
    private final Pointer body;        // keeps the function's library reachable
    private final Pointer env;
    private final Cleaner.Cleanable cleanable;
    private long value;                // last suspended value; valid while SUSPENDED
    private long returnValue;          // valid once FINISHED

    private NativeGenerator(Stack stack, Pointer body, Pointer env, NativeStack owned) {
        ArchSupport arch = Bound.ARCH;
        this.stack = stack;
        this.body = body;
        this.env = env;
        this.ctl = arch.init(stack.base(), Pointer.nativeValue(body), env == null ? 0 : Pointer.nativeValue(env));
        this.ctlView = new Pointer(ctl).getByteBuffer(0, (long) ControlBlock.WORDS * arch.wordSize())
                .order(ByteOrder.nativeOrder());
        this.cleanable = NativeStack.CLEANER.register(this, new Release(stack.limit(), owned));
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
     * @throws NullPointerException          if {@code stack} or {@code body} is {@code null}
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
     * @throws IllegalArgumentException      if {@code stackSize} is below
     *                                       {@link NativeStack#MINIMUM_SIZE}
     * @throws UnsupportedOperationException if no architecture module serves this JVM
     */
    public static NativeGenerator create(long stackSize, Pointer body, Pointer env) {
        Objects.requireNonNull(body, "body");
        Arch.require();
        OsStack stack = OsStack.allocate(stackSize);
        try {
            return create(stack, body, env, stack);
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private static NativeGenerator create(Stack stack, Pointer body, Pointer env, NativeStack owned) {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(body, "body");
        ArchSupport arch = Arch.require();
        if (stack instanceof NativeStack && ((NativeStack) stack).isClosed()) {
            throw new IllegalStateException("the stack was closed; allocate a new one");
        }
        long base = stack.base();
        long limit = stack.limit();
        if (base - limit < NativeStack.MINIMUM_SIZE) {
            throw new IllegalArgumentException("the stack has " + (base - limit) + " usable bytes; the minimum is "
                    + NativeStack.MINIMUM_SIZE + " (NativeStack.MINIMUM_SIZE)");
        }
        if (base % arch.stackAlignment() != 0) {
            throw new IllegalArgumentException("the stack's base 0x" + Long.toHexString(base) + " is not aligned to "
                    + arch.stackAlignment() + " bytes as the " + arch.resourcePrefix() + " ABI requires");
        }
        StackClaims.claim(limit, base);
        try {
            return new NativeGenerator(stack, body, env, owned);
        } catch (RuntimeException | Error e) {
            StackClaims.release(limit);
            throw e;
        }
    }

    /**
     * Starts or continues the body, allocation-free: the primitive form of {@link #resume}.
     *
     * @param input the body's argument on the first call, afterwards what the pending
     *              {@code suspend} returns
     * @return {@code true} if the body suspended (read {@link #value()}), {@code false} if it
     *         has returned, now or earlier (read {@link #returnValue()})
     * @throws IllegalStateException    if the generator is running (another thread is resuming
     *                                  it) or was closed; nothing changes
     * @throws IllegalArgumentException on a 32-bit platform, if {@code input} does not fit a
     *                                  machine word ({@code [-2^31, 2^32)}); nothing changes
     */
    public boolean advance(long input) {
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
        long out = Bound.ARCH.resume(ctl);
        boolean returned = Bound.WIDE ? ctlView.getLong(Bound.STATUS_OFFSET) != 0 : ctlView.getInt(Bound.STATUS_OFFSET) != 0;
        if (returned) {
            returnValue = out;
            status = FINISHED;
            cleanable.clean(); // the stack is free for another generator
            return false;
        }
        value = out;
        // Release store (no fence on x86): the next owner acquires through the status CAS, so
        // value and everything the body wrote are visible to it.
        STATUS.setRelease(this, SUSPENDED);
        return true;
    }

    private boolean notResumable() {
        switch (status) {
            case FINISHED:
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
     */
    @Override
    public Optional<Long> resume(Long input) {
        return advance(input == null ? 0 : input) ? Optional.of(value) : Optional.empty();
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
     * A finished or closed generator is left as it is. Idempotent.
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
            if (s == FINISHED || s == CLOSED) {
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
        return "NativeGenerator[" + state() + ", body 0x" + Long.toHexString(Pointer.nativeValue(body))
                + (env == null ? "" : ", env 0x" + Long.toHexString(Pointer.nativeValue(env))) + ", " + stack + "]";
    }

    /** Releases the stack claim, and unmaps an owned stack; never references the generator. */
    private static final class Release implements Runnable {
        private final long limit;
        private final NativeStack owned;

        Release(long limit, NativeStack owned) {
            this.limit = limit;
            this.owned = owned;
        }

        @Override
        public void run() {
            StackClaims.release(limit);
            if (owned != null) {
                owned.close();
            }
        }
    }
}
