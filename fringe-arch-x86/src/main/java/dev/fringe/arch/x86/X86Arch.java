// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.AbstractArchSupport;
import dev.fringe.jna.spi.ArchSupport;
import dev.fringe.jna.spi.SwitchLibrary;

/**
 * fringe's native context switch for 32-bit x86 Linux (System V i386 ABI, cdecl).
 *
 * <p>The switch lives in {@code libfringe_x86.so}, assembled by this module's build from
 * {@code src/main/asm/fringe_x86.S} and shipped in the jar as the class path resource
 * {@code linux-x86/libfringe_x86.so}. That file documents the control block, the stack layouts and
 * the unwind information; the constants here must match it.
 *
 * <p>Machine words are 32 bits: the library's functions are bound with {@code int} arguments and
 * results (JNA direct mapping, its cheapest call path), and the {@code long}s of the
 * {@link ArchSupport} methods are narrowed on the way in and zero-extended on the way out, so
 * an address or value above 2<sup>31</sup> reads as a positive {@code long} in Java. Addresses
 * must come zero-extended, as JNA gives them on a 32-bit JVM ({@link #word(long, String)}).
 *
 * <p>Loading, its error message and the constants are {@link AbstractArchSupport}'s: constructing
 * an instance loads nothing, and {@link #load()} loads the library through this class's class
 * loader ({@code -Djna.debug_load=true} traces where JNA looked).
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is loaded once (class
 * initialization guarantees that); every method may be called from any thread.
 */
@AutoService(ArchSupport.class)
public final class X86Arch extends AbstractArchSupport {

    /**
     * The library: {@code fringe.arch.prefix} and {@code fringe.arch.lib} of this module's POM.
     * JNA's resource prefix for 32-bit x86 Linux covers {@code os.arch} i386, x86 and i686.
     */
    static final SwitchLibrary LIBRARY = new SwitchLibrary(X86Arch.class, "fringe-arch-x86", "linux-x86", "fringe_x86",
            "(its build assembles it with i686-linux-gnu-gcc) and that the JVM is a 32-bit x86 one");

    /** Creates the provider; loads nothing (see the class comment). */
    public X86Arch() {
        // Words: uintptr_t is 32 bits wide. Alignment: the Linux i386 ABI requires esp % 16 == 0
        // at every call.
        super(LIBRARY, 4, 16);
    }

    @Override
    protected Throwable bindingFailure() {
        return Natives.FAILURE;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an argument is not a 32-bit address; nothing is written
     */
    @Override
    public long init(long stackBase, long body, long env) {
        return Integer.toUnsignedLong(Natives.fringe_init(word(stackBase, "stackBase"), word(body, "body"),
                word(env, "env")));
    }

    /** {@inheritDoc} The control block comes from {@link #init}, so it is not checked here. */
    @Override
    public long resume(long ctl) {
        return Integer.toUnsignedLong(Natives.fringe_resume((int) ctl));
    }

    @Override
    public int registerStack(long limit, long base) {
        return Natives.fringe_stack_register(word(limit, "limit"), word(base, "base"));
    }

    @Override
    public void deregisterStack(int id) {
        Natives.fringe_stack_deregister(id);
    }

    /**
     * Narrows an address to a machine word ({@link AbstractArchSupport#narrowAddress}: only
     * zero-extended values fit).
     *
     * @param value an address, zero-extended as JNA gives them on a 32-bit JVM
     * @param name  what it is, for the message
     * @return the word
     * @throws IllegalArgumentException if {@code value} has bits above the 32nd
     */
    static int word(long value, String name) {
        return narrowAddress(value, name, LIBRARY.artifactId());
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

        // fringe_x86.S. Pointers and uintptr_t are 32-bit: int.
        static native int fringe_init(int stackBase, int body, int env);

        static native int fringe_resume(int ctl);

        static native int fringe_stack_register(int limit, int base);

        static native void fringe_stack_deregister(int id);
    }
}
