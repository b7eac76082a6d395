// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import dev.fringe.jna.spi.AbstractArchSupport;
import dev.fringe.jna.spi.ArchSupport;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.LongToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The tests every {@code fringe-arch-*} module runs against its {@link ArchSupport} provider on
 * the build machine, and checks its own tests call. A module's {@code <Arch>ArchTest} extends it,
 * passes its provider and the library's file name, and adds the tests only its architecture has
 * (what the provider describes, narrowing, what loading says on the build JVM, the ELF file).
 *
 * @param <A> the provider class
 */
public abstract class AbstractArchSupportTest<A extends AbstractArchSupport> {

    /** The provider under test, freshly constructed (nothing loaded). */
    protected final A arch;
    private final String libraryFile;

    /**
     * Sets up the tests for one provider.
     *
     * @param arch        a new instance of the provider
     * @param libraryFile the library's file name, spelled out (not derived from the provider's
     *                    constants, which these tests check), e.g. {@code "libfringe_x86.so"}
     */
    protected AbstractArchSupportTest(A arch, String libraryFile) {
        this.arch = arch;
        this.libraryFile = libraryFile;
    }

    /** The provider is registered with {@link ServiceLoader} (AutoService's META-INF/services). */
    @Test
    protected void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(ArchSupport.class).stream().map(ServiceLoader.Provider::type))
                .contains(arch.getClass());
    }

    /** The build assembled the library into the module's classes, where the provider says. */
    @Test
    protected void libraryIsOnTheClassPathUnderTheResourcePrefix() {
        assertThat(arch.getClass().getClassLoader().getResource(arch.resourcePrefix() + "/" + libraryFile))
                .as("the library the build assembles from src/main/asm").isNotNull();
        assertThat(arch.library().resourcePath()).isEqualTo(arch.resourcePrefix() + "/" + libraryFile);
    }

    /**
     * Asserts the provider's constants.
     *
     * @param resourcePrefix JNA's resource prefix it must serve
     * @param artifactId     its artifact id
     * @param wordSize       the ABI's word size
     * @param stackAlignment the ABI's stack alignment
     */
    protected void assertDescribes(String resourcePrefix, String artifactId, int wordSize, int stackAlignment) {
        assertThat(arch.resourcePrefix()).isEqualTo(resourcePrefix);
        assertThat(arch.artifactId()).isEqualTo(artifactId);
        assertThat(arch.wordSize()).isEqualTo(wordSize);
        assertThat(arch.stackAlignment()).isEqualTo(stackAlignment);
    }

    /**
     * Returns JNA's resource prefix for a Linux JVM that reports {@code osArch}: JNA's own mapping
     * ({@code Platform.getNativeLibraryResourcePrefix}, a pure function of the OS type and
     * {@code os.arch}; package-private, hence reflection). fringe never maps {@code os.arch} by
     * hand.
     *
     * @param osArch e.g. {@code "i386"}
     * @return e.g. {@code "linux-x86"}
     * @throws ReflectiveOperationException if JNA no longer has that method
     */
    protected static String jnaResourcePrefix(String osArch) throws ReflectiveOperationException {
        Method prefix = Platform.class.getDeclaredMethod("getNativeLibraryResourcePrefix",
                int.class, String.class, String.class);
        prefix.setAccessible(true);
        return (String) prefix.invoke(null, Platform.LINUX, osArch, "Linux");
    }

    /**
     * Asserts that {@link ArchSupport#load()} fails on this (another architecture's) JVM, saying
     * what it looked for, where, and how to see more, and that the failure is remembered.
     *
     * @param messageParts what the message must contain besides the library's resource path,
     *                     {@code os.arch}, the class path and {@code -Djna.debug_load=true}
     */
    protected void assertLoadFailsSayingWhereItLooked(String... messageParts) {
        // The build JVM is not this architecture's: JNA searches its own prefix, does not find
        // the library there (nor could load it), and the error is what a user who put the wrong
        // architecture's jar on the class path sees.
        assertThat(Platform.RESOURCE_PREFIX).isNotEqualTo(arch.resourcePrefix());

        assertThatThrownBy(arch::load).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining(arch.artifactId() + ": cannot load the native context switch " + libraryFile)
                .hasMessageContaining("os.arch=" + System.getProperty("os.arch"))
                .hasMessageContaining(arch.resourcePrefix() + "/" + libraryFile)
                .hasMessageContaining("java.class.path=" + System.getProperty("java.class.path"))
                .hasMessageContaining("-Djna.debug_load=true")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class)
                .satisfies(error -> {
                    for (String part : messageParts) {
                        assertThat(error.getMessage()).contains(part);
                    }
                });
        assertThatThrownBy(arch::load).as("the failure is remembered, not retried")
                .isInstanceOf(UnsatisfiedLinkError.class).hasMessageContaining("Cause: ");
    }

    /**
     * Asserts the narrowing of a 32-bit provider that takes a machine word zero- or
     * sign-extended.
     *
     * @param word the provider's narrowing function
     */
    protected static void assertNarrowsZeroOrSignExtendedWords(LongToIntFunction word) {
        assertThat(word.applyAsInt(0)).isZero();
        assertThat(word.applyAsInt(0x7fff_fff0L)).isEqualTo(0x7fff_fff0);
        assertThat(word.applyAsInt(0xffff_fff0L)).as("zero-extended").isEqualTo(0xffff_fff0);
        assertThat(word.applyAsInt(-16L)).as("sign-extended").isEqualTo(0xffff_fff0);
        assertThat(word.applyAsInt(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> word.applyAsInt(0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x100000000");
        assertThatThrownBy(() -> word.applyAsInt(-0x8000_0001L)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Asserts, with {@code readelf}, that the shipped library is a shared object of the expected
     * class and machine that the dynamic loader need not patch: position-independent, no text
     * relocations, no relocations at all, no {@code DT_NEEDED}, a non-executable stack.
     *
     * @param library      the library file
     * @param elfClass     e.g. {@code "ELF32"}
     * @param machine      as readelf names it, e.g. {@code "Intel 80386"}
     * @param segmentsAlso what else readelf's segment list must contain (e.g.
     *                     {@code "GNU_PROPERTY"}), or nothing
     */
    protected static void assertPositionIndependentWithoutRelocations(Path library, String elfClass, String machine,
            String... segmentsAlso) {
        Run header = NativeTools.run(List.of("readelf", "-h", library.toString()));
        assertThat(header.output()).as(header::describe).containsPattern("Class:\\s+" + elfClass)
                .containsPattern("Machine:\\s+" + machine).containsPattern("Type:\\s+DYN");
        // No text relocations, and no relocations at all: nothing for ld.so to patch.
        Run dynamic = NativeTools.run(List.of("readelf", "-d", library.toString()));
        assertThat(dynamic.output()).as(dynamic::describe).doesNotContain("TEXTREL").doesNotContain("NEEDED");
        Run relocations = NativeTools.run(List.of("readelf", "-r", library.toString()));
        assertThat(relocations.output()).as(relocations::describe).contains("There are no relocations in this file.");
        Run segments = NativeTools.run(List.of("readelf", "-lW", library.toString()));
        assertThat(segments.output()).as(segments::describe).containsPattern("GNU_STACK.* RW  ");
        for (String segment : segmentsAlso) {
            assertThat(segments.output()).as(segments::describe).contains(segment);
        }
    }

    /**
     * Asserts, with {@code readelf}, that the library's dynamic symbol table exports exactly the
     * four functions of the SPI plus {@code alsoExported}, all of them functions.
     *
     * @param library      the library file
     * @param alsoExported an architecture's additional entry points (e.g. a second switch flavour)
     */
    protected static void assertExportsTheSpiFunctions(Path library, String... alsoExported) {
        Run symbols = NativeTools.run(List.of("readelf", "--dyn-syms", "-W", library.toString()));

        Matcher global = Pattern.compile("(?m)\\s(FUNC|OBJECT|NOTYPE)\\s+GLOBAL\\s+\\S+\\s+\\S+\\s+(\\S+)$")
                .matcher(symbols.output());
        List<String> exported = new ArrayList<>();
        while (global.find()) {
            assertThat(global.group(1)).as(symbols::describe).isEqualTo("FUNC");
            exported.add(global.group(2));
        }
        List<String> expected = new ArrayList<>(
                List.of("fringe_init", "fringe_resume", "fringe_stack_register", "fringe_stack_deregister"));
        expected.addAll(List.of(alsoExported));
        assertThat(exported).as(symbols::describe).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Returns the switch library this module built, as a file ({@link NativeTools#classPathFile}).
     *
     * @param dir where to extract it if it is inside a jar
     * @return the file
     */
    protected Path switchLibrary(Path dir) {
        return NativeTools.classPathFile(arch.library().resourcePath(), dir);
    }
}
