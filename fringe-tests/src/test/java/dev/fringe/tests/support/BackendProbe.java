// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.GeneratorExit;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Child-JVM program that reports, one {@code key=value} line each, what backend discovery and
 * selection look like in its JVM, then uses the selected backend through the static entry
 * points {@link Generator#create} and {@link Generator#stream}. It uses only the public API and
 * the JDK, so it runs with fringe on the class path or on the module path.
 *
 * <pre>
 * order=continuation,virtual-thread,thread      every backend found, in Backends.all() order
 * backend.NAME=PRIORITY|usable                  or PRIORITY|unavailable: REASON
 * loaded-from.NAME=named module dev.fringe.loom or "class path"
 * selected=NAME                                 or selection-error=MESSAGE (newlines as \n)
 * fallback=NAME                                 the backend Generator.create runs an untransformed body on
 * create=1,2,3,finished                         outputs of Generator.create on the selected backend
 * body-thread=caller|virtual|platform:NAME      where that body ran
 * stream-full=1,2,3,4,5
 * stream-closed-early=first=1 finally=true exit=GeneratorExit
 * </pre>
 */
public final class BackendProbe {
    private BackendProbe() {}

    public static void main(String[] args) {
        List<GeneratorBackend> all = Backends.all();
        print("order", all.stream().map(GeneratorBackend::name).collect(Collectors.joining(",")));
        for (GeneratorBackend b : all) {
            print("backend." + b.name(), b.priority() + "|" + b.unavailableReason().map(r -> "unavailable: " + r).orElse("usable"));
            Module m = b.getClass().getModule();
            print("loaded-from." + b.name(), m.isNamed() ? "named module " + m.getName() : "class path");
        }
        GeneratorBackend selected;
        try {
            selected = Backends.selected();
        } catch (IllegalStateException e) {
            print("selection-error", e.getMessage());
            try {
                Generator.create((y, in) -> { });
                print("create-error", "none");
            } catch (IllegalStateException e2) {
                print("create-error", e2.getMessage());
            }
            return;
        }
        print("selected", selected.name());
        try (Generator<Void, Integer> g = Generator.create(new UntransformedBody())) {
            String s = g.toString();
            print("fallback", s.substring("Generator[".length(), s.indexOf(',')));
        }
        probeCreate();
        probeStream();
    }

    private static void probeCreate() {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        List<String> outputs = new ArrayList<>();
        try (Generator<Void, Integer> g = Generator.create((yielder, input) -> {
            bodyThread.set(Thread.currentThread());
            for (int i = 1; i <= 3; i++) {
                yielder.suspend(i);
            }
        })) {
            while (true) {
                Integer next = g.resume(null).orElse(null);
                if (next == null) {
                    break;
                }
                outputs.add(next.toString());
            }
            outputs.add(g.state().toString().toLowerCase(java.util.Locale.ROOT));
        }
        print("create", String.join(",", outputs));
        Thread t = bodyThread.get();
        // Thread.isVirtual() is JDK 21 API; its toString() says so on every JDK that has them.
        print("body-thread", t == caller ? "caller" : t.toString().startsWith("VirtualThread") ? "virtual" : "platform:" + t.getName());
    }

    private static void probeStream() {
        try (Stream<Integer> s = Generator.stream((yielder, input) -> {
            for (int i = 1; i <= 5; i++) {
                yielder.suspend(i);
            }
        })) {
            print("stream-full", s.map(String::valueOf).collect(Collectors.joining(",")));
        }
        AtomicReference<Throwable> seen = new AtomicReference<>();
        boolean[] finallyRan = {false};
        Integer first;
        try (Stream<Integer> s = Generator.stream((yielder, input) -> {
            try {
                for (int i = 1; ; i++) {
                    yielder.suspend(i);
                }
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            } finally {
                finallyRan[0] = true;
            }
        })) {
            first = s.iterator().next();
        }
        Throwable t = seen.get();
        print("stream-closed-early", "first=" + first + " finally=" + finallyRan[0] + " exit="
                + (t == null ? "none" : t instanceof GeneratorExit ? "GeneratorExit" : t.toString()));
    }

    /**
     * A body the stackless transformer refuses (a synchronized method that suspends keeps its
     * monitor while suspended, which a stackless frame cannot), so that {@code Generator.create}
     * shows which backend runs bodies that were not transformed.
     */
    private static final class UntransformedBody implements GeneratorBody<Void, Integer> {
        @Override
        public synchronized void run(Yielder<Void, Integer> yielder, Void input) {
            yielder.suspend(1);
        }
    }

    private static void print(String key, String value) {
        System.out.println(key + "=" + value.replace("\n", "\\n"));
    }
}
