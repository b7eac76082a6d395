// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;

/** A backend that registers every generator it creates with {@link GeneratorInvariants}. */
final class TrackingBackend implements GeneratorBackend {
    private final GeneratorBackend delegate;

    TrackingBackend(GeneratorBackend delegate) {
        this.delegate = delegate;
    }

    GeneratorBackend delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public Optional<String> unavailableReason() {
        return delegate.unavailableReason();
    }

    @Override
    public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        return GeneratorInvariants.track(delegate.create(body), delegate.name());
    }

    @Override
    public String toString() {
        return delegate.name();
    }
}
