// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static dev.fringe.tests.nativ.TestBodies.scaled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.OwnedStack;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README rule 8 as Java can see it: the body starts with the stack aligned as its ABI demands,
 * and the resumer's callee-saved registers survive round trips (the resumer here is the JVM
 * itself: a clobbered register would crash it or corrupt this test's own values; the C harness
 * of each fringe-arch module checks the registers one by one).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeAbiTest {

    @Test
    void body_startsWithTheStackAlignedAsTheAbiDemands() {
        for (long size : new long[] {16 * 1024, 16 * 1024 + 16, 64 * 1024 + 48}) {
            try (OwnedStack stack = OwnedStack.allocate(size);
                 NativeGenerator gen = NativeGenerator.create(stack, body("alignment"), null)) {
                assertThat(gen.resume(0L)).as("misalignment at entry, stack %s", stack).contains(0L);
                assertThat(gen.resume(0L)).as("misalignment after a resume").contains(0L);
                assertThat(gen.resume(0L)).isEmpty();
                assertThat(gen.returnValue()).isZero();
            }
        }
    }

    @Test
    void bodyThatClobbersEveryCalleeSavedRegister_leavesTheResumerIntact() {
        long sentinel = 0x1234_5678L;
        int rounds = scaled(20_000);
        try (OsStack stack = OsStack.allocate(64 * 1024);
             NativeGenerator gen = NativeGenerator.create(stack, body("clobber"), null)) {
            long local = sentinel;
            for (int i = 1; i <= rounds; i++) {
                assertThat(gen.advance(i)).isTrue();
                local += i;
            }
            assertThat(gen.advance(0)).isFalse();
            assertThat(gen.returnValue()).isEqualTo(rounds);
            assertThat(local).isEqualTo(sentinel + (long) rounds * (rounds + 1) / 2);
        }
    }
}
