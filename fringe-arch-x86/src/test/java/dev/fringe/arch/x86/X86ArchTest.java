package dev.fringe.arch.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import dev.fringe.arch.x86.NativeTools.Run;
import dev.fringe.jna.spi.ArchSupport;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider class and the shape of the library it ships, as far as the 64-bit build JVM can
 * see them. The library itself runs in {@link SwitchHarnessTest} (from C) and in fringe-tests'
 * native suite on Debian's i386 OpenJDK (through JNA).
 */
class X86ArchTest {

    private final X86Arch arch = new X86Arch();

    @Test
    void describesI386AsJnaNamesIt() throws Exception {
        assertThat(arch.resourcePrefix()).isEqualTo("linux-x86");
        assertThat(arch.artifactId()).isEqualTo("fringe-arch-x86");
        assertThat(arch.wordSize()).isEqualTo(4);
        assertThat(arch.stackAlignment()).isEqualTo(16);
        // JNA's own mapping (Platform.getNativeLibraryResourcePrefix, a pure function of the OS
        // type and os.arch; package-private, hence reflection): what an i386 JVM reports.
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix",
                int.class, String.class, String.class);
        prefix.setAccessible(true);
        for (String osArch : List.of("i386", "x86", "i686")) {
            assertThat(prefix.invoke(null, Platform.LINUX, osArch, "Linux")).as("os.arch=%s", osArch)
                    .isEqualTo(arch.resourcePrefix());
        }
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(ArchSupport.class).stream().map(ServiceLoader.Provider::type))
                .contains(X86Arch.class);
    }

    @Test
    void libraryIsOnTheClassPathUnderTheResourcePrefix() {
        assertThat(X86Arch.class.getClassLoader().getResource(arch.resourcePrefix() + "/libfringe_x86.so"))
                .as("the library the build assembles from src/main/asm").isNotNull();
    }

    @Test
    void libraryIsAPositionIndependentI386ObjectWithoutRelocations(@TempDir Path dir) {
        Path library = NativeTools.switchLibrary(dir);

        Run header = NativeTools.run(List.of("readelf", "-h", library.toString()));
        assertThat(header.output()).as(header::describe).containsPattern("Class:\\s+ELF32")
                .containsPattern("Machine:\\s+Intel 80386").containsPattern("Type:\\s+DYN");
        // No text relocations, and no relocations at all: nothing for ld.so to patch.
        Run dynamic = NativeTools.run(List.of("readelf", "-d", library.toString()));
        assertThat(dynamic.output()).as(dynamic::describe).doesNotContain("TEXTREL").doesNotContain("NEEDED");
        Run relocations = NativeTools.run(List.of("readelf", "-r", library.toString()));
        assertThat(relocations.output()).as(relocations::describe).contains("There are no relocations in this file.");
        Run segments = NativeTools.run(List.of("readelf", "-lW", library.toString()));
        assertThat(segments.output()).as(segments::describe).containsPattern("GNU_STACK.* RW  ");
    }

    @Test
    void libraryExportsExactlyTheFourFunctionsOfTheSpi(@TempDir Path dir) {
        Run symbols = NativeTools.run(List.of("readelf", "--dyn-syms", "-W", NativeTools.switchLibrary(dir).toString()));

        Matcher global = Pattern.compile("(?m)\\s(FUNC|OBJECT|NOTYPE)\\s+GLOBAL\\s+\\S+\\s+\\S+\\s+(\\S+)$")
                .matcher(symbols.output());
        List<String> exported = new ArrayList<>();
        while (global.find()) {
            assertThat(global.group(1)).as(symbols::describe).isEqualTo("FUNC");
            exported.add(global.group(2));
        }
        assertThat(exported).as(symbols::describe).containsExactlyInAnyOrder(
                "fringe_init", "fringe_resume", "fringe_stack_register", "fringe_stack_deregister");
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
        // be loaded into this process anyway. The error is what a user with a mismatched JVM sees.
        assertThatThrownBy(arch::load).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("fringe-arch-x86: cannot load the native context switch libfringe_x86.so")
                .hasMessageContaining("os.arch=" + System.getProperty("os.arch"))
                .hasMessageContaining("linux-x86/libfringe_x86.so")
                .hasMessageContaining("java.class.path=" + System.getProperty("java.class.path"))
                .hasMessageContaining("-Djna.debug_load=true")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(arch::load).as("the failure is remembered, not retried")
                .isInstanceOf(UnsatisfiedLinkError.class).hasMessageContaining("Cause: ");
    }
}
