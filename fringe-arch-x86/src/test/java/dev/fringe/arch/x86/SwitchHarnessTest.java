// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractSwitchHarnessTest;
import dev.fringe.arch.testkit.NativeTools;
import dev.fringe.arch.testkit.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The i386 switch as only C can see it: the kit's harness with src/test/c/harness_arch.c,
 * compiled with the i386 cross compiler against the library this module just built. The
 * scenarios every architecture shares are {@link AbstractSwitchHarnessTest}'s; these are i386's
 * expectations.
 *
 * <p>The harness runs natively when the kernel runs i386 programs, and under {@code qemu-i386}
 * when it does not (an x86_64 kernel without IA32 emulation refuses them with "Exec format
 * error"). The tool-based checks follow: system calls are counted by {@code strace} natively and
 * by qemu's {@code -strace} under emulation; gdb debugs the process natively and through qemu's
 * gdb stub under emulation. There is no Valgrind check for i386: Valgrind runs i386 programs only
 * where the kernel does (CI's kernel cannot), and it fails inside qemu-i386 ("the 'impossible'
 * happened", tried); the client requests follow x86_64's, which its harness checks under Valgrind.
 */
class SwitchHarnessTest extends AbstractSwitchHarnessTest {

    /** The C compiler for i386: the POM passes its {@code fringe.arch.cc}. */
    private static final String CC = System.getProperty("fringe.arch.cc", "i686-linux-gnu-gcc");
    /** The user-mode emulator used when the kernel cannot run i386 binaries itself. */
    private static final String QEMU = System.getProperty("fringe.arch.qemu", "qemu-i386");

    /** Why the kernel cannot run the harness itself, or {@code null} if it can. */
    private String notNative;

    SwitchHarnessTest() {
        super(new X86Arch(), CC);
    }

    @BeforeAll
    void findOutWhetherTheKernelRunsI386Programs() {
        notNative = whyNotNative(harnessProgram());
        System.out.println(notNative == null ? "running i386 programs natively"
                : "running i386 programs under " + QEMU + ": the kernel cannot (" + notNative + ")");
    }

    /**
     * Says whether this kernel runs i386 programs itself: some x86_64 kernels are built or booted
     * without IA32 emulation (or run under a hypervisor that disables it), and then exec fails
     * with ENOEXEC ("Exec format error"). Java hides that failure (like execvp, it then hands the
     * file to /bin/sh as a script), so the probe lets the shell exec the harness and looks for
     * the harness's usage message.
     *
     * @param harness the harness, which prints its usage and exits 2 when given no arguments
     * @return {@code null} if it ran natively, else what happened instead
     */
    private static String whyNotNative(Path harness) {
        // A binfmt_misc entry hands i386 programs to qemu: exec works, but nothing runs natively
        // (the setup script registers one where the kernel refuses i386 itself).
        Path binfmt = Path.of("/proc/sys/fs/binfmt_misc/qemu-i386");
        try {
            if (Files.exists(binfmt) && Files.readString(binfmt).startsWith("enabled")) {
                return "binfmt_misc runs i386 programs through qemu-i386";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Through the shell's exec, which reports the kernel's refusal in words.
        Run run = NativeTools.run(List.of("/bin/sh", "-c", "exec \"$0\"", harness.toString()));
        if (run.exitCode() == 2 && run.output().contains("usage: ")) {
            return null;
        }
        return run.lines().isEmpty() ? "exit code " + run.exitCode() : run.lines().get(0).strip();
    }

    @Override
    protected List<String> emulator() {
        return notNative == null ? List.of() : List.of(QEMU);
    }

    @Override
    protected String controlBlockLine() {
        // ctl = base - 16 (four 4-byte words); the fresh frame (5 words) lies below the
        // trampoline's 16-byte argument block: ctl->sp = base - 16 - 16 - 20.
        return "ctl: at base-16 sp=base-52 transfer=0 status=0 suspend=set";
    }

    @Test
    void calleeSavedRegistersOfBothSidesSurvive() {
        assertPrintsExactly(harness("registers"),
                "round trip 1: value 11 status 0, resumer's ebx ebp esi edi intact",
                "round trip 2 (body returned): value 21 status 1, resumer's ebx ebp esi edi intact",
                "body's ebx ebp esi edi intact across suspend");
    }

    @Test
    void bodyStartsWithTheAbiStackAlignment() {
        // (esp + 4) % 16 == 0 at entry: esp = ctl - 16 (argument block) - 4 (return address),
        // ctl = the base aligned down to 16, minus 16.
        assertPrintsExactly(harness("align"),
                "base-0: body entry esp = base-36, (esp + 4) % 16 = 0, status 1",
                "base-8: body entry esp = base-44, (esp + 4) % 16 = 0, status 1",
                "base-4: body entry esp = base-48, (esp + 4) % 16 = 0, status 1",
                "base-15: body entry esp = base-37, (esp + 4) % 16 = 0, status 1");
    }

    @Test
    void floatingPointControlStateIsSharedAsDocumented() {
        assertPrintsExactly(harness("fpshared"),
                "body set round-toward-zero: resumer sees toward-zero (x87 control word equals the body's)",
                "body restored round-to-nearest: resumer sees to-nearest (control word back to the original: yes)");
    }

    @ParameterizedTest(name = "generator stack {0} the resumer's")
    @ValueSource(strings = {"above", "below"})
    void gdbBacktraceInsideABodyContinuesIntoTheResumer(String where) throws Exception {
        assertGdbBacktraceReachesTheResumer(notNative == null ? gdbNatively(where) : gdbThroughQemu(where), where);
    }

    /**
     * gdb attached to qemu-i386's gdb stub. The stub does not report shared libraries, so once
     * stopped, gdb is handed libfringe_x86.so at the address the harness found with dladdr().
     * Returns gdb's output followed by the harness's.
     */
    private Run gdbThroughQemu(String where) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path qemuOutput = dir().resolve("qemu-gdb-" + where + ".out");
        Process qemu = new ProcessBuilder(QEMU, "-g", Integer.toString(port), harnessProgram().toString(), "gdb", where)
                .directory(dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(qemuOutput.toFile())
                .start();
        try {
            Run gdb = NativeTools.run(List.of("gdb", "-nx", "-batch",
                    "-iex", "set debuginfod enabled off",
                    "-ex", "set pagination off",
                    "-ex", "set sysroot /",
                    "-ex", "set tcp connect-timeout 30",
                    "-ex", "target remote localhost:" + port,
                    "-ex", "break gdb_break_here",
                    "-ex", "continue",
                    "-ex", "add-symbol-file " + library() + " -o fringe_lib_base",
                    "-ex", "bt",
                    "-ex", "continue",
                    harnessProgram().toString()), dir());
            assertThat(qemu.waitFor(60, TimeUnit.SECONDS)).as("qemu exits after gdb\n%s", gdb.describe()).isTrue();
            return new Run(gdb.command(), gdb.exitCode(), gdb.output() + NativeTools.read(qemuOutput));
        } finally {
            qemu.destroyForcibly();
        }
    }
}
