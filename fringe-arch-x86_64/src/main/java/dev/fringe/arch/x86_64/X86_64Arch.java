// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86_64;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.ArchSupport;

/**
 * fringe's native context switch for x86_64 Linux (System V AMD64 ABI).
 *
 * <p>The switch lives in {@code libfringe_x86_64.so}, built by this module from
 * {@code src/main/asm/fringe_x86_64.S} and shipped in the jar as the class path resource
 * {@code linux-x86-64/libfringe_x86_64.so}. That file documents the control block, the stack
 * layouts and the unwind information; the constants here must match it. {@code fringe-backend-jna}
 * loads and binds the library; this class only describes it.
 *
 * <p><b>Thread safety.</b> Immutable.
 */
@AutoService(ArchSupport.class)
public final class X86_64Arch implements ArchSupport {

    /** Creates the description; called by {@link java.util.ServiceLoader}. */
    public X86_64Arch() {
    }

    @Override
    public String artifactId() {
        return "fringe-arch-x86_64";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.prefix} in this module's POM. */
    @Override
    public String resourcePrefix() {
        return "linux-x86-64";
    }

    /** {@inheritDoc} Must match {@code fringe.arch.lib} in this module's POM. */
    @Override
    public String libraryName() {
        return "fringe_x86_64";
    }

    /** {@inheritDoc} Here: 8, uintptr_t is 64 bits wide. */
    @Override
    public int wordSize() {
        return 8;
    }

    /** {@inheritDoc} Here: 16, SysV requires (rsp + 8) % 16 == 0 at every function entry. */
    @Override
    public int stackAlignment() {
        return 16;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The {@code ret} flavour of the switch ({@code fringe_resume_ret}, which installs
     * {@code fringe_suspend_ret} as the body's suspend routine), for JNA: after each resume its
     * call returns through libffi and JNA's dispatcher, whose returns the {@code pop}+{@code jmp}
     * flavour would leave mispredicted. FFM calls {@code fringe_resume} ({@link #resumeSymbol()}),
     * which is faster there. Measured behind both bindings; see "Other design notes" in the
     * {@code .S}.
     */
    @Override
    public String returningResumeSymbol() {
        return "fringe_resume_ret";
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
        return "(its build assembles it with gcc)";
    }
}
