// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Java generators on JVM continuations. Provides two {@link dev.fringe.spi.GeneratorBackend}s:
 * {@code continuation} ({@code jdk.internal.vm.Continuation}; needs
 * {@code --add-exports java.base/jdk.internal.vm=dev.fringe.loom} on the module path) and
 * {@code virtual-thread} (public API only). Exports nothing: use it through
 * {@link dev.fringe.Generator#create}.
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
