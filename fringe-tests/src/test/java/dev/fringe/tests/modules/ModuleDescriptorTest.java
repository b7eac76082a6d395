// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * fringe's modules as the module system sees them (jars or exploded directories found on the
 * test class path): exactly the exported packages of the public contract, internal packages kept
 * out, {@code provides} matching the {@code META-INF/services} files AutoService generates (so
 * the module path and the class path find the same providers), and each module compiled for the
 * release the README promises (JDK 17 for all but the Loom backend, JDK 21 for that one).
 */
class ModuleDescriptorTest {
    private static final Map<String, Expected> EXPECTED = Map.of(
            "dev.fringe", new Expected(Set.of("dev.fringe", "dev.fringe.spi", "dev.fringe.stackless",
                    "dev.fringe.internal to [dev.fringe.loom]"),
                    Map.of("dev.fringe.spi.GeneratorBackend",
                            Set.of("dev.fringe.internal.ThreadBackend", "dev.fringe.stackless.StacklessBackend")), 17),
            "dev.fringe.loom", new Expected(Set.of(),
                    Map.of("dev.fringe.spi.GeneratorBackend",
                            Set.of("dev.fringe.loom.ContinuationBackend", "dev.fringe.loom.VirtualThreadBackend")), 21),
            "dev.fringe.jna", new Expected(Set.of("dev.fringe.jna", "dev.fringe.jna.spi"), Map.of(), 17),
            "dev.fringe.arch.x86_64", new Expected(Set.of(),
                    Map.of("dev.fringe.jna.spi.ArchSupport", Set.of("dev.fringe.arch.x86_64.X86_64Arch")), 17));

    private static final class Expected {
        final Set<String> exports;
        final Map<String, Set<String>> provides;
        final int release;

        Expected(Set<String> exports, Map<String, Set<String>> provides, int release) {
            this.exports = exports;
            this.provides = provides;
            this.release = release;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.fringe", "dev.fringe.loom", "dev.fringe.jna", "dev.fringe.arch.x86_64"})
    void module_exportsProvidesAndRelease(String name) throws IOException {
        ModuleReference ref = find(name);
        ModuleDescriptor descriptor = ref.descriptor();
        Expected expected = EXPECTED.get(name);

        Set<String> exports = descriptor.exports().stream()
                .map(e -> e.isQualified() ? e.source() + " to " + new TreeSet<>(e.targets()) : e.source())
                .collect(Collectors.toSet());
        assertThat(exports).as("exports of %s", name).containsExactlyInAnyOrderElementsOf(expected.exports);

        Map<String, Set<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, p -> Set.copyOf(p.providers())));
        assertThat(provides).as("provides of %s", name).isEqualTo(expected.provides);

        try (ModuleReader reader = ref.open()) {
            for (Map.Entry<String, Set<String>> service : expected.provides.entrySet()) {
                Optional<InputStream> file = reader.open("META-INF/services/" + service.getKey());
                assertThat(file).as("class-path registration of %s in %s", service.getKey(), name).isPresent();
                try (InputStream in = file.get()) {
                    Set<String> listed = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                            .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
                    assertThat(listed).as("META-INF/services must match provides in %s", name)
                            .isEqualTo(service.getValue());
                }
            }
            String someClass = descriptor.packages().iterator().next().replace('.', '/');
            String classFile = reader.list().filter(p -> p.startsWith(someClass + "/") && p.endsWith(".class"))
                    .findFirst().orElseThrow();
            try (InputStream in = reader.open(classFile).orElseThrow()) {
                DataInputStream data = new DataInputStream(in);
                assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                data.readUnsignedShort();
                int major = data.readUnsignedShort();
                assertThat(major - 44).as("release of %s (%s)", name, classFile).isEqualTo(expected.release);
            }
        }
    }

    private static ModuleReference find(String name) {
        Path[] entries = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of).toArray(Path[]::new);
        for (Path entry : entries) {
            Optional<ModuleReference> ref;
            try {
                ref = ModuleFinder.of(entry).find(name);
            } catch (RuntimeException notAModule) {
                continue;
            }
            if (ref.isPresent()) {
                return ref.get();
            }
        }
        throw new AssertionError("module " + name + " not found on the class path " + Arrays.toString(entries));
    }
}
