// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

/**
 * Re-enters one suspended frame of one transformed method: implemented by a lambda over the
 * method's generated resume bridge ({@link SuspendableMethod#bootstrap}). For generated code
 * only.
 */
@FunctionalInterface
public interface Resumer {
    /**
     * Calls the transformed method so that its prologue restores {@code frame} and continues
     * at the call where it suspended; stores the method's result in {@code strand} if it
     * returns.
     *
     * @param frame  the frame to continue, also {@link Strand}'s pending resume frame
     * @param strand the running generator's strand
     */
    void resume(Frame frame, Strand strand);
}
