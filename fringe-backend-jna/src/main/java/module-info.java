// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Native generators: bodies written in C (or any language with a C ABI) run as generators on
 * stacks fringe allocates, switched by a per-architecture {@code fringe-arch-*} module and
 * driven through JNA. See {@link dev.fringe.jna.NativeGenerator}.
 */
module dev.fringe.jna {
    requires transitive dev.fringe;
    requires transitive com.sun.jna;

    exports dev.fringe.jna;
    exports dev.fringe.jna.spi;

    uses dev.fringe.jna.spi.ArchSupport;
}
