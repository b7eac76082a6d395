// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import com.google.auto.service.AutoService;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.internal.HandoffCore;
import dev.fringe.internal.JavaGenerator;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * The {@code virtual-thread} backend: each started generator's body runs on a virtual thread
 * of its own and control is handed over with {@code LockSupport}. Public API only, so usable on
 * any JDK 21+ without flags; several times slower than {@code continuation} (two virtual-thread
 * context switches per round trip). Parked virtual threads live on the heap, so abandoned
 * generators are reclaimed by ordinary garbage collection.
 */
@AutoService(GeneratorBackend.class)
public final class VirtualThreadBackend implements GeneratorBackend {
    /** The backend's name. */
    public static final String NAME = "virtual-thread";

    private static final ThreadFactory THREADS = Thread.ofVirtual().name("fringe-vthread-", 1).factory();

    /** Creates the backend; called by {@link java.util.ServiceLoader}. */
    public VirtualThreadBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        return new JavaGenerator<>(new HandoffCore<>(body, THREADS), NAME);
    }
}
