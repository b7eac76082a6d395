// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.or1k;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.arch.testkit.AbstractArchSupportTest;
import org.junit.jupiter.api.Test;

/**
 * The provider class, on the build machine: its constants, its discovery (the kit's tests), the
 * word narrowing, and what loading says where the library cannot run. The library itself is
 * tested under qemu-or1k by {@link EmulatedSelfTest}.
 */
class Or1kArchTest extends AbstractArchSupportTest<Or1kArch> {

    Or1kArchTest() {
        super(new Or1kArch(), "libfringe_or1k.so");
    }

    @Test
    void describesOr1kAsJnaNamesIt() throws ReflectiveOperationException {
        assertDescribes("linux-or1k", "fringe-arch-or1k", 4, 4);
        // What an or1k JVM reports as os.arch, as JNA maps it.
        assertThat(jnaResourcePrefix("or1k")).isEqualTo(arch.resourcePrefix());
    }

    @Test
    void wordsNarrowToThirtyTwoBits() {
        assertNarrowsZeroOrSignExtendedWords(Or1kArch::word);
    }

    @Test
    void loadingOnAnotherArchitectureSaysWhatItLookedFor() {
        assertLoadFailsSayingWhereItLooked("no libjnidispatch for linux-or1k");
    }
}
