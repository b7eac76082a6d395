// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import com.google.auto.service.AutoService;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.internal.JavaGenerator;
import dev.fringe.spi.GeneratorBackend;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code continuation} backend: generator bodies run on the JVM's own continuations
 * ({@code jdk.internal.vm.Continuation}, the engine under virtual threads), mounted on the
 * resumer's thread. The fastest Java engine (about the cost of one continuation run/yield per
 * round trip, no allocation) and the highest priority when usable.
 *
 * <p>Usable on JDK 21+ when {@code java.base} exports {@code jdk.internal.vm} to fringe:
 * {@value Loom#CLASS_PATH_FLAG} on the class path, {@value Loom#MODULE_PATH_FLAG} on the module
 * path. Without it, {@link #unavailableReason()} names the flag and selection falls back to
 * {@code virtual-thread}.
 *
 * <h2>Monitors</h2>
 * Raw continuations do not handle {@code synchronized} the way virtual threads do. JDK 21–23
 * refuse to suspend while the thread holds a monitor: {@code suspend} throws
 * {@link IllegalStateException}, safely. JDK 24+ (lightweight locking, the default) suspend
 * anyway and move every monitor the thread holds into the continuation, the resumer's own
 * included: a {@code resume()} called inside {@code synchronized} loses that lock at once (and
 * the JVM can crash later), and a body that suspends inside {@code synchronized} and is resumed
 * on another thread can leave its monitor unenterable. fringe detects such a JVM at start-up
 * (a real yield inside {@code synchronized}) and then does not use this backend unless told
 * that no monitor is ever held across {@code resume}/{@code suspend}:
 * {@value #MONITORS_PROPERTY}{@code =}{@value #MONITORS_UNCHECKED}. The {@code virtual-thread}
 * backend handles monitors correctly on JDK 24+.
 */
@AutoService(GeneratorBackend.class)
public final class ContinuationBackend implements GeneratorBackend {
    /** The backend's name. */
    public static final String NAME = "continuation";
    /** The system property that accepts the monitor hazard described above. */
    public static final String MONITORS_PROPERTY = "fringe.continuation.monitors";
    /** Its value that accepts it. */
    public static final String MONITORS_UNCHECKED = "unchecked";

    private static final String UNAVAILABLE = reason();

    private static String reason() {
        if (Loom.UNAVAILABLE != null) {
            return Loom.UNAVAILABLE;
        }
        if (Loom.FREEZES_MONITORS && !MONITORS_UNCHECKED.equals(System.getProperty(MONITORS_PROPERTY))) {
            return "this JVM (" + Runtime.version() + ") moves the monitors a thread holds into a raw continuation"
                    + " when it suspends, which corrupts them: a resume() called inside synchronized loses its lock,"
                    + " a body suspended inside synchronized and resumed on another thread can leave its monitor"
                    + " unenterable. fringe does not pick this backend on its own here. If no monitor is ever held"
                    + " across resume()/suspend() in this application, start java with -D" + MONITORS_PROPERTY + "="
                    + MONITORS_UNCHECKED + "; otherwise the virtual-thread backend handles monitors correctly";
        }
        return null;
    }

    /** Creates the backend; called by {@link java.util.ServiceLoader}. */
    public ContinuationBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(UNAVAILABLE);
    }

    @Override
    public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        Objects.requireNonNull(body, "body");
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the continuation backend is unavailable: " + UNAVAILABLE);
        }
        return new JavaGenerator<>(new ContinuationCore<>(body), NAME);
    }
}
