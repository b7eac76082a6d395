// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * fringe's public contract: {@link dev.fringe.Generator} and its companions, backend discovery
 * ({@link dev.fringe.Backends}) and the service interface backends implement
 * ({@link dev.fringe.spi.GeneratorBackend}).
 *
 * <p>The module also carries the {@code thread} backend, so this jar alone runs generators on
 * any JDK 17 or later, and the {@code stackless} backend with its run-time support
 * ({@code dev.fringe.stackless}, exported because code rewritten by the {@code fringe-stackless}
 * transformer calls it; for generated code only). {@code dev.fringe.internal} is shared with
 * fringe's own backend modules only; it is not API.
 */
// "module": the qualified export names fringe modules that are built after this one.
// "requires-automatic": AutoService's annotations jar has no module-info; it is only needed
// at compile time (requires static), so nothing depends on its automatic name at run time.
@SuppressWarnings({"module", "requires-automatic"})
module dev.fringe {
    requires static com.google.auto.service;

    exports dev.fringe;
    exports dev.fringe.spi;
    exports dev.fringe.stackless;
    exports dev.fringe.internal to dev.fringe.loom;

    uses dev.fringe.spi.GeneratorBackend;
    provides dev.fringe.spi.GeneratorBackend with dev.fringe.internal.ThreadBackend, dev.fringe.stackless.StacklessBackend;
}
