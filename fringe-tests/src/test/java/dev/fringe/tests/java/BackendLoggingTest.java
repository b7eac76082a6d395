// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.tests.support.BackendProbe;
import dev.fringe.tests.support.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend choice is logged once at {@code DEBUG} through {@link System.Logger}
 * ({@code dev.fringe.Backends}), so an application can see which engine runs its generators
 * and why the others do not, through whatever logging it uses; and nothing is printed at the
 * default level. Selection happens once per JVM, hence child JVMs; with the JDK's default
 * logging, {@code DEBUG} is {@code java.util.logging}'s {@code FINE}.
 */
class BackendLoggingTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void selection_isLoggedAtDebug_withTheReasonAndEveryBackend(@TempDir Path dir) throws IOException {
        ChildJvm.Result r = probeLoggingFine(dir, "thread");
        assertThat(r.output()).as("%s", r)
                .containsOnlyOnce("fringe: Generator.create uses the thread backend (named by -Dfringe.backend=thread)."
                        + " Backends found:")
                .contains("FINE: fringe: Generator.create uses the thread backend")
                .contains("  thread (priority 100): available");
    }

    @Test
    void failedSelection_isLoggedAtDebug(@TempDir Path dir) throws IOException {
        ChildJvm.Result r = probeLoggingFine(dir, "no-such-backend");
        assertThat(r.output()).as("%s", r)
                .contains("fringe: no backend selected: -Dfringe.backend=no-such-backend names no installed backend.");
    }

    @Test
    void nothingIsLogged_atTheDefaultLevel() {
        ChildJvm.Result r = ChildJvm.withArgs().jvmArgs("-Dfringe.backend=thread").run(LIMIT, BackendProbe.class);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.value("selected")).as("%s", r).isEqualTo("thread");
        assertThat(r.output()).as("%s", r).doesNotContain("fringe: Generator.create uses");
    }

    /** Runs the probe with -Dfringe.backend=BACKEND and dev.fringe's FINE records printed to the console. */
    private static ChildJvm.Result probeLoggingFine(Path dir, String backend) throws IOException {
        Path config = Files.writeString(dir.resolve("logging.properties"), String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level=FINE",
                "dev.fringe.level=FINE",
                ""));
        ChildJvm.Result r = ChildJvm.withArgs()
                .jvmArgs("-Djava.util.logging.config.file=" + config, "-Dfringe.backend=" + backend)
                .run(LIMIT, BackendProbe.class);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }
}
