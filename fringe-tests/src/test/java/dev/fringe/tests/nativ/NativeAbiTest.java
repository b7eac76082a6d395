// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static dev.fringe.tests.nativ.TestBodies.scaled;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.OwnedStack;
import java.lang.ref.Reference;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README rule 8 as Java can see it: the body starts with the stack aligned as its ABI demands,
 * values cross the switch whole, and every callee-saved register of a resumer survives round
 * trips with a body that clobbers them all (checked register by register, in assembly, by each
 * fringe-arch module's C harness; here by a C resumer running inside a native generator).
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

    /** The JVM as the resumer: each value the clobbering body suspends arrives whole. */
    @Test
    void bodyThatClobbersEveryCalleeSavedRegister_handsEveryValueToTheJvmWhole() {
        long seed = Native.POINTER_SIZE == 8 ? 0xdeadbeefcafef00dL : 0xcafef00dL; // fringe_test_clobber's
        int rounds = scaled(20_000);
        try (OsStack stack = OsStack.allocate(64 * 1024);
             NativeGenerator gen = NativeGenerator.create(stack, body("clobber"), null)) {
            for (int i = 1; i <= rounds; i++) {
                assertThat(gen.advance(i)).isTrue();
                assertThat(gen.value()).isEqualTo(seed ^ (i - 1));
            }
            assertThat(gen.advance(0)).isFalse();
            assertThat(gen.returnValue()).isEqualTo(rounds);
        }
    }

    /** The resume routines the bindings call (one, or two flavours of the switch). */
    static Set<String> resumeRoutines() {
        Set<String> routines = new LinkedHashSet<>();
        routines.add(TestBodies.arch().resumeSymbol());
        routines.add(TestBodies.arch().returningResumeSymbol());
        return routines;
    }

    /**
     * A C resumer (fringe_test_nested_registers, itself a native generator's body) keeps eight
     * opaque values across every resume of a body that clobbers every callee-saved register.
     */
    @ParameterizedTest
    @MethodSource("resumeRoutines")
    void aCResumersCalleeSavedRegisters_surviveABodyThatClobbersThemAll(String resume) {
        NativeLibrary arch = TestBodies.archLibrary();
        Memory functions = new Memory(2L * Native.POINTER_SIZE);
        functions.setPointer(0, arch.getFunction(TestBodies.arch().initSymbol()));
        functions.setPointer(Native.POINTER_SIZE, arch.getFunction(resume));
        int rounds = scaled(5_000);
        try (NativeGenerator gen = NativeGenerator.create(256 * 1024, body("nested_registers"), functions)) {
            assertThat(gen.advance(rounds)).as("the C resumer returns when done").isFalse();
            assertThat(gen.returnValue()).as("values the C resumer found changed after a resume of %s", resume).isZero();
        }
        Reference.reachabilityFence(functions);
    }
}
