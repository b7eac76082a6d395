// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe;

/**
 * Thrown out of {@link Generator#resume resume} (or {@link Generator#close close}) when a
 * generator's body threw a checked exception; the body's exception is the
 * {@linkplain #getCause() cause}. Unchecked exceptions and errors are rethrown as they are.
 *
 * <p>The cause's stack trace shows the body's frames followed by the frames of the code that
 * called {@code resume}, whichever backend ran the body.
 */
public class GeneratorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps a checked exception thrown by a generator's body.
     *
     * @param message what failed
     * @param cause   the body's exception
     */
    public GeneratorException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Wraps a checked exception thrown by a generator's body, with a message naming it.
     *
     * @param cause the body's exception
     */
    public GeneratorException(Throwable cause) {
        super("generator body threw " + cause, cause);
    }
}
