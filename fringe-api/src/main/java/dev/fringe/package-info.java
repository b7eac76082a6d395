// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Stackful generators: a body runs on its own call stack, suspends from any depth of calls
 * handing a value to whoever resumed it, and later continues where it stopped.
 *
 * <pre>{@code
 * try (Generator<Void, Integer> counter = Generator.create((yielder, input) -> {
 *     for (int i = 1; i <= 3; i++) yielder.suspend(i);
 * })) {
 *     counter.resume(null);   // Optional[1]
 *     counter.resume(null);   // Optional[2]
 *     counter.resume(null);   // Optional[3]
 *     counter.resume(null);   // Optional.empty: the body returned
 * }
 * }</pre>
 *
 * <p>Java bodies run on whichever {@link dev.fringe.spi.GeneratorBackend} {@link Backends}
 * selects: JVM continuations when the JVM allows it, otherwise a thread hand-off. Every backend
 * obeys the same contract, described on {@link Generator}. Bodies written in C (or any language
 * with a C ABI) run on fringe's own stacks through the {@code fringe-backend-jna} module, whose
 * stacks implement {@link Stack}.
 */
package dev.fringe;
