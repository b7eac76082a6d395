// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * A region of memory a native generator's body runs on. The stack grows down from
 * {@link #base()} towards {@link #limit()}.
 *
 * <p>Implementations live in {@code fringe-backend-jna} ({@code OsStack}, {@code OwnedStack},
 * {@code SliceStack}). A stack serves one live generator at a time; handing a stack that a live
 * generator still uses to another generator throws {@link IllegalStateException}.
 *
 * <p><b>Thread safety.</b> The accessors may be called from any thread. {@link #close()} must
 * not race with a generator that uses the stack; closing a stack that a live generator still
 * uses throws {@link IllegalStateException}.
 */
public interface Stack extends AutoCloseable {

    /**
     * Returns the highest address of the stack, exclusive: the first push stores just below it.
     * Aligned as the platform ABI requires of a stack pointer (16 bytes on x86, x86_64,
     * aarch64 and riscv32; 4 on or1k).
     *
     * @return the base address
     */
    long base();

    /**
     * Returns the lowest usable address of the stack.
     *
     * @return the limit address
     */
    long limit();

    /**
     * Returns whether a {@code PROT_NONE} guard region of at least 64 KiB lies directly below
     * {@link #limit()}, so that a body overflowing the stack faults instead of overwriting
     * other memory.
     *
     * @return {@code true} if the stack is guarded
     */
    boolean guarded();

    /**
     * Returns the usable size in bytes, {@code base() - limit()}.
     *
     * @return the usable size
     */
    default long size() {
        return base() - limit();
    }

    /**
     * Releases the memory if this stack owns it. Idempotent.
     *
     * @throws IllegalStateException if a live generator still uses the stack; close the
     *                               generator first
     */
    @Override
    void close();
}
