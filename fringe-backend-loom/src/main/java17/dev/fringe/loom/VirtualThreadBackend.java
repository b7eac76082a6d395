// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.loom;

import com.google.auto.service.AutoService;
import dev.fringe.spi.GeneratorBackend;

/**
 * JDK 17 stand-in for the {@code virtual-thread} backend (see {@link NeedsJdk21}); the real class is in
 * this jar's {@code META-INF/versions/21}. Name and priority must match it
 * ({@code LoomMultiReleaseJarTest} checks).
 */
@AutoService(GeneratorBackend.class)
public final class VirtualThreadBackend extends NeedsJdk21 {
    /** Creates the stand-in; called by {@link java.util.ServiceLoader}. */
    public VirtualThreadBackend() {
        super("virtual-thread", 200);
    }
}
