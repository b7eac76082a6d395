// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.or1k;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.ArchSupport;

/**
 * fringe's native context switch for OpenRISC 1000 (or1k) Linux.
 *
 * <p>The switch lives in {@code libfringe_or1k.so}, built by this module from
 * {@code src/main/asm/fringe_or1k.S} and shipped in the jar as the class path resource
 * {@code linux-or1k/libfringe_or1k.so}. That file documents the control block, the stack
 * layouts and the unwind information; the constants here must match it. {@code fringe-backend-jna}
 * loads and binds the library; this class only describes it.
 *
 * <p><b>Verified under emulation only.</b> No JVM runs on or1k today, and JNA ships no
 * {@code libjnidispatch} for {@code linux-or1k}, so this description cannot be exercised
 * end to end. The library itself is checked by a freestanding test program that embeds the
 * exact bytes of the jar's {@code .so} and runs fringe's scenarios under {@code qemu-or1k}
 * ({@code selftest.c} of fringe-arch-testkit with this module's {@code src/test/c/selftest_arch.h}).
 *
 * <p><b>Thread safety.</b> Immutable.
 */
@AutoService(ArchSupport.class)
public final class Or1kArch implements ArchSupport {

    /** Creates the description; called by {@link java.util.ServiceLoader}. */
    public Or1kArch() {
    }

    @Override
    public String artifactId() {
        return "fringe-arch-or1k";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.prefix} in this module's POM. JNA passes {@code os.arch} {@code or1k} through to the resource prefix. */
    @Override
    public String resourcePrefix() {
        return "linux-or1k";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.lib} in this module's POM. */
    @Override
    public String libraryName() {
        return "fringe_or1k";
    }

    /** {@inheritDoc} Here: 4, uintptr_t is 32 bits wide. */
    @Override
    public int wordSize() {
        return 4;
    }

    /** {@inheritDoc} Here: 4, the OpenRISC 1000 ABI aligns the stack pointer to a word. */
    @Override
    public int stackAlignment() {
        return 4;
    }

    @Override
    public String loadHint() {
        return "(its build assembles it with or1k-elf-gcc and links it with an or1k-linux-gnu ld) and that JNA itself runs here: JNA's jar has no libjnidispatch for linux-or1k, so an or1k JVM needs a JNA built for it";
    }
}
