// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * This module's own tests run without any {@code fringe-arch-*} module, as a user does who forgot
 * one: native generators are unavailable, every way of asking says why, and the message names
 * what to add without dumping the class path.
 */
class WithoutArchitectureModuleTest {

    @Test
    void nativeGeneratorsAreUnavailable_andTheCauseSaysWhatToAdd() {
        assertThat(NativeGenerator.isAvailable()).isFalse();
        Throwable cause = NativeGenerator.unavailabilityCause();

        assertThat(cause).isInstanceOf(UnsupportedOperationException.class);
        assertThat(cause.getMessage())
                .startsWith("no fringe architecture module serves this JVM: os.arch=" + System.getProperty("os.arch"))
                .contains("JNA resource prefix " + Platform.RESOURCE_PREFIX)
                .contains("Modules found by ServiceLoader: none")
                .contains("Java bodies need none of this")
                .doesNotContain(System.getProperty("java.class.path"));
        if (Platform.RESOURCE_PREFIX.equals("linux-x86-64")) {
            assertThat(cause.getMessage()).contains("Add the artifact dev.fringe:fringe-arch-x86_64");
        }
    }

    @Test
    void createAndBinding_throwTheCauseWithTheCallersStackTrace() {
        Throwable cause = NativeGenerator.unavailabilityCause();

        assertThatThrownBy(() -> NativeGenerator.create(64 * 1024, new Pointer(0x1000), null))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage(cause.getMessage()).hasCause(cause);
        assertThatThrownBy(NativeGenerator::binding).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(cause.getMessage());
        assertThat(NativeGenerator.diagnostics()).isEqualTo("native generators unavailable: " + cause.getMessage());
    }

    @Test
    void stacksStillWork_unregisteredWithValgrind() {
        try (OsStack stack = OsStack.allocate(64 * 1024)) {
            assertThat(stack.size()).isEqualTo(64 * 1024);
            assertThat(stack.inUse()).isFalse();
        }
    }
}
