// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

/**
 * The transformer could not rewrite a class: the message names the class and, where one is to
 * blame, the method, and says why. Nothing of that class was written.
 */
public final class TransformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransformException(String message, Throwable cause) {
        super(message, cause);
    }

    TransformException(String message) {
        super(message);
    }
}
