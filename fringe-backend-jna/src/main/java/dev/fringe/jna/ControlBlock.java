// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

/**
 * Word offsets of the control block {@code fringe_init} lays out at the top of a stack.
 * <b>Must match every {@code fringe-arch-*} {@code .S} file</b> and the layout documented on
 * {@link dev.fringe.jna.spi.ArchSupport}.
 */
final class ControlBlock {
    /** Address of the suspend routine: a control block is a {@code fringe_yielder}. */
    static final int SUSPEND = 0;
    /** Saved stack pointer of the side that is not running. */
    static final int SP = 1;
    /** The body's next input, written before {@code fringe_resume}. */
    static final int TRANSFER = 2;
    /** 0 while the body can be resumed, 1 once it returned. */
    static final int STATUS = 3;
    /** Words in the control block. */
    static final int WORDS = 4;

    private ControlBlock() {}
}
