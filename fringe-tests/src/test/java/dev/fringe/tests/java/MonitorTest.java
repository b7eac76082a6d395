// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.ChildJvm;
import dev.fringe.tests.support.TestBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code continuation} backend must behave the same whether or not the body holds
 * a monitor when it suspends, checked on every backend: a body suspended inside
 * {@code synchronized} keeps the monitor while suspended, still owns it when resumed on another
 * thread, and releases it when it leaves the block, is closed or is collected; and a resumer
 * that holds a monitor of its own can resume a body that suspends.
 *
 * <p>Each scenario runs in a child JVM ({@link MonitorScenarios}), because on JDK 24+ a raw
 * {@code jdk.internal.vm.Continuation} yields with monitors held (JEP 491's lightweight-locking
 * support is meant for virtual threads): the JVM moves the whole lock stack of the thread into
 * the frozen continuation, the resumer's own locks included, and thaws it onto whichever thread
 * resumes. Measured on Temurin 25.0.3: a resumer holding a monitor crashes the JVM (SIGSEGV in
 * {@code Thaw::thaw_slow}) within 100 round trips, and a body resumed on another thread leaves
 * its monitor unenterable. A crash in the test JVM would end the whole suite.
 *
 * <p>So on such a JVM the {@code continuation} backend is not selectable without the consent
 * {@code -Dfringe.continuation.monitors=unchecked} ({@code BackendSelectionTest} checks that
 * gate), and these scenarios run on the backends that handle monitors: every usable backend on
 * JVMs that do not carry monitors away, the thread-based ones on JDK 24+.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MonitorTest {
    /** One child JVM per backend runs every scenario; the tests read its report. */
    private static final Map<String, ChildJvm.Result> RUNS = new ConcurrentHashMap<>();

    static Stream<Arguments> backendsAndScenarios() {
        return TestBackends.usable()
                .filter(b -> !(b.getName().equals("continuation") && TestBackends.continuationCarriesMonitors()))
                .flatMap(backend -> Stream.of(MonitorScenarios.Scenario.values())
                .map(s -> Arguments.of(backend, Named.of(s.name(), s))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("backendsAndScenarios")
    void monitorScenario_behavesAsWithoutMonitor(GeneratorBackend backend, MonitorScenarios.Scenario scenario) {
        ChildJvm.Result run = RUNS.computeIfAbsent(backend.name(), MonitorTest::runAllScenarios);
        String line = "SCENARIO " + scenario + " ";

        if (!run.output().contains(line)) {
            throw new AssertionError("scenario " + scenario + " never ran: the child JVM ended early (a crash?)\n" + run);
        }
        assertThat(run.output()).as("%s", run).contains(line + "PASSED");
    }

    /**
     * JVMs that keep monitors on the thread (JDK 21-23; 24-25 with {@code -XX:LockingMode=1},
     * deprecated in 24 and gone in 26) never move them into a raw continuation: the start-up
     * probe sees that and makes {@code continuation} usable without the consent; a resumer may hold a
     * monitor across {@code resume()}; a body that suspends inside {@code synchronized} gets a
     * clean {@code IllegalStateException} and runs on. On other JDKs (17-20 have no continuations,
     * 26+ no legacy locking) the backend is refused without the consent, with a reason.
     */
    @Test
    void legacyLocking_continuationUsableWithoutConsent_resumerKeepsItsMonitor_bodyMonitorRefusedCleanly() {
        int feature = Runtime.version().feature();
        List<String> flags = new ArrayList<>(List.of(TestBackends.CLASS_PATH_FLAG));
        if (feature >= 24 && feature <= 25) {
            flags.add("-XX:LockingMode=1");
        }
        ChildJvm.Result run = ChildJvm.withArgs().jvmArgs(flags.toArray(new String[0]))
                .run(Duration.ofSeconds(60), LegacyLockingMonitors.class);

        if (feature < 21 || feature > 25) {
            // No continuations (JDK 17-20), or no legacy locking (JDK 26+): without the consent
            // flag the backend must not be usable, and say why.
            assertThat(run.value("continuation")).as("%s", run).isNotEqualTo("usable").isNotBlank();
            assertThat(run.output()).as("%s", run).doesNotContain("resumer-holds-monitor=");
            return;
        }
        assertThat(run.value("continuation")).as("%s", run).isEqualTo("usable");
        assertThat(run.value("resumer-holds-monitor")).as("%s", run).isEqualTo("OK");
        assertThat(run.value("body-suspends-in-monitor")).as("%s", run)
                .startsWith("IllegalStateException").contains("holds a monitor");
        assertThat(run.value("after")).as("%s", run).isEqualTo("OK");
    }

    private static ChildJvm.Result runAllScenarios(String backend) {
        List<String> args = new ArrayList<>();
        args.add(backend);
        for (MonitorScenarios.Scenario s : MonitorScenarios.Scenario.values()) {
            args.add(s.name());
        }
        return ChildJvm.withArgs()
                .jvmArgs(TestBackends.CLASS_PATH_FLAG)
                .run(Duration.ofSeconds(100), MonitorScenarios.class, args.toArray(new String[0]));
    }
}
