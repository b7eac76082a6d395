package dev.fringe.arch.aarch64;

import com.google.auto.service.AutoService;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.fringe.jna.spi.ArchSupport;
import java.util.Map;

/**
 * fringe's native context switch for aarch64 Linux (AAPCS64).
 *
 * <p>The switch lives in {@code libfringe_aarch64.so}, assembled by this module's build from
 * {@code src/main/asm/fringe_aarch64.S} and shipped in the jar as the class path resource
 * {@code linux-aarch64/libfringe_aarch64.so}. That file documents the control block, the stack
 * layouts, the unwind information and the BTI/PAC marking; the constants here must match it.
 *
 * <p>Constructing an instance loads nothing ({@link java.util.ServiceLoader} instantiates the
 * providers of every architecture to ask for their {@link #resourcePrefix()}); {@link #load()}
 * loads the library through this class's class loader, so JNA finds it inside this module's jar
 * and extracts it to a temporary file. {@code -Djna.debug_load=true} traces where JNA looked.
 *
 * <p>The functions are bound by JNA direct mapping with {@code long} and {@code int} arguments
 * only, JNA's cheapest call path; {@link #resume(long)} takes the control block alone because
 * every extra argument of a direct call costs about as much as the switch itself.
 *
 * <p><b>Thread safety.</b> Stateless apart from the library, which is loaded once (class
 * initialization guarantees that); every method may be called from any thread.
 */
@AutoService(ArchSupport.class)
public final class Aarch64Arch implements ArchSupport {

    /** JNA's resource prefix for aarch64 Linux. */
    static final String RESOURCE_PREFIX = "linux-aarch64";
    /** The library's name as JNA takes it: {@code lib} and {@code .so} are added by JNA. */
    static final String LIBRARY_NAME = "fringe_aarch64";
    /** Where the library sits on the class path. */
    static final String RESOURCE_PATH = "linux-aarch64/libfringe_aarch64.so";

    /** Creates the provider; loads nothing (see the class comment). */
    public Aarch64Arch() {
        // Nothing to do: the library is bound on first use, by Holder's initializer.
    }

    @Override
    public String resourcePrefix() {
        return RESOURCE_PREFIX;
    }

    @Override
    public String artifactId() {
        return "fringe-arch-aarch64";
    }

    /** Returns 8: {@code uintptr_t} is 64 bits wide. */
    @Override
    public int wordSize() {
        return 8;
    }

    /** Returns 16: AAPCS64 requires {@code sp % 16 == 0} at all times. */
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

    @Override
    public long init(long stackBase, long body, long env) {
        return Holder.fringe_init(stackBase, body, env);
    }

    @Override
    public long resume(long ctl) {
        return Holder.fringe_resume(ctl);
    }

    @Override
    public int registerStack(long limit, long base) {
        return Holder.fringe_stack_register(limit, base);
    }

    @Override
    public void deregisterStack(int id) {
        Holder.fringe_stack_deregister(id);
    }

    /**
     * Builds the error {@link #load()} throws: what was searched, where, and how to see more.
     *
     * @param cause why JNA could not load or bind the library
     * @return the error to throw, with {@code cause} attached
     */
    static UnsatisfiedLinkError loadError(Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                "fringe-arch-aarch64: cannot load the native context switch lib" + LIBRARY_NAME
                        + ".so (os.arch=" + System.getProperty("os.arch") + "). JNA looked for the"
                        + " class path resource " + RESOURCE_PATH + " through the class loader of "
                        + Aarch64Arch.class.getName() + " (java.class.path="
                        + System.getProperty("java.class.path") + "), after jna.library.path and"
                        + " the system library paths. Check that the fringe-arch-aarch64 jar"
                        + " contains " + RESOURCE_PATH + " (its build assembles it with aarch64-linux-gnu-gcc),"
                        + " and run with -Djna.debug_load=true to see every place JNA tried. Cause: "
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
                        Map.of(Library.OPTION_CLASSLOADER, Aarch64Arch.class.getClassLoader()));
                Native.register(Holder.class, library);
            } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, or a bad mapping
                failure = e;
            }
            FAILURE = failure;
        }

        private Holder() {
        }

        // The library's exports (fringe_aarch64.S). Pointers and uintptr_t are 64-bit: long.
        static native long fringe_init(long stackBase, long body, long env);

        static native long fringe_resume(long ctl);

        static native int fringe_stack_register(long limit, long base);

        static native void fringe_stack_deregister(int id);
    }
}
