// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls fringe's stacks need, direct-mapped through JNA. {@code size_t} and
 * {@code off_t} are {@link NativeLong} (pointer-sized on every Linux fringe supports; fringe
 * never maps files, so a 32-bit {@code off_t} is fine).
 */
final class Libc {
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    // Linux's generic values; the same on x86, x86_64, aarch64, riscv and or1k.
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MAP_STACK = 0x20000;
    private static final int SC_PAGESIZE = 30;

    static {
        Native.register(Libc.class, Platform.C_LIBRARY_NAME);
    }

    /** The system page size. */
    static final long PAGE_SIZE = sysconf(SC_PAGESIZE).longValue();

    private Libc() {}

    static native Pointer mmap(Pointer addr, NativeLong length, int prot, int flags, int fd, NativeLong offset)
            throws LastErrorException;

    static native int munmap(Pointer addr, NativeLong length) throws LastErrorException;

    static native int mprotect(Pointer addr, NativeLong length, int prot) throws LastErrorException;

    static native String strerror(int errnum);

    private static native NativeLong sysconf(int name);

    private static final int ENOMEM = 12;

    /**
     * Describes a failed libc call: what was attempted, errno and its text. Out of memory
     * ({@code ENOMEM}) is thrown here as an {@link OutOfMemoryError}, as the JDK does when it
     * cannot reserve direct buffer memory.
     *
     * @param what the call, with its arguments
     * @param e    the exception JNA raised
     * @return an {@link IllegalStateException} to throw
     */
    static IllegalStateException failure(String what, LastErrorException e) {
        String message = what + " failed: errno " + e.getErrorCode() + " (" + strerror(e.getErrorCode()) + ")";
        if (e.getErrorCode() == ENOMEM) {
            OutOfMemoryError oom = new OutOfMemoryError(message);
            oom.initCause(e);
            throw oom;
        }
        return new IllegalStateException(message, e);
    }
}
