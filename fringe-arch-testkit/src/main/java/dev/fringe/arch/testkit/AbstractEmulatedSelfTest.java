// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.jna.spi.ArchSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch library of an architecture no JVM runs on, checked on that architecture itself: the
 * kit's {@code selftest.c}, a static freestanding program, with the module's
 * {@code src/test/c/selftest_arch.h}, embeds the exact library that goes into the jar, loads it
 * with its own ELF loader and runs fringe's scenarios under qemu-user. This is how such a module
 * is verified.
 *
 * <p>{@link #everyScenarioPassesOnTheShippedLibrary()} checks every line the self-test prints;
 * the architecture's part of those lines is an {@link Arch}. A module's {@code EmulatedSelfTest}
 * extends this class and proves that test can fail: its {@code catchesABrokenSwitch} builds
 * copies of the switch with one deliberate bug each ({@link #buildSwitch}, with the tools and
 * flags the build used) and expects the matching scenario to report it
 * ({@link #assertCatches}).
 *
 * <p>One instance runs all of a class's tests ({@link TestInstance.Lifecycle#PER_CLASS}), so that
 * the sources are copied once, by an instance that knows its architecture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractEmulatedSelfTest {

    /**
     * What the self-test prints that depends on the architecture; each must match the module's
     * {@code selftest_arch.h} and its {@code .S}.
     *
     * @param name           {@code ARCH_NAME}, e.g. {@code "riscv32"}
     * @param abi            what {@code arch_check_flags} says of the ELF flags, e.g.
     *                       {@code "ilp32 soft-float, RVC"}
     * @param switchFrame    {@code ARCH_SWITCH_FRAME}: SWITCH_FRAME in the .S, in bytes
     * @param dwarfSp        {@code ARCH_DWARF_SP}: the stack pointer's DWARF register number
     * @param savedRegisters {@code arch_saved_list}: how the output names the callee-saved
     *                       registers, e.g. {@code "s0-s11"}
     */
    public record Arch(String name, String abi, int switchFrame, int dwarfSp, String savedRegisters) {
    }

    private final ArchSupport provider;
    private final Arch arch;
    private final String emulator;
    private final List<String> compileFlags;
    private Path dir;

    /**
     * Sets up the self-test of one architecture.
     *
     * @param provider     the module's provider: its library, word size and stack alignment
     * @param arch         what the output says of the architecture
     * @param emulator     the qemu-user program, e.g. {@code "qemu-riscv32"}
     * @param compileFlags what the cross compiler (the build's {@code fringe.arch.cc}) needs
     *                     besides the freestanding flags every architecture uses
     */
    protected AbstractEmulatedSelfTest(ArchSupport provider, Arch arch, String emulator,
            List<String> compileFlags) {
        this.provider = provider;
        this.arch = arch;
        this.emulator = emulator;
        this.compileFlags = List.copyOf(compileFlags);
    }

    /**
     * Copies the self-test's sources into the class's temporary directory.
     *
     * @param dir the class's temporary directory
     */
    @BeforeAll
    protected void copySources(@TempDir Path dir) {
        this.dir = dir;
        NativeTools.copyKitSource("selftest.c", dir);
        NativeTools.copyResource("c/selftest_arch.h", dir);
    }

    /**
     * Returns the temporary directory the self-test is built in.
     *
     * @return the directory
     */
    protected Path dir() {
        return dir;
    }

    /**
     * Builds a switch library from a {@code .S} the way the module's build does (same tools, same
     * flags, from the build properties the POM passes to the tests).
     *
     * @param source  the assembly source
     * @param library the shared object to write
     */
    protected abstract void buildSwitch(Path source, Path library);

    /** Compiles the self-test around {@code library} (embedded with .incbin) and runs it. */
    private Run selfTest(Path library, String name) {
        Path program = dir.resolve(name);
        List<String> cc = new ArrayList<>();
        cc.add(NativeTools.buildProperty("fringe.arch.cc"));
        cc.addAll(compileFlags);
        cc.addAll(List.of("-ffreestanding", "-nostdlib", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
                // GCC would turn the byte loops of memset/memcpy into calls to themselves.
                "-fno-tree-loop-distribute-patterns", "-fno-asynchronous-unwind-tables",
                "-DFRINGE_LIBRARY=\"" + library + "\"",
                "-I", dir.toString(), "-o", program.toString(), dir.resolve("selftest.c").toString()));
        NativeTools.mustRun(cc, dir);
        return NativeTools.run(List.of(emulator, program.toString()), dir);
    }

    /** The library in the jar passes every scenario; the output is checked line by line. */
    @Test
    protected void everyScenarioPassesOnTheShippedLibrary() {
        int ctlBytes = 4 * provider.wordSize();   // ArchSupport: 4 words; must match CTL_SIZE in the .S
        int align = provider.stackAlignment();
        String registers = arch.savedRegisters();
        Path library = NativeTools.classPathFile(provider.resourcePath(), dir);

        Run run = selfTest(library, "selftest");

        assertThat(run.exitCode()).as(run::describe).isZero();
        assertThat(run.lines()).as(run::describe).containsExactly(
                "fringe self-test for " + arch.name() + ": " + library.getFileName(),
                "ok   library: ELF32 " + arch.name() + " " + arch.abi() + "; exports fringe_init fringe_resume"
                        + " fringe_stack_register fringe_stack_deregister and nothing else; 0 dynamic relocations,"
                        + " no DT_NEEDED, non-executable stack, .eh_frame_hdr present",
                "ok   layout: ctl at base-" + ctlBytes + ", ctl->sp = ctl-" + arch.switchFrame()
                        + " (fresh switch frame), transfer 0, status 0, suspend = a local function of the library;"
                        + " nothing written outside [ctl->sp, base)",
                "ok   values: body got env 1000 and first input 5, yielder == ctl; resume(5) = 1010, resume(7) ="
                        + " 1014, resume(0x40000001) = 0x800003ea, resume(0xffffffff) = 0x3e6, status 0",
                "ok   return: resume(0) = 0x400003f4 (the body's return value) with status 1; resume(9) after"
                        + " that returns it again with status 1 and never re-enters the body",
                "ok   interleave: 100 generators x 50 round trips, each value as expected, then each returned;"
                        + " checksum 2809984778",
                "ok   registers: resumer's " + registers + " intact after 8 round trips (2 generators, 4 each,"
                        + " last one the return); both bodies' " + registers + " intact after each of their 3"
                        + " suspends",
                "ok   alignment: " + 2 * align + " bases (aligned, and misaligned by 1.." + (2 * align - 1)
                        + " bytes): the body's sp at entry is always the base aligned down to " + align + ", minus "
                        + ctlBytes + ", so sp % " + align + " == 0",
                "ok   recursion: 2 interleaved bodies recursed 300 levels deep, suspending on the way down, at"
                        + " the bottom and on the way up (1202 suspends, each value echoed back); every frame's"
                        + " locals intact; each returned 300",
                "ok   nested: outer body drove an inner generator on another stack: 11 21 31, then returned 67",
                "ok   unwind: from the running body, the trampoline's FDE (signal frame, CFA = breg" + arch.dwarfSp()
                        + "+4 deref plus_uconst " + arch.switchFrame() + ") gives the resumer's return address, its"
                        + " sp at the call and its " + registers,
                "ok   valgrind: fringe_stack_register returns 0 and fringe_stack_deregister returns: no Valgrind"
                        + " for " + arch.name(),
                "11 passed, 0 failed");
    }

    /**
     * Asserts that a copy of the module's switch with one deliberate bug makes the self-test fail
     * in the scenario that should catch it.
     *
     * @param bug             what the mutant breaks, for the message
     * @param original        a piece of the module's {@code .S} (must occur in it)
     * @param broken          what replaces every occurrence of {@code original}
     * @param expectedFailure how one line of the output must start, e.g.
     *                        {@code "FAIL registers: resumer's s11:"}
     */
    protected void assertCatches(String bug, String original, String broken, String expectedFailure) {
        String source = NativeTools.read(NativeTools.copyResource("asm/" + provider.libraryName() + ".S", dir));
        assertThat(source).as("the instruction this mutant breaks").contains(original);
        Path mutantSource = dir.resolve("mutant.S");
        NativeTools.write(mutantSource, source.replace(original, broken));
        Path mutant = dir.resolve("libmutant.so");
        buildSwitch(mutantSource, mutant);

        Run run = selfTest(mutant, "selftest-mutant");

        assertThat(run.exitCode()).as("%s must make the self-test fail\n%s", bug, run.describe()).isEqualTo(1);
        assertThat(run.lines()).as(run::describe)
                .anySatisfy(line -> assertThat(line).startsWith(expectedFailure))
                .last().asString().matches("\\d+ passed, [1-9]\\d* failed");
    }
}
