// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.or1k;

import dev.fringe.arch.testkit.AbstractEmulatedSelfTest;
import dev.fringe.arch.testkit.NativeTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The switch library on or1k itself: the kit's selftest.c with src/test/c/selftest_arch.h, a
 * static freestanding OpenRISC program, embeds the exact {@code linux-or1k/libfringe_or1k.so}
 * that goes into the jar, loads it with its own ELF loader and runs fringe's scenarios under
 * {@code qemu-or1k}. No JVM runs on or1k, so this is how the module is verified.
 *
 * <p>{@link #catchesABrokenSwitch} proves the self-test can fail: it assembles and links copies
 * of the switch with one deliberate bug each (same tools and flags as the build) and expects the
 * matching scenario to report it.
 */
class EmulatedSelfTest extends AbstractEmulatedSelfTest {

    EmulatedSelfTest() {
        // Must match selftest_arch.h (ARCH_*, arch_saved_list) and SWITCH_FRAME in fringe_or1k.S.
        super(new Or1kArch(), new Arch("or1k", "big-endian, delay slots", 44, 1, "r2 r14 r16 r18 r20 r22 r24 r26 r28 r30"),
                "qemu-or1k",
                // or1k-elf's bare-metal link script starts at address 0 with the reset vector
                // (0x100) as the entry: start at _start, and keep page 0 unmapped.
                List.of("-Wl,-e,_start", "-Wl,-Ttext=0x10000"));
    }

    @Override
    protected void buildSwitch(Path source, Path library) {
        // Two steps, as the build: or1k-elf-gcc assembles, the or1k-linux-gnu ld that
        // src/build/or1k-ld.sh printed during the build (fringe.or1k.ld) links.
        Path object = dir().resolve("mutant.o");
        List<String> assemble = NativeTools.buildCommand("fringe.arch.cc", "fringe.arch.asflags");
        assemble.addAll(List.of("-o", object.toString(), source.toString()));
        NativeTools.mustRun(assemble, dir());
        List<String> link = NativeTools.buildCommand("fringe.or1k.ld", "fringe.arch.ldflags");
        link.addAll(List.of("-o", library.toString(), object.toString()));
        NativeTools.mustRun(link, dir());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            restore of r30 dropped          | l.lwz   r30, 0x00(r1)     | l.nop                 | FAIL registers: resumer's r30:
            CFA one word off                | 0x23, SWITCH_FRAME        | 0x23, SWITCH_FRAME - 4 | FAIL unwind: return address after the trampoline's frame
            return value's delay slot empty | l.ori   r4, r14, 0        | l.nop                 | FAIL return: resume(0) =
            """)
    void catchesABrokenSwitch(String bug, String original, String broken, String expectedFailure) {
        assertCatches(bug, original, broken, expectedFailure);
    }
}
