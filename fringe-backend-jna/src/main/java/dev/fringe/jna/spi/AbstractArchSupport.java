// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna.spi;

import java.util.Objects;

/**
 * What every {@link ArchSupport} provider of a {@code fringe-arch-*} module has in common: its
 * constants, loading its {@link SwitchLibrary} once and reporting a failure every time it is
 * asked, and narrowing the SPI's {@code long}s to 32-bit machine words. Part of the arch-module
 * toolkit (see the package documentation).
 *
 * <p>A provider passes its library and ABI constants to the constructor and keeps the one thing
 * that cannot be shared: the JNA natives, in a nested class of its own ({@code Native.register}
 * binds one class, and a 64-bit library takes {@code long}s where a 32-bit one takes
 * {@code int}s). The usual shape:
 *
 * <pre>{@code
 * public final class X86_64Arch extends AbstractArchSupport {
 *     static final SwitchLibrary LIBRARY = new SwitchLibrary(X86_64Arch.class, "fringe-arch-x86_64",
 *             "linux-x86-64", "fringe_x86_64", "(its build assembles it with gcc)");
 *
 *     public X86_64Arch() { super(LIBRARY, 8, 16); }
 *
 *     protected Throwable bindingFailure() { return Natives.FAILURE; }
 *     public long init(long stackBase, long body, long env) { return Natives.fringe_init(stackBase, body, env); }
 *     // resume, registerStack, deregisterStack likewise
 *
 *     private static final class Natives {
 *         static final Throwable FAILURE = LIBRARY.bind(Natives.class);
 *         static native long fringe_init(long stackBase, long body, long env);
 *         // ...
 *     }
 * }
 * }</pre>
 *
 * <p>Constructing a provider loads nothing: {@link java.util.ServiceLoader} instantiates the
 * providers of every architecture to ask for their {@link #resourcePrefix()}. The library is bound
 * when {@link #load()} first touches the natives class.
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is bound once (class
 * initialization of the natives class guarantees that); every method may be called from any
 * thread.
 */
public abstract class AbstractArchSupport implements ArchSupport {

    private final SwitchLibrary library;
    private final int wordSize;
    private final int stackAlignment;

    /**
     * Records the provider's constants; loads nothing.
     *
     * @param library        the module's switch library
     * @param wordSize       {@code sizeof(uintptr_t)} of the ABI: 8 or 4
     * @param stackAlignment the alignment the ABI requires of the stack pointer, in bytes
     */
    protected AbstractArchSupport(SwitchLibrary library, int wordSize, int stackAlignment) {
        this.library = Objects.requireNonNull(library, "library");
        if (wordSize != 4 && wordSize != 8) {
            throw new IllegalArgumentException("word size " + wordSize + ": fringe supports 4 and 8");
        }
        if (stackAlignment < wordSize || Integer.bitCount(stackAlignment) != 1) {
            throw new IllegalArgumentException("stack alignment " + stackAlignment
                    + " is not a power of two of at least the word size " + wordSize);
        }
        this.wordSize = wordSize;
        this.stackAlignment = stackAlignment;
    }

    /**
     * Returns the switch library this provider binds.
     *
     * @return the library
     */
    public final SwitchLibrary library() {
        return library;
    }

    @Override
    public final String resourcePrefix() {
        return library.resourcePrefix();
    }

    @Override
    public final String artifactId() {
        return library.artifactId();
    }

    @Override
    public final int wordSize() {
        return wordSize;
    }

    @Override
    public final int stackAlignment() {
        return stackAlignment;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A failure is remembered: every later call throws a new {@link UnsatisfiedLinkError}
     * ({@link SwitchLibrary#loadError(Throwable)}) with the first failure as its cause, and
     * nothing is retried.
     */
    @Override
    public final void load() {
        Throwable failure = bindingFailure();
        if (failure != null) {
            throw library.loadError(failure);
        }
    }

    /**
     * Binds the library if that has not happened yet, and says how it went: returns the
     * {@link SwitchLibrary#bind(Class)} result that the natives class keeps in a static field,
     * so that reading it runs that class's initializer once.
     *
     * @return {@code null} if the natives are bound, else why they could not be
     */
    protected abstract Throwable bindingFailure();

    /**
     * Narrows an address to a 32-bit machine word, strictly: {@code value} must be a zero-extended
     * 32-bit value, which is how JNA gives addresses on a 32-bit JVM. For providers that want a
     * sign-extended address to be a mistake.
     *
     * @param value      an address
     * @param name       what it is, for the message
     * @param artifactId the provider's artifact id, for the message
     * @return its low 32 bits
     * @throws IllegalArgumentException if {@code value} has bits above the 32nd; nothing is
     *                                  written
     */
    protected static int narrowAddress(long value, String name, String artifactId) {
        if (value >>> 32 != 0) {
            throw new IllegalArgumentException(name + " 0x" + Long.toHexString(value)
                    + " is not a 32-bit address; " + artifactId + " serves 32-bit JVMs only");
        }
        return (int) value;
    }

    /**
     * Narrows a {@code long} that holds a 32-bit machine word, zero- or sign-extended, to the
     * {@code int} a 32-bit library's natives take. Results go the other way with
     * {@link Integer#toUnsignedLong(int)}, as {@code fringe.h} promises ("Java sees them as long,
     * zero-extended").
     *
     * @param value an address or value
     * @param arch  the architecture's name, for the message, e.g. {@code "riscv32"}
     * @return its low 32 bits
     * @throws IllegalArgumentException if {@code value} does not fit in 32 bits, changing nothing
     */
    protected static int narrowWord(long value, String arch) {
        if ((value >> 32) != 0 && (value >> 31) != -1) {
            throw new IllegalArgumentException("0x" + Long.toHexString(value)
                    + " does not fit in a 32-bit " + arch + " machine word");
        }
        return (int) value;
    }
}
