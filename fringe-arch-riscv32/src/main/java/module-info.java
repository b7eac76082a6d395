// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * fringe's native context switch for riscv32 Linux (RV32, ilp32 soft-float ABI):
 * {@code libfringe_riscv32.so} (assembled from {@code src/main/asm/fringe_riscv32.S}) under JNA's
 * {@code linux-riscv32} resource prefix, and the {@link dev.fringe.jna.spi.ArchSupport} provider
 * that binds it. Exports nothing: put this module beside {@code dev.fringe.jna} and
 * {@code dev.fringe.jna.NativeGenerator} finds it.
 */
// "requires-automatic": AutoService's annotations jar has no module-info; it is needed at compile
// time only (requires static), so nothing depends on its automatic name at run time.
// "module": javac advises against a name ending in digits; riscv32 is the architecture's name.
@SuppressWarnings({"module", "requires-automatic"})
module dev.fringe.arch.riscv32 {
    requires dev.fringe.jna;
    requires static com.google.auto.service;

    provides dev.fringe.jna.spi.ArchSupport with dev.fringe.arch.riscv32.Riscv32Arch;
}
