// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the installed {@link GeneratorBackend}s and picks the one {@link Generator#create}
 * uses.
 *
 * <p>Selection: if the system property {@code fringe.backend} is set, the backend of that name,
 * which must be installed and usable; otherwise the usable backend with the highest
 * {@linkplain GeneratorBackend#priority() priority}. The {@code thread} backend in this module
 * is always usable, so without the property selection never fails. Both the list and the
 * selection are computed once, on first use, and cached for the life of the JVM.
 *
 * <p><b>Logging.</b> The selection is logged once, at {@code DEBUG} through
 * {@link System.Logger} under the name {@code dev.fringe.Backends}: which backend was chosen and
 * why, followed by {@link #describe()}. With the JDK's default logging that is level
 * {@code FINE} of {@code java.util.logging}; a System.LoggerFinder such as SLF4J's or Log4j's
 * routes it to their configuration.
 *
 * <p><b>Thread safety.</b> All methods are thread-safe.
 */
public final class Backends {
    /** The system property naming the backend to use. */
    public static final String PROPERTY = "fringe.backend";

    private Backends() {}

    /**
     * Returns every backend provider found, usable or not, highest priority first. A provider
     * that could not even be loaded (for example a JDK 21 module on JDK 17) is listed as an
     * unusable backend whose reason is the loading error.
     *
     * @return an unmodifiable list, never empty
     */
    public static List<GeneratorBackend> all() {
        return Discovery.ALL;
    }

    /**
     * Returns the backend {@link Generator#create} uses.
     *
     * @return the selected backend, usable
     * @throws IllegalStateException if {@code -Dfringe.backend} names a backend that is not
     *                               installed or not usable; the message lists every backend
     *                               found and why each is or is not usable
     */
    public static GeneratorBackend selected() {
        Selection s = Selection.INSTANCE;
        if (s.backend == null) {
            throw new IllegalStateException(s.error);
        }
        return s.backend;
    }

    /**
     * Returns the installed backend of the given name, usable or not.
     *
     * @param name a backend name such as {@code "continuation"}
     * @return the backend, or empty if none of that name is installed
     */
    public static Optional<GeneratorBackend> named(String name) {
        return all().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * Describes every backend found and whether it is usable, one per line, e.g. for a
     * start-up log or an error message.
     *
     * @return a multi-line description
     */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (GeneratorBackend b : all()) {
            sb.append("  ").append(b.name()).append(" (priority ").append(b.priority()).append("): ")
                    .append(b.unavailableReason().map(r -> "unavailable: " + r).orElse("available"))
                    .append('\n');
        }
        return sb.toString();
    }

    private static final class Discovery {
        static final List<GeneratorBackend> ALL = load();

        private static List<GeneratorBackend> load() {
            List<GeneratorBackend> found = new ArrayList<>();
            Iterator<GeneratorBackend> it =
                    ServiceLoader.load(GeneratorBackend.class, Backends.class.getClassLoader()).iterator();
            // A bound on failures, in case a broken iterator kept failing on the same provider.
            for (int failures = 0; failures < 100; ) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    found.add(it.next());
                } catch (ServiceConfigurationError | LinkageError e) {
                    // Keep going: the iterator moves on to the next provider after an error. A
                    // provider class the JVM cannot link (a JDK 21 class file on JDK 17:
                    // UnsupportedClassVersionError) is not wrapped in ServiceConfigurationError.
                    found.add(new UnloadableBackend(e));
                    failures++;
                }
            }
            found.sort(Comparator.comparingInt(GeneratorBackend::priority).reversed());
            return List.copyOf(found);
        }
    }

    private static final class Selection {
        static final Selection INSTANCE = new Selection();
        final GeneratorBackend backend;
        final String error;

        private Selection() {
            String wanted = System.getProperty(PROPERTY);
            GeneratorBackend pick = null;
            String why = null;
            if (wanted == null || wanted.isBlank()) {
                pick = all().stream().filter(b -> b.unavailableReason().isEmpty()).findFirst().orElse(null);
                if (pick == null) {
                    why = "no usable generator backend was found. Backends found:\n" + describe();
                }
            } else {
                Optional<GeneratorBackend> named = named(wanted.trim());
                if (named.isEmpty()) {
                    why = "-D" + PROPERTY + "=" + wanted + " names no installed backend. Backends found:\n"
                            + describe() + "Name one of these, or add the module that provides it.";
                } else if (named.get().unavailableReason().isPresent()) {
                    why = "-D" + PROPERTY + "=" + wanted + " names a backend that is unavailable: "
                            + named.get().unavailableReason().get() + "\nBackends found:\n" + describe();
                } else {
                    pick = named.get();
                }
            }
            this.backend = pick;
            this.error = why;
            log(wanted, pick, why);
        }

        private static void log(String wanted, GeneratorBackend pick, String why) {
            System.Logger logger = System.getLogger(Backends.class.getName());
            if (!logger.isLoggable(System.Logger.Level.DEBUG)) {
                return;
            }
            String how = wanted == null || wanted.isBlank()
                    ? "the usable backend with the highest priority"
                    : "named by -D" + PROPERTY + "=" + wanted;
            logger.log(System.Logger.Level.DEBUG, pick != null
                    ? "fringe: Generator.create uses the " + pick.name() + " backend (" + how + "). Backends found:\n"
                            + describe()
                    : "fringe: no backend selected: " + why);
        }
    }

    /** Stands for a provider that ServiceLoader could not instantiate. */
    private static final class UnloadableBackend implements GeneratorBackend {
        private final Throwable error;

        UnloadableBackend(Throwable error) {
            this.error = error;
        }

        @Override
        public String name() {
            return "unloadable";
        }

        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public Optional<String> unavailableReason() {
            Throwable root = error;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String advice = error instanceof UnsupportedClassVersionError
                    ? "; it was compiled for a newer Java than this JVM (" + Runtime.version() + "): run a newer JDK"
                    + " or leave its module out"
                    : "";
            return Optional.of("a provider failed to load (" + error + (root != error ? "; " + root : "") + ")" + advice);
        }

        @Override
        public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
            throw new IllegalStateException(unavailableReason().orElseThrow());
        }
    }
}
