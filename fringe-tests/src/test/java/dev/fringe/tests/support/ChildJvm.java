// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in a fresh JVM (same {@code java}, by default the same class path): for what
 * one JVM can only be asked once, such as backend selection (cached per JVM), JVM flags, or a
 * heap of its own.
 */
public final class ChildJvm {
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
    private long addressSpaceKiB;

    private ChildJvm() {}

    /**
     * Starts describing a child JVM with no extra flags and this JVM's class path.
     *
     * @return a new description
     */
    public static ChildJvm withArgs() {
        return new ChildJvm();
    }

    /**
     * Adds JVM arguments; a flag with a value such as {@code "--add-exports x=y"} may be given
     * as one string and is split at the first space.
     *
     * @param args the arguments
     * @return this
     */
    public ChildJvm jvmArgs(String... args) {
        for (String a : args) {
            int space = a.indexOf(' ');
            if (a.startsWith("--") && space > 0) {
                jvmArgs.add(a.substring(0, space));
                jvmArgs.add(a.substring(space + 1));
            } else {
                jvmArgs.add(a);
            }
        }
        return this;
    }

    /**
     * Runs another {@code java} launcher than this JVM's, e.g. an older JDK's.
     *
     * @param launcher the {@code java} executable
     * @return this
     */
    public ChildJvm java(Path launcher) {
        this.launcher = launcher;
        return this;
    }

    /**
     * Limits the child's virtual address space ({@code ulimit -v}, through {@code sh}), for
     * example to make thread creation fail after a few threads with a large {@code -Xss}.
     *
     * @param kib the limit in KiB
     * @return this
     */
    public ChildJvm addressSpaceLimitKiB(long kib) {
        addressSpaceKiB = kib;
        return this;
    }

    /**
     * Sets an environment variable of the child, e.g. {@code LD_PRELOAD}.
     *
     * @param name  the variable
     * @param value its value
     * @return this
     */
    public ChildJvm environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Replaces the class path.
     *
     * @param entries the class path entries
     * @return this
     */
    public ChildJvm classPath(Path... entries) {
        List<String> parts = new ArrayList<>();
        for (Path p : entries) {
            parts.add(p.toString());
        }
        classPath = String.join(java.io.File.pathSeparator, parts);
        return this;
    }

    /**
     * Runs {@code main} with {@code args} and waits for it.
     *
     * @param timeout how long the child may run; then it is killed and the test fails
     * @param main    the main class
     * @param args    program arguments
     * @return the exit code and output
     */
    public Result run(Duration timeout, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        // A crash report goes to the temp directory, not into the module being tested.
        command.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "fringe-child-hs_err_%p.log"));
        command.add("-XX:-CreateCoredumpOnCrash");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        if (addressSpaceKiB > 0) {
            // sh sets the limit, then becomes the JVM: the command line stays exactly as above.
            command.addAll(0, List.of("sh", "-c", "ulimit -v " + addressSpaceKiB + " && exec \"$@\"", "sh"));
        }
        Path log = null;
        try {
            log = Files.createTempFile("fringe-child-", ".log");
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // Exactly the flags given here: options from the environment (say an --add-exports)
            // would change what the child is there to show.
            builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
            builder.environment().putAll(environment);
            Process p = builder.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String output = Files.readString(log, Charset.defaultCharset());
            if (!done) {
                throw new AssertionError("child JVM did not finish within " + timeout + ": " + String.join(" ", command)
                        + "\noutput:\n" + output);
            }
            return new Result(p.exitValue(), output, elapsed, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child JVM", e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans it
                }
            }
        }
    }

    /**
     * Returns the class path entry (jar or directory) a class was loaded from.
     *
     * @param c a class loaded from the class path or module path
     * @return its location
     */
    public static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a child JVM did. */
    public static final class Result {
        private final int exitCode;
        private final String output;
        private final Duration elapsed;
        private final List<String> command;

        Result(int exitCode, String output, Duration elapsed, List<String> command) {
            this.exitCode = exitCode;
            this.output = output;
            this.elapsed = elapsed;
            this.command = List.copyOf(command);
        }

        /** @return the exit code */
        public int exitCode() {
            return exitCode;
        }

        /** @return standard output and standard error, interleaved */
        public String output() {
            return output;
        }

        /** @return the command line that started the child */
        public List<String> command() {
            return command;
        }

        /** @return the wall-clock time the child ran */
        public Duration elapsed() {
            return elapsed;
        }

        /**
         * Returns the value of the first output line {@code key=value}.
         *
         * @param key the key
         * @return the value, or {@code null} if no such line was printed
         */
        public String value(String key) {
            for (String line : output.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms from " + String.join(" ", command)
                    + "\n--- output ---\n" + output;
        }
    }
}
