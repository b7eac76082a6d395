// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna.spi;

/**
 * Describes one architecture's native context switch: a {@code fringe-arch-*} module ships its
 * library and one implementation of this interface, found with {@link java.util.ServiceLoader}.
 * A description only: {@code fringe-backend-jna} loads the library and binds its functions
 * itself, once, through whichever binding it uses (FFM on JDK 22+, JNA otherwise), so a provider
 * holds constants and nothing else.
 *
 * <p>{@code fringe-backend-jna} picks the provider whose {@link #resourcePrefix()} equals JNA's
 * {@code Platform.RESOURCE_PREFIX} for the running JVM ({@code -Djna.prefix} overrides both), and
 * loads {@link #resourcePath()} through the class loader of the provider's class, so the library
 * is found inside the provider's own jar.
 *
 * <p>Every library exports functions with {@code uintptr_t}-sized arguments (the C names below
 * are the defaults of the {@code *Symbol()} methods):
 *
 * <pre>{@code
 * fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env);
 * uintptr_t   fringe_resume(fringe_ctl *ctl);
 * unsigned    fringe_stack_register(void *limit, void *base);
 * void        fringe_stack_deregister(unsigned id);
 * }</pre>
 *
 * <p>The control block {@code fringe_init} places at the top of the stack is a row of machine
 * words (offsets in words; must match {@code dev.fringe.jna.ControlBlock} and every
 * {@code .S} file):
 * <pre>
 * 0 suspend   the address of fringe's suspend routine: a ctl pointer is a fringe_yielder pointer
 * 1 sp        the saved stack pointer of the side that is not running (the generator's while it
 *             is fresh or suspended, the resumer's while the body runs)
 * 2 transfer  the body's next input; the resumer writes it before fringe_resume
 * 3 status    0 while the body can be resumed; 1 once it returned (then fringe_resume returned
 *             the body's return value); 2 once it overflowed its stack (the fault handler of
 *             {@link #recoversOverflow()} completed a suspend with value 0 on its behalf);
 *             other values are never written
 * </pre>
 *
 * <p><b>Thread safety.</b> Implementations are immutable: every method may be called from any
 * thread and returns the same value every time.
 */
public interface ArchSupport {

    /**
     * Returns the Maven artifact id of the module, for messages.
     *
     * @return e.g. {@code "fringe-arch-x86_64"}
     */
    String artifactId();

    /**
     * Returns JNA's resource prefix of the platform this module serves; the library sits under
     * it in the jar.
     *
     * @return e.g. {@code "linux-x86-64"}; must match {@code fringe.arch.prefix} in the module's POM
     */
    String resourcePrefix();

    /**
     * Returns the library's name, without {@code lib} and {@code .so}.
     *
     * @return e.g. {@code "fringe_x86_64"}; must match {@code fringe.arch.lib} in the module's POM
     */
    String libraryName();

    /**
     * Returns the size of a machine word ({@code uintptr_t}) in bytes.
     *
     * @return 8 or 4
     */
    int wordSize();

    /**
     * Returns the alignment the ABI requires of the stack pointer, in bytes: a power of two of
     * at least {@link #wordSize()}.
     *
     * @return e.g. 16
     */
    int stackAlignment();

    /**
     * Returns the exported name of {@code fringe_init}.
     *
     * @return the symbol; {@code "fringe_init"} unless the module says otherwise
     */
    default String initSymbol() {
        return "fringe_init";
    }

    /**
     * Returns the exported name of the resume routine for a resumer that calls it straight from
     * compiled code, as the FFM binding does (a downcall stub between JIT-compiled Java and the
     * routine), with the signature of {@code fringe_resume}.
     *
     * @return the symbol; {@code "fringe_resume"} unless the module says otherwise
     */
    default String resumeSymbol() {
        return "fringe_resume";
    }

    /**
     * Returns the exported name of the resume routine for a resumer that returns through several
     * native frames after every resume, as the JNA binding does (libffi, JNA's dispatcher, JNI
     * stubs), with the signature of {@code fringe_resume}. A switch that leaves with an indirect
     * jump keeps the CPU's return-address predictions out of step for every one of those returns;
     * a module may ship a flavour that leaves with {@code ret} for this case.
     *
     * @return the symbol; {@link #resumeSymbol()} unless the module says otherwise
     */
    default String returningResumeSymbol() {
        return resumeSymbol();
    }

    /**
     * Returns the exported name of {@code fringe_stack_register}.
     *
     * @return the symbol; {@code "fringe_stack_register"} unless the module says otherwise
     */
    default String stackRegisterSymbol() {
        return "fringe_stack_register";
    }

    /**
     * Returns the exported name of {@code fringe_stack_deregister}.
     *
     * @return the symbol; {@code "fringe_stack_deregister"} unless the module says otherwise
     */
    default String stackDeregisterSymbol() {
        return "fringe_stack_deregister";
    }

    /**
     * Returns whether the library recovers from a body's stack overflow: it contains
     * {@code fringe_guard.c} (docs/native-overflow.md), whose fault handler turns an overflow into
     * the {@code status} word 2, and exports, beside the functions above, {@link #guardRegisterSymbol()},
     * {@link #guardDeregisterSymbol()} and a guarded variant of each resume routine
     * ({@link #guardedResumeSymbol()}, {@link #guardedReturningResumeSymbol()}). Architectures
     * without a JVM need none of it.
     *
     * @return {@code false} unless the module says otherwise
     */
    default boolean recoversOverflow() {
        return false;
    }

    /**
     * Returns the exported name of the guarded variant of {@link #resumeSymbol()}: the same
     * switch, preceded by the calling thread's setup for overflow recovery (the fault handler,
     * once per process; an alternate signal stack, once per thread). fringe calls it for the
     * first resume of a generator on a thread, the plain routine afterwards. Only with
     * {@link #recoversOverflow()}.
     *
     * @return the symbol; {@code resumeSymbol() + "_guarded"} unless the module says otherwise
     */
    default String guardedResumeSymbol() {
        return resumeSymbol() + "_guarded";
    }

    /**
     * Returns the exported name of the guarded variant of {@link #returningResumeSymbol()}, as
     * {@link #guardedResumeSymbol()} is of {@link #resumeSymbol()}.
     *
     * @return the symbol; {@code returningResumeSymbol() + "_guarded"} unless the module says
     *         otherwise
     */
    default String guardedReturningResumeSymbol() {
        return returningResumeSymbol() + "_guarded";
    }

    /**
     * Returns the exported name of {@code int fringe_guard_register(void *guard_low, void *limit,
     * void *base, fringe_ctl *ctl)}, which registers the guard region below a generator's stack so
     * that the fault handler recognises its overflow; it returns an id, or a negative errno
     * value. Only with {@link #recoversOverflow()}.
     *
     * @return the symbol; {@code "fringe_guard_register"} unless the module says otherwise
     */
    default String guardRegisterSymbol() {
        return "fringe_guard_register";
    }

    /**
     * Returns the exported name of {@code void fringe_guard_deregister(int id)}. Only with
     * {@link #recoversOverflow()}.
     *
     * @return the symbol; {@code "fringe_guard_deregister"} unless the module says otherwise
     */
    default String guardDeregisterSymbol() {
        return "fringe_guard_deregister";
    }

    /**
     * Returns what a user should check when the library cannot be loaded, read after "check that
     * the jar contains the library": how the build makes it, and any platform requirement.
     *
     * @return a phrase such as {@code "(its build assembles it with gcc)"}, or empty
     */
    default String loadHint() {
        return "";
    }

    /**
     * Returns where the library sits on the class path.
     *
     * @return {@code resourcePrefix() + "/lib" + libraryName() + ".so"}, e.g.
     *         {@code "linux-x86-64/libfringe_x86_64.so"}
     */
    default String resourcePath() {
        return resourcePrefix() + "/lib" + libraryName() + ".so";
    }
}
