// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.stackless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only the {@code stackless} backend does: it runs transformed bodies itself and says so,
 * hands bodies it cannot run to the best other backend and says that, refuses a suspend that
 * comes through code the transformer did not rewrite without corrupting anything, dispatches to
 * untransformed overrides correctly, and splices the stack traces of exceptions that leave frames
 * resumed lazily.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StacklessEngineTest {
    // By name, not through StacklessBackend's constants: that class carries a compile-time-only
    // annotation javac would look for.
    private static final String NAME = "stackless";
    private static final GeneratorBackend STACKLESS = Backends.named(NAME).orElseThrow();

    /** The backend an untransformed body runs on: the best usable one but stackless. */
    private static String bestOther() {
        return Backends.all().stream().filter(b -> !b.name().equals(NAME) && b.unavailableReason().isEmpty())
                .findFirst().orElseThrow().name();
    }

    @Test
    void transformedBody_runsStackless_andToStringSaysSo() {
        GeneratorBody<Integer, Integer> body = (y, in) -> y.suspend(in + 1);
        Generator<Integer, Integer> g = STACKLESS.create(body);

        assertThat(g).hasToString("Generator[stackless, RUNNABLE]");
        assertThat(g.resume(1)).contains(2);
        assertThat(g.resume(0)).isEmpty();
        assertThat(g).hasToString("Generator[stackless, FINISHED]");
    }

    @Test
    void refusedBody_runsOnTheBestOtherBackend_andToStringNamesIt() {
        Object lock = new Object();
        // Refused: it would hold a monitor while suspended.
        GeneratorBody<Integer, Integer> body = (y, in) -> {
            synchronized (lock) {
                y.suspend(in);
            }
        };
        Generator<Integer, Integer> g = STACKLESS.create(body);

        assertThat(g).hasToString("Generator[" + bestOther() + ", RUNNABLE]");
        assertThat(g.resume(7)).contains(7);
        g.close();
    }

    @Test
    void bodyReachingARefusedMethod_fallsBackAsAWhole() {
        Generator<Integer, Integer> g = STACKLESS.create((y, in) -> {
            y.suspend(1);
            suspendsHoldingAMonitor(y);
        });

        assertThat(g.toString()).startsWith("Generator[" + bestOther() + ",");
        assertThat(g.resume(0)).contains(1);
        assertThat(g.resume(0)).contains(2);
        g.close();
    }

    private static synchronized void suspendsHoldingAMonitor(Yielder<Integer, Integer> y) {
        y.suspend(2);
    }

    @Test
    void bodyCapturingItsYielderForJdkCode_fallsBackAsAWhole_andWorks() {
        // forEach is JDK code: it calls the Consumer, which no transformer can make resumable.
        // The transformer sees the Yielder captured for Consumer.accept and refuses the body.
        List<Integer> seen = new ArrayList<>();
        Generator<Integer, String> g = STACKLESS.create((y, in) -> {
            List.of(1, 2).forEach(x -> seen.add(y.suspend("from forEach " + x)));
            y.suspend("after " + seen);
        });

        assertThat(g.toString()).startsWith("Generator[" + bestOther() + ",");
        assertThat(g.resume(0)).contains("from forEach 1");
        assertThat(g.resume(10)).contains("from forEach 2");
        assertThat(g.resume(20)).contains("after [10, 20]");
        assertThat(g.resume(0)).isEmpty();
    }

    /** Suspends on the yielder it is given; reached below only through reflection. */
    static void suspendViaReflection(Yielder<Integer, String> y, String value) {
        y.suspend(value);
    }

    @Test
    void suspendThroughAnUntransformedFrame_isRefusedNamingIt_andTheBodyGoesOn() throws Exception {
        java.lang.reflect.Method target = StacklessEngineTest.class.getDeclaredMethod("suspendViaReflection",
                Yielder.class, String.class);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Generator<Integer, String> g = STACKLESS.create((y, in) -> {
            long before = 1L << 40;
            try {
                // Reflection calls the original method, not its transformed copy: the suspend
                // comes through frames the transformer could not see at build time.
                target.invoke(null, y, "via reflection");
            } catch (ReflectiveOperationException e) {
                refused.set(e.getCause());
            }
            y.suspend("after " + before);
        });
        assertThat(g).hasToString("Generator[stackless, RUNNABLE]");

        assertThat(g.resume(0)).contains("after " + (1L << 40));

        assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not rewrite")
                .hasMessageContaining("suspendViaReflection")
                .hasMessageContaining(StacklessEngineTest.class.getName());
        assertThat(g.resume(0)).isEmpty();
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    /** An emitter whose subclass below is refused by the transformer (it suspends holding its monitor). */
    static class Emits {
        void emit(Yielder<Integer, Integer> y, int v) {
            y.suspend(v);
        }
    }

    static final class SynchronizedEmits extends Emits {
        @Override
        synchronized void emit(Yielder<Integer, Integer> y, int v) {
            y.suspend(v * 10);
        }
    }

    static final class InheritsEmit extends Emits {}

    @Test
    void virtualCall_whoseOverrideIsUntransformed_runsTheOverride_whichIsRefused() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Generator<Integer, Integer> g = STACKLESS.create((y, in) -> {
            for (Emits e : new Emits[] {new Emits(), new InheritsEmit(), new SynchronizedEmits()}) {
                try {
                    e.emit(y, 1);
                } catch (IllegalStateException ex) {
                    refused.set(ex);
                }
            }
            y.suspend(-1);
        });
        assertThat(g).hasToString("Generator[stackless, RUNNABLE]");

        // The transformed Emits.emit runs for Emits and for a subclass that inherits it; the
        // untransformed override of SynchronizedEmits must run (not Emits' copy), and its suspend
        // is refused rather than producing 1.
        assertThat(g.resume(0)).contains(1);
        assertThat(g.resume(0)).contains(1);
        assertThat(g.resume(0)).contains(-1);
        assertThat(refused.get()).hasMessageContaining("SynchronizedEmits.emit");
    }

    @Test
    void suspendOfAnotherGeneratorsYielder_isRefused() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Generator<Integer, Integer> outer = STACKLESS.create((oy, in) -> {
            try (Generator<Integer, Integer> inner = STACKLESS.create((iy, x) -> {
                try {
                    oy.suspend(99);
                } catch (IllegalStateException e) {
                    refused.set(e);
                }
                iy.suspend(x + 1);
            })) {
                oy.suspend(inner.resume(in).orElseThrow());
            }
        });

        assertThat(outer.resume(1)).contains(2);
        assertThat(refused.get()).hasMessageContaining("not the one running this code");
    }

    // ------------------------------------------------------------------ stack traces

    @Test
    void exceptionOfALazilyResumedFrame_showsEveryBodyFrameThenTheResumer() {
        Generator<Integer, Integer> g = STACKLESS.create(StacklessEngineTest::outerFrame);
        assertThat(g.resume(0)).contains(3);

        Throwable thrown = catchThrowable(() -> resumeHere(g));

        List<String> methods = Arrays.stream(thrown.getStackTrace()).map(StackTraceElement::getMethodName)
                .collect(Collectors.toList());
        int inner = methods.indexOf("innerFrame");
        assertThat(inner).as("%s", methods).isGreaterThanOrEqualTo(0);
        assertThat(methods.subList(inner, inner + 3)).as("%s", methods)
                .containsExactly("innerFrame", "middleFrame", "outerFrame");
        int resumer = methods.indexOf("resumeHere");
        assertThat(resumer - (inner + 2)).as("engine frames between the body and the resumer in %s", methods)
                .isBetween(1, 6);
        assertThat(methods).as("no resume bridges in %s", methods).noneMatch(m -> m.startsWith("$fringe$"));
        StackTraceElement middle = thrown.getStackTrace()[inner + 1];
        assertThat(middle.getClassName()).isEqualTo(StacklessEngineTest.class.getName());
        assertThat(middle.getFileName()).isEqualTo("StacklessEngineTest.java");
        assertThat(middle.getLineNumber()).isPositive();
    }

    private static void resumeHere(Generator<Integer, Integer> g) {
        g.resume(1);
    }

    private static void outerFrame(Yielder<Integer, Integer> y, Integer in) {
        middleFrame(y);
    }

    private static void middleFrame(Yielder<Integer, Integer> y) {
        innerFrame(y);
    }

    private static void innerFrame(Yielder<Integer, Integer> y) {
        if (y.suspend(3) == 1) {
            throw new IllegalStateException("thrown in the innermost frame after a resume");
        }
    }
}
