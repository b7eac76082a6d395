// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorException;
import dev.fringe.GeneratorExit;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README rule 5: {@code close()} of a suspended generator makes the pending
 * {@code suspend} throw {@link GeneratorExit} so that {@code finally} blocks and
 * try-with-resources run; a body that suspends again while closing makes {@code close} throw
 * {@link IllegalStateException}; closing before the start never runs the body; {@code close}
 * is idempotent; and {@link Generator#stream} closes its generator with the stream.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseTest {

    @AllBackends
    void close_suspended_unwindsBodyWithGeneratorExit(GeneratorBackend backend) {
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try (Resource outer = new Resource("outer", log); Resource inner = new Resource("inner", log)) {
                try {
                    yielder.suspend(outer.id + inner.id);
                    log.add("resumed normally");
                } catch (Throwable t) {
                    seen.set(t);
                    throw t;
                } finally {
                    log.add("finally");
                }
            }
        });
        assertThat(g.resume(0)).contains(2);

        g.close();

        assertThat(seen.get()).isExactlyInstanceOf(GeneratorExit.class);
        assertThat(log).containsExactly("finally", "closed inner", "closed outer");
        assertThat(g.state()).isEqualTo(State.CLOSED);
    }

    @AllBackends
    void close_suspendedDeepInCallChain_runsEveryFinallyInnermostFirst(GeneratorBackend backend) {
        List<Integer> unwound = new ArrayList<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> suspendUnder(yielder, 20, unwound));
        assertThat(g.resume(0)).contains(20);

        g.close();

        List<Integer> innermostFirst = new ArrayList<>();
        for (int level = 1; level <= 20; level++) {
            innermostFirst.add(level);
        }
        assertThat(unwound).containsExactlyElementsOf(innermostFirst);
    }

    private static void suspendUnder(Yielder<Integer, Integer> yielder, int level, List<Integer> unwound) {
        try {
            if (level == 1) {
                yielder.suspend(20);
            } else {
                suspendUnder(yielder, level - 1, unwound);
            }
        } finally {
            unwound.add(level);
        }
    }

    @AllBackends
    void close_fromAnotherThreadThanTheResumer_unwindsBody(GeneratorBackend backend) throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
            } catch (GeneratorExit e) {
                seen.set(e);
                throw e;
            }
        });
        assertThat(g.resume(0)).contains(1);

        CompletableFuture.runAsync(g::close, r -> new Thread(r, "closer").start()).get(10, TimeUnit.SECONDS);

        assertThat(seen.get()).isInstanceOf(GeneratorExit.class);
        assertThat(g.state()).isEqualTo(State.CLOSED);
    }

    @AllBackends
    void close_bodyCatchesGeneratorExitAndSuspends_throwsIseAndLeavesClosed(GeneratorBackend backend) throws Exception {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            bodyThread.set(Thread.currentThread());
            try {
                yielder.suspend(1);
            } catch (GeneratorExit e) {
                yielder.suspend(2); // wrong: suspends again while being closed
            }
        });
        assertThat(g.resume(0)).contains(1);

        assertThatThrownBy(g::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("suspended again");

        assertThat(g.state()).isEqualTo(State.CLOSED);
        assertThatThrownBy(() -> g.resume(0)).isInstanceOf(IllegalStateException.class);
        g.close(); // still idempotent
        // An abandoned body must not keep a thread alive (thread-based backends).
        Thread t = bodyThread.get();
        if (t != Thread.currentThread()) {
            t.join(10_000);
            assertThat(t.isAlive()).as("abandoned body thread %s", t).isFalse();
        }
    }

    @AllBackends
    void close_bodyCatchesGeneratorExitAndReturns_closesQuietly(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
            } catch (GeneratorExit e) {
                return;
            }
        });
        assertThat(g.resume(0)).contains(1);

        g.close();

        assertThat(g.state()).isEqualTo(State.CLOSED);
    }

    @AllBackends
    void close_bodyThrowsUncheckedWhileClosing_rethrowsSameObject(GeneratorBackend backend) {
        IllegalStateException failure = new IllegalStateException("cleanup failed");
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
            } catch (GeneratorExit e) {
                throw failure;
            }
        });
        assertThat(g.resume(0)).contains(1);

        assertThat(catchThrowable(g::close)).isSameAs(failure);
        assertThat(g.state()).isEqualTo(State.CLOSED);
        g.close();
    }

    @AllBackends
    void close_bodyThrowsCheckedWhileClosing_wrapsItInGeneratorException(GeneratorBackend backend) {
        IOException failure = new IOException("flush failed");
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
            } catch (GeneratorExit e) {
                throw failure;
            }
        });
        assertThat(g.resume(0)).contains(1);

        Throwable thrown = catchThrowable(g::close);

        assertThat(thrown).isInstanceOf(GeneratorException.class);
        assertThat(thrown.getCause()).isSameAs(failure);
        assertThat(g.state()).isEqualTo(State.CLOSED);
    }

    @AllBackends
    void close_beforeStart_neverRunsBody(GeneratorBackend backend) {
        AtomicInteger ran = new AtomicInteger();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try {
                ran.incrementAndGet();
            } finally {
                ran.incrementAndGet();
            }
        });

        g.close();

        assertThat(g.state()).isEqualTo(State.CLOSED);
        assertThatThrownBy(() -> g.resume(0)).isInstanceOf(IllegalStateException.class);
        assertThat(ran).hasValue(0);
    }

    @AllBackends
    void close_twice_isIdempotent(GeneratorBackend backend) {
        AtomicInteger finallies = new AtomicInteger();
        Generator<Integer, Integer> suspended = backend.create((yielder, input) -> {
            try {
                yielder.suspend(1);
            } finally {
                finallies.incrementAndGet();
            }
        });
        Generator<Integer, Integer> neverStarted = backend.create((yielder, input) -> finallies.addAndGet(100));
        assertThat(suspended.resume(0)).contains(1);

        for (int i = 0; i < 3; i++) {
            suspended.close();
            neverStarted.close();
        }

        assertThat(finallies).hasValue(1);
        assertThat(suspended.state()).isEqualTo(State.CLOSED);
        assertThat(neverStarted.state()).isEqualTo(State.CLOSED);
    }

    @AllBackends
    void close_afterFinish_keepsFinished(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> yielder.suspend(1));
        assertThat(g.resume(0)).contains(1);
        assertThat(g.resume(0)).isEmpty();

        g.close();

        assertThat(g.state()).isEqualTo(State.FINISHED);
        assertThat(g.resume(0)).isEmpty();
    }

    @AllBackends
    void close_afterFailure_keepsFailed(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            throw new IllegalArgumentException("failed");
        });
        assertThatThrownBy(() -> g.resume(0)).hasMessage("failed");

        g.close();

        assertThat(g.state()).isEqualTo(State.FAILED);
        assertThat(g.resume(0)).isEmpty();
    }

    @AllBackends
    void resume_afterClose_throwsIseAndRunsNothing(GeneratorBackend backend) {
        AtomicInteger steps = new AtomicInteger();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            while (true) {
                steps.incrementAndGet();
                yielder.suspend(1);
            }
        });
        assertThat(g.resume(0)).contains(1);
        g.close();

        assertThatThrownBy(() -> g.resume(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(steps).hasValue(1);
    }

    @AllBackends
    void close_fromInsideItsOwnBody_throwsIseAndChangesNothing(GeneratorBackend backend) {
        AtomicReference<Generator<Integer, Integer>> self = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<State> stateAfterwards = new AtomicReference<>();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            thrown.set(catchThrowable(self.get()::close));
            stateAfterwards.set(self.get().state());
            int next = yielder.suspend(input + 1);
            yielder.suspend(next + 1);
        });
        self.set(g);

        assertThat(g.resume(1)).contains(2);
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
        assertThat(stateAfterwards).hasValue(State.RUNNING);
        assertThat(g.resume(10)).contains(11);
    }

    @AllBackends
    void close_withTryWithResourcesAroundTheGenerator_unwindsBody(GeneratorBackend backend) {
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        try (Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            try (Resource r = new Resource("held", log)) {
                for (int i = r.id; ; i++) {
                    yielder.suspend(i);
                }
            }
        })) {
            assertThat(g.resume(0)).contains(1);
            assertThat(g.resume(0)).contains(2);
        }
        assertThat(log).containsExactly("closed held");
    }

    // ------------------------------------------------------------------ Generator.stream

    /** Generator.stream uses the selected backend; BackendSelectionTest runs this per backend in child JVMs. */
    @Test
    void stream_ofWholeSequence_yieldsEveryValueInOrder() {
        try (Stream<Integer> s = Generator.stream((yielder, input) -> {
            for (int i = 1; i <= 5; i++) {
                yielder.suspend(i);
            }
        })) {
            assertThat(s.collect(Collectors.toList())).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void stream_closedAfterPartialConsumption_closesGeneratorAndRunsBodyFinally() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicInteger finallies = new AtomicInteger();
        List<Integer> taken = new ArrayList<>();
        Stream<Integer> s = Generator.stream((yielder, input) -> {
            try {
                for (int i = 1; ; i++) {
                    yielder.suspend(i);
                }
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            } finally {
                finallies.incrementAndGet();
            }
        });
        Iterator<Integer> it = s.iterator();
        taken.add(it.next());
        taken.add(it.next());
        assertThat(finallies).hasValue(0);

        s.close();

        assertThat(taken).containsExactly(1, 2);
        assertThat(finallies).hasValue(1);
        assertThat(seen.get()).isExactlyInstanceOf(GeneratorExit.class);
    }

    @Test
    void stream_bodyThrows_terminalOperationRethrows() {
        IllegalStateException failure = new IllegalStateException("third element");
        try (Stream<Integer> s = Generator.stream((yielder, input) -> {
            yielder.suspend(1);
            yielder.suspend(2);
            throw failure;
        })) {
            assertThat(catchThrowable(() -> s.collect(Collectors.toList()))).isSameAs(failure);
        }
    }

    @Test
    void stream_runsOnTheSelectedBackend() {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        try (Stream<Integer> s = Generator.stream((yielder, input) -> {
            bodyThread.set(Thread.currentThread());
            yielder.suspend(1);
        })) {
            assertThat(s.count()).isEqualTo(1);
        }
        // Only the continuation and stackless backends run the body on the consumer's own thread.
        assertThat(bodyThread.get() == Thread.currentThread())
                .isEqualTo(Backends.selected().name().equals("continuation") || Backends.selected().name().equals("stackless"));
    }

    /** Records its closing, to show try-with-resources in a body runs when it is closed. */
    private static final class Resource implements AutoCloseable {
        final int id = 1;
        private final String name;
        private final ConcurrentLinkedQueue<String> log;

        Resource(String name, ConcurrentLinkedQueue<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void close() {
            log.add("closed " + name);
        }
    }
}
