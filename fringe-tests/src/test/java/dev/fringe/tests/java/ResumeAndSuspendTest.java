// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import dev.fringe.tests.support.StacklessFallback;
import dev.fringe.tests.support.TestBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;

/**
 * README rules 1 and 2: creating runs nothing; the first input is the body's argument,
 * later inputs are what {@code suspend} returns; each {@code suspend(v)} is that resume's
 * {@code Optional.of(v)}, from any depth of calls; returning finishes the generator for good;
 * an empty result never means anything but "finished". Also the {@link Yielder} rule that
 * only the body itself may suspend.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResumeAndSuspendTest {

    @AllBackends
    void create_runsNothing(GeneratorBackend backend) {
        AtomicInteger ran = new AtomicInteger();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> ran.incrementAndGet());

        assertThat(ran).hasValue(0);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
    }

    @AllBackends
    void resume_first_passesInputAsBodyArgument(GeneratorBackend backend) {
        AtomicReference<String> argument = new AtomicReference<>();
        Generator<String, String> g = backend.create((yielder, input) -> {
            argument.set(input);
            yielder.suspend("got " + input);
        });

        assertThat(g.resume("first")).contains("got first");
        assertThat(argument).hasValue("first");
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
    }

    @AllBackends
    void resume_later_inputIsWhatSuspendReturns(GeneratorBackend backend) {
        // A running sum: the body's argument starts it, each later input is added to it.
        List<Integer> seenByBody = new ArrayList<>();
        Generator<Integer, Long> g = backend.create((yielder, input) -> {
            long sum = 0;
            Integer next = input;
            while (true) {
                seenByBody.add(next);
                sum += next;
                next = yielder.suspend(sum);
            }
        });

        int rounds = 1000 * TestBackends.scale();
        long expected = 0;
        for (int i = 1; i <= rounds; i++) {
            expected += i;
            assertThat(g.resume(i)).as("resume(%d)", i).contains(expected);
        }
        assertThat(seenByBody).hasSize(rounds).startsWith(1, 2, 3).endsWith(rounds);
    }

    @AllBackends
    void resume_withNullInput_passesNull(GeneratorBackend backend) {
        Generator<String, String> g = backend.create((yielder, input) -> {
            String second = yielder.suspend(String.valueOf(input));
            yielder.suspend(String.valueOf(second));
        });

        assertThat(g.resume(null)).contains("null");
        assertThat(g.resume(null)).contains("null");
    }

    @AllBackends
    void suspend_fromFiftyFramesDeep_handsValueOutAndInputBackIntoThatFrame(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> yielder.suspend(echoAtDepth(yielder, 50, input)));

        // At the bottom of the chain the body echoes input + 1 until it gets a negative input.
        assertThat(g.resume(0)).contains(1);
        for (int i = 1; i <= 10; i++) {
            assertThat(g.resume(i)).contains(i + 1);
        }
        // Then each of the 50 frames adds 1 on the way back up.
        assertThat(g.resume(-100)).contains(-100 + 50);
        assertThat(g.resume(0)).isEmpty();
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    /**
     * Recurses {@code depth} frames; at the bottom echoes {@code input + 1} with {@code suspend}
     * until the input is negative, then returns it plus one per frame.
     */
    private static int echoAtDepth(Yielder<Integer, Integer> yielder, int depth, int input) {
        if (depth > 0) {
            return echoAtDepth(yielder, depth - 1, input) + 1;
        }
        int in = input;
        while (in >= 0) {
            in = yielder.suspend(in + 1);
        }
        return in;
    }

    @AllBackends
    void suspend_atEveryDepthOfAChain_returnsToTheSuspendingFrame(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> yielder.suspend(suspendAtEachLevel(yielder, 50)));

        // suspendAtEachLevel suspends with its depth in every frame, deepest first, and each
        // frame expects to be resumed with its own depth times ten.
        for (int depth = 1; depth <= 50; depth++) {
            Optional<Integer> out = depth == 1 ? g.resume(-1) : g.resume((depth - 1) * 10);
            assertThat(out).as("suspended at depth %d", depth).contains(depth);
        }
        assertThat(g.resume(50 * 10)).contains(50 * 51 / 2);
        assertThat(g.resume(0)).isEmpty();
    }

    /**
     * Recurses to the bottom, then suspends once per frame while returning (frame {@code level}
     * suspends with {@code level}) and checks it is resumed with {@code level * 10}; returns the
     * sum of the levels.
     */
    private static int suspendAtEachLevel(Yielder<Integer, Integer> yielder, int level) {
        int below = level > 1 ? suspendAtEachLevel(yielder, level - 1) : 0;
        int in = yielder.suspend(level);
        if (in != level * 10) {
            throw new AssertionError("frame " + level + " resumed with " + in + ", expected " + level * 10);
        }
        return below + level;
    }

    @AllBackends
    void resume_whenBodyReturns_returnsEmptyAndFinished(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> yielder.suspend(input));

        assertThat(g.resume(1)).contains(1);
        assertThat(g.resume(2)).isEmpty();
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    @AllBackends
    void resume_afterFinish_returnsEmptyAndRunsNothing(GeneratorBackend backend) {
        AtomicInteger steps = new AtomicInteger();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            steps.incrementAndGet();
            yielder.suspend(1);
            steps.incrementAndGet();
        });
        assertThat(g.resume(0)).contains(1);
        assertThat(g.resume(0)).isEmpty();
        assertThat(steps).hasValue(2);

        for (int i = 0; i < 3; i++) {
            assertThat(g.resume(i)).isEmpty();
        }
        assertThat(steps).hasValue(2);
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    @AllBackends
    void resume_bodyReturnsAtOnce_returnsEmpty(GeneratorBackend backend) {
        AtomicInteger ran = new AtomicInteger();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> ran.incrementAndGet());

        assertThat(g.resume(0)).isEmpty();
        assertThat(g.state()).isEqualTo(State.FINISHED);
        assertThat(ran).hasValue(1);
    }

    @AllBackends
    void suspend_null_throwsNpeInsideBodyAndSuspendsNothing(GeneratorBackend backend) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Generator<Integer, String> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(null);
            } catch (NullPointerException e) {
                thrown.set(e);
            }
            yielder.suspend("after the null");
        });

        // The null never reaches the resumer as an empty result: the body keeps running.
        assertThat(g.resume(0)).contains("after the null");
        assertThat(thrown.get()).isInstanceOf(NullPointerException.class).hasMessageContaining("null");
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
    }

    @AllBackends
    void suspend_nullNotCaught_failsTheGeneratorWithNpe(GeneratorBackend backend) {
        Generator<Integer, String> g = backend.create((yielder, input) -> yielder.suspend(null));

        assertThatThrownBy(() -> g.resume(0)).isInstanceOf(NullPointerException.class);
        assertThat(g.state()).isEqualTo(State.FAILED);
        assertThat(g.resume(0)).isEmpty();
    }

    @StacklessFallback("the Runnable captures the yielder for another thread: the transformer sends the body to the next backend")
    @AllBackends
    void suspend_fromAnotherThread_throwsIseAndSuspendsNothing(GeneratorBackend backend) throws Exception {
        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        Generator<Integer, String> g = backend.create((yielder, input) -> {
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try {
                    yielder.suspend("from another thread");
                } catch (Throwable t) {
                    fromOtherThread.set(t);
                }
            }, r -> new Thread(r, "not-the-body").start());
            other.get(10, TimeUnit.SECONDS);
            yielder.suspend("from the body");
        });

        assertThat(g.resume(0)).contains("from the body");
        assertThat(fromOtherThread.get()).isInstanceOf(IllegalStateException.class);
    }

    @AllBackends
    void suspend_afterBodyReturned_throwsIse(GeneratorBackend backend) {
        AtomicReference<Yielder<Integer, String>> leaked = new AtomicReference<>();
        Generator<Integer, String> g = backend.create((yielder, input) -> leaked.set(yielder));
        assertThat(g.resume(0)).isEmpty();

        assertThatThrownBy(() -> leaked.get().suspend("too late")).isInstanceOf(IllegalStateException.class);
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    @AllBackends
    void nestedGenerators_eachSuspendReachesItsOwnResumer(GeneratorBackend backend) {
        Generator<Integer, String> outer = backend.create((outerYielder, outerInput) -> {
            try (Generator<Integer, Integer> inner = backend.create((innerYielder, innerInput) -> {
                int x = innerInput;
                while (true) {
                    x = innerYielder.suspend(x * 2);
                }
            })) {
                int in = outerInput;
                while (true) {
                    int doubled = inner.resume(in).orElseThrow();
                    in = outerYielder.suspend("inner said " + doubled);
                }
            }
        });

        for (int i = 1; i <= 20; i++) {
            assertThat(outer.resume(i)).contains("inner said " + (2 * i));
        }
    }

    @AllBackends
    void suspend_ofOuterGeneratorFromNestedBody_throwsIse(GeneratorBackend backend) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Generator<Integer, String> outer = backend.create((outerYielder, input) -> {
            try (Generator<Integer, Integer> inner = backend.create((innerYielder, innerInput) -> {
                try {
                    outerYielder.suspend("from the inner body");
                } catch (IllegalStateException e) {
                    thrown.set(e);
                }
                innerYielder.suspend(42);
            })) {
                int fromInner = inner.resume(0).orElseThrow();
                outerYielder.suspend("inner gave " + fromInner);
            }
        });

        assertThat(outer.resume(0)).contains("inner gave 42");
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    }
}
