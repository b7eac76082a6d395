// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.fringe.Stack;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.NativeStack;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.OwnedStack;
import dev.fringe.jna.SliceStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three stack types, their checks, and README rules 6 and 8 (one live generator per stack). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeStackTest {

    @Test
    void osStack_isPageRounded_aligned_andGuardedByAProtNoneRegion() throws IOException {
        try (OsStack stack = OsStack.allocate(10_000)) {
            assertThat(stack.guarded()).isTrue();
            assertThat(stack.size()).isBetween(10_000L, 10_000L + 65_536).matches(size -> size % 4096 == 0, "whole pages");
            assertThat(stack.base() % 16).isZero();
            assertThat(stack.limit() - stack.guardStart()).isGreaterThanOrEqualTo(OsStack.GUARD_SIZE);
            Mapping guard = Mapping.containing(stack.guardStart());
            assertThat(guard.perms).as("guard region " + guard).startsWith("---");
            assertThat(guard.end).isGreaterThanOrEqualTo(stack.limit());
            Mapping usable = Mapping.containing(stack.limit());
            assertThat(usable.perms).startsWith("rw");
            assertThat(usable.end).isGreaterThanOrEqualTo(stack.base());
        }
    }

    @Test
    void osStack_close_unmapsIt() throws IOException {
        OsStack stack = OsStack.allocate(64 * 1024);
        long limit = stack.limit();
        assertThat(Mapping.find(limit)).isNotNull();
        stack.close();
        stack.close(); // idempotent
        Mapping after = Mapping.find(limit);
        assertThat(after == null || !after.perms.startsWith("rw") || after.start > limit || after.end <= limit)
                .as("no rw mapping of ours left at 0x%x (found %s)", limit, after).isTrue();
    }

    @Test
    void ownedStack_isAlignedAndUnguarded() {
        try (OwnedStack stack = OwnedStack.allocate(8192 + 3)) {
            assertThat(stack.guarded()).isFalse();
            assertThat(stack.limit() % 16).isZero();
            assertThat(stack.base() % 16).isZero();
            assertThat(stack.size()).isGreaterThanOrEqualTo(8192);
        }
    }

    @Test
    void sliceStack_isAlignedInward() {
        Memory memory = new Memory(20_000);
        Pointer odd = memory.share(3);
        try (SliceStack stack = SliceStack.of(odd, 10_001)) {
            long start = Pointer.nativeValue(odd);
            assertThat(stack.limit()).isEqualTo((start + 15) & -16L).isGreaterThanOrEqualTo(start);
            assertThat(stack.base()).isEqualTo((start + 10_001) & -16L).isLessThanOrEqualTo(start + 10_001);
            assertThat(stack.guarded()).isFalse();
        }
    }

    @Test
    void everyStack_refusesSizesTooSmallToRunABody_namingTheMinimum() {
        long min = NativeStack.MINIMUM_SIZE;
        assertThatThrownBy(() -> OsStack.allocate(min - 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(min));
        assertThatThrownBy(() -> OsStack.allocate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OwnedStack.allocate(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(min));
        Memory memory = new Memory(min + 8);
        // min + 8 bytes at an odd address leave fewer than min after aligning inward.
        assertThatThrownBy(() -> SliceStack.of(memory.share(1), min + 7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(min)).hasMessageContaining("after alignment");
        assertThatThrownBy(() -> SliceStack.of(memory, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SliceStack.of(null, min)).isInstanceOf(NullPointerException.class);
        try (SliceStack exact = SliceStack.of(new Memory(min + 16).align(16), min)) {
            assertThat(exact.size()).isEqualTo(min);
        }
    }

    @Test
    void generator_rejectsAForeignStackThatIsTooSmallOrMisaligned() {
        assertThatThrownBy(() -> NativeGenerator.create(new FakeStack(0x10000, 0x10000 + 512), body("count"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum");
        assertThatThrownBy(() -> NativeGenerator.create(new FakeStack(0x10000, 0x20008), body("count"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aligned");
    }

    @Test
    void aStackInUse_cannotServeASecondGenerator_untilTheFirstEnds() {
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            NativeGenerator first = NativeGenerator.create(stack, body("count"), null);
            assertThat(stack.inUse()).isTrue();
            assertThatThrownBy(() -> NativeGenerator.create(stack, body("count"), null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by a live generator");
            assertThatThrownBy(stack::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("close the generator first");
            assertThat(first.resume(2L)).contains(1L);
            assertThat(first.resume(0L)).contains(2L);
            assertThat(first.resume(0L)).isEmpty(); // finishing releases the stack
            assertThat(stack.inUse()).isFalse();
            NativeGenerator second = NativeGenerator.create(stack, body("count"), null);
            assertThat(second.resume(1L)).contains(1L);
            second.close(); // closing releases it too
            assertThat(stack.inUse()).isFalse();
            try (NativeGenerator third = NativeGenerator.create(stack, body("sum"), null)) {
                assertThat(third.resume(4L)).contains(4L);
            }
        }
    }

    @Test
    void overlappingSliceStacks_areOneStack() {
        Memory memory = new Memory(64 * 1024);
        SliceStack whole = SliceStack.of(memory, 64 * 1024);
        SliceStack upperHalf = SliceStack.of(memory.share(32 * 1024), 32 * 1024);
        try (NativeGenerator gen = NativeGenerator.create(whole, body("count"), null)) {
            assertThatThrownBy(() -> NativeGenerator.create(upperHalf, body("count"), null))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(gen.resume(1L)).contains(1L);
        }
        try (NativeGenerator gen = NativeGenerator.create(upperHalf, body("count"), null)) {
            assertThat(gen.resume(1L)).contains(1L);
        }
    }

    @Test
    void closedStack_isRefused() {
        OsStack stack = OsStack.allocate(64 * 1024);
        stack.close();
        assertThatThrownBy(() -> NativeGenerator.create(stack, body("count"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void everyStackType_runsABody() {
        Memory memory = new Memory(32 * 1024);
        for (Stack stack : List.<Stack>of(OsStack.allocate(32 * 1024), OwnedStack.allocate(32 * 1024),
                SliceStack.of(memory, 32 * 1024))) {
            try (stack; NativeGenerator gen = NativeGenerator.create(stack, body("deep"), null)) {
                assertThat(gen.resume(20L)).as("%s", stack).contains(0xdee9L);
                assertThat(gen.resume(0L)).isEmpty();
                assertThat(gen.returnValue()).isEqualTo(210L);
            }
        }
    }

    @Test
    void unreachableSuspendedGenerators_releaseTheirStacks() throws InterruptedException {
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            startAndDrop(stack);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stack.inUse() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(stack.inUse()).as("the cleaner released the dropped generator's claim").isFalse();
            try (NativeGenerator again = NativeGenerator.create(stack, body("count"), null)) {
                assertThat(again.resume(1L)).contains(1L);
            }
        }
    }

    @Test
    void unreachableOwnedStacks_areUnmapped() throws Exception {
        int before = Mapping.count();
        for (int i = 0; i < 2000; i++) {
            NativeGenerator gen = NativeGenerator.create(64 * 1024, body("count"), null);
            assertThat(gen.resume(5L)).contains(1L); // suspended, then dropped unclosed
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Mapping.count() > before + 200 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(Mapping.count()).as("mappings before: %d", before).isLessThan(before + 200);
    }

    private static void startAndDrop(Stack stack) {
        NativeGenerator gen = NativeGenerator.create(stack, body("count"), null);
        assertThat(gen.resume(3L)).contains(1L);
    }

    /** A Stack implemented outside fringe, to check what create() verifies of any stack. */
    private static final class FakeStack implements Stack {
        private final long limit;
        private final long base;

        FakeStack(long limit, long base) {
            this.limit = limit;
            this.base = base;
        }

        @Override
        public long base() {
            return base;
        }

        @Override
        public long limit() {
            return limit;
        }

        @Override
        public boolean guarded() {
            return false;
        }

        @Override
        public void close() {}
    }

    /** One line of /proc/self/maps. */
    static final class Mapping {
        final long start;
        final long end;
        final String perms;

        private Mapping(long start, long end, String perms) {
            this.start = start;
            this.end = end;
            this.perms = perms;
        }

        static Mapping find(long address) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                String[] f = line.split("\\s+");
                String[] range = f[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                    return new Mapping(start, end, f[1]);
                }
            }
            return null;
        }

        static Mapping containing(long address) throws IOException {
            Mapping m = find(address);
            assertThat(m).as("a mapping containing 0x%x", address).isNotNull();
            return m;
        }

        static int count() throws IOException {
            return Files.readAllLines(Path.of("/proc/self/maps")).size();
        }

        @Override
        public String toString() {
            return Long.toHexString(start) + "-" + Long.toHexString(end) + " " + perms;
        }
    }
}
