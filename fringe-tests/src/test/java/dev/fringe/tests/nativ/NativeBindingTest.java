// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static dev.fringe.tests.nativ.TestBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.jna.NativeGenerator;
import org.junit.jupiter.api.Test;

/**
 * The binding this suite runs on is the one asked for: {@code -Dfringe.native.binding} if the
 * build set it (the second run of the native suite sets {@code jna}), otherwise the default,
 * FFM on JDK 22+ with native access enabled (the build enables it) and JNA on older JDKs (the
 * i386 and arm64 JDK 17 runs). Every diagnostic names it.
 */
class NativeBindingTest {

    static String expectedBinding() {
        String forced = System.getProperty("fringe.native.binding", "");
        if (!forced.isEmpty()) {
            return forced;
        }
        return Runtime.version().feature() >= 22 ? "ffm" : "jna";
    }

    @Test
    void theSuiteRunsOnTheBindingAskedFor() {
        assertThat(NativeGenerator.isAvailable()).as("%s", NativeGenerator.unavailabilityCause()).isTrue();
        assertThat(NativeGenerator.unavailabilityCause()).isNull();
        assertThat(NativeGenerator.binding()).isEqualTo(expectedBinding());
    }

    @Test
    void diagnosticsNameTheBindingTheArchitectureModuleAndItsLibrary() {
        String arch = TestBodies.arch().artifactId();
        assertThat(NativeGenerator.diagnostics())
                .startsWith("native generators available: binding " + expectedBinding())
                .contains(arch)
                .contains(TestBodies.arch().resourcePath());
    }

    @Test
    void toStringNamesTheBinding() {
        try (NativeGenerator gen = NativeGenerator.create(64 * 1024, body("count"), null)) {
            assertThat(gen.toString()).startsWith("NativeGenerator[RUNNABLE, " + expectedBinding() + ", ");
        }
    }
}
