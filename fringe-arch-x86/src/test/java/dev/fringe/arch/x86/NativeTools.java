package dev.fringe.arch.x86;

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
 * class path, compiling with the i386 cross compiler, running i386 programs (natively when the
 * kernel can, under {@code qemu-i386} otherwise) with a timeout while keeping their output for
 * failure messages.
 */
final class NativeTools {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The C compiler for i386: the POM passes its {@code fringe.arch.cc}. */
    static final String CC = System.getProperty("fringe.test.cc", "i686-linux-gnu-gcc");
    /** The user-mode emulator used when the kernel cannot run i386 binaries itself. */
    static final String QEMU = System.getProperty("fringe.test.qemu", "qemu-i386");

    private NativeTools() {
    }

    /**
     * Returns the switch library this module built, found as the class path resource
     * {@code linux-x86/libfringe_x86.so}; extracted into {@code dir} if it is inside a jar.
     */
    static Path switchLibrary(Path dir) {
        URL url = NativeTools.class.getClassLoader().getResource(X86Arch.RESOURCE_PATH);
        if (url == null) {
            throw new AssertionError("class path resource " + X86Arch.RESOURCE_PATH + " not found: the"
                    + " build assembles it from src/main/asm in the compile phase (" + CC + " needed)");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new AssertionError("unexpected URL " + url, e);
            }
        }
        return copyResource(X86Arch.RESOURCE_PATH, dir);
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
     * Compiles with the i386 compiler and fails the test with its output if that does not work.
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
     * Says whether this kernel runs i386 programs itself: some x86_64 kernels are built or booted
     * without IA32 emulation (or run under a hypervisor that disables it), and then exec fails
     * with ENOEXEC ("Exec format error"). Java hides that failure (like execvp, it then hands the
     * file to /bin/sh as a script), so the probe lets the shell exec the harness and looks for
     * the harness's usage message.
     *
     * @param harness the harness, which prints its usage and exits 2 when given no arguments
     * @return {@code null} if it ran natively, else what happened instead
     */
    static String whyNotNative(Path harness) {
        // A binfmt_misc entry hands i386 programs to qemu: exec works, but nothing runs natively
        // (the setup script registers one where the kernel refuses i386 itself).
        Path binfmt = Path.of("/proc/sys/fs/binfmt_misc/qemu-i386");
        try {
            if (Files.exists(binfmt) && Files.readString(binfmt).startsWith("enabled")) {
                return "binfmt_misc runs i386 programs through qemu-i386";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Through the shell's exec, which reports the kernel's refusal in words.
        Run run = run(List.of("/bin/sh", "-c", "exec \"$0\"", harness.toString()));
        if (run.exitCode() == 2 && run.output().contains("usage: ")) {
            return null;
        }
        return run.lines().isEmpty() ? "exit code " + run.exitCode() : run.lines().get(0).strip();
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
            throw new AssertionError("cannot run " + command.get(0) + " (" + e.getMessage() + "). The i386"
                    + " tests need " + CC + ", " + QEMU + " (where the kernel cannot run i386 programs), gdb,"
                    + " strace and valgrind: on Debian run `. scripts/lib/common.sh && . scripts/lib/setup-debian.sh"
                    + " && ensure_packages test cross` as root", e);
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
