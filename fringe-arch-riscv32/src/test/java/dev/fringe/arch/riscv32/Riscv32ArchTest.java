// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.riscv32;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The description, on the build machine: its constants, its discovery and the kit's checks
 * against the library. The library itself is tested under qemu-riscv32 by {@link EmulatedSelfTest}.
 */
class Riscv32ArchTest extends AbstractArchSupportTest<Riscv32Arch> {

    Riscv32ArchTest() {
        super(new Riscv32Arch(), "libfringe_riscv32.so");
    }

    @Test
    void describesRiscv32AsJnaNamesIt() throws ReflectiveOperationException {
        assertDescribes("linux-riscv32", "fringe-arch-riscv32", "fringe_riscv32", 4, 16);
        // What a riscv32 JVM reports as os.arch, as JNA maps it.
        assertThat(jnaResourcePrefix("riscv32")).isEqualTo(arch.resourcePrefix());
    }

    @Test
    void libraryExportsExactlyTheDescribedFunctions(@TempDir Path dir) {
        assertExportsExactlyTheDescribedFunctions(switchLibrary(dir));
    }
}
