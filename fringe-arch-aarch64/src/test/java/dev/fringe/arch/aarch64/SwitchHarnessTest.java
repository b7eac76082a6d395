// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.aarch64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractSwitchHarnessTest;
import dev.fringe.arch.testkit.NativeTools;
import dev.fringe.arch.testkit.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The aarch64 switch as only C can see it: the kit's harness with src/test/c/harness_arch.c,
 * compiled with the aarch64 cross compiler against the library this module just built, run under
 * {@code qemu-aarch64} (whose default CPU implements BTI and pointer authentication, so both are
 * checked for real). The scenarios every architecture shares are
 * {@link AbstractSwitchHarnessTest}'s; these are aarch64's expectations and its own scenarios.
 *
 * <p>What the x86_64 module checks with host tools is done here by the emulator or not at all:
 * system calls are counted by qemu's {@code -strace}; there is no gdb test (Debian's gdb on this
 * host debugs x86 only) and no Valgrind test (Valgrind runs only on the host's architecture);
 * the CFI that gdb would read is the one glibc's {@code backtrace()} follows.
 */
class SwitchHarnessTest extends AbstractSwitchHarnessTest {

    /** The C compiler for aarch64: the POM passes its {@code fringe.arch.cc}. */
    private static final String CC = System.getProperty("fringe.arch.cc", "aarch64-linux-gnu-gcc");
    /** The user-mode emulator that runs the aarch64 programs (dynamic ones: libc6:arm64 is installed). */
    private static final String QEMU = System.getProperty("fringe.arch.qemu", "qemu-aarch64");

    SwitchHarnessTest() {
        super(new Aarch64Arch(), CC);
    }

    @Override
    protected List<Path> extraObjects(Path dir) {
        // A body and a resumer in an object of their own, built for BTI (see bti_side.c); its
        // call of fringe_resume binds to the library the harness loads.
        Path btiSide = dir.resolve("libbti_side.so");
        NativeTools.cc(CC, "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-nostartfiles",
                "-mbranch-protection=standard", "-I", dir, "-o", btiSide, NativeTools.copyResource("c/bti_side.c", dir));
        return List.of(btiSide);
    }

    @Override
    protected List<String> emulator() {
        return List.of(QEMU);
    }

    /**
     * {@inheritDoc} Here: no. AArch64's {@code -fstack-clash-protection} allocates a large frame
     * 64 KiB at a time and probes 1 KiB above the new stack pointer, so when the probe meets the
     * guard the stack pointer may already lie below it: no longer inside the stack, so fringe does
     * not call it an overflow (docs/native-overflow.md), and the process dies by SIGSEGV, having
     * written nothing below the guard.
     */
    @Override
    protected boolean recoversAProbedFrameLargerThanTheGuard() {
        return false;
    }

    @Override
    protected String controlBlockLine() {
        // ctl = base - 32 (four 8-byte words); the fresh frame (20 words) right below it.
        return "ctl: at base-32 sp=base-192 transfer=0 status=0 suspend=set";
    }

    @Test
    void calleeSavedRegistersOfBothSidesSurviveIncludingD8ToD15() {
        assertPrintsExactly(harness("registers"),
                "round trip 1: value 11 status 0, resumer's x19-x29 d8-d15 intact",
                "round trip 2 (body returned): value 21 status 1, resumer's x19-x29 d8-d15 intact",
                "body's x19-x29 d8-d15 intact across suspend");
    }

    @Test
    void bodyStartsWithTheAbiStackAlignment() {
        // sp % 16 == 0 at entry: sp = ctl = the base aligned down to 16, minus 32 (a call pushes
        // nothing on aarch64).
        assertPrintsExactly(harness("align"),
                "base-0: body entry sp = base-32, sp % 16 = 0, status 1",
                "base-8: body entry sp = base-40, sp % 16 = 0, status 1",
                "base-4: body entry sp = base-44, sp % 16 = 0, status 1",
                "base-15: body entry sp = base-33, sp % 16 = 0, status 1");
    }

    @Test
    void floatingPointControlStateIsSharedAsDocumented() {
        assertPrintsExactly(harness("fpshared"),
                "body set round-toward-zero: resumer sees toward-zero (FPCR equals the body's)",
                "body restored round-to-nearest: resumer sees to-nearest (FPCR back to the original: yes)");
    }

    @Test
    void switchesLandInBtiGuardedCodeWhereAnIndirectBranchWouldFault() {
        // The probes show what is guarded: libfringe_aarch64.so (its property note says BTI) and
        // libbti_side.so, not the harness (built without BTI). Then every switch of a generator
        // lands just after a call inside libbti_side.so, where a `br` would raise SIGILL.
        assertPrintsExactly(harness("bti"),
                "cpu has BTI: yes",
                "br to a non-landing-pad in this program: runs",
                "br to a non-landing-pad in libbti_side.so: SIGILL",
                "br to a non-landing-pad in libfringe_aarch64.so: SIGILL",
                "generator in libbti_side.so: resume(3) = 3, resume(4) = 7, resume(0) = 7 status 1");
    }

    @Test
    void returnAddressesInSwitchFramesAreSigned() {
        assertPrintsExactly(harness("pac"),
                "cpu has PAuth: yes",
                "fresh frame's return address: signed, points into ? in libfringe_aarch64.so",
                "suspended body's return address: signed, points into pac_body in harness",
                "resume(1) = 2, resume(5) = 6 status 1");
    }

    @Test
    void aForgedReturnAddressKillsTheProcessInsteadOfRunning() {
        // The suspended body's saved x30, replaced by the same address without its signature:
        // AUTIASP rejects it and the `ret` faults (SIGSEGV; SIGILL on CPUs with FEAT_FPAC).
        Run run = harness("pac-forged");

        assertThat(run.exitCode()).as("128 + SIGSEGV (11) or SIGILL (4)\n%s", run.describe()).isIn(128 + 11, 128 + 4);
        assertThat(run.output()).as(run::describe)
                .startsWith("resuming with a forged return address")
                .doesNotContain("accepted");
    }
}
