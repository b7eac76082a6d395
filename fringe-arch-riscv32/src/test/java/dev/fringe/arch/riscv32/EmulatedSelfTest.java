// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.riscv32;

import dev.fringe.arch.testkit.AbstractEmulatedSelfTest;
import dev.fringe.arch.testkit.NativeTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The switch library on riscv32 itself: the kit's selftest.c with src/test/c/selftest_arch.h, a
 * static freestanding RV32 program, embeds the exact {@code linux-riscv32/libfringe_riscv32.so}
 * that goes into the jar, loads it with its own ELF loader and runs fringe's scenarios under
 * {@code qemu-riscv32}. No JVM runs on riscv32, so this is how the module is verified.
 *
 * <p>{@link #catchesABrokenSwitch} proves the self-test can fail: it assembles copies of the
 * switch with one deliberate bug each (same compiler and flags as the build) and expects the
 * matching scenario to report it.
 */
class EmulatedSelfTest extends AbstractEmulatedSelfTest {

    EmulatedSelfTest() {
        // Must match selftest_arch.h (ARCH_*, arch_saved_list) and SWITCH_FRAME in fringe_riscv32.S.
        super(new Riscv32Arch(), new Arch("riscv32", "ilp32 soft-float, RVC", 64, 2, "s0-s11"), "qemu-riscv32",
                List.of("-march=rv32imac", "-mabi=ilp32", "-mno-relax", "-fno-pie", "-no-pie"));
    }

    @Override
    protected void buildSwitch(Path source, Path library) {
        List<String> assemble = NativeTools.buildCommand("fringe.arch.cc", "fringe.arch.ccflags");
        assemble.addAll(List.of("-o", library.toString(), source.toString()));
        NativeTools.mustRun(assemble, dir());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            restore of s11 dropped     | lw      s11, 0x0c(sp)                   | nop                     | FAIL registers: resumer's s11:
            CFA one word off           | 0x23, SWITCH_FRAME                      | 0x23, SWITCH_FRAME - 4  | FAIL unwind: return address after the trampoline's frame
            base aligned to 8 only     | andi    a0, a0, -16                     | andi    a0, a0, -8      | FAIL alignment: base-1: entry sp % 16 = 8
            """)
    void catchesABrokenSwitch(String bug, String original, String broken, String expectedFailure) {
        assertCatches(bug, original, broken, expectedFailure);
    }
}
