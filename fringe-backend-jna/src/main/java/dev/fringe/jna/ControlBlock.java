// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import java.nio.ByteBuffer;

/**
 * Word offsets and status values of the control block {@code fringe_init} lays out at the top
 * of a stack. <b>Must match every {@code fringe-arch-*} {@code .S} file</b> and the layout
 * documented on {@link dev.fringe.jna.spi.ArchSupport}.
 */
final class ControlBlock {
    /** Address of the suspend routine: a control block is a {@code fringe_yielder}. */
    static final int SUSPEND = 0;
    /** Saved stack pointer of the side that is not running. */
    static final int SP = 1;
    /** The body's next input, written before the resume routine is called. */
    static final int TRANSFER = 2;
    /** What the last switch back to the resumer means: one of the values below. */
    static final int STATUS = 3;
    /** Words in the control block. */
    static final int WORDS = 4;

    /** {@link #STATUS}: the body suspended (or has not started); the word handed over is its value. */
    static final long RESUMABLE = 0;
    /** {@link #STATUS}: the body returned; the word handed over is its return value. Set by the trampoline. */
    static final long RETURNED = 1;
    /**
     * {@link #STATUS}: reserved for a body that overflowed its stack, written by a fault handler
     * that completes a suspend on the body's behalf. Nothing writes it yet; a resume that meets
     * it (or any other value) treats the control block as broken.
     */
    static final long OVERFLOWED = 2;

    private ControlBlock() {}

    /** Reads word {@code index} of a control block view, zero-extended. */
    static long read(ByteBuffer view, int wordSize, int index) {
        return wordSize == 8 ? view.getLong(index * 8) : Integer.toUnsignedLong(view.getInt(index * 4));
    }

    /** Writes word {@code index} of a control block view (the low 32 bits on a 32-bit ABI). */
    static void write(ByteBuffer view, int wordSize, int index, long value) {
        if (wordSize == 8) {
            view.putLong(index * 8, value);
        } else {
            view.putInt(index * 4, (int) value);
        }
    }
}
