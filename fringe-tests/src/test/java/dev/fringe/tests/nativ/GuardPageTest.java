// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.nativ;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native body that recurses past its {@link OsStack} dies on the guard region: in a child
 * JVM, the process ends by SIGSEGV (killed by signal 11, or a HotSpot error report naming
 * SIGSEGV at an address inside the guard region), never by corrupting memory or running on.
 */
class GuardPageTest {
    private static final String MARKER = "GUARD ";
    private static final String SURVIVED = "SURVIVED";

    /** The child: prints the guard range, then overflows. */
    public static void main(String[] args) {
        OsStack stack = OsStack.allocate(64 * 1024);
        NativeGenerator gen = NativeGenerator.create(stack, TestBodies.body("overflow"), Pointer.NULL);
        gen.resume(0L); // the body suspends once before it starts recursing
        System.out.println(MARKER + Long.toHexString(stack.guardStart()) + " " + Long.toHexString(stack.limit()));
        System.out.flush();
        gen.resume(0L);
        System.out.println(SURVIVED); // must never print
    }

    @Test
    void overflowingAnOsStack_endsTheProcessBySigsegvOnTheGuard(@TempDir Path dir) throws Exception {
        Path errorFile = dir.resolve("hs_err.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:ErrorFile=" + errorFile);
        command.add("-XX:-CreateCoredumpOnCrash");
        command.addAll(TestBodies.childJvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GuardPageTest.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        int exit = child.exitValue();

        Matcher m = Pattern.compile(MARKER + "([0-9a-f]+) ([0-9a-f]+)").matcher(output);
        assertThat(m.find()).as("child output:\n%s", output).isTrue();
        long guardStart = Long.parseUnsignedLong(m.group(1), 16);
        long guardEnd = Long.parseUnsignedLong(m.group(2), 16);
        assertThat(output).doesNotContain(SURVIVED);

        if (exit == 128 + 11) {
            return; // killed by SIGSEGV: the kernel could not even deliver the signal on that stack
        }
        // Otherwise HotSpot caught the signal and wrote an error report: it must be a SIGSEGV
        // whose faulting address lies in the guard region.
        assertThat(Files.exists(errorFile)).as("exit %d, no error report; output:\n%s", exit, output).isTrue();
        String report = Files.readString(errorFile);
        assertThat(report).contains("SIGSEGV");
        Matcher addr = Pattern.compile("si_addr: (?:0x)?([0-9a-f]+)").matcher(report);
        assertThat(addr.find()).as("fault address in:\n%s", head(report)).isTrue();
        long fault = Long.parseUnsignedLong(addr.group(1), 16);
        assertThat(fault).as("fault 0x%x in guard [0x%x, 0x%x)", fault, guardStart, guardEnd)
                .isBetween(guardStart, guardEnd - 1);
    }

    private static String head(String s) throws IOException {
        return s.length() > 3000 ? s.substring(0, 3000) : s;
    }
}
