// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.internal.HandoffCore;
import dev.fringe.internal.JavaGenerator;
import dev.fringe.tests.support.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread-based engines when a body thread cannot be started ("OutOfMemoryError: unable to
 * create native thread"): the first resume throws that error and changes nothing, so the
 * generator stays RUNNABLE and a later resume starts it; the {@code thread} backend counts no
 * thread that never ran. Before, the generator was left RUNNING for good (resume and close threw
 * IllegalStateException, the cleaner could not close it) and the count stayed one too high.
 *
 * <p>The first two tests drive the engine directly with a thread factory whose threads fail to
 * start; the last one exhausts real threads in a child JVM.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadStartFailureTest {

    @Test
    void threadThatCannotStart_resumeThrowsAndChangesNothing_laterResumeStartsIt() {
        AtomicBoolean failing = new AtomicBoolean(true);
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory threads = task -> {
            Thread t = new Thread(task) {
                @Override
                public synchronized void start() {
                    if (failing.get()) {
                        throw new OutOfMemoryError("unable to create native thread (simulated)");
                    }
                    super.start();
                }
            };
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        Generator<Integer, Integer> g = new JavaGenerator<>(new HandoffCore<>((yielder, input) -> {
            int next = yielder.suspend(input + 1);
            yielder.suspend(next + 1);
        }, threads), "test");

        assertThatThrownBy(() -> g.resume(1)).isInstanceOf(OutOfMemoryError.class);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
        assertThatThrownBy(() -> g.resume(1)).isInstanceOf(OutOfMemoryError.class);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);

        failing.set(false);
        assertThat(g.resume(1)).contains(2);
        assertThat(g.resume(10)).contains(11);
        g.close();
        assertThat(g.state()).isEqualTo(State.CLOSED);
        assertThat(made).as("a new thread for each attempt: those that never started are not reused").hasSize(3);
    }

    @Test
    void threadStartThatThrowsAfterStarting_isReusedNotDuplicated() {
        AtomicBoolean throwAfterStart = new AtomicBoolean(true);
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory threads = task -> {
            Thread t = new Thread(task) {
                @Override
                public synchronized void start() {
                    super.start();
                    if (throwAfterStart.getAndSet(false)) {
                        throw new OutOfMemoryError("failed after the thread started (simulated)");
                    }
                }
            };
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Generator<Integer, Integer> g = new JavaGenerator<>(new HandoffCore<>((yielder, input) -> {
            seen.add(input);
            yielder.suspend(input + 1);
        }, threads), "test");

        assertThatThrownBy(() -> g.resume(1)).isInstanceOf(OutOfMemoryError.class);
        assertThat(g.state()).isEqualTo(State.RUNNABLE);
        assertThat(seen).as("the started thread did not run the body").isEmpty();

        assertThat(g.resume(5)).contains(6);
        assertThat(seen).containsExactly(5);
        assertThat(made).as("the thread that did start is the one that runs the body").hasSize(1);
        g.close();
    }

    @Test
    void threadBackend_realThreadExhaustion_leavesTheGeneratorRunnableAndTheCountRight() {
        ChildJvm.Result run = ChildJvm.withArgs()
                .addressSpaceLimitKiB(10_000_000)
                .jvmArgs("-Xss512m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
                        "-XX:MaxMetaspaceSize=64m", "-XX:CompressedClassSpaceSize=64m")
                .run(Duration.ofSeconds(100), ThreadExhaustion.class);

        assertThat(run.value("failure")).as("thread creation failed within 1000 generators: %s", run)
                .startsWith("java.lang.OutOfMemoryError");
        assertThat(run.value("state")).as("%s", run).isEqualTo("RUNNABLE");
        assertThat(run.value("live")).as("the backend's live-thread count: %s", run).isEqualTo(run.value("started"));
        assertThat(run.value("after-close")).as("%s", run).isEqualTo("Optional[1]");
    }
}
