// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static dev.fringe.tests.nativ.TestBodies.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import dev.fringe.State;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** README rules 1, 2, 4 and 5 for native generators, with C bodies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeGeneratorTest {

    @Test
    void resume_countsAndReturns_valueInFirstEntryArgument() {
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("count"), null)) {
            assertThat(gen.state()).isEqualTo(State.RUNNABLE);
            assertThat(gen.resume(3L)).contains(1L);
            assertThat(gen.resume(0L)).contains(2L);
            assertThat(gen.resume(0L)).contains(3L);
            assertThat(gen.resume(0L)).isEmpty();
            assertThat(gen.state()).isEqualTo(State.FINISHED);
            assertThat(gen.returnValue()).isEqualTo(300L);
        }
    }

    @Test
    void advance_passesInputsToSuspend_allocationFreeForm() {
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("sum"), null)) {
            assertThat(gen.advance(5)).isTrue();
            assertThat(gen.value()).isEqualTo(5);
            assertThat(gen.advance(10)).isTrue();
            assertThat(gen.value()).isEqualTo(15);
            assertThat(gen.advance(27)).isTrue();
            assertThat(gen.value()).isEqualTo(42);
            assertThat(gen.advance(0)).isFalse();
            assertThat(gen.returnValue()).isEqualTo(42);
        }
    }

    @Test
    void resume_afterFinish_returnsEmptyAndRunsNothing() {
        Memory addend = TestBodies.word(1000);
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("env"), addend)) {
            assertThat(gen.resume(1L)).contains(1001L);
            assertThat(gen.resume(0L)).isEmpty();
            addend.setByte(0, (byte) 7); // a body that ran again would see and return this
            assertThat(gen.resume(5L)).isEmpty();
            assertThat(gen.advance(5)).isFalse();
            assertThat(gen.returnValue()).isEqualTo(1000L);
            assertThat(gen.state()).isEqualTo(State.FINISHED);
        }
    }

    @Test
    void env_isPassedToTheBody() {
        Memory addend = TestBodies.word(7);
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("env"), addend)) {
            assertThat(gen.resume(1L)).contains(8L);
            assertThat(gen.resume(35L)).contains(42L);
        }
    }

    @Test
    void values_areWholeMachineWords() {
        long max = TestBodies.maxWord();
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("echo"), null)) {
            assertThat(gen.resume(max)).contains(max);
            assertThat(gen.resume(0L)).contains(0L);
            assertThat(gen.resume(null)).as("null input passes 0").contains(0L);
            long high = max == -1L ? Long.MIN_VALUE + 12345 : 0x8000_3039L;
            assertThat(gen.resume(high)).contains(high);
        }
    }

    @Test
    void deepBody_suspendsFromInnermostFrame_andUnwindsNormally() {
        int depth = 500;
        try (NativeGenerator gen = NativeGenerator.create(1024 * 1024, body("deep"), null)) {
            assertThat(gen.resume((long) depth)).contains(0xdee9L);
            assertThat(gen.resume(7L)).isEmpty();
            assertThat(gen.returnValue()).isEqualTo(7L + (long) depth * (depth + 1) / 2);
        }
    }

    @Test
    void hundredGenerators_interleaved_keepTheirOwnState() {
        int n = 100;
        List<NativeGenerator> gens = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                gens.add(NativeGenerator.create(16 * 1024, body("sum"), null));
            }
            for (int i = 0; i < n; i++) {
                assertThat(gens.get(i).advance(i)).isTrue();
            }
            for (int round = 1; round <= scaled(50); round++) {
                for (int i = 0; i < n; i++) {
                    NativeGenerator g = gens.get(i);
                    assertThat(g.advance(1)).isTrue();
                    assertThat(g.value()).as("generator %d, round %d", i, round).isEqualTo(i + round);
                }
            }
        } finally {
            gens.forEach(NativeGenerator::close);
        }
    }

    @Test
    void suspended_canBeResumedFromAnotherThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("sum"), null)) {
            assertThat(gen.resume(1L)).contains(1L);
            assertThat(other.submit(() -> gen.resume(2L)).get(10, TimeUnit.SECONDS)).contains(3L);
            assertThat(gen.resume(3L)).contains(6L);
            assertThat(other.submit(() -> gen.resume(0L)).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(gen.returnValue()).isEqualTo(6L);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void resume_whileAnotherThreadRunsTheBody_throwsAndChangesNothing() throws Exception {
        Memory flags = new Memory(8);
        flags.clear();
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("wait"), flags)) {
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> gen.advance(0));
            while (flags.getInt(4) == 0) { // the body has started and spins in C
                Thread.onSpinWait();
            }
            assertThat(gen.state()).isEqualTo(State.RUNNING);
            assertThatThrownBy(() -> gen.advance(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("running");
            assertThatThrownBy(gen::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
            assertThat(gen.state()).isEqualTo(State.RUNNING);
            flags.setInt(0, 1);
            assertThat(first.get(30, TimeUnit.SECONDS)).isFalse();
            assertThat(gen.returnValue()).as("the body saw the flag, not a timeout").isEqualTo(1L);
        }
    }

    @Test
    void close_ofSuspended_neverRunsTheBodyAgain_andResumeThenThrows() {
        Memory addend = TestBodies.word(1);
        NativeGenerator gen = NativeGenerator.create(64 * 1024, body("env"), addend);
        assertThat(gen.resume(1L)).contains(2L);
        gen.close();
        assertThat(gen.state()).isEqualTo(State.CLOSED);
        assertThatThrownBy(() -> gen.resume(1L)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> gen.advance(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        gen.close(); // idempotent
        assertThat(gen.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void close_beforeStart_andAfterFinish() {
        NativeGenerator unstarted = NativeGenerator.create(64 * 1024, body("count"), null);
        unstarted.close();
        assertThat(unstarted.state()).isEqualTo(State.CLOSED);
        assertThatThrownBy(unstarted::value).isInstanceOf(IllegalStateException.class);

        NativeGenerator finished = NativeGenerator.create(64 * 1024, body("count"), null);
        assertThat(finished.resume(0L)).isEmpty();
        finished.close();
        assertThat(finished.state()).as("closing a finished generator leaves it finished").isEqualTo(State.FINISHED);
        assertThat(finished.returnValue()).isZero();
    }

    @Test
    void valueAndReturnValue_refuseWhenNotAvailable() {
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("count"), null)) {
            assertThatThrownBy(gen::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
            assertThatThrownBy(gen::returnValue).isInstanceOf(IllegalStateException.class);
            assertThat(gen.advance(1)).isTrue();
            assertThat(gen.value()).isEqualTo(1);
            assertThatThrownBy(gen::returnValue).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("advance() returned false");
            assertThat(gen.advance(0)).isFalse();
            assertThatThrownBy(gen::value).isInstanceOf(IllegalStateException.class).hasMessageContaining("FINISHED");
        }
    }

    @Test
    void create_rejectsNulls() {
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            assertThatThrownBy(() -> NativeGenerator.create(stack, null, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> NativeGenerator.create(null, body("count"), null))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void toString_describesTheGenerator() {
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("count"), null)) {
            assertThat(gen.toString()).contains("RUNNABLE").contains("OsStack");
            assertThat(Optional.of(gen.stack())).get().matches(s -> s.guarded());
        }
    }
}
