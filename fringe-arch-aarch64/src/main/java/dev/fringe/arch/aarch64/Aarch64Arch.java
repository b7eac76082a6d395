// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.aarch64;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.AbstractArchSupport;
import dev.fringe.jna.spi.ArchSupport;
import dev.fringe.jna.spi.SwitchLibrary;

/**
 * fringe's native context switch for aarch64 Linux (AAPCS64).
 *
 * <p>The switch lives in {@code libfringe_aarch64.so}, assembled by this module's build from
 * {@code src/main/asm/fringe_aarch64.S} and shipped in the jar as the class path resource
 * {@code linux-aarch64/libfringe_aarch64.so}. That file documents the control block, the stack
 * layouts, the unwind information and the BTI/PAC marking; the constants here must match it.
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
public final class Aarch64Arch extends AbstractArchSupport {

    /** The library: {@code fringe.arch.prefix} and {@code fringe.arch.lib} of this module's POM. */
    static final SwitchLibrary LIBRARY = new SwitchLibrary(Aarch64Arch.class, "fringe-arch-aarch64", "linux-aarch64",
            "fringe_aarch64", "(its build assembles it with aarch64-linux-gnu-gcc)");

    /** Creates the provider; loads nothing (see the class comment). */
    public Aarch64Arch() {
        // Words: uintptr_t is 64 bits wide. Alignment: AAPCS64 requires sp % 16 == 0 at all times.
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
        return Natives.fringe_resume(ctl);
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

        // fringe_aarch64.S. Pointers and uintptr_t are 64-bit: long.
        static native long fringe_init(long stackBase, long body, long env);

        static native long fringe_resume(long ctl);

        static native int fringe_stack_register(long limit, long base);

        static native void fringe_stack_deregister(int id);
    }
}
