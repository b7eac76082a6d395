// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.Yielder;
import dev.fringe.stackless.samples.Bodies;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code -javaagent} front end: a JVM started with it runs the untransformed sample bodies on
 * the {@code stackless} backend (transformed as they load), one started without it on another
 * backend, with the same results. The agent jar is assembled here from this module's classes
 * with the same {@code Premain-Class} as the real jar (tests run before {@code package}).
 */
class AgentTest {
    @TempDir
    Path dir;

    @Test
    void withTheAgent_bodiesRunStackless_withoutIt_onAnotherBackend_withTheSameResults() throws Exception {
        Path agent = agentJar();

        List<String> with = run("-javaagent:" + agent + "=verbose");
        List<String> without = run();

        assertThat(with).contains(
                "Generator[stackless] t0:1 t01:3 t012:0 done 4 t012",
                "Generator[stackless] bottom deep 5",
                "Generator[stackless] first bottom caught negative -3",
                "Generator[stackless] named 1 named again");
        assertThat(with).anyMatch(l -> l.equals("fringe-stackless agent: transformed " + Bodies.class.getName()));
        assertThat(without).containsExactly(
                "Generator[thread] t0:1 t01:3 t012:0 done 4 t012",
                "Generator[thread] bottom deep 5",
                "Generator[thread] first bottom caught negative -3",
                "Generator[thread] named 1 named again");
    }

    private Path agentJar() throws Exception {
        Path classes = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), Agent.class.getName());
        Path jar = dir.resolve("fringe-stackless-agent.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return jar;
    }

    private static List<String> run(String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(location(Bodies.class) + File.pathSeparator + location(Yielder.class));
        cmd.add(Bodies.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(p.exitValue()).as("%s\n%s", cmd, output).isZero();
        return output.lines().toList();
    }

    private static String location(Class<?> c) throws IOException {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
