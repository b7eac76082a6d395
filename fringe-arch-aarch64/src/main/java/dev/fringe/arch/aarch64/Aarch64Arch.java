// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.aarch64;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.ArchSupport;

/**
 * fringe's native context switch for aarch64 Linux (AAPCS64).
 *
 * <p>The switch lives in {@code libfringe_aarch64.so}, built by this module from
 * {@code src/main/asm/fringe_aarch64.S} and shipped in the jar as the class path resource
 * {@code linux-aarch64/libfringe_aarch64.so}. That file documents the control block, the stack
 * layouts and the unwind information; the constants here must match it. {@code fringe-backend-jna}
 * loads and binds the library; this class only describes it.
 *
 * <p><b>Thread safety.</b> Immutable.
 */
@AutoService(ArchSupport.class)
public final class Aarch64Arch implements ArchSupport {

    /** Creates the description; called by {@link java.util.ServiceLoader}. */
    public Aarch64Arch() {
    }

    @Override
    public String artifactId() {
        return "fringe-arch-aarch64";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.prefix} in this module's POM. */
    @Override
    public String resourcePrefix() {
        return "linux-aarch64";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.lib} in this module's POM. */
    @Override
    public String libraryName() {
        return "fringe_aarch64";
    }

    /** {@inheritDoc} Here: 8, uintptr_t is 64 bits wide. */
    @Override
    public int wordSize() {
        return 8;
    }

    /** {@inheritDoc} Here: 16, AAPCS64 requires sp % 16 == 0 at all times. */
    @Override
    public int stackAlignment() {
        return 16;
    }

    /**
     * {@inheritDoc} Here: yes, this architecture has a JVM; the library contains
     * fringe-arch-parent's {@code fringe_guard.c} (this module's POM sets
     * {@code fringe.arch.overflow}).
     */
    @Override
    public boolean recoversOverflow() {
        return true;
    }

    @Override
    public String loadHint() {
        return "(its build assembles it with aarch64-linux-gnu-gcc)";
    }
}
