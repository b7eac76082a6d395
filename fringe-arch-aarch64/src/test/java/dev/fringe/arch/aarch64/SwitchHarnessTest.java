package dev.fringe.arch.aarch64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.aarch64.NativeTools.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The aarch64 switch as only C can see it: src/test/c/harness.c, compiled here with the aarch64
 * cross compiler against the library this module just built, run under {@code qemu-aarch64}
 * (whose default CPU implements BTI and pointer authentication, so both are checked for real).
 *
 * <p>What the x86_64 module checks with host tools is done here by the emulator or not at all:
 * system calls are counted by qemu's {@code -strace}; there is no gdb test (Debian's gdb on this
 * host debugs x86 only) and no Valgrind test (Valgrind runs only on the host's architecture);
 * the CFI that gdb would read is the one glibc's {@code backtrace()} follows below.
 */
class SwitchHarnessTest {

    @TempDir
    static Path dir;

    private static Path harness;

    @BeforeAll
    static void compileHarness() {
        Path library = NativeTools.switchLibrary(dir);
        NativeTools.copyResource("META-INF/include/fringe.h", dir);   // from fringe-backend-jna's jar
        // A body and a resumer in an object of their own, built for BTI (see bti_side.c); its
        // call of fringe_resume binds to the library the harness loads.
        Path btiSide = dir.resolve("libbti_side.so");
        NativeTools.cc("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-nostartfiles",
                "-mbranch-protection=standard", "-I", dir, "-o", btiSide, NativeTools.copyResource("c/bti_side.c", dir));
        Path source = NativeTools.copyResource("c/harness.c", dir);
        harness = dir.resolve("harness");
        // -rdynamic: the harness's functions go into the dynamic symbol table, where dladdr()
        // names them for the backtrace and pac tests.
        NativeTools.cc("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-pthread", "-rdynamic",
                "-I", dir, "-o", harness, source, library, btiSide, "-Wl,-rpath," + library.getParent()
                        + ":" + dir, "-lm");
    }

    private static Run harness(String... arguments) {
        return emulated(List.of(), arguments);
    }

    private static Run emulated(List<String> emulatorOptions, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(NativeTools.QEMU);
        command.addAll(emulatorOptions);
        command.add(harness.toString());
        command.addAll(List.of(arguments));
        return NativeTools.run(command, dir);
    }

    @Test
    void valuesFlowInAndOutAndTheReturnValueFinishes() {
        Run run = harness("values");

        // ctl = base - 32 (four 8-byte words); the fresh frame (20 words) right below it.
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "ctl: at base-32 sp=base-192 transfer=0 status=0 suspend=set",
                "body: env=1000 first-input=5 yielder==ctl: yes",
                "resume(5) = 1010 status=0",
                "resume(7) = 1014 status=0",
                "body: returning 1012",
                "resume(0) = 1012 status=1",
                "resume(9) after finish = 1012 status=1");
    }

    @Test
    void hundredGeneratorsInterleaveWithoutMixingUp() {
        long checksum = 0;
        for (long round = 0; round < 50; round++) {
            for (long id = 0; id < 100; id++) {
                checksum += id * 1_000_000 + round * 1000 + (3 * round + id);
            }
        }
        for (long id = 0; id < 100; id++) {
            checksum += id + 7;   // the return values
        }

        Run run = harness("interleave");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe)
                .containsExactly("interleaved 100 generators x 50 round trips: checksum " + checksum);
    }

    @Test
    void calleeSavedRegistersOfBothSidesSurviveIncludingD8ToD15() {
        Run run = harness("registers");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "round trip 1: value 11 status 0, resumer's x19-x29 d8-d15 intact",
                "round trip 2 (body returned): value 21 status 1, resumer's x19-x29 d8-d15 intact",
                "body's x19-x29 d8-d15 intact across suspend");
    }

    @Test
    void bodyStartsWithTheAbiStackAlignment() {
        Run run = harness("align");

        // sp % 16 == 0 at entry: sp = ctl = the base aligned down to 16, minus 32 (a call pushes
        // nothing on aarch64).
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "base-0: body entry sp = base-32, sp % 16 = 0, status 1",
                "base-8: body entry sp = base-40, sp % 16 = 0, status 1",
                "base-4: body entry sp = base-44, sp % 16 = 0, status 1",
                "base-15: body entry sp = base-33, sp % 16 = 0, status 1");
    }

    @Test
    void floatingPointControlStateIsSharedAsDocumented() {
        Run run = harness("fpshared");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "body set round-toward-zero: resumer sees toward-zero (FPCR equals the body's)",
                "body restored round-to-nearest: resumer sees to-nearest (FPCR back to the original: yes)");
    }

    @Test
    void switchingMakesNoSystemCall() {
        long few = syscallsOfSwitchLoop(1_000);
        long many = syscallsOfSwitchLoop(200_000);

        assertThat(few).as("system calls of a run with 1 000 round trips").isPositive();
        assertThat(many).as("system calls with 200 000 round trips vs 1 000 (qemu-aarch64 -strace)").isEqualTo(few);
    }

    private static long syscallsOfSwitchLoop(int roundTrips) {
        Path log = dir.resolve("syscalls-" + roundTrips + ".txt");
        Run run = emulated(List.of("-D", log.toString(), "-strace"), "switchloop", Integer.toString(roundTrips));
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly("switched " + roundTrips + " round trips");
        // qemu's -strace log: one line per system call, "PID name(args) = result".
        Matcher call = Pattern.compile("(?m)^\\d+ [a-z_0-9]+\\(").matcher(read(log));
        long calls = 0;
        while (call.find()) {
            calls++;
        }
        return calls;
    }

    @ParameterizedTest(name = "generator stack {0} the resumer's")
    @ValueSource(strings = {"above", "below"})
    void backtraceInsideABodyContinuesIntoTheResumer(String where) {
        Run run = harness("backtrace", where);

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).contains("generator stack is " + where + " the resumer's stack");
        List<String> frames = run.lines().stream()
                .filter(line -> line.startsWith("frame "))
                .map(line -> line.substring(line.indexOf(": ") + 2))
                .toList();
        // The trampoline has no dynamic symbol, so dladdr() names only its library. The
        // resumer's return address was signed in the switch frame: the unwinder authenticated
        // or stripped it, or bt_resumer would not be found.
        assertThat(frames).as(run::describe).startsWith(
                "bt_body_inner in harness",
                "bt_body in harness",
                "? in libfringe_aarch64.so",
                "bt_resumer in harness",
                "bt_thread_main in harness");
    }

    @Test
    void switchesLandInBtiGuardedCodeWhereAnIndirectBranchWouldFault() {
        Run run = harness("bti");

        // The probes show what is guarded: libfringe_aarch64.so (its property note says BTI) and
        // libbti_side.so, not the harness (built without BTI). Then every switch of a generator
        // lands just after a call inside libbti_side.so, where a `br` would raise SIGILL.
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "cpu has BTI: yes",
                "br to a non-landing-pad in this program: runs",
                "br to a non-landing-pad in libbti_side.so: SIGILL",
                "br to a non-landing-pad in libfringe_aarch64.so: SIGILL",
                "generator in libbti_side.so: resume(3) = 3, resume(4) = 7, resume(0) = 7 status 1");
    }

    @Test
    void returnAddressesInSwitchFramesAreSigned() {
        Run run = harness("pac");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
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

    @Test
    void overflowFaultsInsideTheGuardRegion() {
        Run run = harness("guard", "handler");

        assertThat(run.exitCode()).as("exit code 42 comes from the SIGSEGV handler\n%s", run.describe())
                .isEqualTo(42);
        Matcher guard = Pattern.compile("guard \\[0x(\\p{XDigit}+), 0x(\\p{XDigit}+)\\)").matcher(run.output());
        Matcher fault = Pattern.compile("SIGSEGV at 0x(\\p{XDigit}+)").matcher(run.output());
        assertThat(guard.find() && fault.find()).as(run::describe).isTrue();
        long low = Long.parseUnsignedLong(guard.group(1), 16);
        long high = Long.parseUnsignedLong(guard.group(2), 16);
        long address = Long.parseUnsignedLong(fault.group(1), 16);
        assertThat(high - low).as(run::describe).isEqualTo(64 * 1024);
        assertThat(Long.compareUnsigned(address, low) >= 0 && Long.compareUnsigned(address, high) < 0)
                .as("fault address 0x%x inside the guard [0x%x, 0x%x)\n%s", address, low, high, run.describe())
                .isTrue();
    }

    @Test
    void overflowWithoutAHandlerIsKilledBySigsegv() {
        Run run = harness("guard", "nohandler");

        // qemu-aarch64 passes the guest's fatal signal on by dying of it itself.
        assertThat(run.exitCode()).as("128 + SIGSEGV (11)\n%s", run.describe()).isEqualTo(128 + 11);
        assertThat(run.output()).as(run::describe).startsWith("guard [").doesNotContain("FAIL");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
