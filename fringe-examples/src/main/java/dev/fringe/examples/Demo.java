// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.examples;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * fringe's demo, run by {@code ./scripts/demo.sh}: libfringe's README example, an exception
 * thrown inside a generator with its spliced stack trace, the stackless engine (this module's
 * classes are rewritten by the {@code fringe-stackless} plugin), the backends found, and a
 * native generator with a C body.
 */
public final class Demo {
    private Demo() {}

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        GeneratorBackend backend = Backends.selected();
        System.out.println("fringe demo: stackful generators for Java (JDK " + Runtime.version()
                + ", selected backend: " + backend.name() + ")");

        section("1. libfringe's README example: a body that suspends 1, 2, 3");
        try (Generator<Void, Integer> gen = Generator.create((yielder, input) -> {
            for (int i = 1; i < 4; i++) {
                yielder.suspend(i);
            }
        })) {
            for (int i = 0; i < 4; i++) {
                Optional<Integer> out = gen.resume(null);
                System.out.println("   resume(null) -> " + out + (out.isEmpty() ? "   (state " + gen.state() + ")" : ""));
            }
        }

        section("2. An exception inside a generator: the body's frames continue into the resumer's");
        System.out.println("   (libfringe's crash example: the body indexes values[5] of 3 values)");
        try (Generator<Integer, Integer> gen = Generator.create((yielder, index) -> {
            int[] values = {1, 2, 3};
            while (true) {
                index = yielder.suspend(lookup(values, index));
            }
        })) {
            gen.resume(5);
        } catch (ArrayIndexOutOfBoundsException e) {
            System.out.println("   " + e);
            for (StackTraceElement frame : e.getStackTrace()) {
                String where = frame.getClassName().equals(Demo.class.getName()) ? frame.getMethodName().startsWith("lambda")
                        ? "   <- the generator's body" : frame.getMethodName().equals("lookup") ? "   <- called by the body"
                        : "   <- the code that called resume" : "";
                System.out.println("       at " + frame + where);
            }
        }

        section("3. The stackless engine: bodies rewritten at build time run as plain calls on the resumer's thread");
        try (Generator<Integer, String> gen = Generator.create((yielder, first) -> {
            int total = first;
            for (String word : new String[] {"suspends", "from", "three", "frames", "down"}) {
                total += nested(yielder, word, 3);
            }
            yielder.suspend("total " + total);
        })) {
            System.out.println("   " + gen + "   <- toString names the engine that really runs the body");
            StringJoiner outputs = new StringJoiner(", ");
            for (int in = 1; gen.state() == State.RUNNABLE; in++) {
                gen.resume(in).ifPresent(outputs::add);
            }
            System.out.println("   outputs: " + outputs);
        }
        Object lock = new Object();
        try (Generator<Integer, Integer> held = Generator.create((yielder, in) -> {
            synchronized (lock) {
                yielder.suspend(in);
            }
        })) {
            System.out.println("   a body that suspends inside synchronized cannot run stackless: " + held
                    + " (see the plugin's build log)");
        }

        section("4. Backends found (-Dfringe.backend=NAME picks one)");
        System.out.print(Backends.describe().replaceAll("(?m)^", " "));

        section("5. A native generator: a C body (src/main/c/demo_bodies.c) on an OsStack with a guard page");
        System.out.println("   " + NativeGenerator.diagnostics());
        try {
            NativeLibrary lib = NativeLibrary.getInstance("fringe_demo",
                    Map.of(Library.OPTION_CLASSLOADER, Demo.class.getClassLoader()));
            try (OsStack stack = OsStack.allocate(64 * 1024);
                 NativeGenerator collatz = NativeGenerator.create(stack, lib.getFunction("collatz"), null)) {
                StringJoiner seq = new StringJoiner(" ");
                long start = 27;
                while (collatz.advance(start)) {
                    seq.add(Long.toString(collatz.value()));
                }
                System.out.println("   collatz(27): " + wrap(seq.toString()));
                System.out.println("   the body returned " + collatz.returnValue() + " (steps); stack " + stack);
            }

            section("6. A native body that recurses past its stack: StackOverflowError, and the JVM goes on");
            NativeGenerator runaway = NativeGenerator.create(64 * 1024, lib.getFunction("runaway"), null);
            try {
                runaway.advance(0);
                System.out.println("   the body returned: it should have overflowed");
            } catch (StackOverflowError e) {
                System.out.println("   advance() threw java.lang.StackOverflowError:");
                System.out.println("                 " + wrap(String.valueOf(e.getMessage())));
            } finally {
                runaway.close();
            }
            System.out.println("   state " + runaway.state() + "; this JVM runs on (see docs/native-overflow.md)");
        } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
            System.out.println("   native generators are not available here: " + e.getMessage());
        }
    }

    /** Suspends {@code word} from {@code depth} frames down and returns the input it is resumed with. */
    private static int nested(Yielder<Integer, String> yielder, String word, int depth) {
        return depth == 0 ? yielder.suspend(word) : nested(yielder, word, depth - 1);
    }

    private static int lookup(int[] values, int index) {
        return values[index];
    }

    private static void section(String title) {
        System.out.println();
        System.out.println(title);
    }

    private static String wrap(String s) {
        StringJoiner lines = new StringJoiner("\n                 ");
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            if (line.length() + word.length() > 80) {
                lines.add(line.toString().trim());
                line.setLength(0);
            }
            line.append(word).append(' ');
        }
        return lines.add(line.toString().trim()).toString();
    }
}
