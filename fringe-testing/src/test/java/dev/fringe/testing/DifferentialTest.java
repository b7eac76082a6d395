// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.State;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Differential} against the running-sum C body of {@code src/test/c/bodies.c}: comparing
 * given inputs, exploring random ones, and comparing two Java bodies.
 */
class DifferentialTest {
    private static final Function SUM = NativeLibrary.getInstance("fringe_testing_bodies",
            Map.of(Library.OPTION_CLASSLOADER, DifferentialTest.class.getClassLoader())).getFunction("fringe_testing_sum");

    /** The exact Java model of fringe_testing_sum. */
    private static final ModelBody SUM_MODEL = (yielder, input) -> {
        long sum = input;
        for (long next; (next = yielder.suspend(sum)) != 0; ) {
            sum += next;
        }
        return sum;
    };

    private static Supplier<NativeGenerator> nativeSum() {
        return () -> NativeGenerator.create(64 * 1024, SUM, null);
    }

    static Stream<GeneratorBackend> usableBackends() {
        return Backends.all().stream().filter(b -> b.unavailableReason().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("usableBackends")
    void aFaithfulModel_matches_onEveryJavaBackend(GeneratorBackend backend) {
        Comparison c = Differential.compare(backend, SUM_MODEL, nativeSum(), 1, 2, 3, 0, 7);

        assertThat(c.matches()).as("%s", c).isTrue();
        assertThat(c.firstDivergence()).isEmpty();
        assertThat(c.assertSameTraces()).isSameAs(c);
        assertThat(c.modelTrace().engine()).isEqualTo("Java model on " + backend.name());
        assertThat(c.modelTrace().steps()).isEqualTo(c.nativeTrace().steps());
        Trace.Step finished = c.nativeTrace().steps().get(3);
        assertThat(finished.output()).isEmpty();
        assertThat(finished.returnValue()).isEqualTo(OptionalLong.of(6));
        assertThat(finished.state()).isEqualTo(State.FINISHED);
        Trace.Step after = c.nativeTrace().steps().get(4);
        assertThat(after.input()).isEqualTo(7);
        assertThat(after.returnValue()).as("a finished generator keeps its return value").isEqualTo(OptionalLong.of(6));
        assertThat(after.outcome()).isEqualTo("finished, returned 6 [FINISHED]");
    }

    @Test
    void aWrongOutput_isReportedAtItsStep_withBothTracesSideBySide() {
        ModelBody offByOneOnThird = (yielder, input) -> {
            long sum = input;
            int resumes = 0;
            for (long next; (next = yielder.suspend(++resumes == 3 ? sum + 1 : sum)) != 0; ) {
                sum += next;
            }
            return sum;
        };
        Comparison c = Differential.compare(offByOneOnThird, nativeSum(), 1, 2, 3, 0);

        assertThat(c.matches()).isFalse();
        assertThat(c.firstDivergence()).isEqualTo(OptionalInt.of(2));
        assertThat(c.modelTrace().steps().get(2).output()).isEqualTo(OptionalLong.of(7));
        assertThat(c.nativeTrace().steps().get(2).output()).isEqualTo(OptionalLong.of(6));
        String backend = Backends.selected().name();
        String model = "Java model on " + backend;
        assertThat(c.toString()).isEqualTo(String.join(System.lineSeparator(),
                "native generator diverges from " + model + " at step 2 (resume #3 of 4, input 3):",
                String.format("     step  input  %-" + Math.max(model.length(), 31) + "s  native generator", model),
                String.format("        0  1      %-" + Math.max(model.length(), 31) + "s  1 [RUNNABLE]", "1 [RUNNABLE]"),
                String.format("        1  2      %-" + Math.max(model.length(), 31) + "s  3 [RUNNABLE]", "3 [RUNNABLE]"),
                String.format("  >>    2  3      %-" + Math.max(model.length(), 31) + "s  6 [RUNNABLE]", "7 [RUNNABLE]"),
                String.format("        3  0      %-" + Math.max(model.length(), 31) + "s  finished, returned 6 [FINISHED]",
                        "finished, returned 6 [FINISHED]")));
        AssertionError error = catchThrowableOfType(AssertionError.class, c::assertSameTraces);
        assertThat(error).hasMessage(c.toString()).hasNoCause();
    }

    @Test
    void aWrongReturnValue_divergesAtTheResumeThatFinished() {
        ModelBody wrongReturn = (yielder, input) -> SUM_MODEL.run(yielder, input) * 2;
        Comparison c = Differential.compare(wrongReturn, nativeSum(), 4, 0, 9);

        assertThat(c.firstDivergence()).isEqualTo(OptionalInt.of(1));
        assertThat(c.modelTrace().steps().get(1).returnValue()).isEqualTo(OptionalLong.of(8));
        assertThat(c.nativeTrace().steps().get(1).returnValue()).isEqualTo(OptionalLong.of(4));
    }

    @Test
    void aModelThatFinishesEarly_divergesInOutputAndState() {
        ModelBody once = (yielder, input) -> {
            yielder.suspend(input);
            return input;
        };
        Comparison c = Differential.compare(once, nativeSum(), 5, 1, 0);

        assertThat(c.firstDivergence()).isEqualTo(OptionalInt.of(1));
        assertThat(c.modelTrace().steps().get(1).outcome()).isEqualTo("finished, returned 5 [FINISHED]");
        assertThat(c.nativeTrace().steps().get(1).outcome()).isEqualTo("6 [RUNNABLE]");
    }

    @Test
    void aModelThatThrows_isRecordedAsFailed_andTheAssertionCarriesItsException() {
        IllegalStateException boom = new IllegalStateException("boom");
        ModelBody throwsOnSecond = (yielder, input) -> {
            yielder.suspend(input);
            throw boom;
        };
        Comparison c = Differential.compare(throwsOnSecond, nativeSum(), 5, 1, 0);

        Trace.Step threw = c.modelTrace().steps().get(1);
        assertThat(threw.failure()).containsSame(boom);
        assertThat(threw.state()).isEqualTo(State.FAILED);
        assertThat(threw.outcome()).isEqualTo("threw java.lang.IllegalStateException: boom [FAILED]");
        assertThat(c.modelTrace().steps().get(2).outcome()).as("a failed generator returns empty")
                .isEqualTo("empty [FAILED]");
        assertThat(c.firstDivergence()).isEqualTo(OptionalInt.of(1));
        assertThatThrownBy(c::assertSameTraces).isInstanceOf(AssertionError.class).hasCause(boom);
    }

    @Test
    void longTraces_printTheStartAndTheStepsAroundTheDivergence() {
        ModelBody wrongAt60 = (yielder, input) -> {
            long sum = input;
            int resumes = 0;
            for (long next; (next = yielder.suspend(++resumes == 61 ? -sum : sum)) != 0; ) {
                sum += next;
            }
            return sum;
        };
        long[] ones = LongStream.generate(() -> 1).limit(100).toArray();
        Comparison c = Differential.compare(wrongAt60, nativeSum(), ones);

        assertThat(c.firstDivergence()).isEqualTo(OptionalInt.of(60));
        String text = c.toString();
        assertThat(text.lines()).hasSizeLessThan(25);
        assertThat(text).contains("... 47 more steps").contains("... 34 more steps")
                .containsPattern("(?m)^  >>   60  1 +0x[0-9a-f]+ \\[RUNNABLE] +61 \\[RUNNABLE]$");
    }

    @Test
    void theNativeGenerator_isCreatedOnceAndClosed_releasingItsStack() {
        AtomicInteger created = new AtomicInteger();
        AtomicReference<NativeGenerator> made = new AtomicReference<>();
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            Comparison c = Differential.compare(SUM_MODEL, () -> {
                created.incrementAndGet();
                made.set(NativeGenerator.create(stack, SUM, null));
                return made.get();
            }, 1, 2);

            assertThat(c.matches()).isTrue();
            assertThat(created).hasValue(1);
            assertThat(made.get().state()).as("left suspended, then closed").isEqualTo(State.CLOSED);
            assertThat(stack.inUse()).isFalse();
        }
    }

    @Test
    void noInputs_giveEmptyTracesThatMatch_andNeitherBodyRuns() {
        AtomicInteger ran = new AtomicInteger();
        Comparison c = Differential.compare((yielder, input) -> ran.incrementAndGet(), nativeSum());

        assertThat(c.matches()).isTrue();
        assertThat(c.modelTrace().steps()).isEmpty();
        assertThat(ran).hasValue(0);
        assertThat(c.toString()).startsWith("native generator matches Java model on ").contains("over 0 resumes:");
    }

    @Test
    void inputsAreCopied_soTheCallerMayReuseTheArray() {
        long[] inputs = {1, 2};
        Comparison c = Differential.compare(SUM_MODEL, nativeSum(), inputs);
        inputs[0] = 99;
        assertThat(c.modelTrace().steps().get(0).input()).isEqualTo(1);
    }

    @Test
    void anUnusableBackend_isRefusedWithItsReason() {
        GeneratorBackend unusable = new GeneratorBackend() {
            @Override
            public String name() {
                return "nowhere";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.of("add --enable-nowhere");
            }

            @Override
            public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
                throw new AssertionError("never called");
            }
        };
        assertThatThrownBy(() -> Differential.compare(unusable, SUM_MODEL, nativeSum(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere")
                .hasMessageContaining("add --enable-nowhere");
    }

    /** The running sum, with the value it suspends on its third resume one too high. */
    private static final ModelBody OFF_BY_ONE_ON_THIRD = (yielder, input) -> {
        long sum = input;
        int resumes = 0;
        for (long next; (next = yielder.suspend(++resumes == 3 ? sum + 1 : sum)) != 0; ) {
            sum += next;
        }
        return sum;
    };

    @Test
    void explore_ofAFaithfulModel_passes_creatingOneNativeGeneratorPerCase() {
        AtomicInteger created = new AtomicInteger();
        Differential.explore(Explore.tries(300), SUM_MODEL, () -> {
            created.incrementAndGet();
            return nativeSum().get();
        }, Gen.longs(0, 9).list(0, 20));

        assertThat(created).hasValue(300);
        Differential.explore(SUM_MODEL, nativeSum());
    }

    @Test
    void explore_findsAWrongModel_andShrinksItsInputsToTheShortestRowThatShowsIt() {
        Counterexample e = catchThrowableOfType(Counterexample.class, () -> Differential.explore(OFF_BY_ONE_ON_THIRD,
                nativeSum()));

        // The third resume must find the body still running: the first two inputs after the
        // start must not be 0, which ends the running sum.
        assertThat(e).as("the model is wrong on every third resume").isNotNull();
        assertThat(e.value()).isEqualTo(List.of(0L, 1L, 1L));
        assertThat(e.getMessage())
                .contains("(seed " + e.seed() + ")")
                .contains("-Dfringe.testing.seed=" + e.seed())
                .contains("to:" + System.lineSeparator() + "  [0, 1, 1]" + System.lineSeparator())
                .contains("native generator diverges from Java model on " + Backends.selected().name()
                        + " at step 2 (resume #3 of 3, input 1):")
                .containsPattern("(?m)^  >>    2  1      3 \\[RUNNABLE] +2 \\[RUNNABLE]$");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class).hasMessage(Differential.compare(OFF_BY_ONE_ON_THIRD,
                nativeSum(), 0, 1, 1).toString());
    }

    @Test
    void explore_withASeed_triesTheSameRowsAgain() {
        List<List<Long>> first = new ArrayList<>();
        List<List<Long>> again = new ArrayList<>();
        Gen<List<Long>> rows = Gen.longs(0, 9).list(1, 20);
        Differential.explore(Explore.tries(40).seed(99), SUM_MODEL, nativeSum(), rows.map(r -> {
            first.add(r);
            return r;
        }));
        Differential.explore(Explore.tries(40).seed(99), SUM_MODEL, nativeSum(), rows.map(r -> {
            again.add(r);
            return r;
        }));

        assertThat(first).hasSize(40).isEqualTo(again);
    }

    @Test
    void compare_ofOneBodyOnTwoJavaBackends_matches_andNamesBothBackends() {
        List<GeneratorBackend> usable = usableBackends().collect(Collectors.toList());
        GeneratorBackend oracle = usable.get(0);
        GeneratorBackend other = usable.get(usable.size() - 1);

        Comparison c = Differential.compare(oracle, SUM_MODEL, other, SUM_MODEL, 1, 2, 3, 0, 7);

        assertThat(c.matches()).as("%s", c).isTrue();
        assertThat(c.modelTrace().engine()).isEqualTo("Java model on " + oracle.name());
        assertThat(c.nativeTrace().engine()).isEqualTo("Java subject on " + other.name());
        assertThat(c.nativeTrace().steps().get(3).outcome()).isEqualTo("finished, returned 6 [FINISHED]");
    }

    @Test
    void compare_ofTwoJavaBodiesThatDiffer_divergesWhereTheSubjectGoesWrong() {
        GeneratorBackend backend = Backends.selected();

        Comparison c = Differential.compare(backend, SUM_MODEL, backend, OFF_BY_ONE_ON_THIRD, 1, 2, 3, 0);

        assertThat(c.firstDivergence()).isEqualTo(OptionalInt.of(2));
        assertThat(c.toString()).startsWith("Java subject on " + backend.name() + " diverges from Java model on "
                + backend.name() + " at step 2");
        assertThatThrownBy(() -> Differential.compare(backend, SUM_MODEL, backend, null, 1))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void nullArguments_andANullGenerator_areRefused() {
        assertThatThrownBy(() -> Differential.compare(null, nativeSum(), 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Differential.compare(SUM_MODEL, null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Differential.compare(SUM_MODEL, () -> null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("supplier returned null");
    }
}
