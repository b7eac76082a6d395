// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fringe.jna.spi.ArchSupport;
import org.junit.jupiter.api.Test;

/** What the bindings do without a library: narrowing words, and saying why a library did not load. */
class BindingTest {

    /** A description of a library that is not on the class path. */
    static final class Missing implements ArchSupport {
        @Override
        public String artifactId() {
            return "fringe-arch-missing";
        }

        @Override
        public String resourcePrefix() {
            return "linux-missing";
        }

        @Override
        public String libraryName() {
            return "fringe_missing";
        }

        @Override
        public int wordSize() {
            return 8;
        }

        @Override
        public int stackAlignment() {
            return 16;
        }

        @Override
        public String loadHint() {
            return "(a test description)";
        }
    }

    @Test
    void aThirtyTwoBitWordIsTakenZeroOrSignExtended_andNothingWider() {
        assertThat(JnaBinding.word(0)).isZero();
        assertThat(JnaBinding.word(0x7fff_fff0L)).isEqualTo(0x7fff_fff0);
        assertThat(JnaBinding.word(0xffff_fff0L)).as("zero-extended").isEqualTo(0xffff_fff0);
        assertThat(JnaBinding.word(-16L)).as("sign-extended").isEqualTo(0xffff_fff0);
        assertThat(JnaBinding.word(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> JnaBinding.word(0x1_0000_0000L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x100000000");
        assertThatThrownBy(() -> JnaBinding.word(-0x8000_0001L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLibraryJnaCannotFind_isAnErrorSayingWhereItLookedAndHowToSeeMore() {
        Missing arch = new Missing();

        assertThatThrownBy(() -> new JnaBinding(arch)).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageStartingWith("fringe-arch-missing: cannot load its native context switch"
                        + " linux-missing/libfringe_missing.so (os.arch=" + System.getProperty("os.arch") + ", binding jna)")
                .hasMessageContaining("through the class loader of " + Missing.class.getName() + ", loaded from ")
                .hasMessageContaining("(a test description)")
                .hasMessageContaining("-Djna.debug_load=true")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(System.getProperty("java.class.path")));
    }

    @Test
    void aLibraryFileThatIsNotThere_saysWhichResource() {
        assertThatThrownBy(() -> LibraryFile.of(new Missing())).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessage("no class path resource linux-missing/libfringe_missing.so");
    }
}
