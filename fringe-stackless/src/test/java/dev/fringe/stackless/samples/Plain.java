// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.samples;

import java.util.function.IntSupplier;

/** A class that has nothing to do with generators: the transformer must leave it byte for byte. */
public final class Plain implements IntSupplier {
    private int calls;

    @Override
    public synchronized int getAsInt() {
        return ++calls;
    }
}
