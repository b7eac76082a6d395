// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.FfmQsort;
import dev.fringe.tests.support.GeneratorInvariants;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README rule 7 for FFM (JDK 22+): a body whose {@code suspend} comes from inside an FFM upcall
 * (libc's {@code qsort} calling a Java comparator) gets an {@link IllegalStateException} on
 * every backend, and runs on. FFM leaves no native method frame on the stack, only its upcall
 * stub, so this is a different check from the JNA one in {@link NativeFrameTest}. The JVM
 * refuses this on {@code continuation} by itself; the thread-based backends must find the stub.
 * Left out of the JDK 17 run (no FFM there).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(GeneratorInvariants.class)
class FfmUpcallFrameTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.fringe.tests.support.TestBackends#usable")
    void suspend_insideFfmUpcall_throwsIseAndBodyContinues(GeneratorBackend backend) {
        assertThat(FfmQsort.available()).as("FFM needs JDK 22+; this test runs on JDK 25").isTrue();
        List<Throwable> fromCallback = new ArrayList<>();
        List<Throwable> escaped = new ArrayList<>();
        AtomicInteger callbacks = new AtomicInteger();
        AtomicReference<State> stateInCallback = new AtomicReference<>();
        AtomicReference<Generator<String, String>> self = new AtomicReference<>();
        int[] values = {5, 3, 9, 1, 7, 2, 8};
        Generator<String, String> g = backend.create((yielder, input) -> {
            // An anonymous class, not a lambda (see NativeFrameTest): on stackless too, this
            // suspend comes through qsort.
            FfmQsort.sort(values, new FfmQsort.IntComparator() {
                @Override
                public int compare(int a, int b) {
                    callbacks.incrementAndGet();
                    try {
                        yielder.suspend("from inside qsort");
                        fromCallback.add(null); // suspended through a native frame: must not happen
                    } catch (IllegalStateException e) {
                        fromCallback.add(e);
                    }
                    stateInCallback.compareAndSet(null, self.get().state());
                    return Integer.compare(a, b);
                }
            }, escaped::add);
            // Back in Java code called by the body: suspending works again.
            String next = yielder.suspend("sorted " + Arrays.toString(values));
            yielder.suspend("then " + next);
        });
        self.set(g);

        assertThat(g.resume("go")).contains("sorted [1, 2, 3, 5, 7, 8, 9]");
        assertThat(escaped).isEmpty();
        assertThat(callbacks.get()).isPositive();
        assertThat(fromCallback).hasSize(callbacks.get()).allSatisfy(t -> assertThat(t)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("native")
                .hasMessageContaining("FFM"));
        assertThat(stateInCallback).hasValue(State.RUNNING);
        assertThat(g.resume("more")).contains("then more");
        assertThat(g.resume("done")).isEmpty();
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }
}
