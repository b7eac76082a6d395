package dev.fringe.arch.or1k;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.or1k.CrossTools.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The switch library on or1k itself: src/test/c/selftest.c, a static freestanding OpenRISC
 * program, embeds the exact {@code linux-or1k/libfringe_or1k.so} that goes into the jar, loads it
 * with its own ELF loader and runs fringe's scenarios under {@code qemu-or1k}. No JVM runs on
 * or1k, so this is how the module is verified.
 *
 * <p>The second test proves the first can fail: it assembles and links copies of the switch
 * with one deliberate bug each (same tools and flags as the build) and expects the matching
 * scenario to report it.
 */
class EmulatedSelfTest {

    private static final String LIBRARY = Or1kArch.RESOURCE_PATH;

    @TempDir
    static Path dir;

    @BeforeAll
    static void copySources() {
        CrossTools.copyResource("c/selftest.c", dir);
        CrossTools.copyResource("c/selftest_arch.h", dir);
    }

    /** Compiles the self-test around {@code library} (embedded with .incbin) and runs it. */
    private static Run selfTest(Path library, String name) {
        Path program = dir.resolve(name);
        List<String> cc = new ArrayList<>(List.of(CrossTools.buildProperty("fringe.arch.cc"),
                "-ffreestanding", "-nostdlib", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
                // GCC would turn the byte loops of memset/memcpy into calls to themselves.
                "-fno-tree-loop-distribute-patterns", "-fno-asynchronous-unwind-tables",
                // or1k-elf's bare-metal link script starts at address 0 with the reset vector
                // (0x100) as the entry: start at _start, and keep page 0 unmapped.
                "-Wl,-e,_start", "-Wl,-Ttext=0x10000",
                "-DFRINGE_LIBRARY=\"" + library + "\"",
                "-I", dir.toString(), "-o", program.toString(), dir.resolve("selftest.c").toString()));
        CrossTools.mustRun(cc, dir);
        return CrossTools.run(List.of("qemu-or1k", program.toString()), dir);
    }

    @Test
    void everyScenarioPassesOnTheShippedLibrary() {
        Or1kArch arch = new Or1kArch();
        int ctlBytes = 4 * arch.wordSize();   // ArchSupport: 4 words; must match CTL_SIZE in the .S
        int align = arch.stackAlignment();

        Run run = selfTest(CrossTools.classPathFile(LIBRARY, dir), "selftest");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "fringe self-test for or1k: libfringe_or1k.so",
                "ok   library: ELF32 or1k big-endian, delay slots; exports fringe_init fringe_resume"
                        + " fringe_stack_register fringe_stack_deregister and nothing else; 0 dynamic relocations,"
                        + " no DT_NEEDED, non-executable stack, .eh_frame_hdr present",
                "ok   layout: ctl at base-" + ctlBytes + ", ctl->sp = ctl-44 (fresh switch frame), transfer 0,"
                        + " status 0, suspend = a local function of the library; nothing written outside"
                        + " [ctl->sp, base)",
                "ok   values: body got env 1000 and first input 5, yielder == ctl; resume(5) = 1010, resume(7) ="
                        + " 1014, resume(0x40000001) = 0x800003ea, resume(0xffffffff) = 0x3e6, status 0",
                "ok   return: resume(0) = 0x400003f4 (the body's return value) with status 1; resume(9) after"
                        + " that returns it again with status 1 and never re-enters the body",
                "ok   interleave: 100 generators x 50 round trips, each value as expected, then each returned;"
                        + " checksum 2809984778",
                "ok   registers: resumer's r2 r14 r16 r18 r20 r22 r24 r26 r28 r30 intact after 8 round trips"
                        + " (2 generators, 4 each, last one the return); both bodies' r2 r14 r16 r18 r20 r22 r24"
                        + " r26 r28 r30 intact after each of their 3 suspends",
                "ok   alignment: " + 2 * align + " bases (aligned, and misaligned by 1.." + (2 * align - 1)
                        + " bytes): the body's sp at entry is always the base aligned down to " + align + ", minus "
                        + ctlBytes + ", so sp % " + align + " == 0",
                "ok   recursion: 2 interleaved bodies recursed 300 levels deep, suspending on the way down, at"
                        + " the bottom and on the way up (1202 suspends, each value echoed back); every frame's"
                        + " locals intact; each returned 300",
                "ok   nested: outer body drove an inner generator on another stack: 11 21 31, then returned 67",
                "ok   unwind: from the running body, the trampoline's FDE (signal frame, CFA = breg1+4 deref"
                        + " plus_uconst 44) gives the resumer's return address, its sp at the call and its r2 r14"
                        + " r16 r18 r20 r22 r24 r26 r28 r30",
                "ok   valgrind: fringe_stack_register returns 0 and fringe_stack_deregister returns: no Valgrind"
                        + " for or1k",
                "11 passed, 0 failed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            restore of r30 dropped          | l.lwz   r30, 0x00(r1)     | l.nop                 | FAIL registers: resumer's r30:
            CFA one word off                | 0x23, SWITCH_FRAME        | 0x23, SWITCH_FRAME - 4 | FAIL unwind: return address after the trampoline's frame
            return value's delay slot empty | l.ori   r4, r14, 0        | l.nop                 | FAIL return: resume(0) =
            """)
    void catchesABrokenSwitch(String bug, String original, String broken, String expectedFailure) {
        String source = read(CrossTools.copyResource("asm/fringe_or1k.S", dir));
        assertThat(source).as("the instruction this mutant breaks").contains(original);
        Path mutantSource = dir.resolve("mutant.S");
        write(mutantSource, source.replace(original, broken));
        Path object = dir.resolve("mutant.o");
        Path mutant = dir.resolve("libmutant.so");
        List<String> assemble = CrossTools.assembleCommand();
        assemble.addAll(List.of("-o", object.toString(), mutantSource.toString()));
        CrossTools.mustRun(assemble, dir);
        List<String> link = CrossTools.linkCommand();
        link.addAll(List.of("-o", mutant.toString(), object.toString()));
        CrossTools.mustRun(link, dir);

        Run run = selfTest(mutant, "selftest-mutant");

        assertThat(run.exitCode()).as("%s must make the self-test fail\n%s", bug, run.describe()).isEqualTo(1);
        assertThat(run.lines()).as(run::describe)
                .anySatisfy(line -> assertThat(line).startsWith(expectedFailure))
                .last().asString().matches("\\d+ passed, [1-9]\\d* failed");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
