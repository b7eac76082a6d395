// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import java.util.Arrays;

/**
 * Java's version of libfringe's call-stack splicing, for engines whose body runs on a thread of
 * its own: the body's exception gets the body's frames followed by the frames of the code that
 * called {@code resume}, as if the body had run on the resumer's stack.
 */
final class StackTraces {
    private static final String CORE = GeneratorCore.class.getName();
    private static final String FACADE = JavaGenerator.class.getName();

    private StackTraces() {}

    /**
     * Replaces the frames below the body's entry frame ({@code GeneratorCore.runBody}, kept)
     * with the current thread's frames from the generator facade upwards. Leaves traces that
     * were not recorded on the body's thread (no entry frame) alone.
     *
     * @param t the body's exception
     */
    static void splice(Throwable t) {
        StackTraceElement[] body = t.getStackTrace();
        int entry = indexOf(body, CORE, "runBody");
        if (entry < 0) {
            return;
        }
        StackTraceElement[] here = new Throwable().getStackTrace();
        int from = indexOf(here, FACADE, null);
        if (from < 0) {
            from = 0;
        }
        StackTraceElement[] spliced = Arrays.copyOf(body, entry + 1 + here.length - from);
        System.arraycopy(here, from, spliced, entry + 1, here.length - from);
        t.setStackTrace(spliced);
    }

    private static int indexOf(StackTraceElement[] frames, String className, String method) {
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().equals(className) && (method == null || frames[i].getMethodName().equals(method))) {
                return i;
            }
        }
        return -1;
    }
}
