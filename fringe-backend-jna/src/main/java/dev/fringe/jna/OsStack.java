// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * A stack mapped from the operating system with {@code mmap}, with a {@code PROT_NONE} guard
 * region of at least 64 KiB directly below {@link #limit()}: the default choice.
 *
 * <p>A body that overflows the stack faults on the guard region and the process dies with
 * {@code SIGSEGV} instead of silently overwriting other memory. The guard is 64 KiB rather than
 * one page because an ordinary optimized C function with a large frame (measured: 9 KiB) can
 * step over a single guard page; the guard costs address space only. Memory is committed by the
 * kernel only as the body touches it ({@code MAP_NORESERVE}), so generous sizes are cheap.
 *
 * <p>Each stack takes two of the process's memory maps. Stacks nobody closed are unmapped by a
 * cleaner once unreachable, and when more than {@code -Dfringe.native.gcThreshold} (default
 * 1024) stacks fringe allocated are alive, allocating another first asks for a garbage
 * collection so that abandoned ones are found before the kernel's map limit is reached.
 */
public final class OsStack extends NativeStack {
    /** The size of the guard region, in bytes (rounded up to whole pages). */
    public static final long GUARD_SIZE = 64 * 1024;

    private OsStack(long limit, long base, Runnable release) {
        super(limit, base, release);
    }

    /**
     * Maps a new stack of at least {@code size} usable bytes, rounded up to whole pages, plus
     * the guard region below it.
     *
     * @param size the usable size wanted, in bytes
     * @return the stack; {@link #close()} unmaps it
     * @throws IllegalArgumentException if {@code size} is below {@link #MINIMUM_SIZE}, or does not
     *                                  fit the platform's address space
     * @throws IllegalStateException    if {@code mmap} or {@code mprotect} fails (the message
     *                                  gives errno and its text)
     * @throws OutOfMemoryError         if the kernel has no address space left ({@code ENOMEM})
     */
    public static OsStack allocate(long size) {
        checkSize("an OsStack", size, size);
        long page = Libc.PAGE_SIZE;
        long usable = roundUp(size, page);
        long guard = roundUp(GUARD_SIZE, page);
        long total = usable + guard;
        // mmap's length is a size_t, passed as a (signed) NativeLong: on 32-bit platforms at most 2 GiB - 1.
        long largest = Native.SIZE_T_SIZE == 4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (usable < 0 || total < 0 || total > largest) {
            throw new IllegalArgumentException("an OsStack of " + size + " bytes (plus its guard) does not fit this"
                    + " platform's address space (" + 8 * Native.SIZE_T_SIZE + "-bit): the largest is "
                    + (largest - guard) + " bytes");
        }
        StackBudget.reserve();
        Pointer mapping;
        try {
            mapping = Libc.mmap(null, new NativeLong(total), Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE | Libc.MAP_STACK, -1, new NativeLong(0));
        } catch (LastErrorException e) {
            StackBudget.release();
            throw Libc.failure("mmap of " + total + " bytes for a stack", e);
        } catch (RuntimeException | Error e) {
            StackBudget.release();
            throw e;
        }
        long start = Pointer.nativeValue(mapping);
        try {
            Libc.mprotect(mapping, new NativeLong(guard), Libc.PROT_NONE);
        } catch (LastErrorException e) {
            unmap(start, total);
            throw Libc.failure("mprotect(PROT_NONE) of the " + guard + "-byte guard region", e);
        }
        return new OsStack(start + guard, start + total, () -> unmap(start, total));
    }

    /** Unmaps a stack and uncounts it ({@link StackBudget}). */
    private static void unmap(long start, long length) {
        try {
            Libc.munmap(new Pointer(start), new NativeLong(length));
        } catch (LastErrorException e) {
            throw Libc.failure("munmap of a stack at 0x" + Long.toHexString(start), e);
        } finally {
            StackBudget.release();
        }
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }

    /**
     * Returns the lowest address of the guard region, which ends at {@link #limit()}.
     *
     * @return the guard region's start
     */
    public long guardStart() {
        return limit() - roundUp(GUARD_SIZE, Libc.PAGE_SIZE);
    }

    @Override
    public boolean guarded() {
        return true;
    }
}
