// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Native;

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
     * @throws IllegalArgumentException if {@code size} is below {@link #MINIMUM_SIZE}
     * @throws OutOfMemoryError         if {@code malloc} fails
     */
    public static OwnedStack allocate(long size) {
        checkSize("an OwnedStack", size, size);
        long usable = alignUp(size);                 // keeps base aligned too
        long raw = Native.malloc(usable + ALIGNMENT - 1);
        if (raw == 0) {
            throw new OutOfMemoryError("malloc of " + (usable + ALIGNMENT - 1) + " bytes for a stack failed");
        }
        long limit = alignUp(raw);
        return new OwnedStack(limit, limit + usable, () -> Native.free(raw));
    }

    @Override
    public boolean guarded() {
        return false;
    }
}
