// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import dev.fringe.Backends;
import dev.fringe.spi.GeneratorBackend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The backends the contract suite runs against, and what this JVM is expected to offer.
 *
 * <p>The argument sources list only <em>usable</em> backends; that a backend is missing or
 * unusable is not a reason to skip anything: {@code BackendSelectionTest} fails if any of
 * {@link #expectedUsable()} is not usable here.
 */
public final class TestBackends {
    /** Every backend fringe ships, highest priority first (see {@code GeneratorBackend}). */
    public static final List<String> SHIPPED = List.of("stackless", "continuation", "virtual-thread", "thread");
    /** The backends whose bodies run on a thread of their own. */
    public static final List<String> THREAD_BASED = List.of("virtual-thread", "thread");
    /** The JVM flag the {@code continuation} backend needs on the class path. */
    public static final String CLASS_PATH_FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";
    /** The same for the module path. */
    public static final String MODULE_PATH_FLAG = "--add-exports java.base/jdk.internal.vm=dev.fringe.loom";
    /**
     * The consent the {@code continuation} backend needs on JDK 24+, where raw continuations
     * carry monitors away (see {@code ContinuationBackend}); Surefire passes it too. No test
     * holds a monitor across resume/suspend on that backend: {@code MonitorTest} checks the gate.
     */
    public static final String CONTINUATION_CONSENT = "-Dfringe.continuation.monitors=unchecked";

    /**
     * Returns whether this JVM moves monitors into raw continuations (JDK 24+ with lightweight
     * locking, the default), so that the {@code continuation} backend needs
     * {@link #CONTINUATION_CONSENT}.
     *
     * @return {@code true} on JDK 24 and later
     */
    public static boolean continuationCarriesMonitors() {
        return Runtime.version().feature() >= 24;
    }

    private TestBackends() {}

    /**
     * Returns the backends that must be usable in this JVM: all four on JDK 21+ (Surefire
     * passes {@value #CLASS_PATH_FLAG}); only {@code stackless} and {@code thread} on JDK 17-20, where
     * fringe-backend-loom (a release-21 module) cannot load. The suite is compiled with
     * {@code --release 17} so that it also runs on Debian's i386 and arm64 OpenJDK 17.
     *
     * @return backend names, highest priority first
     */
    public static List<String> expectedUsable() {
        return Runtime.version().feature() >= 21 ? SHIPPED : List.of("stackless", "thread");
    }

    /**
     * {@code @MethodSource} of every usable backend, each wrapped so that the generators a test
     * creates are checked after the test (see {@link GeneratorInvariants}).
     * {@code -Dfringe.test.backends=a,b} keeps only those (the JDK 17 run of the stackless
     * contract suite keeps {@code stackless}).
     *
     * @return the usable backends, named for the test report
     */
    public static Stream<Named<GeneratorBackend>> usable() {
        String only = System.getProperty("fringe.test.backends");
        List<String> chosen = only == null || only.isBlank() ? null : List.of(only.split(","));
        return Backends.all().stream()
                .filter(b -> b.unavailableReason().isEmpty())
                .filter(b -> chosen == null || chosen.contains(b.name()))
                .map(b -> Named.of(b.name(), new TrackingBackend(b)));
    }

    /**
     * {@code @MethodSource} of the usable backends whose body runs on a thread of its own.
     *
     * @return the usable thread-based backends
     */
    public static Stream<Named<GeneratorBackend>> threadBased() {
        // Not narrowed by fringe.test.backends: these tests are about the thread engines only.
        return Backends.all().stream()
                .filter(b -> b.unavailableReason().isEmpty() && THREAD_BASED.contains(b.name()))
                .map(b -> Named.of(b.name(), new TrackingBackend(b)));
    }

    /**
     * Returns the backend a test was given without the tracking wrapper, for tests that must
     * not keep strong references to their generators (garbage collection tests).
     *
     * @param backend a backend from {@link #usable()}
     * @return the real backend
     */
    public static GeneratorBackend untracked(GeneratorBackend backend) {
        return backend instanceof TrackingBackend ? ((TrackingBackend) backend).delegate() : backend;
    }

    /**
     * Returns {@code -Dfringe.test.scale} (default 1), the factor long runs multiply iteration
     * counts by.
     *
     * @return the scale factor, at least 1
     */
    public static int scale() {
        return Math.max(1, Integer.getInteger("fringe.test.scale", 1));
    }
}
