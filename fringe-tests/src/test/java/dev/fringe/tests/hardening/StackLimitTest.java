// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.tests.support.ChildJvm;
import dev.fringe.tests.support.TestBackends;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generator used at every stack depth near the thread's stack limit, in a child JVM each
 * ({@link StackLimitSweep}): an engine that runs out of stack halfway through a resume or a
 * suspend must leave the generator as it was and throw {@link StackOverflowError}, and the JVM
 * must survive.
 *
 * <ul>
 *   <li>A resume whose engine failed used to leave the generator RUNNING for good, on every
 *       Java backend (the status was set, then the call into the engine overflowed): hundreds
 *       per sweep.</li>
 *   <li>On the thread-based backends, a suspend that overflowed after handing its value over
 *       let the body run on beside its resumer: values twice, and {@code NullPointerException}
 *       from {@code resume}.</li>
 *   <li>On {@code continuation}, resuming near the limit crashes HotSpot (SIGSEGV in
 *       {@code Continuation::prepare_thaw} or {@code fill_in_stack_trace}; a raw
 *       {@code Continuation} does the same); fringe's stack guard refuses such a resume with
 *       {@code StackOverflowError} first. The sweep with C1 only is the minimal reproducer: it
 *       crashed the JVM in every run before the guard.</li>
 * </ul>
 */
class StackLimitTest {
    private static final Duration LIMIT = Duration.ofSeconds(240);

    static Stream<String> backends() {
        return TestBackends.usable().map(named -> named.getName());
    }

    /**
     * Every usable backend, with the body suspended at the top of its frames and 50 deep. A
     * {@code stackless} body runs on its resumer's stack, so near the limit it can overflow
     * itself: that is the body's own {@code StackOverflowError}, and the generator is FAILED
     * (README rule 3), never stuck, never with a lost or repeated value.
     */
    static Stream<Arguments> bodyDepths() {
        return backends().flatMap(b -> Stream.of(Arguments.of(b, 0), Arguments.of(b, 50)));
    }

    @ParameterizedTest(name = "{0}, body suspended {1} frames deep")
    @MethodSource("bodyDepths")
    void resumeAtEveryDepthNearTheStackLimit_neverLeavesTheGeneratorRunning(String backend, int bodyDepth) {
        ChildJvm.Result run = sweep(List.of(), "resume", backend, String.valueOf(bodyDepth), "1");

        assertThat(run.value("stuck")).as("generators left RUNNING: %s", run).isEqualTo("0");
        assertThat(run.value("wrong")).as("values lost or repeated: %s", run).isEqualTo("0");
        assertThat(run.value("other")).as("exceptions other than StackOverflowError: %s", run).isEqualTo("0");
        assertThat(run.value("tail")).as("the generator carries on afterwards: %s", run).isEqualTo("OK");
        assertThat(Long.parseLong(run.value("overflows"))).as("the sweep reached the limit: %s", run).isPositive();
        if (!backend.equals("stackless")) {
            // The body has a stack of its own: a resume near the limit happens whole or not at all.
            assertThat(run.value("body-failures")).as("bodies failed by the resumer's overflow: %s", run).isEqualTo("0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void suspendAtEveryDepthNearTheStackLimit_deliversEveryValueOnce(String backend) {
        ChildJvm.Result run = sweep(List.of(), "suspend", backend, "1");

        assertThat(run.value("duplicates")).as("values delivered twice: %s", run).isEqualTo("0");
        assertThat(run.value("gaps")).as("values lost: %s", run).isEqualTo("0");
        assertThat(run.value("other")).as("exceptions other than StackOverflowError: %s", run).isEqualTo("0");
        assertThat(run.value("end")).as("%s", run).isEqualTo("FINISHED");
        if (!backend.equals("stackless")) {
            // (A stackless body suspends by returning: its suspend never needs more stack.)
            assertThat(Long.parseLong(run.value("suspend-overflows"))).as("the sweep reached the limit: %s", run).isPositive();
        }
    }

    static Stream<Arguments> compilerModes() {
        return Stream.of(Arguments.of("C1 only", List.of("-XX:TieredStopAtLevel=1")),
                Arguments.of("tiered", List.of()), Arguments.of("interpreter", List.of("-Xint")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compilerModes")
    void continuation_resumeNearTheStackLimit_refusedInsteadOfCrashingTheJvm(String mode, List<String> flags) {
        ChildJvm.Result run = sweep(flags, "resume", "continuation", "50", "1");

        assertThat(run.output()).as("the JVM survived: %s", run).contains(StackLimitSweep.DONE);
        assertThat(run.value("stuck")).as("%s", run).isEqualTo("0");
        assertThat(run.value("wrong")).as("%s", run).isEqualTo("0");
        assertThat(run.value("tail")).as("%s", run).isEqualTo("OK");
    }

    private static ChildJvm.Result sweep(List<String> flags, String... args) {
        ChildJvm.Result run = ChildJvm.withArgs()
                .jvmArgs(TestBackends.CLASS_PATH_FLAG, TestBackends.CONTINUATION_CONSENT)
                .jvmArgs(flags.toArray(new String[0]))
                .run(LIMIT, StackLimitSweep.class, args);
        assertThat(run.output()).as("the sweep ran to its end: %s", run).contains(StackLimitSweep.DONE);
        assertThat(run.exitCode()).as("%s", run).isZero();
        return run;
    }
}
