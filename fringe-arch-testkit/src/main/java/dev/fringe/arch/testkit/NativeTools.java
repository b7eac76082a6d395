// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the native tests of the {@code fringe-arch-*} modules share: finding the built switch
 * library and the C sources on the test class path, compiling, and running programs with a
 * timeout while keeping their output for failure messages. Every failure is an
 * {@link AssertionError} that says what ran and what it printed.
 *
 * <p>Class path resources are looked up with the thread's context class loader, which on
 * Surefire's class path sees the module's classes, its test resources and this kit alike; the
 * kit's own C sources sit beside this class ({@link #copyKitSource}).
 */
public final class NativeTools {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private NativeTools() {
    }

    /**
     * Returns the class path resource {@code path} as a file: the file itself when it is one
     * (the build's output directory, which the jar is packed from), else a copy in {@code dir}.
     *
     * @param path a class path resource, e.g. the switch library's resource path
     * @param dir  where to extract it if it is inside a jar
     * @return the file
     */
    public static Path classPathFile(String path, Path dir) {
        URL url = loader().getResource(path);
        if (url == null) {
            throw new AssertionError("class path resource " + path + " not found: the build assembles it"
                    + " from src/main/asm in the compile phase");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new AssertionError("unexpected URL " + url, e);
            }
        }
        return copyResource(path, dir);
    }

    /**
     * Copies a class path resource into {@code dir}, keeping its file name.
     *
     * @param name the resource, e.g. {@code "c/harness_arch.c"} (a module's test resource) or
     *             {@code "META-INF/include/fringe.h"} (fringe-backend-jna's)
     * @param dir  the directory
     * @return the copy
     */
    public static Path copyResource(String name, Path dir) {
        try (InputStream in = loader().getResourceAsStream(name)) {
            return copy(in, name, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies one of the kit's C sources ({@code src/main/c} of fringe-arch-testkit) into
     * {@code dir}.
     *
     * @param name its file name, e.g. {@code "selftest.c"}
     * @param dir  the directory
     * @return the copy
     */
    public static Path copyKitSource(String name, Path dir) {
        try (InputStream in = NativeTools.class.getResourceAsStream("c/" + name)) {
            return copy(in, name, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(InputStream in, String name, Path dir) throws IOException {
        if (in == null) {
            throw new AssertionError("class path resource " + name + " not found");
        }
        Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Compiles (or assembles, or links) with {@code compiler} and fails the test with its output
     * if that does not work.
     *
     * @param compiler  the program, e.g. {@code "gcc"}
     * @param arguments everything after it; each is turned into a string
     */
    public static void cc(String compiler, Object... arguments) {
        List<String> command = new ArrayList<>();
        command.add(compiler);
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        mustRun(command, null);
    }

    /**
     * Runs a tool that must succeed (a compiler, a linker), failing the test with its output if
     * not.
     *
     * @param command the tool and its arguments
     * @param workDir its working directory, or {@code null} for this process's
     */
    public static void mustRun(List<String> command, Path workDir) {
        Run run = run(command, workDir);
        if (run.exitCode() != 0) {
            throw new AssertionError("building a test program failed\n" + run.describe());
        }
    }

    /**
     * Runs a program to its end, like {@link #run(List, Path)}, in this process's working
     * directory.
     *
     * @param command the program and its arguments
     * @return its exit code and output
     */
    public static Run run(List<String> command) {
        return run(command, null);
    }

    /**
     * Runs a program to its end (at most two minutes) with stdout and stderr merged and nothing
     * on stdin. Give a temporary {@code workDir} for programs that may crash: a core file (or
     * qemu's {@code qemu_*.core}) then lands there, not in the source tree.
     *
     * @param command the program and its arguments
     * @param workDir its working directory, or {@code null} for this process's
     * @return its exit code and output (decoded as UTF-8, whatever bytes it printed)
     */
    public static Run run(List<String> command, Path workDir) {
        try {
            Path output = workDir == null ? Files.createTempFile("fringe-test-", ".out")
                    : Files.createTempFile(workDir, "fringe-test-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (workDir != null) {
                    builder.directory(workDir.toFile());
                }
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + TIMEOUT + ": " + String.join(" ", command)
                            + "\n--- output so far ---\n" + read(output));
                }
                return new Run(command, process.exitValue(), read(output));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (" + e.getMessage() + "). The"
                    + " fringe-arch-* tests need the module's C compiler (gcc, or a cross compiler), qemu-user"
                    + " for the other architectures, gdb, strace, valgrind and binutils: on Debian run `."
                    + " scripts/lib/common.sh && . scripts/lib/setup-debian.sh && ensure_tools test cross`"
                    + " as root", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /**
     * Returns a system property the module's POM passes to its tests (Surefire's
     * {@code systemPropertyVariables}), or fails saying so.
     *
     * @param name e.g. {@code "fringe.arch.cc"}
     * @return its value, stripped
     */
    public static String buildProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new AssertionError("system property " + name + " is not set: run the tests through Maven"
                    + " (the pom passes the compiler and flags the build used)");
        }
        return value.strip();
    }

    /**
     * Returns the command the build ran a tool with: the tool and its flags, both from
     * {@link #buildProperty build properties}. Add {@code -o} and the files.
     *
     * @param tool  the property naming the tool, e.g. {@code "fringe.arch.cc"}
     * @param flags the property holding its flags, separated by white space
     * @return a mutable list
     */
    public static List<String> buildCommand(String tool, String flags) {
        List<String> command = new ArrayList<>();
        command.add(buildProperty(tool));
        command.addAll(Arrays.asList(buildProperty(flags).split("\\s+")));
        return command;
    }

    /**
     * Reads a file as UTF-8, replacing bytes that are not (a program may print anything).
     *
     * @param file the file
     * @return its text
     */
    public static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a file as UTF-8.
     *
     * @param file the file
     * @param text its new text
     */
    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : NativeTools.class.getClassLoader();
    }
}
