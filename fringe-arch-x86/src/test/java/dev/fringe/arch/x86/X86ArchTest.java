// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider class and the shape of the library it ships, as far as the 64-bit build JVM can
 * see them. The library itself runs in {@link SwitchHarnessTest} (from C) and in fringe-tests'
 * native suite on Debian's i386 OpenJDK (through JNA).
 */
class X86ArchTest extends AbstractArchSupportTest<X86Arch> {

    X86ArchTest() {
        super(new X86Arch(), "libfringe_x86.so");
    }

    @Test
    void describesI386AsJnaNamesIt() throws Exception {
        assertDescribes("linux-x86", "fringe-arch-x86", 4, 16);
        // What an i386 JVM reports as os.arch, as JNA maps it.
        for (String osArch : List.of("i386", "x86", "i686")) {
            assertThat(jnaResourcePrefix(osArch)).as("os.arch=%s", osArch).isEqualTo(arch.resourcePrefix());
        }
    }

    @Test
    void libraryIsAPositionIndependentI386ObjectWithoutRelocations(@TempDir Path dir) {
        assertPositionIndependentWithoutRelocations(switchLibrary(dir), "ELF32", "Intel 80386");
    }

    @Test
    void libraryExportsExactlyTheFourFunctionsOfTheSpi(@TempDir Path dir) {
        assertExportsTheSpiFunctions(switchLibrary(dir));
    }

    @Test
    void addressesAreNarrowedToWordsOnlyWhenTheyFit() {
        assertThat(X86Arch.word(0xFFFF_FFFFL, "base")).isEqualTo(-1);
        assertThat(X86Arch.word(0x8000_0000L, "base")).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> arch.init(1L << 32, 0x1000, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stackBase 0x100000000 is not a 32-bit address");
        assertThatThrownBy(() -> arch.registerStack(-1L, 0x2000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void loadingOnA64BitJvmFailsSayingWhereItLookedAndHowToSeeMore() {
        // The build JVM is x86_64: JNA looks under linux-x86-64/, and the i386 library could not
        // be loaded into this process anyway.
        assertLoadFailsSayingWhereItLooked("fringe-arch-x86: cannot load the native context switch libfringe_x86.so");
    }
}
