// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.maven;

import dev.fringe.stackless.transform.ClassSource;
import dev.fringe.stackless.transform.TransformException;
import dev.fringe.stackless.transform.Transformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Transforms every class file under a directory in place, reading the classes they refer to
 * from that directory, a class path and the running JDK. Independent of Maven, so that tests
 * and other build tools can run it.
 */
public final class ClassDirectory {
    private ClassDirectory() {}

    /**
     * What a run did.
     *
     * @param classes     the class files found
     * @param transformed how many of them were rewritten
     * @param notes       what the build log should say: refused methods and why
     */
    public record Summary(int classes, int transformed, List<String> notes) {}

    /**
     * Transforms the classes under {@code directory}.
     *
     * @param directory the compiled classes, rewritten in place
     * @param classPath the class path they were compiled against (directories and jars)
     * @param log       receives one line per transformed class
     * @return what was done
     * @throws IOException        if a file cannot be read or written
     * @throws TransformException if a class cannot be transformed (nothing of it was written;
     *                            classes transformed before it stay transformed)
     */
    public static Summary transform(Path directory, List<Path> classPath, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(directory)) {
            return new Summary(0, 0, List.of());
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).sorted().toList();
        }
        List<JarFile> jars = new ArrayList<>();
        try {
            List<Path> path = new ArrayList<>();
            path.add(directory);
            path.addAll(classPath);
            List<Object> entries = new ArrayList<>();
            for (Path p : path) {
                if (Files.isDirectory(p)) {
                    entries.add(p);
                } else if (Files.isRegularFile(p)) {
                    JarFile jar = new JarFile(p.toFile());
                    jars.add(jar);
                    entries.add(jar);
                }
            }
            Transformer transformer = new Transformer(source(entries),
                    name -> Files.isRegularFile(directory.resolve(name + ".class")));
            int changed = 0;
            List<String> notes = new ArrayList<>();
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                Transformer.Result r = transformer.transform(bytes);
                notes.addAll(r.notes());
                if (r.changed()) {
                    Files.write(file, r.bytes());
                    changed++;
                    log.accept("transformed " + r.className());
                }
            }
            return new Summary(files.size(), changed, notes);
        } finally {
            for (JarFile j : jars) {
                j.close();
            }
        }
    }

    private static ClassSource source(List<Object> entries) {
        ClassSource jdk = ClassSource.of(ClassLoader.getPlatformClassLoader());
        return name -> {
            String resource = name + ".class";
            try {
                for (Object e : entries) {
                    if (e instanceof Path dir) {
                        Path f = dir.resolve(resource);
                        if (Files.isRegularFile(f)) {
                            return Optional.of(Files.readAllBytes(f));
                        }
                    } else {
                        JarFile jar = (JarFile) e;
                        synchronized (jar) {
                            ZipEntry z = jar.getEntry(resource);
                            if (z != null) {
                                try (InputStream in = jar.getInputStream(z)) {
                                    return Optional.of(in.readAllBytes());
                                }
                            }
                        }
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return jdk.find(name);
        };
    }
}
