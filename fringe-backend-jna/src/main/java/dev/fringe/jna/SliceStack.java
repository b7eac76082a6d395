// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Platform;
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
     * @throws IllegalArgumentException if {@code size} is negative, the range would end past the
     *                                  end of the address space, or fewer than
     *                                  {@link #MINIMUM_SIZE} bytes remain after alignment (the
     *                                  message gives both numbers)
     */
    public static SliceStack of(Pointer memory, long size) {
        Objects.requireNonNull(memory, "memory");
        if (size < 0) {
            throw new IllegalArgumentException("a SliceStack cannot have a negative size: " + size);
        }
        long start = Pointer.nativeValue(memory);
        // The range must lie in the address space a process can use: below 2^63 on a 64-bit
        // platform (the upper half is the kernel's; that also keeps start + size from
        // overflowing), below 2^32 on a 32-bit one. base() is an address too, so the range must
        // end below that limit.
        long end = start + size;
        boolean outside = Platform.is64Bit() ? start < 0 || end < start
                : Long.compareUnsigned(start, 0xFFFF_FFFFL) > 0 || Long.compareUnsigned(end, 0xFFFF_FFFFL) > 0;
        if (outside) {
            throw new IllegalArgumentException("a SliceStack of " + size + " bytes at 0x" + Long.toHexString(start)
                    + " would end past the end of the " + (Platform.is64Bit() ? "64-bit address space (user memory"
                    + " lies below 2^63)" : "32-bit address space") + "; pass the memory's real start and size");
        }
        long limit = alignUp(start);
        long base = alignDown(end);
        checkSize("a SliceStack", base - limit, size);
        return new SliceStack(memory, limit, base);
    }

    @Override
    public boolean guarded() {
        return false;
    }
}
