// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * A stack in plain native memory ({@code malloc}), aligned: cheaper to create than an
 * {@link OsStack} but <b>unguarded</b>, so a body that overflows it overwrites whatever lies
 * below. Use it for bodies whose stack use is known and small.
 */
public final class OwnedStack extends NativeStack {

    private OwnedStack(long limit, long base, Runnable release) {
        super(limit, base, release);
    }

    /**
     * Allocates a stack of at least {@code size} usable bytes (rounded up to {@link #ALIGNMENT}).
     *
     * @param size the usable size wanted, in bytes
     * @return the stack; {@link #close()} frees it
     * @throws IllegalArgumentException if {@code size} is below {@link #MINIMUM_SIZE}, or does not
     *                                  fit the platform's address space
     * @throws OutOfMemoryError         if {@code malloc} fails
     */
    public static OwnedStack allocate(long size) {
        checkSize("an OwnedStack", size, size);
        // malloc takes a size_t: at most the address space, less the alignment slack.
        long largest = (Platform.is64Bit() ? Long.MAX_VALUE : 0xFFFF_FFFFL) - 2 * ALIGNMENT;
        if (size > largest) {
            throw new IllegalArgumentException("an OwnedStack of " + size + " bytes does not fit this platform's address"
                    + " space (" + (Platform.is64Bit() ? 64 : 32) + "-bit): the largest is " + largest + " bytes");
        }
        long usable = alignUp(size);                 // keeps base aligned too
        long bytes = usable + ALIGNMENT - 1;
        StackBudget.reserve();
        long raw;
        try {
            raw = Native.malloc(bytes);
        } catch (RuntimeException | Error e) {
            StackBudget.release();
            throw e;
        }
        if (raw == 0) {
            StackBudget.release();
            throw new OutOfMemoryError("malloc of " + bytes + " bytes for a stack failed");
        }
        long limit = alignUp(raw);
        return new OwnedStack(limit, limit + usable, () -> {
            Native.free(raw);
            StackBudget.release();
        });
    }

    @Override
    public boolean guarded() {
        return false;
    }
}
