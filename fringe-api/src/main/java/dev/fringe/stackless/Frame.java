// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

/**
 * One suspended activation of a transformed method: where it stopped ({@link #pc()}) and the
 * values it had (locals and operand stack) when a call it made suspended. Primitive values are
 * kept as raw bits in {@link #longs()}, references in {@link #refs()}; which index holds which
 * value is fixed per call site by the transformer. For generated code only.
 *
 * <p>Frames are pooled per generator ({@link Strand#frame}); the arrays only grow, so a
 * generator that suspends again and again at the same places allocates nothing.
 *
 * <p><b>Thread safety.</b> None: a frame belongs to one generator, which runs on one thread at
 * a time.
 */
public final class Frame {
    private static final long[] NO_LONGS = new long[0];
    private static final Object[] NO_REFS = new Object[0];

    Frame parent;             // the caller's frame, null for the body's entry frame
    SuspendableMethod method; // set at capture
    int pc;                   // the call site, an index into method's sites
    private long[] longs = NO_LONGS;
    private Object[] refs = NO_REFS;
    private int usedRefs;

    Frame() {}

    /**
     * Returns the primitive slots.
     *
     * @return the array, at least as long as requested when the frame was obtained
     */
    public long[] longs() {
        return longs;
    }

    /**
     * Returns the reference slots; index 0 holds {@code this} for instance methods.
     *
     * @return the array, at least as long as requested when the frame was obtained
     */
    public Object[] refs() {
        return refs;
    }

    /**
     * Returns the call site where the frame's method suspended.
     *
     * @return the site's index
     */
    public int pc() {
        return pc;
    }

    void ensure(int longCount, int refCount) {
        if (longs.length < longCount) {
            longs = new long[longCount];
        }
        if (refs.length < refCount) {
            refs = new Object[refCount];
        }
        usedRefs = refCount;
    }

    /** Drops the references so that a pooled frame keeps nothing reachable. */
    void clear() {
        Object[] r = refs;
        for (int i = 0, n = usedRefs; i < n; i++) {
            r[i] = null;
        }
        method = null;
    }
}
