// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractSwitchHarnessTest;
import dev.fringe.arch.testkit.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The switch as only C can see it (the kit's harness with src/test/c/harness_arch.c), compiled
 * with gcc and run natively, sometimes under strace, gdb or valgrind. The scenarios every
 * architecture shares are {@link AbstractSwitchHarnessTest}'s; these are x86_64's expectations.
 */
class SwitchHarnessTest extends AbstractSwitchHarnessTest {

    SwitchHarnessTest() {
        super(new X86_64Arch(), "gcc");
    }

    @Override
    protected String controlBlockLine() {
        // ctl = base - 32 (four 8-byte words); the fresh switch frame (SWITCH_FRAME, 7 words)
        // right below it: ctl->sp = base - 32 - 56.
        return "ctl: at base-32 sp=base-88 transfer=0 status=0 suspend=set";
    }

    @Test
    void calleeSavedRegistersOfBothSidesSurvive() {
        assertPrintsExactly(harness("registers"),
                "round trip 1: value 11 status 0, resumer's rbx rbp r12 r13 r14 r15 intact",
                "round trip 2 (body returned): value 21 status 1, resumer's rbx rbp r12 r13 r14 r15 intact",
                "body's rbx rbp r12 r13 r14 r15 intact across suspend");
    }

    @Test
    void bodyStartsWithTheAbiStackAlignment() {
        // (rsp + 8) % 16 == 0 at entry; rsp is the control block (32 bytes, base aligned down)
        // minus the trampoline's return address.
        assertPrintsExactly(harness("align"),
                "base-0: body entry rsp = base-40, (rsp + 8) % 16 = 0, status 1",
                "base-8: body entry rsp = base-48, (rsp + 8) % 16 = 0, status 1",
                "base-4: body entry rsp = base-52, (rsp + 8) % 16 = 0, status 1",
                "base-15: body entry rsp = base-41, (rsp + 8) % 16 = 0, status 1");
    }

    @Test
    void floatingPointControlStateIsSharedAsDocumented() {
        assertPrintsExactly(harness("fpshared"),
                "body set round-toward-zero: resumer sees toward-zero (MXCSR equals the body's)",
                "body restored round-to-nearest: resumer sees to-nearest (MXCSR back to the original: yes)");
    }

    @ParameterizedTest(name = "generator stack {0} the resumer's")
    @ValueSource(strings = {"above", "below"})
    void gdbBacktraceInsideABodyContinuesIntoTheResumer(String where) {
        assertGdbBacktraceReachesTheResumer(gdbNatively(where), where);
    }

    @Test
    void valgrindSeesNoErrorAndNoUnannouncedStackSwitch() {
        Run run = wrapped(List.of("valgrind", "--error-exitcode=1"), "valgrind");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.output()).as(run::describe)
                .contains("ERROR SUMMARY: 0 errors")
                .doesNotContain("switching stacks")
                .contains("resume(9) after finish = 1012 status=1")
                .contains("body's rbx rbp r12 r13 r14 r15 intact across suspend");
        // The client request really reached Valgrind: it numbers registered stacks from 1
        // (its own main stack is 0), and fringe_stack_register returns 0 natively.
        assertThat(run.output()).as(run::describe).containsPattern("registered stack: [1-9]\\d*\\n");
    }

    @Test
    void valgrindWarnsAboutUnregisteredStacks() {
        // The negative control of the test above: it can only pass because of the registration.
        Run run = wrapped(List.of("valgrind", "--error-exitcode=1"), "valgrind", "unregistered");

        assertThat(run.output()).as(run::describe).contains("Warning: client switching stacks?");
    }
}
