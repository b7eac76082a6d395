// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import dev.fringe.jna.spi.ArchSupport;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The native calls of native generators, bound once per JVM over the architecture library that
 * matched: {@code fringe_init}, the resume routine, the Valgrind stack registration, and views
 * of native memory. Two implementations: {@code FfmBinding} ({@code java.lang.foreign}, JDK 22+,
 * in this jar's {@code META-INF/versions/22}) and {@link JnaBinding} (JNA direct mapping, any JDK).
 * {@link NativeRuntime} picks one.
 *
 * <p>Both implementations keep their native entry points in static final fields, and the
 * binding in use sits in a static final field of its callers, so the JIT compiles a resume to a
 * direct call of the downcall stub.
 *
 * <p><b>Thread safety.</b> Immutable after construction; every method may be called from any
 * thread. The caller guarantees that one control block is resumed by one thread at a time.
 */
abstract class Binding {
    /** The architecture this binding serves. */
    final ArchSupport arch;

    Binding(ArchSupport arch) {
        this.arch = arch;
    }

    /**
     * Returns the binding's name, as {@code -Dfringe.native.binding} takes it.
     *
     * @return {@code "ffm"} or {@code "jna"}
     */
    abstract String name();

    /**
     * Returns how the binding calls native code, for diagnostics.
     *
     * @return e.g. {@code "java.lang.foreign downcalls"}
     */
    abstract String mechanism();

    /** {@code fringe_init(stackBase, body, env)}: lays out a control block; returns its address. */
    abstract long init(long stackBase, long body, long env);

    /** The resume routine: runs the body until it suspends or returns; returns the word it handed over. */
    abstract long resume(long ctl);

    /**
     * The guarded variant of the resume routine: the same switch, after setting the calling
     * thread up for overflow recovery if it never was (an alternate signal stack; the fault
     * handler once per process). The plain routine where the library recovers no overflow.
     */
    abstract long resumeGuarded(long ctl);

    /**
     * {@code fringe_guard_register(guardLow, limit, base, ctl)}: makes the library's fault
     * handler recognise an overflow of this stack into its guard region
     * {@code [guardLow, limit)}. Only where {@link ArchSupport#recoversOverflow()}.
     *
     * @return an id for {@link #deregisterGuard}, or a negative errno value
     */
    abstract int registerGuard(long guardLow, long limit, long base, long ctl);

    /** {@code fringe_guard_deregister(id)}: before the stack is freed or reused. */
    abstract void deregisterGuard(int id);

    /** {@code fringe_stack_register(limit, base)}: Valgrind's stack id, 0 outside Valgrind. */
    abstract int registerStack(long limit, long base);

    /** {@code fringe_stack_deregister(id)}. */
    abstract void deregisterStack(int id);

    /** The address of {@code fringe_init}, which also serves as the availability probe's body. */
    abstract long initAddress();

    /**
     * Returns a direct buffer over {@code bytes} bytes of native memory at {@code address}, in
     * the platform's byte order.
     */
    abstract ByteBuffer view(long address, int bytes);

    /** Returns the address of a direct buffer's first byte. */
    abstract long address(ByteBuffer direct);

    /**
     * Builds the error for a library that could not be loaded or bound: what was looked for,
     * where, what to check, and how to see more.
     *
     * @param binding the binding's name
     * @param arch    the architecture
     * @param cause   why loading failed
     * @return a new error with {@code cause} attached
     */
    static UnsatisfiedLinkError loadError(String binding, ArchSupport arch, Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(arch.artifactId()
                + ": cannot load its native context switch " + arch.resourcePath() + " (os.arch="
                + System.getProperty("os.arch") + ", binding " + binding + "). It is looked for as a class path resource"
                + " through the class loader of " + arch.getClass().getName() + ", loaded from " + origin(arch.getClass())
                + ". Check that the " + arch.artifactId() + " jar contains " + arch.resourcePath()
                + (arch.loadHint().isEmpty() ? "" : " " + arch.loadHint()) + "."
                + ("jna".equals(binding) ? " Run with -Djna.debug_load=true to see every place JNA tried." : "")
                + " Cause (attached, in full): " + firstLine(cause));
        error.initCause(cause);
        return error;
    }

    /** The exception's class and the first line of its message (JNA's go on to list the class path). */
    private static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int end = message.indexOf('\n');
        return t.getClass().getName() + ": " + (end < 0 ? message : message.substring(0, end));
    }

    /** Where a class was loaded from: its jar or directory, or what its loader is. */
    static String origin(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null) {
            return "an unknown location (class loader " + c.getClassLoader() + ")";
        }
        try {
            return Path.of(location.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return location.toString();
        }
    }
}
