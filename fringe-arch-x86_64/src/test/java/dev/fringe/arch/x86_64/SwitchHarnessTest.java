package dev.fringe.arch.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.x86_64.NativeTools.Run;
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
 * The switch as only C can see it: src/test/c/harness.c, compiled here against the library
 * this module just built, drives generators from C, sometimes under strace, gdb or valgrind.
 * Every assertion prints the harness's command and output when it fails.
 */
class SwitchHarnessTest {

    @TempDir
    static Path dir;

    private static Path harness;

    @BeforeAll
    static void compileHarness() {
        Path library = NativeTools.switchLibrary(dir);
        NativeTools.copyResource("META-INF/include/fringe.h", dir);   // from fringe-backend-jna's jar
        Path source = NativeTools.copyResource("c/harness.c", dir);
        harness = dir.resolve("harness");
        // -rdynamic: the harness's functions go into the dynamic symbol table, where dladdr()
        // names them for the backtrace test; -g: gdb shows them with their lines.
        NativeTools.gcc("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-pthread", "-rdynamic",
                "-I", dir, "-o", harness, source, library, "-Wl,-rpath," + library.getParent(), "-lm");
    }

    private static Run harness(String... arguments) {
        return wrapped(List.of(), arguments);
    }

    private static Run wrapped(List<String> tool, String... arguments) {
        List<String> command = new ArrayList<>(tool);
        command.add(harness.toString());
        command.addAll(List.of(arguments));
        return NativeTools.run(command);
    }

    @Test
    void valuesFlowInAndOutAndTheReturnValueFinishes() {
        Run run = harness("values");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "ctl: at base-32 sp=base-88 transfer=0 status=0 suspend=set",
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
                "round trip 1: value 11 status 0, resumer's rbx rbp r12 r13 r14 r15 intact",
                "round trip 2 (body returned): value 21 status 1, resumer's rbx rbp r12 r13 r14 r15 intact",
                "body's rbx rbp r12 r13 r14 r15 intact across suspend");
    }

    @Test
    void bodyStartsWithTheAbiStackAlignment() {
        Run run = harness("align");

        // (rsp + 8) % 16 == 0 at entry; rsp is the control block (32 bytes, base aligned down)
        // minus the trampoline's return address.
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "base-0: body entry rsp = base-40, (rsp + 8) % 16 = 0, status 1",
                "base-8: body entry rsp = base-48, (rsp + 8) % 16 = 0, status 1",
                "base-4: body entry rsp = base-52, (rsp + 8) % 16 = 0, status 1",
                "base-15: body entry rsp = base-41, (rsp + 8) % 16 = 0, status 1");
    }

    @Test
    void floatingPointControlStateIsSharedAsDocumented() {
        Run run = harness("fpshared");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "body set round-toward-zero: resumer sees toward-zero (MXCSR equals the body's)",
                "body restored round-to-nearest: resumer sees to-nearest (MXCSR back to the original: yes)");
    }

    @Test
    void switchingMakesNoSystemCall() {
        long few = syscallsOfSwitchLoop(1_000);
        long many = syscallsOfSwitchLoop(200_000);

        assertThat(few).as("system calls of a run with 1 000 round trips").isPositive();
        assertThat(many).as("system calls with 200 000 round trips vs 1 000 (strace -c -f)").isEqualTo(few);
    }

    private static long syscallsOfSwitchLoop(int roundTrips) {
        Path summary = dir.resolve("strace-" + roundTrips + ".txt");
        Run run = wrapped(List.of("strace", "-f", "-c", "-o", summary.toString()),
                "switchloop", Integer.toString(roundTrips));
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly("switched " + roundTrips + " round trips");
        // The last line of strace -c:  "100.00    0.001182    15    76    23 total"
        // (% time, seconds, usecs/call, calls, errors (may be blank), "total").
        String table = read(summary);
        Matcher total = Pattern.compile("(?m)^\\s*[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+(\\d+)(?:\\s+\\d+)?\\s+total\\s*$")
                .matcher(table);
        assertThat(total.find()).as("a total line in strace's summary:\n%s", table).isTrue();
        return Long.parseLong(total.group(1));
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
                "? in libfringe_x86_64.so",
                "bt_resumer in harness",
                "bt_thread_main in harness");
    }

    @ParameterizedTest(name = "generator stack {0} the resumer's")
    @ValueSource(strings = {"above", "below"})
    void gdbBacktraceInsideABodyContinuesIntoTheResumer(String where) {
        Run run = NativeTools.run(List.of("gdb", "-nx", "-batch",
                "-iex", "set debuginfod enabled off",
                "-ex", "set pagination off",
                "-ex", "break gdb_break_here",
                "-ex", "run",
                "-ex", "bt",
                "-ex", "continue",
                "--args", harness.toString(), "gdb", where));

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
