package dev.fringe.arch.riscv32;

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
 * What the emulated tests share: the built library and the C sources on the test class path,
 * the cross compiler and the flags the build assembled the library with (system properties set
 * by the pom), and running programs with a timeout while keeping their output.
 */
final class CrossTools {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private CrossTools() {
    }

    /** Returns the system property the pom sets for the tests, or fails saying so. */
    static String buildProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new AssertionError("system property " + name + " is not set: run the tests through Maven"
                    + " (the pom passes the compiler and flags the build used)");
        }
        return value.strip();
    }

    /** The compiler and flags the build assembled the library with (fringe.arch.cc / ccflags). */
    static List<String> assembleCommand() {
        List<String> command = new ArrayList<>();
        command.add(buildProperty("fringe.arch.cc"));
        command.addAll(Arrays.asList(buildProperty("fringe.arch.ccflags").split("\\s+")));
        return command;
    }

    /**
     * Returns the switch library this module built, as the class path resource {@code path}
     * (the file the jar is packed from); copied into {@code dir} if it is inside a jar.
     */
    static Path classPathFile(String path, Path dir) {
        URL url = CrossTools.class.getClassLoader().getResource(path);
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

    /** Copies a class path resource into {@code dir}, keeping its file name. */
    static Path copyResource(String name, Path dir) {
        try (InputStream in = CrossTools.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("class path resource " + name + " not found");
            }
            Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a tool that must succeed (a compiler) in {@code workDir}, failing the test with its output if not. */
    static void mustRun(List<String> command, Path workDir) {
        Run run = run(command, workDir);
        if (run.exitCode() != 0) {
            throw new AssertionError("building a test program failed\n" + run.describe());
        }
    }

    /**
     * Runs a program to its end (at most two minutes) with stdout and stderr merged, in the
     * temporary directory {@code workDir}, so that nothing it leaves behind (qemu writes
     * {@code qemu_*.core} files when a program crashes and core dumps are allowed) lands in
     * the source tree.
     *
     * @param command the program and its arguments
     * @param workDir its working directory
     * @return its exit code and output
     */
    static Run run(List<String> command, Path workDir) {
        try {
            Path output = Files.createTempFile(workDir, "fringe-test-", ".out");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + TIMEOUT + ": " + String.join(" ", command)
                            + "\n--- output so far ---\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Run(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (" + e.getMessage() + "). The riscv32"
                    + " tests need riscv64-linux-gnu-gcc and qemu-riscv32: on Debian run `. scripts/lib/common.sh"
                    + " && . scripts/lib/setup-debian.sh && ensure_packages cross` as root", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /**
     * A finished program.
     *
     * @param command  what ran
     * @param exitCode its exit code
     * @param output   stdout and stderr, merged
     */
    record Run(List<String> command, int exitCode, String output) {

        List<String> lines() {
            return output.lines().toList();
        }

        /** The command, exit code and output: the description of every assertion. */
        String describe() {
            return "$ " + String.join(" ", command) + "\n--- exit code " + exitCode + ", output ---\n" + output
                    + "--- end of output ---";
        }
    }
}
