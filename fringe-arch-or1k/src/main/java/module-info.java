// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * fringe's native context switch for OpenRISC 1000 (or1k) Linux: {@code libfringe_or1k.so}
 * (assembled from {@code src/main/asm/fringe_or1k.S}) under JNA's {@code linux-or1k} resource
 * prefix, and the {@link dev.fringe.jna.spi.ArchSupport} provider that binds it. Exports
 * nothing: put this module beside {@code dev.fringe.jna} and
 * {@code dev.fringe.jna.NativeGenerator} finds it.
 */
// "requires-automatic": AutoService's annotations jar has no module-info; it is needed at compile
// time only (requires static), so nothing depends on its automatic name at run time.
@SuppressWarnings("requires-automatic")
module dev.fringe.arch.or1k {
    requires dev.fringe.jna;
    requires static com.google.auto.service;

    provides dev.fringe.jna.spi.ArchSupport with dev.fringe.arch.or1k.Or1kArch;
}
