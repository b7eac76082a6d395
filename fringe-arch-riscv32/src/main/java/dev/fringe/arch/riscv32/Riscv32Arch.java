// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.riscv32;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.ArchSupport;

/**
 * fringe's native context switch for riscv32 Linux (RV32, ilp32 soft-float ABI).
 *
 * <p>The switch lives in {@code libfringe_riscv32.so}, built by this module from
 * {@code src/main/asm/fringe_riscv32.S} and shipped in the jar as the class path resource
 * {@code linux-riscv32/libfringe_riscv32.so}. That file documents the control block, the stack
 * layouts and the unwind information; the constants here must match it. {@code fringe-backend-jna}
 * loads and binds the library; this class only describes it.
 *
 * <p><b>Verified under emulation only.</b> No JVM runs on riscv32 today, and JNA ships no
 * {@code libjnidispatch} for {@code linux-riscv32}, so this description cannot be exercised
 * end to end. The library itself is checked by a freestanding test program that embeds the
 * exact bytes of the jar's {@code .so} and runs fringe's scenarios under {@code qemu-riscv32}
 * ({@code selftest.c} of fringe-arch-testkit with this module's {@code src/test/c/selftest_arch.h}).
 *
 * <p><b>Thread safety.</b> Immutable.
 */
@AutoService(ArchSupport.class)
public final class Riscv32Arch implements ArchSupport {

    /** Creates the description; called by {@link java.util.ServiceLoader}. */
    public Riscv32Arch() {
    }

    @Override
    public String artifactId() {
        return "fringe-arch-riscv32";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.prefix} in this module's POM. JNA passes {@code os.arch} {@code riscv32} through to the resource prefix. */
    @Override
    public String resourcePrefix() {
        return "linux-riscv32";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.lib} in this module's POM. */
    @Override
    public String libraryName() {
        return "fringe_riscv32";
    }

    /** {@inheritDoc} Here: 4, uintptr_t is 32 bits wide. */
    @Override
    public int wordSize() {
        return 4;
    }

    /** {@inheritDoc} Here: 16, the RISC-V psABI keeps sp 16-byte aligned (ilp32 included). */
    @Override
    public int stackAlignment() {
        return 16;
    }

    @Override
    public String loadHint() {
        return "(its build assembles it with riscv64-linux-gnu-gcc) and that JNA itself runs here: JNA's jar has no libjnidispatch for linux-riscv32, so a riscv32 JVM needs a JNA built for it";
    }
}
