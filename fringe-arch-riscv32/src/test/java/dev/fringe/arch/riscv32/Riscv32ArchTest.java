package dev.fringe.arch.riscv32;

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
 * qemu-riscv32 by {@link EmulatedSelfTest}.
 */
class Riscv32ArchTest {

    private final Riscv32Arch arch = new Riscv32Arch();

    @Test
    void describesRiscv32AsJnaNamesIt() throws ReflectiveOperationException {
        // JNA's own mapping from (os, os.arch) to the resource prefix, for a riscv32 JVM. It is
        // package-private in JNA, hence reflection; fringe never maps os.arch by hand.
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix",
                int.class, String.class, String.class);
        prefix.setAccessible(true);

        assertThat(arch.resourcePrefix())
                .isEqualTo("linux-riscv32")
                .isEqualTo(prefix.invoke(null, Platform.LINUX, "riscv32", "Linux"));
        assertThat(arch.artifactId()).isEqualTo("fringe-arch-riscv32");
        assertThat(arch.wordSize()).isEqualTo(4);
        assertThat(arch.stackAlignment()).isEqualTo(16);
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(ArchSupport.class).stream().map(ServiceLoader.Provider::type))
                .contains(Riscv32Arch.class);
    }

    @Test
    void libraryIsOnTheClassPathUnderTheResourcePrefix() {
        assertThat(Riscv32Arch.class.getClassLoader().getResource(arch.resourcePrefix() + "/libfringe_riscv32.so"))
                .as("the library the build assembles from src/main/asm").isNotNull();
        assertThat(Riscv32Arch.RESOURCE_PATH)
                .isEqualTo(arch.resourcePrefix() + "/lib" + Riscv32Arch.LIBRARY_NAME + ".so");
    }

    @Test
    void wordsNarrowToThirtyTwoBits() {
        assertThat(Riscv32Arch.word(0)).isZero();
        assertThat(Riscv32Arch.word(0x7fff_fff0L)).isEqualTo(0x7fff_fff0);
        assertThat(Riscv32Arch.word(0xffff_fff0L)).as("zero-extended").isEqualTo(0xffff_fff0);
        assertThat(Riscv32Arch.word(-16L)).as("sign-extended").isEqualTo(0xffff_fff0);
        assertThat(Riscv32Arch.word(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> Riscv32Arch.word(0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x100000000");
        assertThatThrownBy(() -> Riscv32Arch.word(-0x8000_0001L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadingOnAnotherArchitectureSaysWhatItLookedFor() {
        // The build machine is not riscv32: JNA searches its own prefix, does not find the
        // library there, and the error says what to check.
        assertThat(Platform.RESOURCE_PREFIX).isNotEqualTo(arch.resourcePrefix());

        assertThatThrownBy(arch::load)
                .isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("linux-riscv32/libfringe_riscv32.so")
                .hasMessageContaining("no libjnidispatch for linux-riscv32")
                .hasMessageContaining("-Djna.debug_load=true")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(arch::load).as("the failure is remembered").isInstanceOf(UnsatisfiedLinkError.class);
    }
}
