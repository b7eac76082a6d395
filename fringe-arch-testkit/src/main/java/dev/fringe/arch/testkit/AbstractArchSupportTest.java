// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Platform;
import dev.fringe.jna.spi.ArchSupport;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests every {@code fringe-arch-*} module runs against its {@link ArchSupport} description
 * on the build machine, and checks its own tests call. A module's {@code <Arch>ArchTest} extends
 * it, passes its description and the library's file name, and adds the tests only its
 * architecture has (the constants, JNA's name for its platform, the ELF file).
 *
 * <p>The description and the library are written by hand in two languages; these tests hold
 * them together: the library sits where the description says, exports every function the
 * description names, and has the description's word size.
 *
 * @param <A> the description class
 */
public abstract class AbstractArchSupportTest<A extends ArchSupport> {

    /** The description under test, freshly constructed. */
    protected final A arch;
    private final String libraryFile;

    /**
     * Sets up the tests for one description.
     *
     * @param arch        a new instance of the description
     * @param libraryFile the library's file name, spelled out (not derived from the description,
     *                    which these tests check), e.g. {@code "libfringe_x86.so"}
     */
    protected AbstractArchSupportTest(A arch, String libraryFile) {
        this.arch = arch;
        this.libraryFile = libraryFile;
    }

    /** The description is registered with {@link ServiceLoader} (AutoService's META-INF/services). */
    @Test
    protected void serviceLoaderFindsTheDescription() {
        assertThat(ServiceLoader.load(ArchSupport.class).stream().map(ServiceLoader.Provider::type))
                .contains(arch.getClass());
    }

    /** The build put the library into the module's classes, where the description says. */
    @Test
    protected void libraryIsOnTheClassPathUnderTheResourcePrefix() {
        assertThat(arch.getClass().getClassLoader().getResource(arch.resourcePrefix() + "/" + libraryFile))
                .as("the library the build assembles from src/main/asm").isNotNull();
        assertThat(arch.resourcePath()).isEqualTo(arch.resourcePrefix() + "/" + libraryFile);
    }

    /**
     * Every symbol the description names (the ones {@code fringe-backend-jna} binds) is a
     * function the library exports: a renamed entry point in the {@code .S} or a typo here fails
     * this, not a user's first generator.
     *
     * @param dir where to extract the library
     */
    @Test
    protected void libraryExportsEveryFunctionTheDescriptionNames(@TempDir Path dir) {
        assertThat(exportedFunctions(switchLibrary(dir))).containsAll(describedSymbols());
    }

    /**
     * The library's ELF class is the description's word size: a 64-bit description of a 32-bit
     * library (or the other way round) would pass every word wrongly.
     *
     * @param dir where to extract the library
     */
    @Test
    protected void libraryHasTheDescribedWordSize(@TempDir Path dir) {
        Run header = NativeTools.run(List.of("readelf", "-h", switchLibrary(dir).toString()));
        assertThat(header.output()).as(header::describe).containsPattern("Class:\\s+ELF" + 8 * arch.wordSize());
    }

    /**
     * Asserts the description's constants.
     *
     * @param resourcePrefix JNA's resource prefix it must serve
     * @param artifactId     its artifact id
     * @param libraryName    the library's name without {@code lib} and {@code .so}
     * @param wordSize       the ABI's word size
     * @param stackAlignment the ABI's stack alignment
     */
    protected void assertDescribes(String resourcePrefix, String artifactId, String libraryName, int wordSize,
            int stackAlignment) {
        assertThat(arch.resourcePrefix()).isEqualTo(resourcePrefix);
        assertThat(arch.artifactId()).isEqualTo(artifactId);
        assertThat(arch.libraryName()).isEqualTo(libraryName);
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
     * Asserts, with {@code readelf}, that the shipped library is a shared object of the expected
     * class and machine that loads anywhere: position-independent, no text relocations, a
     * non-executable stack. Without overflow recovery ({@link ArchSupport#recoversOverflow()})
     * it needs nothing: no relocations at all, no {@code DT_NEEDED}. With it, it needs libc and
     * nothing newer than glibc 2.18 from it (fringe_guard.c says why), and is never unloaded
     * ({@code NODELETE}: the kernel calls its signal handler for the rest of the process).
     *
     * @param library      the library file
     * @param elfClass     e.g. {@code "ELF32"}
     * @param machine      as readelf names it, e.g. {@code "Intel 80386"}
     * @param segmentsAlso what else readelf's segment list must contain (e.g.
     *                     {@code "GNU_PROPERTY"}), or nothing
     */
    protected void assertPositionIndependentAndSelfContained(Path library, String elfClass, String machine,
            String... segmentsAlso) {
        Run header = NativeTools.run(List.of("readelf", "-h", library.toString()));
        assertThat(header.output()).as(header::describe).containsPattern("Class:\\s+" + elfClass)
                .containsPattern("Machine:\\s+" + machine).containsPattern("Type:\\s+DYN");
        Run dynamic = NativeTools.run(List.of("readelf", "-d", library.toString()));
        assertThat(dynamic.output()).as(dynamic::describe).doesNotContain("TEXTREL");
        if (arch.recoversOverflow()) {
            Matcher needed = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)\\]").matcher(dynamic.output());
            List<String> libraries = new ArrayList<>();
            while (needed.find()) {
                libraries.add(needed.group(1));
            }
            assertThat(libraries).as(dynamic::describe).containsExactly("libc.so.6");
            assertThat(dynamic.output()).as(dynamic::describe).containsPattern("FLAGS_1.*NODELETE");
            Run versions = NativeTools.run(List.of("readelf", "-V", "-W", library.toString()));
            Matcher glibc = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)").matcher(versions.output());
            int found = 0;
            while (glibc.find()) {
                found++;
                int major = Integer.parseInt(glibc.group(1));
                int minor = Integer.parseInt(glibc.group(2));
                assertThat(major * 1000 + minor).as("%s needs at most glibc 2.18\n%s", glibc.group(), versions.describe())
                        .isLessThanOrEqualTo(2018);
            }
            assertThat(found).as(versions::describe).isPositive();
        } else {
            // No relocations at all: nothing for ld.so to patch.
            assertThat(dynamic.output()).as(dynamic::describe).doesNotContain("NEEDED");
            Run relocations = NativeTools.run(List.of("readelf", "-r", library.toString()));
            assertThat(relocations.output()).as(relocations::describe).contains("There are no relocations in this file.");
        }
        Run segments = NativeTools.run(List.of("readelf", "-lW", library.toString()));
        assertThat(segments.output()).as(segments::describe).containsPattern("GNU_STACK.* RW  ");
        for (String segment : segmentsAlso) {
            assertThat(segments.output()).as(segments::describe).contains(segment);
        }
    }

    /**
     * Asserts, with {@code readelf}, that the library's dynamic symbol table exports exactly the
     * functions the description names (with overflow recovery, its functions too, and the
     * diagnostics of fringe_guard.c that tests call) plus {@code alsoExported}, all of them
     * functions.
     *
     * @param library      the library file
     * @param alsoExported an architecture's entry points that no binding calls, if any
     */
    protected void assertExportsExactlyTheDescribedFunctions(Path library, String... alsoExported) {
        List<String> expected = new ArrayList<>(describedSymbols());
        expected.addAll(guardDiagnostics());
        expected.addAll(List.of(alsoExported));
        assertThat(exportedFunctions(library)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private List<String> describedSymbols() {
        List<String> symbols = new ArrayList<>(List.of(arch.initSymbol(), arch.resumeSymbol(),
                arch.returningResumeSymbol(), arch.stackRegisterSymbol(), arch.stackDeregisterSymbol()));
        if (arch.recoversOverflow()) {
            symbols.addAll(List.of(arch.guardedResumeSymbol(), arch.guardedReturningResumeSymbol(),
                    arch.guardRegisterSymbol(), arch.guardDeregisterSymbol()));
        }
        return symbols.stream().distinct().collect(Collectors.toList());
    }

    /**
     * The functions of fringe_guard.c that no binding calls but tests and diagnostics do: the
     * thread's setup, and counts of installed handlers, recovered overflows, alternate stacks and
     * registered guards. Exported by every library that recovers overflows.
     *
     * @return their names, or none without overflow recovery
     */
    protected List<String> guardDiagnostics() {
        return arch.recoversOverflow() ? List.of("fringe_guard_prepare_thread", "fringe_guard_installed",
                "fringe_guard_recovered_count", "fringe_guard_alternate_stacks", "fringe_guard_registered") : List.of();
    }

    /** The global symbols of a library's dynamic symbol table; each must be a function. */
    private static List<String> exportedFunctions(Path library) {
        Run symbols = NativeTools.run(List.of("readelf", "--dyn-syms", "-W", library.toString()));
        Matcher global = Pattern.compile("(?m)\\s(FUNC|OBJECT|NOTYPE)\\s+GLOBAL\\s+\\S+\\s+\\S+\\s+(\\S+)$")
                .matcher(symbols.output());
        List<String> exported = new ArrayList<>();
        while (global.find()) {
            assertThat(global.group(1)).as(symbols::describe).isEqualTo("FUNC");
            exported.add(global.group(2));
        }
        return exported;
    }

    /**
     * Returns the switch library this module built, as a file ({@link NativeTools#classPathFile}).
     *
     * @param dir where to extract it if it is inside a jar
     * @return the file
     */
    protected Path switchLibrary(Path dir) {
        return NativeTools.classPathFile(arch.resourcePath(), dir);
    }
}
