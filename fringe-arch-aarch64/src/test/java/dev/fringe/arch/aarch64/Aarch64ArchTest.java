package dev.fringe.arch.aarch64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import dev.fringe.arch.aarch64.NativeTools.Run;
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
 * The provider class and the shape of the library it ships, as far as the x86_64 build JVM can
 * see them. The library itself runs in {@link SwitchHarnessTest} (from C, under qemu-aarch64) and
 * in fringe-tests' native suite on Debian's arm64 OpenJDK under qemu-aarch64 (through JNA).
 */
class Aarch64ArchTest {

    private final Aarch64Arch arch = new Aarch64Arch();

    @Test
    void describesAarch64AsJnaNamesIt() throws Exception {
        assertThat(arch.resourcePrefix()).isEqualTo("linux-aarch64");
        assertThat(arch.artifactId()).isEqualTo("fringe-arch-aarch64");
        assertThat(arch.wordSize()).isEqualTo(8);
        assertThat(arch.stackAlignment()).isEqualTo(16);
        // JNA's own mapping (Platform.getNativeLibraryResourcePrefix, a pure function of the OS
        // type and os.arch; package-private, hence reflection): what an arm64 JVM reports.
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix",
                int.class, String.class, String.class);
        prefix.setAccessible(true);
        assertThat(prefix.invoke(null, Platform.LINUX, "aarch64", "Linux")).isEqualTo(arch.resourcePrefix());
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(ArchSupport.class).stream().map(ServiceLoader.Provider::type))
                .contains(Aarch64Arch.class);
    }

    @Test
    void libraryIsOnTheClassPathUnderTheResourcePrefix() {
        assertThat(Aarch64Arch.class.getClassLoader().getResource(arch.resourcePrefix() + "/libfringe_aarch64.so"))
                .as("the library the build assembles from src/main/asm").isNotNull();
    }

    @Test
    void libraryIsAPositionIndependentAarch64ObjectWithoutRelocations(@TempDir Path dir) {
        Path library = NativeTools.switchLibrary(dir);

        Run header = NativeTools.run(List.of("readelf", "-h", library.toString()));
        assertThat(header.output()).as(header::describe).containsPattern("Class:\\s+ELF64")
                .containsPattern("Machine:\\s+AArch64").containsPattern("Type:\\s+DYN");
        Run dynamic = NativeTools.run(List.of("readelf", "-d", library.toString()));
        assertThat(dynamic.output()).as(dynamic::describe).doesNotContain("TEXTREL").doesNotContain("NEEDED");
        Run relocations = NativeTools.run(List.of("readelf", "-r", library.toString()));
        assertThat(relocations.output()).as(relocations::describe).contains("There are no relocations in this file.");
        Run segments = NativeTools.run(List.of("readelf", "-lW", library.toString()));
        assertThat(segments.output()).as(segments::describe).containsPattern("GNU_STACK.* RW  ")
                .contains("GNU_PROPERTY");
    }

    @Test
    void libraryIsMarkedBtiAndPacCompatible(@TempDir Path dir) {
        // What makes ld.so map it guarded in a BTI process (fringe_aarch64.S, "BTI and PAC").
        Run notes = NativeTools.run(List.of("readelf", "-n", NativeTools.switchLibrary(dir).toString()));

        assertThat(notes.output()).as(notes::describe).contains("AArch64 feature: BTI, PAC");
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
    void loadingOnAnotherArchitecturesJvmFailsSayingWhereItLookedAndHowToSeeMore() {
        // The build JVM is x86_64: JNA looks under linux-x86-64/. The error is what a user who
        // put the wrong architecture's jar on the class path sees.
        assertThatThrownBy(arch::load).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("fringe-arch-aarch64: cannot load the native context switch libfringe_aarch64.so")
                .hasMessageContaining("os.arch=" + System.getProperty("os.arch"))
                .hasMessageContaining("linux-aarch64/libfringe_aarch64.so")
                .hasMessageContaining("java.class.path=" + System.getProperty("java.class.path"))
                .hasMessageContaining("-Djna.debug_load=true")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(arch::load).as("the failure is remembered, not retried")
                .isInstanceOf(UnsatisfiedLinkError.class).hasMessageContaining("Cause: ");
    }
}
