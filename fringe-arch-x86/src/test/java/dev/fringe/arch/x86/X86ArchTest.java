// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The description and the shape of the library it describes, as far as the 64-bit build JVM
 * can see them. The library itself runs in {@link SwitchHarnessTest} (from C) and in
 * fringe-tests' native suite on Debian's i386 OpenJDK (through JNA).
 */
class X86ArchTest extends AbstractArchSupportTest<X86Arch> {

    X86ArchTest() {
        super(new X86Arch(), "libfringe_x86.so");
    }

    @Test
    void describesI386AsJnaNamesIt() throws Exception {
        assertDescribes("linux-x86", "fringe-arch-x86", "fringe_x86", 4, 16);
        // What an i386 JVM reports as os.arch, as JNA maps it.
        for (String osArch : List.of("i386", "x86", "i686")) {
            assertThat(jnaResourcePrefix(osArch)).as("os.arch=%s", osArch).isEqualTo(arch.resourcePrefix());
        }
    }

    @Test
    void libraryIsAPositionIndependentI386Object_needingNoMoreThanGlibc218(@TempDir Path dir) {
        assertPositionIndependentAndSelfContained(switchLibrary(dir), "ELF32", "Intel 80386");
    }

    @Test
    void libraryExportsExactlyTheDescribedFunctions(@TempDir Path dir) {
        assertExportsExactlyTheDescribedFunctions(switchLibrary(dir));
    }
}
