// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.samples;

import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.Yielder;
import java.util.ArrayList;
import java.util.List;

/**
 * Bodies for the transformer's own tests, compiled but not transformed by this module's build:
 * the tests transform them, load them and run them. {@link #run} returns what every body
 * suspended with, and names the backend each ran on.
 */
public final class Bodies {
    private Bodies() {}

    /** A static body with a loop and int, long and reference locals. */
    public static void counting(Yielder<Long, String> y, Long first) {
        long total = first;
        String tag = "t";
        for (int i = 0; i < 3; i++) {
            total += y.suspend(tag + i + ":" + total);
            tag += i;
        }
        y.suspend("done " + total + " " + tag);
    }

    /** Helpers two frames deep, with a result and an exception crossing a resumed frame. */
    public static int deep(Yielder<Long, String> y, int depth) {
        if (depth == 0) {
            long in = y.suspend("bottom");
            if (in < 0) {
                throw new IllegalArgumentException("negative " + in);
            }
            return (int) in;
        }
        return deep(y, depth - 1) + 1;
    }

    /** Creates one generator of each kind and drives it with the inputs 1, 2, 3, 4, 5. */
    public static List<String> run() {
        List<String> out = new ArrayList<>();
        drive(out, Generator.create(Bodies::counting));
        drive(out, Generator.create((y, in) -> y.suspend("deep " + deep(y, 3))));
        drive(out, Generator.create((y, in) -> {
            y.suspend("first");
            try {
                deep(y, 2);
            } catch (IllegalArgumentException e) {
                y.suspend("caught " + e.getMessage());
            }
        }));
        drive(out, Generator.create(new Named()));
        return out;
    }

    private static void drive(List<String> out, Generator<Long, String> g) {
        StringBuilder sb = new StringBuilder(g.toString().substring(0, g.toString().indexOf(',')) + "]");
        long[] inputs = {1, 2, -3, 4, 5};
        for (long in : inputs) {
            String o = g.resume(in).orElse(null);
            if (o == null) {
                break;
            }
            sb.append(' ').append(o);
        }
        out.add(sb.toString());
    }

    /** A named body class. */
    static final class Named implements GeneratorBody<Long, String> {
        @Override
        public void run(Yielder<Long, String> y, Long in) {
            y.suspend("named " + in);
            y.suspend("named again");
        }
    }

    /** Prints {@link #run()}, one line per generator; for the agent test's child JVM. */
    public static void main(String[] args) {
        run().forEach(System.out::println);
    }
}
