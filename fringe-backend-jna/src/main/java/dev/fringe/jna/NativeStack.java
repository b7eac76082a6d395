// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import dev.fringe.Stack;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stacks fringe provides for native generators: {@link OsStack} (mmap with a guard
 * region; the default choice), {@link OwnedStack} (plain native memory) and {@link SliceStack}
 * (memory the caller owns).
 *
 * <p>Every stack is at least {@link #MINIMUM_SIZE} bytes after alignment, has a
 * {@link #base()} and {@link #limit()} aligned to {@link #ALIGNMENT}, and is registered with
 * Valgrind while it lives (a no-op outside Valgrind), so that Valgrind does not mistake a
 * switch to it for a wild stack-pointer move. Memory a stack owns is freed by
 * {@link #close()}, or by a {@link Cleaner} if the stack becomes unreachable unclosed.
 *
 * <p><b>Thread safety.</b> Accessors are thread-safe. {@code close()} is idempotent and
 * refuses (with {@link IllegalStateException}) while a live generator uses the stack.
 */
public abstract sealed class NativeStack implements Stack permits OsStack, OwnedStack, SliceStack {
    /**
     * The smallest usable size accepted, in bytes: one page. fringe itself needs under 128
     * bytes at the top of a stack (its control block and the body's first frame); the rest is
     * for the body's first calls, which always need some.
     */
    public static final long MINIMUM_SIZE = 4096;
    /** The alignment of {@link #base()} and {@link #limit()}: 16, enough for every ABI fringe supports. */
    public static final long ALIGNMENT = 16;

    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "fringe-stack-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final long limit;
    private final long base;
    private final State state;
    private final Cleaner.Cleanable cleanable;

    /**
     * @param limit   lowest usable address, aligned
     * @param base    highest address (exclusive), aligned
     * @param release frees the memory (runs once, on close or when unreachable); must not
     *                reference this stack
     */
    NativeStack(long limit, long base, Runnable release) {
        this.limit = limit;
        this.base = base;
        this.state = new State(limit, base, release);
        this.cleanable = CLEANER.register(this, state);
    }

    /**
     * What the cleaner needs: never a reference to the stack object itself. It is also the owner
     * of the claims generators make on this stack ({@link StackClaims}): it drops them before
     * the memory is freed, whatever order the cleaner runs a dead generator's cleanup and this
     * one in.
     */
    private static final class State implements Runnable {
        private final long limit;
        private final Runnable release;
        private final int valgrindId;
        private final AtomicBoolean done = new AtomicBoolean();

        State(long limit, long base, Runnable release) {
            this.limit = limit;
            this.release = release;
            Binding binding = NativeRuntime.get().binding();
            this.valgrindId = binding == null ? 0 : binding.registerStack(limit, base);
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                StackClaims.release(limit, this);
                Binding binding = NativeRuntime.get().binding();
                if (binding != null && valgrindId != 0) {
                    binding.deregisterStack(valgrindId);
                }
                release.run();
            }
        }
    }

    /** Who owns the claims generators make on this stack (see {@link State}). */
    final Object claimOwner() {
        return state;
    }

    static long alignUp(long address) {
        return (address + ALIGNMENT - 1) & -ALIGNMENT;
    }

    static long alignDown(long address) {
        return address & -ALIGNMENT;
    }

    static void checkSize(String kind, long usable, long requested) {
        if (usable < MINIMUM_SIZE) {
            throw new IllegalArgumentException(kind + " of " + requested + " bytes is too small to run a body: after"
                    + " alignment " + Math.max(usable, 0) + " bytes are usable and the minimum is " + MINIMUM_SIZE
                    + " (NativeStack.MINIMUM_SIZE)");
        }
    }

    @Override
    public final long base() {
        return base;
    }

    @Override
    public final long limit() {
        return limit;
    }

    /** Returns whether the memory was released (by close or the cleaner). */
    final boolean isClosed() {
        return state.done.get();
    }

    /**
     * Returns whether a live generator currently runs on (or is suspended on) this stack.
     *
     * @return {@code true} while a generator that has neither finished nor been closed uses it
     */
    public final boolean inUse() {
        return StackClaims.isClaimed(limit, base);
    }

    @Override
    public final void close() {
        if (inUse()) {
            throw new IllegalStateException("cannot close a stack that a live generator still uses: close the"
                    + " generator first (its close() releases the stack)");
        }
        cleanable.clean();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[0x" + Long.toHexString(limit) + "-0x" + Long.toHexString(base) + ", "
                + size() + " bytes" + (guarded() ? ", guarded" : "") + "]";
    }
}
