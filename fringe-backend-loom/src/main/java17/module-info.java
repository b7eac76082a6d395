// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * The JDK 17 face of fringe's continuation module: the same name, requirements and providers as
 * {@code src/main/java/module-info.java}, compiled for release 17 so that a JDK 17 can read this
 * jar on the module path. Its providers are the stand-ins in this directory, which report that
 * they need JDK 21; on JDK 21 and later the jar's {@code META-INF/versions/21} classes replace
 * them (a multi-release jar). Keep both descriptors identical (the JDK requires it).
 */
// "requires-automatic": see dev.fringe's module-info (compile-time only annotations).
@SuppressWarnings("requires-automatic")
module dev.fringe.loom {
    requires dev.fringe;
    requires static com.google.auto.service;

    provides dev.fringe.spi.GeneratorBackend with
            dev.fringe.loom.ContinuationBackend,
            dev.fringe.loom.VirtualThreadBackend;
}
