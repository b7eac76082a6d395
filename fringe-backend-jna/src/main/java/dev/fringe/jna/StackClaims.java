// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import java.util.Map;
import java.util.TreeMap;

/**
 * The memory ranges live native generators run on. A stack serves one live generator at a
 * time (README rule 8): claiming a range that overlaps a claimed one fails, which also
 * catches two {@link SliceStack}s over the same memory. Creation and release of generators are
 * rare next to resumes, so one lock is enough.
 *
 * <p>Each claim names its owner: the stack it was made through ({@link NativeStack}'s cleanup
 * state, or a token of its own for a foreign {@link dev.fringe.Stack}). A release removes a
 * claim only if the owner matches, and a {@link NativeStack} drops its claims before it frees
 * its memory. So when a generator and its stack are abandoned together and their cleanups run
 * in either order, the dead generator's claim is gone before the memory can be handed out again,
 * and a late release never removes a newer claim on the same addresses.
 */
final class StackClaims {
    private static final TreeMap<Long, Claim> CLAIMED = new TreeMap<>(); // by limit

    private StackClaims() {}

    private static final class Claim {
        final long base;
        final Object owner;

        Claim(long base, Object owner) {
            this.base = base;
            this.owner = owner;
        }
    }

    /**
     * Claims {@code [limit, base)} for a generator.
     *
     * @param owner who may release the claim
     * @throws IllegalStateException if a live generator's stack overlaps the range
     */
    static synchronized void claim(long limit, long base, Object owner) {
        if (isClaimed(limit, base)) {
            throw new IllegalStateException("this stack (0x" + Long.toHexString(limit) + "-0x" + Long.toHexString(base)
                    + ") is in use by a live generator; two bodies on one stack would corrupt each other. Close or"
                    + " finish that generator first, or give this one another stack");
        }
        CLAIMED.put(limit, new Claim(base, owner));
    }

    /** Releases the claim at {@code limit} if {@code owner} made it; otherwise does nothing. */
    static synchronized void release(long limit, Object owner) {
        Claim claim = CLAIMED.get(limit);
        if (claim != null && claim.owner == owner) {
            CLAIMED.remove(limit);
        }
    }

    static synchronized boolean isClaimed(long limit, long base) {
        Map.Entry<Long, Claim> below = CLAIMED.floorEntry(limit);
        Map.Entry<Long, Claim> above = CLAIMED.ceilingEntry(limit);
        return (below != null && below.getValue().base > limit) || (above != null && above.getKey() < base);
    }
}
