package dev.fringe.arch.x86;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.x86.NativeTools.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The i386 switch as only C can see it: src/test/c/harness.c, compiled here with the i386 cross
 * compiler against the library this module just built, drives generators from C.
 *
 * <p>The harness runs natively when the kernel runs i386 programs, and under {@code qemu-i386}
 * when it does not (an x86_64 kernel without IA32 emulation refuses them with "Exec format
 * error"). The tool-based checks follow: system calls are counted by {@code strace} natively and
 * by qemu's {@code -strace} under emulation; gdb debugs the process natively and through qemu's
 * gdb stub under emulation. There is no Valgrind check for i386: Valgrind runs i386 programs only
 * where the kernel does (CI's kernel cannot), and it fails inside qemu-i386 ("the 'impossible'
 * happened", tried); the client requests follow x86_64's, which its harness checks under Valgrind.
 * Every assertion prints the harness's command and output when it fails.
 */
class SwitchHarnessTest {

    @TempDir
    static Path dir;

    private static Path library;
    private static Path harness;
    /** Why the kernel cannot run the harness itself, or {@code null} if it can. */
    private static String notNative;

    @BeforeAll
    static void compileHarness() {
        library = NativeTools.switchLibrary(dir);
        NativeTools.copyResource("META-INF/include/fringe.h", dir);   // from fringe-backend-jna's jar
        Path source = NativeTools.copyResource("c/harness.c", dir);
        harness = dir.resolve("harness");
        // -rdynamic: the harness's functions go into the dynamic symbol table, where dladdr()
        // names them for the backtrace test; -g: gdb shows them with their lines.
        NativeTools.cc("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-pthread", "-rdynamic",
                "-I", dir, "-o", harness, source, library, "-Wl,-rpath," + library.getParent(), "-lm");
        notNative = NativeTools.whyNotNative(harness);
        System.out.println(notNative == null ? "running i386 programs natively"
                : "running i386 programs under " + NativeTools.QEMU + ": the kernel cannot (" + notNative + ")");
    }

    /** The harness with its arguments, under the emulator when the kernel cannot run it. */
    private static List<String> command(List<String> emulatorOptions, String... arguments) {
        List<String> command = new ArrayList<>();
        if (notNative != null) {
            command.add(NativeTools.QEMU);
            command.addAll(emulatorOptions);
        }
        command.add(harness.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static Run harness(String... arguments) {
        return NativeTools.run(command(List.of(), arguments), dir);
    }

    @Test
    void valuesFlowInAndOutAndTheReturnValueFinishes() {
        Run run = harness("values");

        // ctl = base - 16 (four 4-byte words); the fresh frame (5 words) lies below the
        // trampoline's 16-byte argument block: ctl->sp = base - 16 - 16 - 20.
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "ctl: at base-16 sp=base-52 transfer=0 status=0 suspend=set",
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
    void calleeSavedRegistersOfBothSidesSurvive() {
        Run run = harness("registers");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "round trip 1: value 11 status 0, resumer's ebx ebp esi edi intact",
                "round trip 2 (body returned): value 21 status 1, resumer's ebx ebp esi edi intact",
                "body's ebx ebp esi edi intact across suspend");
    }

    @Test
    void bodyStartsWithTheAbiStackAlignment() {
        Run run = harness("align");

        // (esp + 4) % 16 == 0 at entry: esp = ctl - 16 (argument block) - 4 (return address),
        // ctl = the base aligned down to 16, minus 16.
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "base-0: body entry esp = base-36, (esp + 4) % 16 = 0, status 1",
                "base-8: body entry esp = base-44, (esp + 4) % 16 = 0, status 1",
                "base-4: body entry esp = base-48, (esp + 4) % 16 = 0, status 1",
                "base-15: body entry esp = base-37, (esp + 4) % 16 = 0, status 1");
    }

    @Test
    void floatingPointControlStateIsSharedAsDocumented() {
        Run run = harness("fpshared");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "body set round-toward-zero: resumer sees toward-zero (x87 control word equals the body's)",
                "body restored round-to-nearest: resumer sees to-nearest (control word back to the original: yes)");
    }

    @Test
    void switchingMakesNoSystemCall() {
        long few = syscallsOfSwitchLoop(1_000);
        long many = syscallsOfSwitchLoop(200_000);

        assertThat(few).as("system calls of a run with 1 000 round trips").isPositive();
        assertThat(many).as("system calls with 200 000 round trips vs 1 000").isEqualTo(few);
    }

    private static long syscallsOfSwitchLoop(int roundTrips) {
        Path log = dir.resolve("syscalls-" + roundTrips + ".txt");
        String loop = Integer.toString(roundTrips);
        Run run = notNative == null
                ? NativeTools.run(List.of("strace", "-f", "-c", "-o", log.toString(), harness.toString(),
                        "switchloop", loop), dir)
                : NativeTools.run(command(List.of("-D", log.toString(), "-strace"), "switchloop", loop), dir);
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly("switched " + roundTrips + " round trips");
        String table = read(log);
        if (notNative == null) {
            // The last line of strace -c:  "100.00    0.001182    15    76    23 total"
            // (% time, seconds, usecs/call, calls, errors (may be blank), "total").
            Matcher total = Pattern.compile("(?m)^\\s*[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+(\\d+)(?:\\s+\\d+)?\\s+total\\s*$")
                    .matcher(table);
            assertThat(total.find()).as("a total line in strace's summary:\n%s", table).isTrue();
            return Long.parseLong(total.group(1));
        }
        // qemu's -strace log: one line per system call, "PID name(args) = result".
        Matcher call = Pattern.compile("(?m)^\\d+ [a-z_0-9]+\\(").matcher(table);
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
        // The trampoline has no dynamic symbol, so dladdr() names only its library.
        assertThat(frames).as(run::describe).startsWith(
                "bt_body_inner in harness",
                "bt_body in harness",
                "? in libfringe_x86.so",
                "bt_resumer in harness",
                "bt_thread_main in harness");
    }

    @ParameterizedTest(name = "generator stack {0} the resumer's")
    @ValueSource(strings = {"above", "below"})
    void gdbBacktraceInsideABodyContinuesIntoTheResumer(String where) throws Exception {
        Run run = notNative == null ? gdbNatively(where) : gdbThroughQemu(where);

        List<String> functions = new ArrayList<>();
        Matcher frame = Pattern.compile("(?m)^#\\d+\\s+(?:0x[0-9a-f]+ in )?(\\S+)").matcher(run.output());
        while (frame.find()) {
            functions.add(frame.group(1));
        }
        assertThat(functions).as(run::describe).containsSubsequence(
                "gdb_break_here", "bt_body_inner", "bt_body", "bt_resumer", "bt_thread_main");
        assertThat(run.output()).as(run::describe)
                .doesNotContain("corrupt stack")
                .doesNotContain("Backtrace stopped")
                .contains("generator stack is " + where + " the resumer's stack")
                .containsPattern("\\[Inferior 1 \\(process \\d+\\) exited normally\\]");
    }

    private static Run gdbNatively(String where) {
        return NativeTools.run(List.of("gdb", "-nx", "-batch",
                "-iex", "set debuginfod enabled off",
                "-ex", "set pagination off",
                "-ex", "break gdb_break_here",
                "-ex", "run",
                "-ex", "bt",
                "-ex", "continue",
                "--args", harness.toString(), "gdb", where), dir);
    }

    /**
     * gdb attached to qemu-i386's gdb stub. The stub does not report shared libraries, so once
     * stopped, gdb is handed libfringe_x86.so at the address the harness found with dladdr().
     * Returns gdb's output followed by the harness's.
     */
    private static Run gdbThroughQemu(String where) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path qemuOutput = dir.resolve("qemu-gdb-" + where + ".out");
        Process qemu = new ProcessBuilder(NativeTools.QEMU, "-g", Integer.toString(port), harness.toString(), "gdb", where)
                .directory(dir.toFile())
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
                    "-ex", "add-symbol-file " + library + " -o fringe_lib_base",
                    "-ex", "bt",
                    "-ex", "continue",
                    harness.toString()), dir);
            assertThat(qemu.waitFor(60, TimeUnit.SECONDS)).as("qemu exits after gdb\n%s", gdb.describe()).isTrue();
            return new Run(gdb.command(), gdb.exitCode(),
                    gdb.output() + Files.readString(qemuOutput, StandardCharsets.UTF_8));
        } finally {
            qemu.destroyForcibly();
        }
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
        assertThat(address >= low && address < high)
                .as("fault address 0x%x inside the guard [0x%x, 0x%x)\n%s", address, low, high, run.describe())
                .isTrue();
    }

    @Test
    void overflowWithoutAHandlerIsKilledBySigsegv() {
        Run run = harness("guard", "nohandler");

        // qemu-i386 passes the guest's fatal signal on by dying of it itself.
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
