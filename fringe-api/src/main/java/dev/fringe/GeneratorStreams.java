// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Adapts a generator to {@link java.util.stream.Stream}; see {@link Generator#stream}. */
final class GeneratorStreams {
    private GeneratorStreams() {}

    static <O> Stream<O> stream(Generator<Void, O> generator) {
        return StreamSupport.stream(new GeneratorSpliterator<>(generator), false).onClose(generator::close);
    }

    /** Each advance is one resume; splitting batches on the caller's thread (AbstractSpliterator). */
    private static final class GeneratorSpliterator<O> extends Spliterators.AbstractSpliterator<O> {
        private final Generator<Void, O> generator;

        GeneratorSpliterator(Generator<Void, O> generator) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.generator = generator;
        }

        @Override
        public boolean tryAdvance(Consumer<? super O> action) {
            Objects.requireNonNull(action, "action");
            Optional<O> next = generator.resume(null);
            next.ifPresent(action);
            return next.isPresent();
        }
    }
}
