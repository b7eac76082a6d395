// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Backends;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.BackendProbe;
import dev.fringe.tests.support.ChildJvm;
import dev.fringe.tests.support.TestBackends;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backend discovery and selection: {@link Backends#all()} lists the
 * three backends by priority; all three are usable here, which is what makes the rest of the
 * suite run on each of them (this test fails, rather than anything being skipped, when one is
 * not); {@code -Dfringe.backend=NAME} is honoured; a bad name fails with a message listing every
 * backend and why each is or is not usable; the {@code continuation} backend names the exact
 * {@code --add-exports} flag it lacks, for the class path and for the module path.
 *
 * <p>Selection is cached per JVM, so everything about the property or the JVM flags runs in a
 * child JVM ({@link BackendProbe}).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackendSelectionTest {
    private static final Duration CHILD_LIMIT = Duration.ofSeconds(30);
    private static final Map<String, Integer> PRIORITIES = Map.of("continuation", 300, "virtual-thread", 200, "thread", 100);

    @Test
    void all_listsTheShippedBackendsByDescendingPriority() {
        List<String> names = Backends.all().stream().map(GeneratorBackend::name).collect(Collectors.toList());
        if (Runtime.version().feature() >= 21) {
            assertThat(names).containsExactlyElementsOf(TestBackends.SHIPPED);
            for (GeneratorBackend b : Backends.all()) {
                assertThat(b.priority()).as(b.name()).isEqualTo(PRIORITIES.get(b.name()));
            }
        } else {
            // fringe-backend-loom needs JDK 21: listed, as stand-ins that say so.
            assertThat(names).contains("thread");
            assertThat(Backends.all()).filteredOn(b -> !b.name().equals("thread"))
                    .allMatch(b -> b.unavailableReason().isPresent());
        }
        assertThat(Backends.all()).isSortedAccordingTo((a, b) -> Integer.compare(b.priority(), a.priority()));
    }

    @Test
    void expectedBackends_areAllUsableInThisJvm() {
        for (String name : TestBackends.expectedUsable()) {
            assertThat(Backends.named(name)).as("backend %s installed; found:%n%s", name, Backends.describe()).isPresent();
            assertThat(Backends.named(name).orElseThrow().unavailableReason())
                    .as("backend %s must be usable in this JVM (the contract suite runs on it); found:%n%s", name,
                            Backends.describe())
                    .isEmpty();
        }
        assertThat(TestBackends.usable().map(n -> n.getName()).collect(Collectors.toList()))
                .containsAll(TestBackends.expectedUsable());
    }

    @Test
    void selected_withoutProperty_isTheHighestPriorityUsableBackend() {
        String named = System.getProperty(Backends.PROPERTY);
        String expected = named != null && !named.isBlank() ? named.trim() : TestBackends.expectedUsable().get(0);

        assertThat(Backends.selected().name()).isEqualTo(expected);
    }

    @Test
    void named_unknownBackend_isEmpty() {
        assertThat(Backends.named("no-such-backend")).isEmpty();
    }

    static List<String> expectedUsable() {
        return TestBackends.expectedUsable();
    }

    @ParameterizedTest(name = "-Dfringe.backend={0}")
    @MethodSource("expectedUsable")
    void property_namingABackend_makesCreateAndStreamUseIt(String name) {
        ChildJvm.Result r = ChildJvm.withArgs()
                .jvmArgs(TestBackends.CLASS_PATH_FLAG, TestBackends.CONTINUATION_CONSENT, "-D" + Backends.PROPERTY + "=" + name)
                .run(CHILD_LIMIT, BackendProbe.class);

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.value("selected")).as("%s", r).isEqualTo(name);
        assertThat(r.value("create")).as("%s", r).isEqualTo("1,2,3,finished");
        // Where the body ran shows that Generator.create really used the named backend.
        String expectedThread = Map.of("continuation", "caller", "virtual-thread", "virtual", "thread", "platform:fringe-thread-")
                .get(name);
        assertThat(r.value("body-thread")).as("%s", r).startsWith(expectedThread);
        assertThat(r.value("stream-full")).as("%s", r).isEqualTo("1,2,3,4,5");
        assertThat(r.value("stream-closed-early")).as("%s", r).isEqualTo("first=1 finally=true exit=GeneratorExit");
    }

    @Test
    void property_namingAnUnknownBackend_failsListingEveryBackendAndWhy() {
        ChildJvm.Result r = ChildJvm.withArgs()
                .jvmArgs(TestBackends.CLASS_PATH_FLAG, TestBackends.CONTINUATION_CONSENT, "-D" + Backends.PROPERTY + "=no-such-backend")
                .run(CHILD_LIMIT, BackendProbe.class);

        String error = r.value("selection-error");
        assertThat(error).as("%s", r).isNotNull().contains("no-such-backend");
        for (GeneratorBackend b : Backends.all()) {
            assertThat(error).contains(b.name() + " (priority " + b.priority() + "): "
                    + b.unavailableReason().map(why -> "unavailable: " + why).orElse("available"));
        }
        assertThat(r.value("create-error")).as("Generator.create fails the same way").isEqualTo(error);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "fringe-backend-loom needs JDK 21")
    void property_namingAnUnavailableBackend_failsWithItsReasonAndTheList() {
        // No --add-exports: the continuation backend is installed but unusable.
        ChildJvm.Result r = ChildJvm.withArgs().jvmArgs("-D" + Backends.PROPERTY + "=continuation")
                .run(CHILD_LIMIT, BackendProbe.class);

        String error = r.value("selection-error");
        assertThat(error).as("%s", r).isNotNull()
                .contains("continuation")
                .contains("unavailable")
                .contains("Start java with " + TestBackends.CLASS_PATH_FLAG)
                .contains("continuation (priority 300): unavailable")
                .contains("virtual-thread (priority 200): available")
                .contains("thread (priority 100): available");
        assertThat(r.value("create-error")).isEqualTo(error);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "fringe-backend-loom needs JDK 21")
    void continuation_onClassPathWithoutAddExports_namesTheClassPathFlagAndFallsBack() {
        ChildJvm.Result r = ChildJvm.withArgs().run(CHILD_LIMIT, BackendProbe.class);

        assertThat(r.value("loaded-from.continuation")).as("%s", r).isEqualTo("class path");
        assertThat(r.value("backend.continuation")).as("%s", r)
                .startsWith("300|unavailable")
                .contains("Start java with " + TestBackends.CLASS_PATH_FLAG);
        assertThat(r.value("selected")).isEqualTo("virtual-thread");
        assertThat(r.value("create")).isEqualTo("1,2,3,finished");
    }

    /**
     * fringe on the module path. No test module is needed: the probe stays on the class path
     * (the unnamed module reads every module in the boot layer and dev.fringe exports its API),
     * and {@code --add-modules dev.fringe.loom} resolves the Loom module (and dev.fringe, which it
     * requires) as named modules. ServiceLoader then finds the providers through their
     * {@code provides} clauses, and the JVM checks {@code jdk.internal.vm} access for the named
     * module dev.fringe.loom, which {@code ...=ALL-UNNAMED} does not cover.
     */
    @Test
    @EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "fringe-backend-loom needs JDK 21")
    void continuation_onModulePathWithoutAddExports_namesTheModulePathFlag() {
        ChildJvm.Result r = onModulePath().run(CHILD_LIMIT, BackendProbe.class);

        assertThat(r.value("loaded-from.continuation")).as("%s", r).isEqualTo("named module dev.fringe.loom");
        assertThat(r.value("loaded-from.thread")).as("%s", r).isEqualTo("named module dev.fringe");
        assertThat(r.value("backend.continuation")).as("%s", r)
                .startsWith("300|unavailable")
                .contains("Start java with " + TestBackends.MODULE_PATH_FLAG);
        assertThat(r.value("selected")).isEqualTo("virtual-thread");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "fringe-backend-loom needs JDK 21")
    void continuation_onModulePathWithTheModuleFlag_isUsable() {
        ChildJvm.Result r = onModulePath().jvmArgs(TestBackends.MODULE_PATH_FLAG, TestBackends.CONTINUATION_CONSENT)
                .run(CHILD_LIMIT, BackendProbe.class);

        assertThat(r.value("loaded-from.continuation")).as("%s", r).isEqualTo("named module dev.fringe.loom");
        assertThat(r.value("backend.continuation")).as("%s", r).isEqualTo("300|usable");
        assertThat(r.value("selected")).isEqualTo("continuation");
        assertThat(r.value("create")).isEqualTo("1,2,3,finished");
        assertThat(r.value("body-thread")).isEqualTo("caller");
    }

    /**
     * JDK 24+ moves the monitors a thread holds into a raw continuation when it yields (see
     * {@code MonitorTest}), so with only the export flag the continuation backend must refuse to
     * be selected, say why and name the consent property; with the consent it is selected.
     */
    @Test
    @EnabledForJreRange(min = JRE.JAVA_24, disabledReason = "JDK 21-23 refuse to suspend with a monitor held, safely")
    void continuation_whereTheJvmCarriesMonitorsAway_needsConsent() {
        ChildJvm.Result without = ChildJvm.withArgs().jvmArgs(TestBackends.CLASS_PATH_FLAG).run(CHILD_LIMIT, BackendProbe.class);
        assertThat(without.value("backend.continuation")).as("%s", without)
                .startsWith("300|unavailable")
                .contains("moves the monitors a thread holds into a raw continuation")
                .contains(TestBackends.CONTINUATION_CONSENT)
                .contains("virtual-thread backend handles monitors correctly");
        assertThat(without.value("selected")).as("%s", without).isEqualTo("virtual-thread");

        ChildJvm.Result with = ChildJvm.withArgs().jvmArgs(TestBackends.CLASS_PATH_FLAG, TestBackends.CONTINUATION_CONSENT)
                .run(CHILD_LIMIT, BackendProbe.class);
        assertThat(with.value("backend.continuation")).as("%s", with).isEqualTo("300|usable");
        assertThat(with.value("selected")).as("%s", with).isEqualTo("continuation");
    }

    /** A child JVM with fringe-api and fringe-backend-loom (jars or class directories) on the module path. */
    private static ChildJvm onModulePath() {
        Path api = ChildJvm.location(Backends.class);
        Path loom = ChildJvm.location(Backends.named("continuation").orElseThrow().getClass());
        Path probe = ChildJvm.location(BackendProbe.class);
        return ChildJvm.withArgs()
                .jvmArgs("--module-path " + api + File.pathSeparator + loom, "--add-modules dev.fringe.loom")
                .classPath(probe);
    }
}
