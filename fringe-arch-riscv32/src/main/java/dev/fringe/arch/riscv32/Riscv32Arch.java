// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.riscv32;

import com.google.auto.service.AutoService;
import dev.fringe.jna.spi.AbstractArchSupport;
import dev.fringe.jna.spi.ArchSupport;
import dev.fringe.jna.spi.SwitchLibrary;

/**
 * fringe's native context switch for riscv32 Linux (RV32, ilp32 soft-float ABI).
 *
 * <p>The switch lives in {@code libfringe_riscv32.so}, assembled by this module's build from
 * {@code src/main/asm/fringe_riscv32.S} and shipped in the jar as the class path resource
 * {@code linux-riscv32/libfringe_riscv32.so}. That file documents the control block, the
 * stack layouts and the unwind information; the constants here must match it.
 *
 * <p><b>Verified under emulation only.</b> No JVM runs on riscv32 today, and JNA ships no
 * {@code libjnidispatch} for {@code linux-riscv32}, so this provider cannot be exercised
 * end to end. The library itself is checked by a freestanding test program that embeds the
 * exact bytes of the jar's {@code .so} and runs fringe's scenarios under {@code qemu-riscv32}
 * ({@code selftest.c} of fringe-arch-testkit with this module's {@code src/test/c/selftest_arch.h}).
 * The binding below is what a riscv32 JVM with a JNA build for that platform would use.
 *
 * <p>Machine words are 32 bits: the natives take and return {@code int}. The {@link ArchSupport}
 * methods take {@code long}: values are narrowed to 32 bits (both zero- and sign-extended
 * forms of a 32-bit value are accepted, anything wider is an error: {@link #word(long)}) and
 * results are zero-extended, as {@code fringe.h} promises ("Java sees them as long,
 * zero-extended").
 *
 * <p>Loading, its error message and the constants are {@link AbstractArchSupport}'s: constructing
 * an instance loads nothing, and {@link #load()} loads the library through this class's class
 * loader ({@code -Djna.debug_load=true} traces where JNA looked).
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is loaded once (class
 * initialization guarantees that); every method may be called from any thread.
 */
@AutoService(ArchSupport.class)
public final class Riscv32Arch extends AbstractArchSupport {

    /**
     * The library: {@code fringe.arch.prefix} and {@code fringe.arch.lib} of this module's POM.
     * JNA passes {@code os.arch} {@code riscv32} through to the resource prefix.
     */
    static final SwitchLibrary LIBRARY = new SwitchLibrary(Riscv32Arch.class, "fringe-arch-riscv32", "linux-riscv32",
            "fringe_riscv32", "(its build assembles it with riscv64-linux-gnu-gcc) and that JNA itself runs here: JNA's jar has no libjnidispatch"
                    + " for linux-riscv32, so a riscv32 JVM needs a JNA built for it");

    /** Creates the provider; loads nothing. */
    public Riscv32Arch() {
        // Words: uintptr_t is 32 bits wide. Alignment: the RISC-V psABI keeps sp 16-byte aligned (ilp32 included).
        super(LIBRARY, 4, 16);
    }

    @Override
    protected Throwable bindingFailure() {
        return Natives.FAILURE;
    }

    @Override
    public long init(long stackBase, long body, long env) {
        return Integer.toUnsignedLong(Natives.fringe_init(word(stackBase), word(body), word(env)));
    }

    @Override
    public long resume(long ctl) {
        return Integer.toUnsignedLong(Natives.fringe_resume(word(ctl)));
    }

    @Override
    public int registerStack(long limit, long base) {
        return Natives.fringe_stack_register(word(limit), word(base));
    }

    @Override
    public void deregisterStack(int id) {
        Natives.fringe_stack_deregister(id);
    }

    /**
     * Narrows a {@code long} that holds a 32-bit machine word, zero- or sign-extended, to the
     * {@code int} the natives take ({@link AbstractArchSupport#narrowWord}).
     *
     * @param value an address or value
     * @return its low 32 bits
     * @throws IllegalArgumentException if {@code value} does not fit in 32 bits, changing nothing
     */
    static int word(long value) {
        return narrowWord(value, "riscv32");
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

        // fringe_riscv32.S. Pointers and uintptr_t are 32-bit: int.
        static native int fringe_init(int stackBase, int body, int env);

        static native int fringe_resume(int ctl);

        static native int fringe_stack_register(int limit, int base);

        static native void fringe_stack_deregister(int id);
    }
}
