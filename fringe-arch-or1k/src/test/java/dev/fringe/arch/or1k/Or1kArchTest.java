// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.or1k;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The description, on the build machine: its constants, its discovery and the kit's checks
 * against the library. The library itself is tested under qemu-or1k by {@link EmulatedSelfTest}.
 */
class Or1kArchTest extends AbstractArchSupportTest<Or1kArch> {

    Or1kArchTest() {
        super(new Or1kArch(), "libfringe_or1k.so");
    }

    @Test
    void describesOr1kAsJnaNamesIt() throws ReflectiveOperationException {
        assertDescribes("linux-or1k", "fringe-arch-or1k", "fringe_or1k", 4, 4);
        // What an or1k JVM reports as os.arch, as JNA maps it.
        assertThat(jnaResourcePrefix("or1k")).isEqualTo(arch.resourcePrefix());
    }

    @Test
    void libraryExportsExactlyTheDescribedFunctions(@TempDir Path dir) {
        assertExportsExactlyTheDescribedFunctions(switchLibrary(dir));
    }
}
