// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.aarch64;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import dev.fringe.arch.testkit.NativeTools;
import dev.fringe.arch.testkit.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The description and the shape of the library it describes, as far as the x86_64 build JVM
 * can see them. The library itself runs in {@link SwitchHarnessTest} (from C, under qemu-aarch64) and
 * in fringe-tests' native suite on Debian's arm64 OpenJDK under qemu-aarch64 (through JNA).
 */
class Aarch64ArchTest extends AbstractArchSupportTest<Aarch64Arch> {

    Aarch64ArchTest() {
        super(new Aarch64Arch(), "libfringe_aarch64.so");
    }

    @Test
    void describesAarch64AsJnaNamesIt() throws Exception {
        assertDescribes("linux-aarch64", "fringe-arch-aarch64", "fringe_aarch64", 8, 16);
        // What an arm64 JVM reports as os.arch, as JNA maps it.
        assertThat(jnaResourcePrefix("aarch64")).isEqualTo(arch.resourcePrefix());
    }

    @Test
    void libraryIsAPositionIndependentAarch64Object_needingNoMoreThanGlibc218(@TempDir Path dir) {
        assertPositionIndependentAndSelfContained(switchLibrary(dir), "ELF64", "AArch64", "GNU_PROPERTY");
    }

    @Test
    void libraryIsMarkedBtiAndPacCompatible(@TempDir Path dir) {
        // What makes ld.so map it guarded in a BTI process (fringe_aarch64.S, "BTI and PAC").
        Run notes = NativeTools.run(List.of("readelf", "-n", switchLibrary(dir).toString()));

        assertThat(notes.output()).as(notes::describe).contains("AArch64 feature: BTI, PAC");
    }

    @Test
    void libraryExportsExactlyTheDescribedFunctions(@TempDir Path dir) {
        assertExportsExactlyTheDescribedFunctions(switchLibrary(dir));
    }
}
