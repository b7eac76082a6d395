// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fringe.jna.spi.ArchSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The switch as only C can see it, for every architecture whose programs this machine can run
 * (natively or under qemu-user): the kit's {@code harness.c} with the module's
 * {@code src/test/c/harness_arch.c}, compiled with the architecture's C compiler against the
 * library the module just built, drives generators from C. Every assertion prints the harness's
 * command and output when it fails.
 *
 * <p>This class holds the scenarios whose expectations are the same on every architecture
 * (values, interleaving, system calls, backtraces, guard pages), and, for an architecture whose
 * library recovers stack overflows ({@link ArchSupport#recoversOverflow()}), the kit's
 * {@code guard_harness.c}: overflows, faults inside the switch, previous signal handlers of
 * every kind, thread exits (docs/native-overflow.md). A module's
 * {@code SwitchHarnessTest} extends it, says how to compile and run ({@link #emulator()},
 * {@link #extraObjects(Path)}), states what depends on its architecture
 * ({@link #controlBlockLine()}) and adds the tests whose expectations are its own (registers,
 * alignment, FP control state, and whatever only it has), with {@link #harness(String...)} and
 * {@link #assertPrintsExactly(Run, String...)}.
 *
 * <p>One instance runs all of a class's tests ({@link TestInstance.Lifecycle#PER_CLASS}), so that
 * the harness is compiled once, by an instance that knows its architecture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractSwitchHarnessTest {

    private final ArchSupport arch;
    private final String compiler;
    private Path dir;
    private Path library;
    private Path harness;
    private Path guardHarness;

    /**
     * Sets up the harness tests of one architecture.
     *
     * @param arch     the module's provider: where its library is
     * @param compiler the architecture's C compiler, e.g. {@code "gcc"}
     */
    protected AbstractSwitchHarnessTest(ArchSupport arch, String compiler) {
        this.arch = arch;
        this.compiler = compiler;
    }

    /**
     * Compiles the harness into a temporary directory: the kit's harness.c and harness.h, the
     * module's harness_arch.c, fringe.h from fringe-backend-jna's jar, the module's library and
     * any {@link #extraObjects(Path)}.
     *
     * @param dir the class's temporary directory
     */
    @BeforeAll
    protected void compileHarness(@TempDir Path dir) {
        this.dir = dir;
        library = NativeTools.classPathFile(arch.resourcePath(), dir);
        NativeTools.copyResource("META-INF/include/fringe.h", dir);
        NativeTools.copyKitSource("harness.h", dir);
        Path common = NativeTools.copyKitSource("harness.c", dir);
        Path archPart = NativeTools.copyResource("c/harness_arch.c", dir);
        harness = dir.resolve("harness");
        // -rdynamic: the harness's functions go into the dynamic symbol table, where dladdr()
        // names them for the backtrace test; -g: gdb shows them with their lines. The rpath
        // finds the library where it is, and extra objects in dir.
        List<Object> arguments = new ArrayList<>(List.of("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
                "-pthread", "-rdynamic", "-I", dir, "-o", harness, common, archPart, library));
        arguments.addAll(extraObjects(dir));
        arguments.add("-Wl,-rpath," + library.getParent() + ":" + dir);
        arguments.add("-lm");
        NativeTools.cc(compiler, arguments.toArray());
        if (arch.recoversOverflow()) {
            guardHarness = compileGuardHarness(archPart);
        }
    }

    /**
     * Compiles the overflow harness: the kit's guard_harness.c with the module's harness_arch.c
     * (its register probes), and guard_largeframe.c twice, with and without
     * {@code -fstack-clash-protection}.
     */
    private Path compileGuardHarness(Path archPart) {
        Path source = NativeTools.copyKitSource("guard_harness.c", dir);
        Path frame = NativeTools.copyKitSource("guard_largeframe.c", dir);
        List<Object> objects = new ArrayList<>();
        for (String build : List.of("probed", "unprobed")) {
            Path object = dir.resolve("large_frame_" + build + ".o");
            NativeTools.cc(compiler, "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-I", dir,
                    build.equals("probed") ? "-fstack-clash-protection" : "-fno-stack-clash-protection",
                    "-DLARGE_FRAME_BODY=large_frame_" + build, "-c", "-o", object, frame);
            objects.add(object);
        }
        Path program = dir.resolve("guard_harness");
        List<Object> arguments = new ArrayList<>(List.of("-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
                "-pthread", "-rdynamic", "-I", dir, "-o", program, source, archPart));
        arguments.addAll(objects);
        arguments.add(library);
        arguments.addAll(extraObjects(dir));
        arguments.add("-Wl,-rpath," + library.getParent() + ":" + dir);
        arguments.add("-lm");
        NativeTools.cc(compiler, arguments.toArray());
        return program;
    }

    /**
     * Builds what else the harness links with (into {@code dir}, which is on its rpath); none by
     * default.
     *
     * @param dir the temporary directory, where fringe.h and the sources are
     * @return the objects or libraries to link
     */
    protected List<Path> extraObjects(Path dir) {
        return List.of();
    }

    /**
     * Returns the user-mode emulator that runs the harness, with its options, or nothing when
     * this machine runs it natively (the default). Called for every run, after
     * {@link #compileHarness}.
     *
     * @return e.g. {@code List.of("qemu-aarch64")}
     */
    protected List<String> emulator() {
        return List.of();
    }

    /**
     * Returns the first line of the {@code values} subcommand: where {@code fringe_init} put the
     * control block and the fresh frame's saved stack pointer, relative to the stack's base.
     *
     * @return e.g. {@code "ctl: at base-32 sp=base-88 transfer=0 status=0 suspend=set"}
     */
    protected abstract String controlBlockLine();

    /**
     * Returns the temporary directory the harness was compiled in.
     *
     * @return the directory
     */
    protected Path dir() {
        return dir;
    }

    /**
     * Returns the module's switch library, as the harness loads it.
     *
     * @return the library file
     */
    protected Path library() {
        return library;
    }

    /**
     * Returns the compiled harness.
     *
     * @return the program
     */
    protected Path harnessProgram() {
        return harness;
    }

    /**
     * Runs the harness (under the {@link #emulator()} if there is one) in the temporary directory.
     *
     * @param arguments the subcommand and its arguments
     * @return what it did
     */
    protected Run harness(String... arguments) {
        return emulated(List.of(), arguments);
    }

    /**
     * Runs the harness like {@link #harness(String...)}, with options for the emulator (left out
     * when there is none).
     *
     * @param emulatorOptions e.g. qemu's {@code -strace}
     * @param arguments       the subcommand and its arguments
     * @return what it did
     */
    protected Run emulated(List<String> emulatorOptions, String... arguments) {
        return emulated(harness, emulatorOptions, arguments);
    }

    private Run emulated(Path program, List<String> emulatorOptions, String... arguments) {
        List<String> command = new ArrayList<>(emulator());
        if (!command.isEmpty()) {
            command.addAll(emulatorOptions);
        }
        command.add(program.toString());
        command.addAll(List.of(arguments));
        return NativeTools.run(command, dir);
    }

    /**
     * Runs the overflow harness (guard_harness.c) like {@link #harness(String...)}; only where
     * the library recovers overflows.
     *
     * @param arguments the subcommand and its arguments
     * @return what it did
     */
    protected Run guardHarness(String... arguments) {
        assumeTrue(arch.recoversOverflow(), () -> arch.artifactId() + " recovers no stack overflow (it has no JVM)");
        return emulated(guardHarness, List.of(), arguments);
    }

    /**
     * Says whether a body whose frame is larger than the guard, built with
     * {@code -fstack-clash-protection}, has its overflow recovered on this architecture: the
     * compiler's probes then touch the guard first, but only with the stack pointer inside the
     * stack does fringe recognise an overflow. Yes where the probes go page by page with the
     * stack pointer (x86); architectures whose probes run ahead of it say no.
     *
     * @return {@code true} by default
     */
    protected boolean recoversAProbedFrameLargerThanTheGuard() {
        return true;
    }

    /**
     * Runs the harness natively under a tool such as strace or valgrind.
     *
     * @param tool      the tool and its options
     * @param arguments the subcommand and its arguments
     * @return what it did
     */
    protected Run wrapped(List<String> tool, String... arguments) {
        List<String> command = new ArrayList<>(tool);
        command.add(harness.toString());
        command.addAll(List.of(arguments));
        return NativeTools.run(command, dir);
    }

    /**
     * Asserts that a run succeeded and printed exactly {@code lines}.
     *
     * @param run   the run
     * @param lines its expected output
     */
    protected static void assertPrintsExactly(Run run, String... lines) {
        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(lines);
    }

    /** First input, values both ways, the return value, and resuming after the end. */
    @Test
    protected void valuesFlowInAndOutAndTheReturnValueFinishes() {
        assertPrintsExactly(harness("values"),
                controlBlockLine(),
                "body: env=1000 first-input=5 yielder==ctl: yes",
                "resume(5) = 1010 status=0",
                "resume(7) = 1014 status=0",
                "body: returning 1012",
                "resume(0) = 1012 status=1",
                "resume(9) after finish = 1012 status=1");
    }

    /** 100 generators on their own stacks, resumed round-robin. */
    @Test
    protected void hundredGeneratorsInterleaveWithoutMixingUp() {
        long checksum = 0;
        for (long round = 0; round < 50; round++) {
            for (long id = 0; id < 100; id++) {
                checksum += id * 1_000_000 + round * 1000 + (3 * round + id);
            }
        }
        for (long id = 0; id < 100; id++) {
            checksum += id + 7;   // the return values
        }

        assertPrintsExactly(harness("interleave"), "interleaved 100 generators x 50 round trips: checksum " + checksum);
    }

    /** A switch is a few instructions: 200 times as many switches make no more system calls. */
    @Test
    protected void switchingMakesNoSystemCall() {
        long few = syscallsOfSwitchLoop(1_000);
        long many = syscallsOfSwitchLoop(200_000);

        assertThat(few).as("system calls of a run with 1 000 round trips").isPositive();
        assertThat(many).as("system calls with 200 000 round trips vs 1 000 (%s)",
                emulator().isEmpty() ? "strace -c -f" : "qemu -strace").isEqualTo(few);
    }

    private long syscallsOfSwitchLoop(int roundTrips) {
        Path log = dir.resolve("syscalls-" + roundTrips + ".txt");
        String loop = Integer.toString(roundTrips);
        boolean onHost = emulator().isEmpty();
        Run run = onHost ? wrapped(List.of("strace", "-f", "-c", "-o", log.toString()), "switchloop", loop)
                : emulated(List.of("-D", log.toString(), "-strace"), "switchloop", loop);
        assertPrintsExactly(run, "switched " + roundTrips + " round trips");
        String table = NativeTools.read(log);
        if (onHost) {
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

    /**
     * glibc's {@code backtrace()} inside a body follows the trampoline's CFI into the resumer's
     * frames, whether the generator's stack lies above or below the resumer's.
     *
     * @param where {@code above} or {@code below}
     */
    @ParameterizedTest(name = "generator stack {0} the resumer's")
    @ValueSource(strings = {"above", "below"})
    protected void backtraceInsideABodyContinuesIntoTheResumer(String where) {
        Run run = harness("backtrace", where);

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).contains("generator stack is " + where + " the resumer's stack");
        List<String> frames = run.lines().stream()
                .filter(line -> line.startsWith("frame "))
                .map(line -> line.substring(line.indexOf(": ") + 2))
                .toList();
        // The trampoline has no dynamic symbol, so dladdr() names only its library. (On aarch64
        // the resumer's return address was signed in the switch frame: the unwinder
        // authenticated or stripped it, or bt_resumer would not be found.)
        assertThat(frames).as(run::describe).startsWith(
                "bt_body_inner in harness",
                "bt_body in harness",
                "? in " + library.getFileName(),
                "bt_resumer in harness",
                "bt_thread_main in harness");
    }

    /**
     * Runs the harness's {@code gdb} subcommand under this machine's gdb: a breakpoint in a body,
     * a backtrace there, then on to the end.
     *
     * @param where {@code above} or {@code below}
     * @return gdb's run, with the harness's output in it
     */
    protected Run gdbNatively(String where) {
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
     * Asserts that gdb's backtrace from inside a body continued through the trampoline into the
     * resumer's frames, without complaining, and that the harness then finished normally.
     *
     * @param run   gdb's run ({@link #gdbNatively(String)} or through an emulator's gdb stub)
     * @param where {@code above} or {@code below}
     */
    protected static void assertGdbBacktraceReachesTheResumer(Run run, String where) {
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

    /** A body that recurses forever faults inside the 64 KiB guard below its stack. */
    @Test
    protected void overflowFaultsInsideTheGuardRegion() {
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

    /** Without a handler, the overflow kills the process with SIGSEGV, and nothing else happens. */
    @Test
    protected void overflowWithoutAHandlerIsKilledBySigsegv() {
        Run run = harness("guard", "nohandler");

        // Under qemu-user, qemu passes the guest's fatal signal on by dying of it itself.
        assertThat(run.exitCode()).as("128 + SIGSEGV (11)\n%s", run.describe()).isEqualTo(128 + 11);
        assertThat(run.output()).as(run::describe).startsWith("guard [").doesNotContain("FAIL");
    }

    // ------------------------------------------------------------------------------------------
    // Overflow recovery (guard_harness.c; docs/native-overflow.md)
    // ------------------------------------------------------------------------------------------

    /** The lines of a run, without the emulator's own (qemu reports the signal that killed it). */
    private static List<String> ownLines(Run run) {
        return run.lines().stream().filter(line -> !line.startsWith("qemu: ")).toList();
    }

    /**
     * 200 overflows in a row, every other on a fresh stack, the others on one stack used again
     * and again: each resume returns 0 with status 2, and the resumer's callee-saved registers
     * (loaded with a pattern before the resume) are intact, as after a suspend.
     */
    @Test
    protected void overflows_200InARow_returnToTheResumerWithItsRegistersIntact() {
        Run run = guardHarness("recover", "200");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).hasSize(2);
        assertThat(run.lines().get(0)).as(run::describe)
                .startsWith("200 overflows recovered (handler count 200), resumer's ").endsWith(" intact after each");
        assertThat(run.lines().get(1)).isEqualTo("registered guards left: 0");
    }

    /**
     * A body calls {@code suspend}, or {@code fringe_resume} of a generator nested in it, with
     * its stack pointer at every word from 64 bytes below its limit to 256 above: the call
     * either goes through or is a recovered overflow, from some position on always goes
     * through, and the nested generator is never harmed. The faults land on the call's own push
     * and inside the switch's saving of registers (the harness checks every case).
     */
    @Test
    protected void overflowAtEveryWordOfACallIntoTheSwitch_isAnOrdinarySwitchOrARecoveredOverflow() {
        Run run = guardHarness("everywhere");

        assertThat(run.exitCode()).as(run::describe).isZero();
        Pattern sweep = Pattern.compile("(suspend|resume of a nested generator) with sp from limit-64 to limit\\+256: "
                + "(\\d+) calls, (\\d+) overflows, first call that fits at limit\\+(\\d+)");
        assertThat(run.lines()).as(run::describe).hasSize(2).allMatch(line -> sweep.matcher(line).matches());
        for (String line : run.lines()) {
            Matcher m = sweep.matcher(line);
            assertThat(m.matches()).isTrue();
            int calls = Integer.parseInt(m.group(2));
            int overflows = Integer.parseInt(m.group(3));
            assertThat(overflows).as(run::describe).isPositive().isLessThan(calls);
        }
    }

    /** A body resumes a generator nested in it, which overflows; then the outer body overflows. */
    @Test
    protected void nestedGenerators_theInnerOverflowReturnsToTheOuterBody_thenTheOuterOverflows() {
        assertPrintsExactly(guardHarness("nested"),
                "outer suspended 11002 (inner: first value 11, then 0 with status 2)",
                "outer resumed again: 0 status 2");
    }

    /**
     * Four threads overflow 100 times each while another registers and deregisters guards (the
     * registry's index is rebuilt under the handlers' reads) and another takes faults that the
     * previous handler answers.
     */
    @Test
    protected void threadsOverflowAtOnce_whileTheRegistryChangesAndOtherFaultsAreForwarded() {
        assertPrintsExactly(guardHarness("threads", "4", "100"),
                "4 threads x 100 overflows recovered: 400 in all",
                "meanwhile: some rounds of 512 registrations, some faults answered by the previous handler",
                "registered guards left: 0");
    }

    /** 600 threads, each set up with an alternate signal stack, exit: every stack is unmapped. */
    @Test
    protected void shortLivedThreads_leaveNoAlternateStackMapped() {
        assertPrintsExactly(guardHarness("threadexit", "600"),
                "600 threads, 20 at a time: 20 alternate stacks at the peak, 0 left after they exited",
                "mappings: as many as before");
    }

    /**
     * A handler installed before fringe's gets every signal that is no overflow, as the kernel
     * would have delivered it: with its siginfo or plain, with its signal mask, after
     * {@code SA_RESETHAND} the default; {@code SIG_DFL} kills, {@code SIG_IGN} ignores a sent
     * signal but not a fault. An overflow is recovered before and after.
     *
     * @param kind     the previous handler
     * @param exitCode 0, or 139 where the process must die by SIGSEGV
     * @param lines    the expected output, separated by {@code |}
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "siginfo; 0; overflow before: value 0 status 2|null write:|previous handler: sig SIGSEGV, fault at NULL,"
            + " context passed, SIGUSR1 blocked, SIGSEGV blocked, on the alternate stack|raise(SIGSEGV):|previous"
            + " handler: sig SIGSEGV, sent by raise(), context passed, SIGUSR1 blocked, SIGSEGV blocked, on the"
            + " alternate stack|previous handler called 2 times",
        "plain; 0; overflow before: value 0 status 2|null write:|previous plain handler: sig SIGSEGV|previous handler"
            + " called 1 times",
        "resethand; 139; overflow before: value 0 status 2|null write:|previous handler: sig SIGSEGV, fault at NULL,"
            + " context passed, SIGUSR1 unblocked, SIGSEGV blocked, on the alternate stack|overflow after the reset:"
            + " value 0 status 2|null write again (SIG_DFL now: dies):",
        "ignore; 139; overflow before: value 0 status 2|raise(SIGSEGV) (ignored):|raise(SIGSEGV) returned|null write"
            + " (a fault cannot be ignored: dies):",
        "ignore-fault; 139; overflow before: value 0 status 2|null write (a fault cannot be ignored: dies):",
        "default; 139; overflow before: value 0 status 2|null write (SIG_DFL: dies):",
        "default-raise; 139; overflow before: value 0 status 2|raise(SIGSEGV) (SIG_DFL: dies):"})
    protected void everyOtherSignalReachesThePreviousHandlerExactly(String kind, int exitCode, String lines) {
        Run run = guardHarness("forward", kind);

        assertThat(run.exitCode()).as(run::describe).isEqualTo(exitCode);
        assertThat(ownLines(run)).as(run::describe).containsExactly(lines.split("\\|"));
    }

    /** The rounding mode the body set before it overflowed reaches the resumer, as after a suspend. */
    @Test
    protected void theFpControlStateOfTheBodyReachesTheResumer_asAfterASuspend() {
        Run run = guardHarness("fpcontrol");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).hasSize(3);
        assertThat(run.lines().get(1)).as(run::describe)
                .startsWith("after the body set toward-zero and overflowed: status 2, resumer sees toward-zero");
        assertThat(run.lines().get(2)).as(run::describe).startsWith("restored: to-nearest").endsWith(": yes");
    }

    /** A null write in a body is no overflow: forwarded to the default action, it kills. */
    @Test
    protected void aNullWriteInABody_isNoOverflow_andKillsTheProcessBySigsegv() {
        Run run = guardHarness("crash");

        assertThat(run.exitCode()).as("128 + SIGSEGV\n%s", run.describe()).isEqualTo(128 + 11);
        assertThat(ownLines(run)).as(run::describe).containsExactly("a body writes to NULL: the process must die by SIGSEGV");
    }

    /**
     * A frame twice as large as the guard, built without {@code -fstack-clash-protection}: its
     * first write lands below the guard, in writable memory the harness placed there, and the
     * body even returns. Nothing catches this: the reason docs/native-overflow.md recommends the
     * flag.
     */
    @Test
    protected void aFrameLargerThanTheGuard_withoutStackClashProtection_writesBelowTheGuardUnnoticed() {
        Run run = guardHarness("largeframe", "unprobed");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).hasSize(2);
        Matcher written = Pattern.compile("status 1 \\(value 2\\), (\\d+) bytes below the guard overwritten")
                .matcher(run.lines().get(1));
        assertThat(written.matches()).as(run::describe).isTrue();
        assertThat(Long.parseLong(written.group(1))).as(run::describe).isPositive();
    }

    /**
     * The same frame built with {@code -fstack-clash-protection}: the probes touch the guard
     * first, so nothing below it is written; the overflow is recovered where the probes move
     * with the stack pointer ({@link #recoversAProbedFrameLargerThanTheGuard()}), else the
     * process dies by SIGSEGV.
     */
    @Test
    protected void aFrameLargerThanTheGuard_withStackClashProtection_neverWritesBelowTheGuard() {
        Run run = guardHarness("largeframe", "probed");

        if (recoversAProbedFrameLargerThanTheGuard()) {
            assertPrintsExactly(run, "a body with a 128 KiB frame, built with -fstack-clash-protection",
                    "status 2 (value 0), 0 bytes below the guard overwritten");
        } else {
            assertThat(run.exitCode()).as(run::describe).isEqualTo(128 + 11);
            assertThat(ownLines(run)).as(run::describe)
                    .containsExactly("a body with a 128 KiB frame, built with -fstack-clash-protection");
        }
    }

    /** The registry refuses ranges that cannot describe a stack, and ignores unknown ids. */
    @Test
    protected void theRegistryRefusesInconsistentRanges() {
        assertPrintsExactly(guardHarness("badargs"),
                "limit below guard: EINVAL",
                "ctl outside the stack: EINVAL",
                "ctl in the guard: EINVAL",
                "deregistering unknown ids: ignored; registered guards: 0");
    }
}
