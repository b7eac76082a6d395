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
 */
final class StackClaims {
    private static final TreeMap<Long, Long> CLAIMED = new TreeMap<>(); // limit -> base (exclusive)

    private StackClaims() {}

    /**
     * Claims {@code [limit, base)} for a generator.
     *
     * @throws IllegalStateException if a live generator's stack overlaps the range
     */
    static synchronized void claim(long limit, long base) {
        if (isClaimed(limit, base)) {
            throw new IllegalStateException("this stack (0x" + Long.toHexString(limit) + "-0x" + Long.toHexString(base)
                    + ") is in use by a live generator; two bodies on one stack would corrupt each other. Close or"
                    + " finish that generator first, or give this one another stack");
        }
        CLAIMED.put(limit, base);
    }

    static synchronized void release(long limit) {
        CLAIMED.remove(limit);
    }

    static synchronized boolean isClaimed(long limit, long base) {
        Map.Entry<Long, Long> below = CLAIMED.floorEntry(limit);
        Map.Entry<Long, Long> above = CLAIMED.ceilingEntry(limit);
        return (below != null && below.getValue() > limit) || (above != null && above.getKey() < base);
    }
}
