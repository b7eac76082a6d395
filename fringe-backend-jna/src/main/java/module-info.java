// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Native generators: bodies written in C (or any language with a C ABI) run as generators on
 * stacks fringe allocates, switched by a per-architecture {@code fringe-arch-*} module and
 * called through {@code java.lang.foreign} (JDK 22+, with native access enabled for this module)
 * or JNA. See {@link dev.fringe.jna.NativeGenerator}.
 */
// "requires-automatic", "requires-transitive-automatic": JNA's jar (net.java.dev.jna:jna, what
// most applications already have) is an automatic module named com.sun.jna; its Pointer is part
// of this module's API, hence transitive.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.fringe.jna {
    requires transitive dev.fringe;
    requires transitive com.sun.jna;

    exports dev.fringe.jna;
    exports dev.fringe.jna.spi;

    uses dev.fringe.jna.spi.ArchSupport;
}
