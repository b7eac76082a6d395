// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.stackless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.GeneratorExit;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * The shapes of Java code the stackless transformer rewrites, each run on every backend (so the
 * same transformed class is also checked where it runs as written: dual mode): locals and
 * operand stack values of every type live across a suspend, static, instance, private,
 * interface and super calls between suspending methods, results of every type from suspending
 * callees, loops and branches around suspends, exceptions thrown and caught across resumed
 * frames, {@code finally} on close, constructors with suspending arguments, local and anonymous
 * classes, method references.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransformedCodeTest {

    /** Resumes {@code g} with the inputs in order and collects what it suspended with until it finished. */
    private static <I, O> List<O> drive(Generator<I, O> g, List<I> inputs) {
        List<O> out = new ArrayList<>();
        for (I in : inputs) {
            Optional<O> o = g.resume(in);
            if (o.isEmpty()) {
                break;
            }
            out.add(o.get());
        }
        return out;
    }

    private static List<Object> nulls(int n) {
        return Arrays.asList(new Object[n]);
    }

    // ------------------------------------------------------------------ locals and stack

    @AllBackends
    void primitiveAndReferenceLocals_surviveEverySuspend(GeneratorBackend backend) {
        Generator<Object, Object> g = backend.create((y, in) -> {
            boolean z = true;
            byte b = -7;
            char c = 'q';
            short s = -300;
            int i = 123_456;
            long l = Long.MIN_VALUE + 5;
            float f = -1.5f;
            double d = Math.PI;
            String str = "str";
            int[] arr = {1, 2, 3};
            Object nothing = null;
            for (int round = 0; round < 3; round++) {
                y.suspend(round);
                z = !z;
                b++;
                c++;
                s--;
                i *= 2;
                l += 1;
                f *= 2;
                d /= 2;
                str += round;
                arr[round] *= 10;
            }
            y.suspend(z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d + " " + str + " "
                    + Arrays.toString(arr) + " " + nothing);
        });

        List<Object> out = drive(g, nulls(5));

        assertThat(out).containsExactly(0, 1, 2, "false -4 t -303 987648 " + (Long.MIN_VALUE + 8) + " -12.0 "
                + (Math.PI / 8) + " str012 [10, 20, 30] null");
    }

    @AllBackends
    void operandStackValues_belowASuspendingCall_surviveIt(GeneratorBackend backend) {
        Generator<Integer, Object> g = backend.create((y, in) -> {
            long l = 1L << 40;
            double d = 0.25;
            // On the operand stack across each suspend: long, double, int, a reference, an array
            // and its index (array initializer), a receiver and earlier arguments.
            long a = l + 3 * (int) y.suspend("a");
            double b = d * 2 + (int) y.suspend("b");
            String c = "x" + Math.max(7, (int) y.suspend("c")) + l;
            Object[] arr = {"first", y.suspend("d"), d};
            String joined = String.join("-", "p", String.valueOf(y.suspend("e")), "q");
            y.suspend(a + " " + b + " " + c + " " + Arrays.toString(arr) + " " + joined);
        });

        List<Object> out = drive(g, List.of(0, 2, 5, 9, 11, 13, 0));

        assertThat(out).containsExactly("a", "b", "c", "d", "e",
                ((1L << 40) + 6) + " 5.5 x9" + (1L << 40) + " [first, 11, 0.25] p-13-q");
    }

    @AllBackends
    void lambdaCaptures_ofEveryKind_areKept(GeneratorBackend backend) {
        long capturedLong = 1L << 33;
        double capturedDouble = 2.5;
        int capturedInt = 7;
        String capturedString = "s";
        Generator<Integer, String> g = backend.create((y, in) -> {
            int sum = in;
            while (sum < 100) {
                sum += y.suspend(capturedLong + ":" + capturedDouble + ":" + capturedInt + ":" + capturedString + ":" + sum);
            }
        });

        assertThat(drive(g, List.of(1, 50, 60))).containsExactly(
                (1L << 33) + ":2.5:7:s:1", (1L << 33) + ":2.5:7:s:51");
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    // ------------------------------------------------------------------ calls between suspending methods

    @AllBackends
    void resultsOfEveryType_fromSuspendingCallees_reachTheCaller(GeneratorBackend backend) {
        Generator<Integer, Object> g = backend.create((y, in) -> {
            boolean z = boolOf(y);
            char c = charOf(y);
            int i = intOf(y);
            long l = longOf(y);
            float f = floatOf(y);
            double d = doubleOf(y);
            String s = stringOf(y);
            int[] a = arrayOf(y);
            y.suspend(z + "|" + c + "|" + i + "|" + l + "|" + f + "|" + d + "|" + s + "|" + Arrays.toString(a));
        });

        List<Object> out = drive(g, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 0));

        assertThat(out).hasSize(9);
        assertThat(out.get(8)).isEqualTo("true|c|4|" + (4L << 35) + "|3.0|1.5|s7|[8, 8]");
    }

    private static boolean boolOf(Yielder<Integer, Object> y) {
        return y.suspend("z") == 1;
    }

    private static char charOf(Yielder<Integer, Object> y) {
        return (char) ('a' + y.suspend("c"));
    }

    private static int intOf(Yielder<Integer, Object> y) {
        return y.suspend("i") + 1;
    }

    private static long longOf(Yielder<Integer, Object> y) {
        return (long) y.suspend("l") << 35;
    }

    private static float floatOf(Yielder<Integer, Object> y) {
        return y.suspend("f") / 2f + 0.5f;
    }

    private static double doubleOf(Yielder<Integer, Object> y) {
        return y.suspend("d") / 4.0;
    }

    private static String stringOf(Yielder<Integer, Object> y) {
        return "s" + y.suspend("s");
    }

    private static int[] arrayOf(Yielder<Integer, Object> y) {
        int v = y.suspend("a");
        return new int[] {v, v};
    }

    /** Instance, private, interface default, abstract-through-interface and super calls. */
    interface Emitter {
        int emit(Yielder<Integer, String> y, String what);

        default int twice(Yielder<Integer, String> y, String what) {
            return emit(y, what + "1") + emit(y, what + "2");
        }
    }

    static class Base implements Emitter {
        private final String prefix;

        Base(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public int emit(Yielder<Integer, String> y, String what) {
            return tagged(y, what);
        }

        private int tagged(Yielder<Integer, String> y, String what) {
            return y.suspend(prefix + what);
        }
    }

    static final class Derived extends Base {
        Derived() {
            super("d:");
        }

        @Override
        public int emit(Yielder<Integer, String> y, String what) {
            return super.emit(y, what.toUpperCase()) * 10;
        }
    }

    @AllBackends
    void instancePrivateInterfaceAndSuperCalls_suspendAndReturnThroughEachKind(GeneratorBackend backend) {
        Generator<Integer, String> g = backend.create((y, in) -> {
            Emitter[] emitters = {new Base("b:"), new Derived()};
            int total = 0;
            for (Emitter e : emitters) {
                total += e.twice(y, "x");
            }
            y.suspend("total " + total);
        });

        assertThat(drive(g, List.of(0, 1, 2, 3, 4, 0))).containsExactly("b:x1", "b:x2", "d:X1", "d:X2", "total 73");
    }

    @AllBackends
    void recursion_suspendsAtEveryLevelOnTheWayDownAndUp(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create((y, in) -> y.suspend(walk(y, 30)));

        List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < 62; i++) {
            inputs.add(i);
        }
        List<Integer> out = drive(g, inputs);

        List<Integer> expected = new ArrayList<>();
        for (int level = 30; level >= 1; level--) {
            expected.add(level);
        }
        for (int level = 1; level <= 30; level++) {
            expected.add(-level);
        }
        expected.add(465);
        assertThat(out).containsExactlyElementsOf(expected);
    }

    /** Suspends with its level going down and with minus its level coming back up. */
    private static int walk(Yielder<Integer, Integer> y, int level) {
        if (level == 0) {
            return 0;
        }
        y.suspend(level);
        int below = walk(y, level - 1);
        y.suspend(-level);
        return below + level;
    }

    // ------------------------------------------------------------------ branches and loops

    @AllBackends
    void suspendsInConditionsTernariesAndSwitches_takeTheBranchTheInputSelects(GeneratorBackend backend) {
        Generator<Integer, String> g = backend.create((y, in) -> {
            StringBuilder log = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                if (y.suspend("if") > 0) {
                    log.append('T');
                } else {
                    log.append('F');
                }
                log.append(y.suspend("ternary?") > 0 ? y.suspend("then") : y.suspend("else"));
                switch (y.suspend("switch")) {
                    case 1 -> log.append("one");
                    case 2 -> log.append(y.suspend("two"));
                    default -> log.append('-');
                }
                while (y.suspend("while") > 0) {
                    log.append('w');
                }
                log.append('|');
            }
            y.suspend(log.toString());
        });

        List<Integer> inputs = List.of(0,
                1, 1, 5, 1, 1, 0,
                0, 0, 6, 2, 9, 0,
                1, 0, 7, 3, 1, 1, 0,
                0);
        List<String> out = drive(g, inputs);

        assertThat(out.get(out.size() - 1)).isEqualTo("T5onew|F69|T7-ww|");
    }

    // ------------------------------------------------------------------ exceptions

    @AllBackends
    void exceptionOfAResumedCallee_isCaughtAtTheCallersCallSite(GeneratorBackend backend) {
        Generator<Integer, String> g = backend.create((y, in) -> {
            String caught;
            try {
                throwAfterSuspend(y, 3);
                caught = "nothing";
            } catch (IllegalArgumentException e) {
                caught = e.getMessage();
            }
            y.suspend("caught " + caught);
            try {
                middle(y);
            } catch (IllegalStateException e) {
                y.suspend("again " + e.getMessage());
            }
        });

        assertThat(drive(g, List.of(0, 0, 0, 0, 0, 0, 0, 0, 0))).containsExactly("depth 3", "depth 2", "depth 1", "never",
                "caught thrown at 42", "middle", "finally in middle", "again from middle's callee");
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    private static void throwAfterSuspend(Yielder<Integer, String> y, int depth) {
        y.suspend("depth " + depth);
        if (depth > 1) {
            throwAfterSuspend(y, depth - 1);
            return;
        }
        throw new IllegalArgumentException("thrown at " + (40 + y.suspend("never") + 2));
    }

    private static void middle(Yielder<Integer, String> y) {
        try {
            y.suspend("middle");
            calleeThatThrows();
        } finally {
            y.suspend("finally in middle");
        }
    }

    private static void calleeThatThrows() {
        throw new IllegalStateException("from middle's callee");
    }

    @AllBackends
    @SuppressWarnings("try") // the resource is only there to be closed
    void close_runsPendingFinallyAndTryWithResourcesOfEveryFrame_innermostFirst(GeneratorBackend backend) {
        List<String> log = new ArrayList<>();
        Generator<Integer, String> g = backend.create((y, in) -> {
            try (AutoCloseable r = () -> log.add("resource")) {
                nestedFinally(y, log, 3);
            } finally {
                log.add("body finally");
            }
        });
        assertThat(g.resume(0)).contains("at 1");

        g.close();

        assertThat(log).containsExactly("finally 1", "finally 2", "finally 3", "resource", "body finally");
        assertThat(g.state()).isEqualTo(State.CLOSED);
    }

    private static void nestedFinally(Yielder<Integer, String> y, List<String> log, int level) {
        try {
            if (level == 1) {
                y.suspend("at 1");
            } else {
                nestedFinally(y, log, level - 1);
            }
        } finally {
            log.add("finally " + level);
        }
    }

    @AllBackends
    void close_atEveryPoint_runsExactlyThePendingFinallyBlocks(GeneratorBackend backend) {
        for (int closeAfter = 1; closeAfter <= 6; closeAfter++) {
            List<String> log = new ArrayList<>();
            Generator<Integer, Integer> g = backend.create((y, in) -> {
                try {
                    y.suspend(1);
                    try {
                        y.suspend(2);
                        inner(y, log);
                        y.suspend(5);
                    } finally {
                        log.add("outer-inner");
                    }
                    y.suspend(6);
                } catch (GeneratorExit e) {
                    log.add("exit");
                    throw e;
                } finally {
                    log.add("outer");
                }
            });
            for (int i = 0; i < closeAfter; i++) {
                assertThat(g.resume(0)).as("close after %d", closeAfter).contains(i + 1);
            }

            g.close();

            List<String> expected = new ArrayList<>();
            if (closeAfter >= 3) {
                expected.add("inner"); // closed inside inner, or inner had returned
            }
            if (closeAfter >= 2) {
                expected.add("outer-inner"); // closed inside that try, or it had completed
            }
            expected.add("exit");
            expected.add("outer");
            assertThat(log).as("close after %d", closeAfter).containsExactlyElementsOf(expected);
            assertThat(g.state()).isEqualTo(State.CLOSED);
        }
    }

    private static void inner(Yielder<Integer, Integer> y, List<String> log) {
        try {
            y.suspend(3);
            y.suspend(4);
        } finally {
            log.add("inner");
        }
    }

    // ------------------------------------------------------------------ constructors

    record Pair(Object first, Object second) {}

    static final class Box {
        final Object inside;
        final long tag;

        Box(Object inside, long tag) {
            this.inside = inside;
            this.tag = tag;
        }

        @Override
        public String toString() {
            return "Box(" + inside + "," + tag + ")";
        }
    }

    @AllBackends
    void constructorsWithSuspendingArguments_buildTheSameObjects(GeneratorBackend backend) {
        Generator<Integer, Object> g = backend.create((y, in) -> {
            Pair p = new Pair(y.suspend("first"), y.suspend("second"));
            Box nested = new Box(new Pair(y.suspend("inner"), "k"), 1L << 40 | y.suspend("tag"));
            String built = new StringBuilder("sb").append(y.suspend("append")).toString();
            y.suspend(p + " " + nested + " " + built);
        });

        List<Object> out = drive(g, List.of(0, 1, 2, 3, 4, 5, 0));

        assertThat(out).containsExactly("first", "second", "inner", "tag", "append",
                "Pair[first=1, second=2] Box(Pair[first=3, second=k]," + (1L << 40 | 4) + ") sb5");
    }

    // ------------------------------------------------------------------ classes and method references

    @AllBackends
    void localAndAnonymousClassesCapturingTheYielder_suspend(GeneratorBackend backend) {
        Generator<Integer, String> g = backend.create((y, in) -> {
            class Counter {
                int count;

                void tick(String what) {
                    count += y.suspend(what + count);
                }
            }
            Counter c = new Counter();
            c.tick("a");
            c.tick("b");
            GeneratorBody<Integer, String> anonymous = new GeneratorBody<>() {
                @Override
                public void run(Yielder<Integer, String> inner, Integer input) {
                    inner.suspend("anon " + input);
                }
            };
            anonymous.run(y, c.count);
        });

        assertThat(drive(g, List.of(0, 5, 6, 0))).containsExactly("a0", "b5", "anon 11");
    }

    @AllBackends
    void methodReferencesAndNamedBodyClasses_runTransformed(GeneratorBackend backend) {
        Generator<Integer, String> staticRef = backend.create(TransformedCodeTest::staticBody);
        Generator<Integer, String> boundRef = backend.create(new Greeter("hi")::greet);
        Generator<Integer, String> named = backend.create(new NamedBody());

        assertThat(drive(staticRef, List.of(1, 2))).containsExactly("static 1", "static 2");
        assertThat(drive(boundRef, List.of(1, 2))).containsExactly("hi 1", "hi 2");
        assertThat(drive(named, List.of(1, 2))).containsExactly("named 1", "named 2");
    }

    private static void staticBody(Yielder<Integer, String> y, Integer in) {
        y.suspend("static " + y.suspend("static " + in));
    }

    static final class Greeter {
        private final String word;

        Greeter(String word) {
            this.word = word;
        }

        void greet(Yielder<Integer, String> y, Integer in) {
            y.suspend(word + " " + y.suspend(word + " " + in));
        }
    }

    static final class NamedBody implements GeneratorBody<Integer, String> {
        @Override
        public void run(Yielder<Integer, String> y, Integer in) {
            y.suspend("named " + y.suspend("named " + in));
        }
    }

    @AllBackends
    void nestedGeneratorCreatedInsideABody_runsAndSuspendsIndependently(GeneratorBackend backend) {
        Generator<Integer, String> outer = backend.create((y, in) -> {
            try (Generator<Integer, Integer> inner = backend.create((iy, first) -> {
                int v = first;
                while (true) {
                    v = iy.suspend(v * v);
                }
            })) {
                int next = in;
                for (int i = 0; i < 3; i++) {
                    next = y.suspend("squared " + inner.resume(next).orElseThrow());
                }
            }
        });

        assertThat(drive(outer, List.of(2, 3, 4, 5))).containsExactly("squared 4", "squared 9", "squared 16");
        assertThat(outer.state()).isEqualTo(State.FINISHED);
    }

    @AllBackends
    void nullSuspend_throwsNpeInTheBodyWhichContinues(GeneratorBackend backend) {
        Generator<Integer, String> g = backend.create((y, in) -> {
            try {
                deepNull(y, 3);
            } catch (NullPointerException e) {
                y.suspend("npe");
            }
        });

        assertThat(drive(g, List.of(0, 0))).containsExactly("npe");
        assertThat(g.state()).isEqualTo(State.FINISHED);
    }

    private static void deepNull(Yielder<Integer, String> y, int depth) {
        if (depth > 0) {
            deepNull(y, depth - 1);
        } else {
            y.suspend(null);
        }
    }
}
