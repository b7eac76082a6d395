// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86_64;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.AbstractArchSupport;
import dev.fringe.jna.spi.ArchSupport;
import dev.fringe.jna.spi.SwitchLibrary;

/**
 * fringe's native context switch for x86_64 Linux (System V AMD64 ABI).
 *
 * <p>The switch lives in {@code libfringe_x86_64.so}, assembled by this module's build from
 * {@code src/main/asm/fringe_x86_64.S} and shipped in the jar as the class path resource
 * {@code linux-x86-64/libfringe_x86_64.so}. That file documents the control block, the stack layouts and the
 * unwind information; the constants here must match it.
 *
 * <p>Loading, its error message and the constants are {@link AbstractArchSupport}'s: constructing
 * an instance loads nothing, and {@link #load()} loads the library through this class's class
 * loader ({@code -Djna.debug_load=true} traces where JNA looked).
 *
 * <p>The functions are bound by JNA direct mapping with {@code long} and {@code int} arguments
 * only, JNA's cheapest call path; {@link #resume(long)} takes the control block alone because
 * every extra argument of a direct call costs about as much as the switch itself.
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is loaded once (class
 * initialization guarantees that); every method may be called from any thread.
 */
@AutoService(ArchSupport.class)
public final class X86_64Arch extends AbstractArchSupport {

    /** The library: {@code fringe.arch.prefix} and {@code fringe.arch.lib} of this module's POM. */
    static final SwitchLibrary LIBRARY = new SwitchLibrary(X86_64Arch.class, "fringe-arch-x86_64", "linux-x86-64",
            "fringe_x86_64", "(its build assembles it with gcc)");

    /** Creates the provider; loads nothing (see the class comment). */
    public X86_64Arch() {
        // Words: uintptr_t is 64 bits wide. Alignment: SysV requires (rsp + 8) % 16 == 0 at every
        // function entry.
        super(LIBRARY, 8, 16);
    }

    @Override
    protected Throwable bindingFailure() {
        return Natives.FAILURE;
    }

    @Override
    public long init(long stackBase, long body, long env) {
        return Natives.fringe_init(stackBase, body, env);
    }

    @Override
    public long resume(long ctl) {
        // The ret flavour: JNA returns through several frames after the call (see the .S).
        return Natives.fringe_resume_ret(ctl);
    }

    @Override
    public int registerStack(long limit, long base) {
        return Natives.fringe_stack_register(limit, base);
    }

    @Override
    public void deregisterStack(int id) {
        Natives.fringe_stack_deregister(id);
    }

    /**
     * The library's exports, bound when first touched (which {@link #load()} does); a failure is
     * kept in {@link #FAILURE} instead of failing class initialization, so it can be reported
     * again.
     */
    private static final class Natives {
        /** Why binding failed, or {@code null} once the natives below are bound. */
        static final Throwable FAILURE = LIBRARY.bind(Natives.class);

        private Natives() {
        }

        // fringe_x86_64.S. Pointers and uintptr_t are 64-bit: long.
        static native long fringe_init(long stackBase, long body, long env);

        static native long fringe_resume_ret(long ctl);

        static native int fringe_stack_register(long limit, long base);

        static native void fringe_stack_deregister(int id);
    }
}
