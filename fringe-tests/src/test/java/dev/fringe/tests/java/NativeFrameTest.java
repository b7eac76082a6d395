// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.GeneratorInvariants;
import dev.fringe.tests.support.Qsort;
import dev.fringe.tests.support.StacklessFallback;
import dev.fringe.tests.support.TestBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README rule 7: a Java body that calls {@code suspend} inside a native frame (here a
 * JNA callback that libc's {@code qsort} calls) gets an {@link IllegalStateException}, never a
 * crash or a hang, on every backend; the body keeps running and suspends normally once it has
 * returned from native code. The {@code @Timeout} turns a hang into a failure.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(GeneratorInvariants.class)
class NativeFrameTest {

    static Stream<Arguments> backendsAndMappings() {
        return TestBackends.usable().flatMap(b -> Stream.of(Qsort.values()).map(m -> Arguments.of(b, m)));
    }

    @ParameterizedTest(name = "{0}, JNA {1} mapping")
    @MethodSource("backendsAndMappings")
    void suspend_insideQsortCallback_throwsIseAndBodyContinues(GeneratorBackend backend, Qsort qsort) {
        List<Throwable> fromCallback = new ArrayList<>();
        AtomicReference<State> stateInCallback = new AtomicReference<>();
        AtomicReference<Generator<String, String>> self = new AtomicReference<>();
        int[] values = {5, 3, 9, 1, 7, 2, 8};
        Generator<String, String> g = backend.create((yielder, input) -> {
            // An anonymous class, not a lambda: the stackless transformer sends a body whose
            // lambda captures its yielder for a foreign interface to the next backend, but it
            // cannot see through a class. So on stackless too, this suspend comes through qsort.
            qsort.sort(values, new Qsort.Comparator() {
                @Override
                public int compare(Pointer a, Pointer b) {
                    if (fromCallback.isEmpty()) {
                        try {
                            yielder.suspend("from inside qsort");
                            fromCallback.add(null); // suspended through a native frame: must not happen
                        } catch (Throwable t) {
                            fromCallback.add(t);
                        }
                        stateInCallback.set(self.get().state());
                    }
                    return Integer.compare(a.getInt(0), b.getInt(0));
                }
            });
            // Back in Java code called by the body: suspending works again.
            String next = yielder.suspend("sorted " + java.util.Arrays.toString(values));
            yielder.suspend("then " + next);
        });
        self.set(g);

        assertThat(g.resume("go")).contains("sorted [1, 2, 3, 5, 7, 8, 9]");
        assertThat(fromCallback).hasSize(1);
        assertThat(fromCallback.get(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("native")
                .hasMessageContaining("callback");
        assertThat(stateInCallback).hasValue(State.RUNNING);
        assertThat(g.resume("more")).contains("then more");
        assertThat(g.resume("done")).isEmpty();
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    @StacklessFallback("the comparator lambda captures the yielder for a JNA callback interface")
    @ParameterizedTest(name = "{0}, JNA {1} mapping")
    @MethodSource("backendsAndMappings")
    void suspend_inEveryCallbackOfALongSort_alwaysRefusedAndSortCompletes(GeneratorBackend backend, Qsort qsort) {
        AtomicInteger callbacks = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        int[] values = new int[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7919) % values.length;
        }
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            qsort.sort(values, (a, b) -> {
                callbacks.incrementAndGet();
                try {
                    yielder.suspend(-1);
                } catch (IllegalStateException e) {
                    refused.incrementAndGet();
                }
                return Integer.compare(a.getInt(0), b.getInt(0));
            });
            yielder.suspend(values[0]);
        });

        assertThat(g.resume(0)).contains(0);
        assertThat(callbacks.get()).isGreaterThan(values.length);
        assertThat(refused).hasValue(callbacks.get());
        for (int i = 1; i < values.length; i++) {
            assertThat(values[i]).isGreaterThanOrEqualTo(values[i - 1]);
        }
    }

    @StacklessFallback("the comparator lambda captures the yielder for a JNA callback interface")
    @ParameterizedTest(name = "{0}, JNA {1} mapping")
    @MethodSource("backendsAndMappings")
    void suspend_insideCallback_uncaughtIseReachesJnaAndBodyRunsOn(GeneratorBackend backend, Qsort qsort) {
        // The callback lets the exception escape into native code: JNA hands it to its callback
        // exception handler and returns 0 to qsort; the body still runs on.
        List<Throwable> escaped = new ArrayList<>();
        Callback.UncaughtExceptionHandler previous = Native.getCallbackExceptionHandler();
        Native.setCallbackExceptionHandler((callback, e) -> escaped.add(e));
        try {
            int[] values = {2, 1};
            Generator<Integer, String> g = backend.create((yielder, input) -> {
                qsort.sort(values, (a, b) -> {
                    yielder.suspend("never");
                    return 0;
                });
                yielder.suspend("after qsort");
            });

            assertThat(g.resume(0)).contains("after qsort");
        } finally {
            Native.setCallbackExceptionHandler(previous);
        }
        assertThat(escaped).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.fringe.tests.support.TestBackends#usable")
    void suspend_inAClassThatDeclaresNativeMethods_butNotInOne_works(GeneratorBackend backend) {
        // The thread-based backends first look at each frame's class and only ask for the
        // method when the class declares a native method: such a class alone must not refuse.
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            int next = input;
            for (int i = 0; i < 3; i++) {
                next = DeclaresNativeMethods.suspendFrom(yielder, next * 10);
            }
        });
        assertThat(g.resume(1)).contains(10);
        assertThat(g.resume(2)).contains(20);
        assertThat(g.resume(3)).contains(30);
        assertThat(g.resume(4)).isEmpty();
    }

    /** A Java method in a class that also declares a native method (never called, never linked). */
    static final class DeclaresNativeMethods {
        private DeclaresNativeMethods() {}

        static native void neverCalled();

        static int suspendFrom(Yielder<Integer, Integer> yielder, int value) {
            return yielder.suspend(value);
        }
    }
}
