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
 * Raw continuations do not handle {@code synchronized} the way virtual threads do, and what they
 * do depends on how the JVM locks:
 * <ul>
 *   <li><b>JDK 21-23, and JDK 24-25 started with {@code -XX:LockingMode=1}</b> (legacy stack
 *       locking; the flag is deprecated in 24 and gone in 26): monitors stay on the thread. A
 *       continuation sets aside the monitors its resumer holds, so a {@code resume()} called
 *       inside {@code synchronized} works and the resumer keeps its lock. A body that suspends
 *       while it holds a monitor itself is refused: {@code suspend} throws
 *       {@link IllegalStateException} ("this thread holds a monitor") and the body runs on; it
 *       can suspend once it has left the {@code synchronized} block. fringe's start-up probe
 *       sees this and selects this backend without further ado.</li>
 *   <li><b>JDK 24+ with lightweight locking (the default; the only mode from 26 on)</b>: the JVM
 *       suspends anyway and moves <em>every</em> monitor the thread holds into the frozen
 *       continuation, the resumer's own included: a {@code resume()} called inside
 *       {@code synchronized} loses that lock at the body's first suspend (and the JVM can crash
 *       later), and a body that suspends inside {@code synchronized} and is resumed on another
 *       thread can leave its monitor unenterable. The same holds for a body that blocks while
 *       holding a monitor when it was resumed from a virtual thread. fringe detects such a JVM at
 *       start-up (a real suspend inside {@code synchronized}) and then does not use this backend
 *       unless told that no monitor is ever held across {@code resume}/{@code suspend}:
 *       {@value #MONITORS_PROPERTY}{@code =}{@value #MONITORS_UNCHECKED}. The
 *       {@code virtual-thread} backend handles monitors correctly there.</li>
 * </ul>
 *
 * <h2>Virtual threads as resumers</h2>
 * A body resumed from a virtual thread runs on that virtual thread; when it blocks (sleeps,
 * waits for a lock), the virtual thread unmounts with the body's frames. Where the virtual
 * thread cannot unmount (inside a native frame, or holding a monitor on the JVMs of the first
 * case above) it stays on its carrier, as it would anywhere else: fringe's continuations report
 * pinning only for fringe's own suspends.
 *
 * <h2>Stack limit</h2>
 * HotSpot crashes when it runs out of stack while resuming a continuation; fringe refuses, with
 * {@link StackOverflowError} and the generator unchanged, a resume that finds less than 32 KiB
 * of stack left (beyond the JVM's own reserve). The check costs a few stores per resume in
 * compiled code. A body suspended with more than about 30 KiB of frames, resumed that close to
 * the limit, can still meet the JVM bug.
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
                    + MONITORS_UNCHECKED + " (on JDK 24-25, -XX:LockingMode=1 keeps monitors on the thread instead);"
                    + " otherwise the virtual-thread backend handles monitors correctly";
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
