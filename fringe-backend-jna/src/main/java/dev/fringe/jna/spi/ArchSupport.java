// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna.spi;

/**
 * One architecture's native context switch, provided by a {@code fringe-arch-*} module and
 * found with {@link java.util.ServiceLoader}. {@code fringe-backend-jna} uses the provider whose
 * {@link #resourcePrefix()} equals JNA's {@code Platform.RESOURCE_PREFIX} for the running JVM.
 *
 * <p>Each module ships {@code lib<name>.so} under its JNA resource prefix (for example
 * {@code linux-x86-64/libfringe_x86_64.so}), assembled from one {@code .S} file. Every such
 * library exports the same functions, with {@code uintptr_t}-sized arguments (the Java methods
 * below take {@code long}; 32-bit implementations narrow them):
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
 * 3 status    0 while the body can be resumed, 1 once it returned (then fringe_resume returned
 *             the body's return value)
 * </pre>
 *
 * <p><b>Thread safety.</b> Implementations are stateless apart from loading their library
 * once; every method may be called from any thread. The caller guarantees that a control block
 * is resumed by one thread at a time.
 */
public interface ArchSupport {

    /**
     * Returns JNA's resource prefix of the platform this module serves, e.g.
     * {@code "linux-x86-64"}; the library sits under it in the jar.
     *
     * @return the resource prefix
     */
    String resourcePrefix();

    /**
     * Returns the Maven artifact id of the module, for error messages.
     *
     * @return e.g. {@code "fringe-arch-x86_64"}
     */
    String artifactId();

    /**
     * Returns the size of a machine word ({@code uintptr_t}) in bytes.
     *
     * @return 8 or 4
     */
    int wordSize();

    /**
     * Returns the alignment the ABI requires of the stack pointer, in bytes.
     *
     * @return e.g. 16
     */
    int stackAlignment();

    /**
     * Loads the library through this module's class loader and binds its functions; idempotent.
     *
     * @throws UnsatisfiedLinkError if the library cannot be loaded; the message names the
     *                              resource path searched
     */
    void load();

    /**
     * Calls {@code fringe_init}: lays out a control block and a fresh frame just below
     * {@code stackBase}. Nothing runs.
     *
     * @param stackBase the stack's base (highest address, exclusive), aligned
     * @param body      the address of the {@code fringe_body_fn}
     * @param env       the {@code env} argument passed to the body
     * @return the address of the control block
     */
    long init(long stackBase, long body, long env);

    /**
     * Calls {@code fringe_resume}: runs the body until it suspends or returns.
     *
     * @param ctl the control block, with its {@code transfer} word holding the input
     * @return the value the body suspended with, or its return value if {@code status} is now 1
     */
    long resume(long ctl);

    /**
     * Registers a stack with Valgrind ({@code VALGRIND_STACK_REGISTER}); a no-op returning 0
     * outside Valgrind.
     *
     * @param limit lowest address
     * @param base  highest address, exclusive
     * @return Valgrind's stack id
     */
    int registerStack(long limit, long base);

    /**
     * Deregisters a stack registered with {@link #registerStack}.
     *
     * @param id the id {@code registerStack} returned
     */
    void deregisterStack(int id);
}
