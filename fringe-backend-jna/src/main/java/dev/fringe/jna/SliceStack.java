// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Pointer;
import java.util.Objects;

/**
 * A stack in memory the caller owns and frees, aligned inward (start rounded up, end rounded
 * down to {@link #ALIGNMENT}). <b>Unguarded</b>. {@link #close()} frees nothing; it only ends
 * fringe's use (Valgrind registration). The stack keeps a reference to the given
 * {@link Pointer}, so a JNA {@code Memory} stays allocated while the stack is reachable.
 */
public final class SliceStack extends NativeStack {
    @SuppressWarnings("unused") // keeps a JNA Memory (freed by its own cleaner) alive
    private final Pointer memory;

    private SliceStack(Pointer memory, long limit, long base) {
        super(limit, base, () -> { });
        this.memory = memory;
    }

    /**
     * Uses {@code size} bytes at {@code memory} as a stack.
     *
     * @param memory the start of the memory
     * @param size   its size in bytes
     * @return the stack
     * @throws NullPointerException     if {@code memory} is {@code null}
     * @throws IllegalArgumentException if {@code size} is negative, or fewer than
     *                                  {@link #MINIMUM_SIZE} bytes remain after alignment (the
     *                                  message gives both numbers)
     */
    public static SliceStack of(Pointer memory, long size) {
        Objects.requireNonNull(memory, "memory");
        if (size < 0) {
            throw new IllegalArgumentException("a SliceStack cannot have a negative size: " + size);
        }
        long start = Pointer.nativeValue(memory);
        long limit = alignUp(start);
        long base = alignDown(start + size);
        checkSize("a SliceStack", base - limit, size);
        return new SliceStack(memory, limit, base);
    }

    @Override
    public boolean guarded() {
        return false;
    }
}
