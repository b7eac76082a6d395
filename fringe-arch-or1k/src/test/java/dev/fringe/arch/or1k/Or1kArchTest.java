package dev.fringe.arch.or1k;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import dev.fringe.jna.spi.ArchSupport;
import java.lang.reflect.Method;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The provider class, on the build machine: its constants, its discovery, the word narrowing,
 * and what loading says where the library cannot run. The library itself is tested under
 * qemu-or1k by {@link EmulatedSelfTest}.
 */
class Or1kArchTest {

    private final Or1kArch arch = new Or1kArch();

    @Test
    void describesOr1kAsJnaNamesIt() throws ReflectiveOperationException {
        // JNA's own mapping from (os, os.arch) to the resource prefix, for an or1k JVM. It is
        // package-private in JNA, hence reflection; fringe never maps os.arch by hand.
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix",
                int.class, String.class, String.class);
        prefix.setAccessible(true);

        assertThat(arch.resourcePrefix())
                .isEqualTo("linux-or1k")
                .isEqualTo(prefix.invoke(null, Platform.LINUX, "or1k", "Linux"));
        assertThat(arch.artifactId()).isEqualTo("fringe-arch-or1k");
        assertThat(arch.wordSize()).isEqualTo(4);
        assertThat(arch.stackAlignment()).isEqualTo(4);
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(ArchSupport.class).stream().map(ServiceLoader.Provider::type))
                .contains(Or1kArch.class);
    }

    @Test
    void libraryIsOnTheClassPathUnderTheResourcePrefix() {
        assertThat(Or1kArch.class.getClassLoader().getResource(arch.resourcePrefix() + "/libfringe_or1k.so"))
                .as("the library the build assembles from src/main/asm").isNotNull();
        assertThat(Or1kArch.RESOURCE_PATH)
                .isEqualTo(arch.resourcePrefix() + "/lib" + Or1kArch.LIBRARY_NAME + ".so");
    }

    @Test
    void wordsNarrowToThirtyTwoBits() {
        assertThat(Or1kArch.word(0)).isZero();
        assertThat(Or1kArch.word(0x7fff_fff0L)).isEqualTo(0x7fff_fff0);
        assertThat(Or1kArch.word(0xffff_fff0L)).as("zero-extended").isEqualTo(0xffff_fff0);
        assertThat(Or1kArch.word(-16L)).as("sign-extended").isEqualTo(0xffff_fff0);
        assertThat(Or1kArch.word(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> Or1kArch.word(0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x100000000");
        assertThatThrownBy(() -> Or1kArch.word(-0x8000_0001L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadingOnAnotherArchitectureSaysWhatItLookedFor() {
        // The build machine is not or1k: JNA searches its own prefix, does not find the
        // library there, and the error says what to check.
        assertThat(Platform.RESOURCE_PREFIX).isNotEqualTo(arch.resourcePrefix());

        assertThatThrownBy(arch::load)
                .isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("linux-or1k/libfringe_or1k.so")
                .hasMessageContaining("no libjnidispatch for linux-or1k")
                .hasMessageContaining("-Djna.debug_load=true")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(arch::load).as("the failure is remembered").isInstanceOf(UnsatisfiedLinkError.class);
    }
}
