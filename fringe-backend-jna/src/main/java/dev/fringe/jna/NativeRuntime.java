// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import dev.fringe.jna.spi.ArchSupport;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What native generators run on in this JVM, decided once: the architecture module, the binding
 * (FFM or JNA) and whether the two work together, proven by a real round trip. Read by
 * {@link NativeGenerator}'s diagnostics and by everything that calls native code.
 *
 * <h2>Which binding</h2>
 * <ul>
 *   <li>{@code -Dfringe.native.binding=ffm} or {@code =jna} forces one; if it cannot work,
 *       native generators are unavailable and the cause says why (no silent fallback).
 *   <li>Otherwise FFM where it works: JDK 22+ (the jar's {@code META-INF/versions/22}), a 64-bit
 *       JVM, and native access enabled for this module ({@code --enable-native-access}); JNA
 *       everywhere else, with the reason FFM was not used kept for the diagnostics.
 * </ul>
 *
 * <h2>The probe</h2>
 * Like Netty's {@code Epoll}, availability is a real use: the binding lays out a control block on
 * a scratch stack whose body is {@code fringe_init} itself, resumes it, and checks that the body
 * ran on that stack with its arguments and returned ({@code status} 1, the return value being the
 * control block that body laid out). A library for another ABI, a broken switch or a binding that
 * passes words wrongly fails here, once, instead of in the first generator.
 */
final class NativeRuntime {
    /** The property that forces a binding. */
    static final String BINDING_PROPERTY = "fringe.native.binding";
    private static final System.Logger LOG = System.getLogger("dev.fringe.jna");

    private final ArchSupport arch;    // null if none serves this JVM
    private final Binding binding;     // null if unavailable
    private final Throwable cause;     // null if available
    private final String choice;       // why this binding

    private NativeRuntime(ArchSupport arch, Binding binding, Throwable cause, String choice) {
        this.arch = arch;
        this.binding = binding;
        this.cause = cause;
        this.choice = choice;
    }

    private static final class Holder {
        static final NativeRuntime INSTANCE = load();
    }

    /**
     * Returns this JVM's native runtime, deciding it on first use.
     *
     * @return the runtime, available or not
     */
    static NativeRuntime get() {
        return Holder.INSTANCE;
    }

    /**
     * Returns the binding.
     *
     * @return the binding
     * @throws UnsupportedOperationException if native generators cannot run here; the message
     *                                       says why and what to do, the cause is the original
     */
    static Binding require() {
        NativeRuntime runtime = get();
        if (runtime.binding == null) {
            throw new UnsupportedOperationException(runtime.cause.getMessage(), runtime.cause);
        }
        return runtime.binding;
    }

    /** Returns the binding, or {@code null} if native generators cannot run here. */
    Binding binding() {
        return binding;
    }

    /** Returns why native generators cannot run here, or {@code null} if they can. */
    Throwable cause() {
        return cause;
    }

    /** One line for people: binding, why, architecture module and library; or why nothing works. */
    String describe() {
        if (binding == null) {
            return "native generators unavailable: " + cause.getMessage();
        }
        return "native generators available: binding " + binding.name() + " (" + binding.mechanism() + "; " + choice
                + "), switch " + arch.artifactId() + " (" + arch.resourcePath() + ", os.arch "
                + System.getProperty("os.arch") + ")";
    }

    private static NativeRuntime load() {
        ArchSupport arch = null;
        try {
            arch = ArchLocator.locate();
            String forced = System.getProperty(BINDING_PROPERTY, "").trim();
            List<Throwable> skipped = new ArrayList<>();
            Binding binding;
            String choice;
            switch (forced) {
                case "ffm":
                    binding = ffm(arch, true);
                    choice = "-D" + BINDING_PROPERTY + "=ffm";
                    break;
                case "jna":
                    binding = new JnaBinding(arch);
                    choice = "-D" + BINDING_PROPERTY + "=jna";
                    break;
                case "":
                    Binding fast;
                    try {
                        fast = ffm(arch, false);
                    } catch (UnsupportedOperationException | LinkageError e) {
                        skipped.add(e);
                        fast = null;
                    }
                    if (fast != null) {
                        binding = fast;
                        choice = "the default where native access is enabled";
                    } else {
                        binding = jnaAfter(arch, skipped);
                        choice = "the default, since ffm is not usable: " + skipped.get(0).getMessage();
                    }
                    break;
                default:
                    throw new UnsupportedOperationException("-D" + BINDING_PROPERTY + "=" + forced
                            + " names no binding: use ffm (JDK 22+) or jna, or leave it unset for the default");
            }
            probe(binding);
            NativeRuntime runtime = new NativeRuntime(arch, binding, null, choice);
            LOG.log(System.Logger.Level.DEBUG, runtime::describe);
            return runtime;
        } catch (RuntimeException | LinkageError e) {
            NativeRuntime runtime = new NativeRuntime(arch, null, e, null);
            LOG.log(System.Logger.Level.DEBUG, runtime::describe);
            return runtime;
        }
    }

    /** JNA, keeping why the default could not use FFM. */
    private static Binding jnaAfter(ArchSupport arch, List<Throwable> skipped) {
        try {
            return new JnaBinding(arch);
        } catch (RuntimeException | LinkageError e) {
            skipped.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * Constructs the FFM binding, which exists only in this jar's {@code META-INF/versions/22}.
     *
     * @throws UnsupportedOperationException if this JDK has none, or it refuses (see FfmBinding)
     * @throws UnsatisfiedLinkError          if the library cannot be bound
     */
    private static Binding ffm(ArchSupport arch, boolean forced) {
        Class<? extends Binding> type;
        try {
            type = Class.forName("dev.fringe.jna.FfmBinding", true, NativeRuntime.class.getClassLoader())
                    .asSubclass(Binding.class);
        } catch (ClassNotFoundException e) {
            throw new UnsupportedOperationException("the ffm binding needs JDK 22 or later; this is Java "
                    + System.getProperty("java.specification.version")
                    + " (or fringe-backend-jna's classes are not read from its multi-release jar)", e);
        }
        try {
            return type.getDeclaredConstructor(ArchSupport.class, boolean.class).newInstance(arch, forced);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new IllegalStateException(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fringe-backend-jna's FfmBinding does not match this version of it", e);
        }
    }

    /**
     * One real round trip: {@code fringe_init} run as a body on a scratch stack, with a second
     * scratch area as its {@code stack_base}; see the class comment.
     *
     * @throws IllegalStateException if the round trip does not come back as it must
     */
    private static void probe(Binding binding) {
        int word = binding.arch.wordSize();
        ByteBuffer scratch = ByteBuffer.allocateDirect(3 * 4096);
        long start = binding.address(scratch);
        long stackBase = (start + 2 * 4096) & -16L; // the probe's stack: [start, stackBase)
        long blockBase = (start + 3 * 4096) & -16L; // where the probe's body lays out a block
        int id = binding.registerStack(start, stackBase);
        try {
            long expected = binding.init(blockBase, 0, 0);
            long ctl = binding.init(stackBase, binding.initAddress(), blockBase);
            ByteBuffer view = binding.view(ctl, ControlBlock.WORDS * word);
            ControlBlock.write(view, word, ControlBlock.TRANSFER, 0);
            long returned = binding.resume(ctl);
            long status = ControlBlock.read(view, word, ControlBlock.STATUS);
            if (status != ControlBlock.RETURNED || returned != expected) {
                throw new IllegalStateException("fringe's native self-check failed: a body run through the "
                        + binding.name() + " binding and " + binding.arch.resourcePath() + " returned 0x"
                        + Long.toHexString(returned) + " with status " + status + ", expected 0x"
                        + Long.toHexString(expected) + " with status 1. The library does not match this JVM ("
                        + System.getProperty("os.arch") + ", " + word * 8 + "-bit words expected)");
            }
        } finally {
            binding.deregisterStack(id);
            Reference.reachabilityFence(scratch);
        }
    }
}
