// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fringe.Backends;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.BackendProbe;
import dev.fringe.tests.support.ChildJvm;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code fringe-backend-loom}'s jar is a multi-release jar whose root layer (module descriptor
 * and two stand-in providers) is release 17, so that a JDK 17 reads it on the module path and
 * the class path alike and simply reports both backends as needing JDK 21, while JDK 21+ runs
 * the real classes from {@code META-INF/versions/21}. Before, the release 21 module descriptor
 * made a JDK 17 module path fail at start-up with a {@code FindException}.
 *
 * <p>The JDK 17 runs use Debian's OpenJDK 17 ({@value #JDK17_DEFAULT}, or
 * {@code -Dfringe.test.jdk17=JAVA_HOME}); without it they are skipped, except with
 * {@code CI=true}, where they fail.
 */
class LoomMultiReleaseJarTest {
    static final String JDK17_DEFAULT = "/usr/lib/jvm/java-17-openjdk-amd64";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void jdk17_modulePath_readsTheJar_reportsBothBackendsAsNeedingJdk21_andRunsGenerators() {
        ChildJvm.Result r = ChildJvm.withArgs().java(jdk17())
                .jvmArgs("--module-path " + jar("fringe-api") + File.pathSeparator + jar("fringe-backend-loom"),
                        "--add-modules ALL-MODULE-PATH")
                .classPath(ChildJvm.location(BackendProbe.class))
                .run(TIMEOUT, BackendProbe.class);
        assertRunsOnThreadBackend(r);
        assertThat(r.value("loaded-from.continuation")).as("%s", r).isEqualTo("named module dev.fringe.loom");
    }

    @Test
    void jdk17_classPath_reportsBothBackendsAsNeedingJdk21_andRunsGenerators() {
        ChildJvm.Result r = ChildJvm.withArgs().java(jdk17())
                .classPath(jar("fringe-api"), jar("fringe-backend-loom"), ChildJvm.location(BackendProbe.class))
                .run(TIMEOUT, BackendProbe.class);
        assertRunsOnThreadBackend(r);
    }

    @Test
    void buildJdk_modulePath_runsTheRealBackends() {
        ChildJvm.Result r = ChildJvm.withArgs()
                .jvmArgs("--module-path " + jar("fringe-api") + File.pathSeparator + jar("fringe-backend-loom"),
                        "--add-modules ALL-MODULE-PATH")
                .classPath(ChildJvm.location(BackendProbe.class))
                .run(TIMEOUT, BackendProbe.class);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.value("loaded-from.virtual-thread")).as("%s", r).isEqualTo("named module dev.fringe.loom");
        assertThat(r.value("backend.virtual-thread")).as("%s", r).isEqualTo("200|usable");
        assertThat(r.value("selected")).as("%s", r).isEqualTo("virtual-thread");
        assertThat(r.value("create")).as("%s", r).isEqualTo("1,2,3,finished");
    }

    @Test
    void rootLayer_isRelease17_withOneDescriptor_andStandInsForExactlyTheDescribedProviders() throws IOException {
        try (JarFile jar = new JarFile(jar("fringe-backend-loom").toFile())) { // the root layer only
            assertThat(jar.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(jar.getEntry("META-INF/versions/21/module-info.class"))
                    .as("a second descriptor could disagree with the root one").isNull();
            ModuleDescriptor descriptor;
            try (InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
                descriptor = ModuleDescriptor.read(in);
            }
            assertThat(descriptor.name()).isEqualTo("dev.fringe.loom");
            List<String> providers = descriptor.provides().stream()
                    .flatMap(p -> p.providers().stream()).collect(Collectors.toList());
            assertThat(providers).isNotEmpty();
            for (String provider : providers) {
                String path = provider.replace('.', '/') + ".class";
                assertThat(jar.getEntry(path)).as("JDK 17 stand-in for %s", provider).isNotNull();
                assertThat(jar.getEntry("META-INF/versions/21/" + path)).as("real %s", provider).isNotNull();
            }
            for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")
                    && !e.getName().startsWith("META-INF/versions/")).collect(Collectors.toList())) {
                assertThat(release(jar, e)).as("release of %s", e.getName()).isEqualTo(17);
            }
            for (JarEntry e : jar.stream().filter(e -> e.getName().startsWith("META-INF/versions/21/")
                    && e.getName().endsWith(".class")).collect(Collectors.toList())) {
                assertThat(release(jar, e)).as("release of %s", e.getName()).isEqualTo(21);
            }
        }
    }

    @Test
    void standIns_haveTheNamesAndPrioritiesOfTheRealBackends() throws Exception {
        Path loom = jar("fringe-backend-loom");
        Set<String> names = Set.of("continuation", "virtual-thread");
        try (JarFile jar = new JarFile(loom.toFile())) {
            RootLayerLoader loader = new RootLayerLoader(jar);
            for (String provider : List.of("dev.fringe.loom.ContinuationBackend", "dev.fringe.loom.VirtualThreadBackend")) {
                GeneratorBackend standIn = (GeneratorBackend) loader.loadClass(provider).getConstructor().newInstance();
                assertThat(standIn.getClass().getClassLoader()).isSameAs(loader);
                assertThat(names).contains(standIn.name());
                GeneratorBackend real = Backends.named(standIn.name()).orElseThrow(
                        () -> new AssertionError("no real backend named " + standIn.name()));
                assertThat(real.getClass().getClassLoader()).isNotSameAs(loader);
                assertThat(standIn.priority()).as("priority of %s", standIn.name()).isEqualTo(real.priority());
                assertThat(standIn.unavailableReason()).hasValueSatisfying(
                        reason -> assertThat(reason).contains("needs JDK 21 or later"));
            }
        }
    }

    private static void assertRunsOnThreadBackend(ChildJvm.Result r) {
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.output()).as("%s", r).doesNotContain("FindException").doesNotContain("unloadable");
        assertThat(r.value("order")).as("%s", r).isEqualTo("continuation,virtual-thread,thread");
        for (String name : List.of("continuation", "virtual-thread")) {
            assertThat(r.value("backend." + name)).as("%s", r).contains("|unavailable: the " + name
                    + " backend (fringe-backend-loom) needs JDK 21 or later; this JVM is 17");
        }
        assertThat(r.value("selected")).as("%s", r).isEqualTo("thread");
        assertThat(r.value("create")).as("%s", r).isEqualTo("1,2,3,finished");
    }

    private static int release(JarFile jar, JarEntry e) throws IOException {
        try (DataInputStream in = new DataInputStream(jar.getInputStream(e))) {
            assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
            in.readUnsignedShort();
            return in.readUnsignedShort() - 44;
        }
    }

    /** The jar of a fringe module on the test class path; the layout tests need the packaged jar. */
    private static Path jar(String artifactId) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String file = p.getFileName().toString();
            if (file.startsWith(artifactId + "-") && file.endsWith(".jar")) {
                return p;
            }
            if (p.endsWith(Path.of(artifactId, "target", "classes"))) {
                Assumptions.abort(artifactId + " is on the class path as a directory (" + p + "), not as its jar:"
                        + " run the build up to the package phase (mvn verify) to test the jar");
            }
        }
        return fail("%s not on the class path %s", artifactId, System.getProperty("java.class.path"));
    }

    private static Path jdk17() {
        String home = System.getProperty("fringe.test.jdk17", JDK17_DEFAULT);
        Path java = Path.of(home, "bin", "java");
        if (!Files.isExecutable(java)) {
            String message = "no OpenJDK 17 at " + home + " (set -Dfringe.test.jdk17=JAVA_HOME; ./scripts/test.sh"
                    + " installs Debian's openjdk-17-jre-headless as root)";
            if (Arrays.asList("true", "1").contains(System.getenv("CI"))) {
                fail("CI=true: " + message);
            }
            Assumptions.abort(message);
        }
        return java;
    }

    /** Loads {@code dev.fringe.loom} from the jar's root layer, everything else from the test's loader. */
    private static final class RootLayerLoader extends ClassLoader {
        private final JarFile jar;

        RootLayerLoader(JarFile jar) {
            super(LoomMultiReleaseJarTest.class.getClassLoader());
            this.jar = jar;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.fringe.loom.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    JarEntry e = jar.getJarEntry(name.replace('.', '/') + ".class");
                    if (e == null) {
                        throw new ClassNotFoundException(name + " is not in the root layer of " + jar.getName());
                    }
                    try (InputStream in = jar.getInputStream(e)) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException io) {
                        throw new UncheckedIOException(io);
                    }
                }
                return c;
            }
        }
    }
}
