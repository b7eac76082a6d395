// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where the transformer reads the classes a class refers to (its supertypes, the owners of the
 * methods it calls): to decide whether a call can go to a transformed copy, and to merge types
 * when it regenerates stack maps.
 *
 * <p><b>Thread safety.</b> Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ClassSource {
    /**
     * Returns the bytes of a class file as the transformer would see it before transforming it.
     *
     * @param internalName the class's internal name, e.g. {@code java/lang/String}
     * @return the class file, or empty if this source does not have it
     */
    Optional<byte[]> find(String internalName);

    /**
     * A source that asks a class loader for {@code NAME.class} resources (the loader's parents
     * and the JDK's own classes included).
     *
     * @param loader the loader; {@code null} for the platform's classes only
     * @return the source
     */
    static ClassSource of(ClassLoader loader) {
        return name -> {
            String resource = name + ".class";
            try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                    : loader.getResourceAsStream(resource)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        };
    }
}
