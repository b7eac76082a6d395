// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.ArchSupport;

/**
 * fringe's native context switch for 32-bit x86 Linux (System V i386 ABI, cdecl).
 *
 * <p>The switch lives in {@code libfringe_x86.so}, built by this module from
 * {@code src/main/asm/fringe_x86.S} and shipped in the jar as the class path resource
 * {@code linux-x86/libfringe_x86.so}. That file documents the control block, the stack
 * layouts and the unwind information; the constants here must match it. {@code fringe-backend-jna}
 * loads and binds the library; this class only describes it.
 *
 * <p><b>Thread safety.</b> Immutable.
 */
@AutoService(ArchSupport.class)
public final class X86Arch implements ArchSupport {

    /** Creates the description; called by {@link java.util.ServiceLoader}. */
    public X86Arch() {
    }

    @Override
    public String artifactId() {
        return "fringe-arch-x86";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.prefix} in this module's POM. JNA's resource prefix for 32-bit x86 Linux covers {@code os.arch} i386, x86 and i686. */
    @Override
    public String resourcePrefix() {
        return "linux-x86";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.lib} in this module's POM. */
    @Override
    public String libraryName() {
        return "fringe_x86";
    }

    /** {@inheritDoc} Here: 4, uintptr_t is 32 bits wide. */
    @Override
    public int wordSize() {
        return 4;
    }

    /** {@inheritDoc} Here: 16, the Linux i386 ABI requires esp % 16 == 0 at every call. */
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
        return "(its build assembles it with i686-linux-gnu-gcc) and that the JVM is a 32-bit x86 one";
    }
}
