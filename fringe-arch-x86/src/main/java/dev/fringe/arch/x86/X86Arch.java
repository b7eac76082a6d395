package dev.fringe.arch.x86;

import com.google.auto.service.AutoService;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.fringe.jna.spi.ArchSupport;
import java.util.Map;

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
 * an address or value above 2<sup>31</sup> reads as a positive {@code long} in Java.
 *
 * <p>Constructing an instance loads nothing ({@link java.util.ServiceLoader} instantiates the
 * providers of every architecture to ask for their {@link #resourcePrefix()}); {@link #load()}
 * loads the library through this class's class loader, so JNA finds it inside this module's jar.
 * {@code -Djna.debug_load=true} traces where JNA looked.
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is loaded once (class
 * initialization guarantees that); every method may be called from any thread.
 */
@AutoService(ArchSupport.class)
public final class X86Arch implements ArchSupport {

    /** JNA's resource prefix for 32-bit x86 Linux ({@code os.arch} i386, x86, i686). */
    static final String RESOURCE_PREFIX = "linux-x86";
    /** The library's name as JNA takes it: {@code lib} and {@code .so} are added by JNA. */
    static final String LIBRARY_NAME = "fringe_x86";
    /** Where the library sits on the class path. */
    static final String RESOURCE_PATH = "linux-x86/libfringe_x86.so";

    /** Creates the provider; loads nothing (see the class comment). */
    public X86Arch() {
        // Nothing to do: the library is bound on first use, by Holder's initializer.
    }

    @Override
    public String resourcePrefix() {
        return RESOURCE_PREFIX;
    }

    @Override
    public String artifactId() {
        return "fringe-arch-x86";
    }

    /** Returns 4: {@code uintptr_t} is 32 bits wide. */
    @Override
    public int wordSize() {
        return 4;
    }

    /** Returns 16: the Linux i386 ABI requires {@code esp % 16 == 0} at every call. */
    @Override
    public int stackAlignment() {
        return 16;
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

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an argument is not a 32-bit address; nothing is written
     */
    @Override
    public long init(long stackBase, long body, long env) {
        return Integer.toUnsignedLong(Holder.fringe_init(word(stackBase, "stackBase"), word(body, "body"),
                word(env, "env")));
    }

    /** {@inheritDoc} The control block comes from {@link #init}, so it is not checked here. */
    @Override
    public long resume(long ctl) {
        return Integer.toUnsignedLong(Holder.fringe_resume((int) ctl));
    }

    @Override
    public int registerStack(long limit, long base) {
        return Holder.fringe_stack_register(word(limit, "limit"), word(base, "base"));
    }

    @Override
    public void deregisterStack(int id) {
        Holder.fringe_stack_deregister(id);
    }

    /**
     * Narrows an address to a machine word.
     *
     * @param value an address, zero-extended as JNA gives them on a 32-bit JVM
     * @param name  what it is, for the message
     * @return the word
     * @throws IllegalArgumentException if {@code value} has bits above the 32nd
     */
    static int word(long value, String name) {
        if (value >>> 32 != 0) {
            throw new IllegalArgumentException(name + " 0x" + Long.toHexString(value)
                    + " is not a 32-bit address; fringe-arch-x86 serves 32-bit JVMs only");
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
                "fringe-arch-x86: cannot load the native context switch lib" + LIBRARY_NAME
                        + ".so (os.arch=" + System.getProperty("os.arch") + "). JNA looked for the"
                        + " class path resource " + RESOURCE_PATH + " through the class loader of "
                        + X86Arch.class.getName() + " (java.class.path="
                        + System.getProperty("java.class.path") + "), after jna.library.path and"
                        + " the system library paths. Check that the fringe-arch-x86 jar contains "
                        + RESOURCE_PATH + " (its build assembles it with i686-linux-gnu-gcc) and that"
                        + " the JVM is a 32-bit x86 one, and run with -Djna.debug_load=true to see"
                        + " every place JNA tried. Cause: " + cause);
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
                        Map.of(Library.OPTION_CLASSLOADER, X86Arch.class.getClassLoader()));
                Native.register(Holder.class, library);
            } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, or a bad mapping
                failure = e;
            }
            FAILURE = failure;
        }

        private Holder() {
        }

        // The library's exports (fringe_x86.S). Pointers and uintptr_t are 32-bit: int.
        static native int fringe_init(int stackBase, int body, int env);

        static native int fringe_resume(int ctl);

        static native int fringe_stack_register(int limit, int base);

        static native void fringe_stack_deregister(int id);
    }
}
