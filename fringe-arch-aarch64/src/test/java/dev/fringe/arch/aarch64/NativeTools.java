package dev.fringe.arch.aarch64;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the native tests share: finding the built switch library and the C sources on the test
 * class path, compiling with the aarch64 cross compiler, running aarch64 programs under
 * {@code qemu-aarch64} with a timeout while keeping their output for failure messages.
 */
final class NativeTools {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The C compiler for aarch64: the POM passes its {@code fringe.arch.cc}. */
    static final String CC = System.getProperty("fringe.test.cc", "aarch64-linux-gnu-gcc");
    /** The user-mode emulator that runs the aarch64 programs (dynamic ones: libc6:arm64 is installed). */
    static final String QEMU = System.getProperty("fringe.test.qemu", "qemu-aarch64");

    private NativeTools() {
    }

    /**
     * Returns the switch library this module built, found as the class path resource
     * {@code linux-aarch64/libfringe_aarch64.so}; extracted into {@code dir} if it is inside a jar.
     */
    static Path switchLibrary(Path dir) {
        URL url = NativeTools.class.getClassLoader().getResource(Aarch64Arch.RESOURCE_PATH);
        if (url == null) {
            throw new AssertionError("class path resource " + Aarch64Arch.RESOURCE_PATH + " not found: the"
                    + " build assembles it from src/main/asm in the compile phase (" + CC + " needed)");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new AssertionError("unexpected URL " + url, e);
            }
        }
        return copyResource(Aarch64Arch.RESOURCE_PATH, dir);
    }

    /** Copies a class path resource into {@code dir}, keeping its file name. */
    static Path copyResource(String name, Path dir) {
        try (InputStream in = NativeTools.class.getClassLoader().getResourceAsStream(name)) {
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

    /**
     * Compiles with the aarch64 compiler and fails the test with its output if that does not work.
     *
     * @param arguments everything after the compiler's name
     */
    static void cc(Object... arguments) {
        List<String> command = new ArrayList<>();
        command.add(CC);
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        Run cc = run(command);
        if (cc.exitCode() != 0) {
            throw new AssertionError("compiling a test program failed\n" + cc.describe());
        }
    }

    /**
     * Runs a program to its end (at most two minutes) with stdout and stderr merged, in
     * {@code dir} (so that a core file of a crash lands there).
     *
     * @param command the program and its arguments
     * @return its exit code and output
     */
    static Run run(List<String> command) {
        return run(command, null);
    }

    static Run run(List<String> command, Path dir) {
        try {
            Path output = Files.createTempFile("fringe-test-", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (dir != null) {
                    builder.directory(dir.toFile());
                }
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + TIMEOUT + ": " + String.join(" ", command)
                            + "\n--- output so far ---\n" + new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
                }
                // Not Files.readString: a program may print bytes that are not UTF-8.
                return new Run(command, process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (" + e.getMessage() + "). The aarch64"
                    + " tests need " + CC + " and " + QEMU + " with Debian's libc6:arm64: on Debian run `."
                    + " scripts/lib/common.sh && . scripts/lib/setup-debian.sh && ensure_packages test cross` as"
                    + " root", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    /**
     * A finished program.
     *
     * @param command  what ran
     * @param exitCode its exit code; 128 + N when signal N killed it
     * @param output   stdout and stderr, merged
     */
    record Run(List<String> command, int exitCode, String output) {

        private static final int SHOWN_LINES = 100;

        List<String> lines() {
            return output.lines().toList();
        }

        /**
         * The command, exit code and output (its first and last 100 lines if longer): the
         * description of every assertion.
         */
        String describe() {
            List<String> lines = lines();
            String shown = output;
            if (lines.size() > 2 * SHOWN_LINES) {
                shown = String.join("\n", lines.subList(0, SHOWN_LINES)) + "\n[... "
                        + (lines.size() - 2 * SHOWN_LINES) + " lines left out ...]\n"
                        + String.join("\n", lines.subList(lines.size() - SHOWN_LINES, lines.size())) + "\n";
            }
            return "$ " + String.join(" ", command) + "\n--- exit code " + exitCode + ", output ---\n" + shown
                    + "--- end of output ---";
        }
    }
}
