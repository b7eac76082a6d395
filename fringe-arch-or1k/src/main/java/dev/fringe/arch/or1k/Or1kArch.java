package dev.fringe.arch.or1k;

import com.google.auto.service.AutoService;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.fringe.jna.spi.ArchSupport;
import java.util.Map;

/**
 * fringe's native context switch for OpenRISC 1000 (or1k) Linux.
 *
 * <p>The switch lives in {@code libfringe_or1k.so}, assembled by this module's build from
 * {@code src/main/asm/fringe_or1k.S} and shipped in the jar as the class path resource
 * {@code linux-or1k/libfringe_or1k.so}. That file documents the control block, the
 * stack layouts and the unwind information; the constants here must match it.
 *
 * <p><b>Verified under emulation only.</b> No JVM runs on or1k today, and JNA ships no
 * {@code libjnidispatch} for {@code linux-or1k}, so this provider cannot be exercised
 * end to end. The library itself is checked by a freestanding test program that embeds the
 * exact bytes of the jar's {@code .so} and runs fringe's scenarios under {@code qemu-or1k}
 * (see {@code src/test/c/selftest.c}). The binding below is what an or1k JVM with a JNA
 * build for that platform would use.
 *
 * <p>Machine words are 32 bits: the natives take and return {@code int}. The {@link ArchSupport}
 * methods take {@code long}: values are narrowed to 32 bits (both zero- and sign-extended
 * forms of a 32-bit value are accepted, anything wider is an error) and results are
 * zero-extended, as {@code fringe.h} promises ("Java sees them as long, zero-extended").
 *
 * <p>Constructing an instance loads nothing; {@link #load()} loads the library through this
 * class's class loader. {@code -Djna.debug_load=true} traces where JNA looked.
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is loaded once (class
 * initialization guarantees that); every method may be called from any thread.
 */
@AutoService(ArchSupport.class)
public final class Or1kArch implements ArchSupport {

    /** JNA's resource prefix for or1k Linux ({@code os.arch} {@code or1k}, passed through). */
    static final String RESOURCE_PREFIX = "linux-or1k";
    /** The library's name as JNA takes it: {@code lib} and {@code .so} are added by JNA. */
    static final String LIBRARY_NAME = "fringe_or1k";
    /** Where the library sits on the class path. */
    static final String RESOURCE_PATH = "linux-or1k/libfringe_or1k.so";

    /** Creates the provider; loads nothing. */
    public Or1kArch() {
        // Nothing to do: the library is bound on first use, by Holder's initializer.
    }

    @Override
    public String resourcePrefix() {
        return RESOURCE_PREFIX;
    }

    @Override
    public String artifactId() {
        return "fringe-arch-or1k";
    }

    /** Returns 4: {@code uintptr_t} is 32 bits wide. */
    @Override
    public int wordSize() {
        return 4;
    }

    /** Returns 4: the OpenRISC 1000 ABI aligns the stack pointer to a word. */
    @Override
    public int stackAlignment() {
        return 4;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A failure is remembered: every later call throws a new {@link UnsatisfiedLinkError}
     * with the first failure as its cause, and nothing is retried.
     */
    @Override
    public void load() {
        if (Holder.FAILURE != null) {
            throw loadError(Holder.FAILURE);
        }
    }

    @Override
    public long init(long stackBase, long body, long env) {
        return Integer.toUnsignedLong(Holder.fringe_init(word(stackBase), word(body), word(env)));
    }

    @Override
    public long resume(long ctl) {
        return Integer.toUnsignedLong(Holder.fringe_resume(word(ctl)));
    }

    @Override
    public int registerStack(long limit, long base) {
        return Holder.fringe_stack_register(word(limit), word(base));
    }

    @Override
    public void deregisterStack(int id) {
        Holder.fringe_stack_deregister(id);
    }

    /**
     * Narrows a {@code long} that holds a 32-bit machine word, zero- or sign-extended, to the
     * {@code int} the natives take.
     *
     * @param value an address or value
     * @return its low 32 bits
     * @throws IllegalArgumentException if {@code value} does not fit in 32 bits, changing nothing
     */
    static int word(long value) {
        if ((value >> 32) != 0 && (value >> 31) != -1) {
            throw new IllegalArgumentException("0x" + Long.toHexString(value)
                    + " does not fit in an or1k machine word (32 bits)");
        }
        return (int) value;
    }

    /**
     * Builds the error {@link #load()} throws: what was searched, where, and how to see more.
     *
     * @param cause why JNA could not load or bind the library
     * @return the error to throw, with {@code cause} attached
     */
    static UnsatisfiedLinkError loadError(Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                "fringe-arch-or1k: cannot load the native context switch lib" + LIBRARY_NAME
                        + ".so (os.arch=" + System.getProperty("os.arch") + "). JNA looked for the"
                        + " class path resource " + RESOURCE_PATH + " through the class loader of "
                        + Or1kArch.class.getName() + " (java.class.path="
                        + System.getProperty("java.class.path") + "), after jna.library.path and"
                        + " the system library paths. Check that the fringe-arch-or1k jar"
                        + " contains " + RESOURCE_PATH + " (its build assembles it with"
                        + " or1k-elf-gcc and links it with an or1k-linux-gnu ld) and that JNA itself runs"
                        + " here: JNA's jar has no libjnidispatch for linux-or1k, so an or1k JVM needs a JNA"
                        + " built for it. Run with -Djna.debug_load=true to see every place JNA tried. Cause: "
                        + cause);
        error.initCause(cause);
        return error;
    }

    /**
     * Binds the library when first touched, which {@link #load()} does; a failure is kept in
     * {@link #FAILURE} instead of failing class initialization, so it can be reported again.
     */
    private static final class Holder {
        /** Why loading failed, or {@code null} once the natives below are bound. */
        static final Throwable FAILURE;

        static {
            Throwable failure = null;
            try {
                NativeLibrary library = NativeLibrary.getInstance(LIBRARY_NAME,
                        Map.of(Library.OPTION_CLASSLOADER, Or1kArch.class.getClassLoader()));
                Native.register(Holder.class, library);
            } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, or a bad mapping
                failure = e;
            }
            FAILURE = failure;
        }

        private Holder() {
        }

        // The library's exports (fringe_or1k.S). Pointers and uintptr_t are 32-bit: int.
        static native int fringe_init(int stackBase, int body, int env);

        static native int fringe_resume(int ctl);

        static native int fringe_stack_register(int limit, int base);

        static native void fringe_stack_deregister(int id);
    }
}
