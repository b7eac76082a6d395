// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.samples;

import dev.fringe.Yielder;

/**
 * A body whose stack map needs the common supertype of two of its own classes; the failure test
 * hides them from the transformer, which must then fail naming this class and the method.
 */
public final class Unresolvable {
    private Unresolvable() {}

    /** One of two types that meet at a join. */
    public static class Left {}

    /** The other. */
    public static class Right {}

    /**
     * Suspends with one of two objects.
     *
     * @param y    the yielder
     * @param left which
     */
    public static void pick(Yielder<Object, Object> y, boolean left) {
        Object o = left ? new Left() : new Right();
        y.suspend(o);
        y.suspend(o.hashCode());
    }
}
