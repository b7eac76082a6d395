// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.spi;

import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import java.util.Optional;

/**
 * An engine that runs Java generator bodies. Backends are found with
 * {@link java.util.ServiceLoader} (module {@code provides} or {@code META-INF/services}) and
 * chosen by {@link dev.fringe.Backends#selected()}.
 *
 * <p>fringe ships four:
 * <table class="striped">
 *   <caption>Backends</caption>
 *   <thead><tr><th>name</th><th>priority</th><th>module</th><th>needs</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code stackless}</td><td>400</td><td>fringe-api</td>
 *       <td>JDK 17+; bodies rewritten by the {@code fringe-stackless} Maven plugin or agent (others
 *       run on the best other backend)</td></tr>
 *   <tr><td>{@code continuation}</td><td>300</td><td>fringe-backend-loom</td>
 *       <td>JDK 21+ and {@code --add-exports java.base/jdk.internal.vm=...}</td></tr>
 *   <tr><td>{@code virtual-thread}</td><td>200</td><td>fringe-backend-loom</td><td>JDK 21+</td></tr>
 *   <tr><td>{@code thread}</td><td>100</td><td>fringe-api</td><td>JDK 17+</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Thread safety.</b> Implementations must be thread-safe; {@link #unavailableReason()}
 * should be computed once and cached.
 */
public interface GeneratorBackend {

    /**
     * Returns the backend's name, used by {@code -Dfringe.backend=NAME}.
     *
     * @return a short lower-case name such as {@code "continuation"}
     */
    String name();

    /**
     * Returns the priority; among usable backends the highest wins when none is named.
     *
     * @return the priority
     */
    int priority();

    /**
     * Says why the backend cannot run generators in this JVM, and how to enable it.
     *
     * @return empty if usable; otherwise a sentence naming the missing JVM flag, JDK version
     *         or artifact
     */
    Optional<String> unavailableReason();

    /**
     * Creates a generator running {@code body} on this backend. Nothing runs until the first
     * {@code resume}.
     *
     * @param body the body
     * @param <I>  the input type
     * @param <O>  the output type
     * @return a new generator
     * @throws NullPointerException  if {@code body} is {@code null}
     * @throws IllegalStateException if the backend is unavailable (the message says why)
     */
    <I, O> Generator<I, O> create(GeneratorBody<I, O> body);
}
