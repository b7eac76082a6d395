// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static dev.fringe.tests.nativ.TestBodies.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.NativeStack;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.OwnedStack;
import dev.fringe.jna.SliceStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Native generators under misuse, races and abandonment at scale: no input or misuse crashes
 * the JVM, hangs, hands out a wrong value or leaks; a misuse gets a clear exception. The cases
 * that need a JVM of their own are in {@link NativeChildJvmTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NativeMisuseTest {

    // ------------------------------------------------------------------------------------------
    // A generator abandoned with its stack never blocks a fresh stack
    // ------------------------------------------------------------------------------------------

    /**
     * A generator and the stack it was given are abandoned together, over and over. Their two
     * cleanups run in any order; a fresh stack that gets the freed memory must never be refused
     * as "in use" because the dead generator's claim outlived the memory (before the fix: about
     * one in a hundred {@code OsStack}s, many more {@code OwnedStack}s, whose memory
     * {@code malloc} hands out again at once).
     */
    @Test
    void stacksAbandonedWithTheirGenerator_neverBlockAFreshStack() {
        assertNoFreshStackRefused(OwnedStack::allocate);
        assertNoFreshStackRefused(OsStack::allocate);
    }

    private static void assertNoFreshStackRefused(IntFunction<NativeStack> allocate) {
        int rounds = scaled(20_000);
        int refused = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            NativeStack fresh = allocate.apply(64 * 1024);
            try {
                NativeGenerator gen = NativeGenerator.create(fresh, body("echo"), null);
                assertThat(gen.advance(i)).isTrue(); // suspended, then dropped with its stack
            } catch (IllegalStateException e) {
                if (refused++ < 3) {
                    examples.add("round " + i + ", " + fresh + ": " + e.getMessage());
                }
            }
            if (i % 500 == 499) {
                System.gc(); // lets the cleaner run both cleanups while the loop allocates
            }
        }
        assertThat(refused).as("fresh stacks of %d refused as in use, e.g. %s", rounds, examples).isZero();
    }

    // ------------------------------------------------------------------------------------------
    // Bad pointers and sizes get a clear exception, never a crash or a wrong size
    // ------------------------------------------------------------------------------------------

    @Test
    void create_refusesABodyAtAddressZero() {
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            assertThatThrownBy(() -> NativeGenerator.create(stack, new Pointer(0), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("body");
            assertThatThrownBy(() -> NativeGenerator.create(64 * 1024, new Pointer(0), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("body");
            assertThat(stack.inUse()).as("a refused create claims nothing").isFalse();
        }
    }

    @Test
    void sliceStack_refusesARangeThatWrapsPastTheEndOfTheAddressSpace() {
        Memory memory = new Memory(64 * 1024);
        assertThatThrownBy(() -> SliceStack.of(memory, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address space");
        // The last page a process's address space can have: below 2^63 (64-bit) or 2^32 (32-bit).
        long top = Native.POINTER_SIZE == 8 ? 0x7fff_ffff_ffff_f000L : 0xffff_f000L;
        assertThatThrownBy(() -> SliceStack.of(new Pointer(top), 8192))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address space");
        assertThat(SliceStack.of(new Pointer(top - 8192), 8192).size()).as("ends below the limit").isEqualTo(8192);
        if (Native.POINTER_SIZE == 8) {
            assertThatThrownBy(() -> SliceStack.of(new Pointer(0xffff_ffff_ffff_0000L), 8192))
                    .as("the kernel's half").isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ownedStack_ofAnImpossibleSize_isRefusedWithAPositiveLargestSize() {
        for (long size : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 14}) {
            assertThatThrownBy(() -> OwnedStack.allocate(size)).as("OwnedStack.allocate(%d)", size)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(size))
                    .hasMessageContaining("address space")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern(" -[0-9]"));
        }
        assertThatThrownBy(() -> OsStack.allocate(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address space");
        assertThatThrownBy(() -> NativeGenerator.create(Long.MAX_VALUE, body("echo"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
