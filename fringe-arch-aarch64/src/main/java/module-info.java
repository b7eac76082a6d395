// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * fringe's native context switch for aarch64 Linux: {@code libfringe_aarch64.so} (assembled from
 * {@code src/main/asm/fringe_aarch64.S}) under JNA's {@code linux-aarch64} resource prefix, and the
 * {@link dev.fringe.jna.spi.ArchSupport} that describes it. Exports nothing: put this module
 * beside {@code dev.fringe.jna} on an aarch64 JVM and {@code dev.fringe.jna.NativeGenerator} finds
 * it.
 */
// "requires-automatic": AutoService's annotations jar has no module-info; it is needed at compile
// time only (requires static), so nothing depends on its automatic name at run time.
// "module": javac advises against a name ending in digits; aarch64 is the architecture's name.
@SuppressWarnings({"module", "requires-automatic"})
module dev.fringe.arch.aarch64 {
    requires dev.fringe.jna;
    requires static com.google.auto.service;

    provides dev.fringe.jna.spi.ArchSupport with dev.fringe.arch.aarch64.Aarch64Arch;
}
