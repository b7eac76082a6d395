// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;

/**
 * What the JDK 17 layer of this multi-release jar provides in place of each backend: a backend
 * with the real one's name and priority that is never usable and says why. Without it, a JDK 17
 * could not even read the jar's module descriptor (class file version 65), so a module path
 * holding this jar would fail at start-up with a {@code FindException}.
 */
abstract class NeedsJdk21 implements GeneratorBackend {
    private final String name;
    private final int priority;
    private final String reason;

    NeedsJdk21(String name, int priority) {
        this.name = name;
        this.priority = priority;
        this.reason = "the " + name + " backend (fringe-backend-loom) needs JDK 21 or later; this JVM is "
                + Runtime.version() + ": run on JDK 21+ to use it (Generator.create picks the best backend that is usable here).";
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final Optional<String> unavailableReason() {
        return Optional.of(reason);
    }

    @Override
    public final <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        throw new IllegalStateException(reason);
    }
}
