// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.riscv32;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import org.junit.jupiter.api.Test;

/**
 * The provider class, on the build machine: its constants, its discovery (the kit's tests), the
 * word narrowing, and what loading says where the library cannot run. The library itself is
 * tested under qemu-riscv32 by {@link EmulatedSelfTest}.
 */
class Riscv32ArchTest extends AbstractArchSupportTest<Riscv32Arch> {

    Riscv32ArchTest() {
        super(new Riscv32Arch(), "libfringe_riscv32.so");
    }

    @Test
    void describesRiscv32AsJnaNamesIt() throws ReflectiveOperationException {
        assertDescribes("linux-riscv32", "fringe-arch-riscv32", 4, 16);
        // What a riscv32 JVM reports as os.arch, as JNA maps it.
        assertThat(jnaResourcePrefix("riscv32")).isEqualTo(arch.resourcePrefix());
    }

    @Test
    void wordsNarrowToThirtyTwoBits() {
        assertNarrowsZeroOrSignExtendedWords(Riscv32Arch::word);
    }

    @Test
    void loadingOnAnotherArchitectureSaysWhatItLookedFor() {
        assertLoadFailsSayingWhereItLooked("no libjnidispatch for linux-riscv32");
    }
}
