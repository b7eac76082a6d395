// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna.spi;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import java.util.Objects;

/**
 * The switch library of one {@code fringe-arch-*} module: where it sits in the module's jar, how
 * its functions are bound, and what to say when that fails. Part of the arch-module toolkit (see
 * the package documentation).
 *
 * <p>The library is {@code lib<name>.so} under JNA's resource prefix, for example
 * {@code linux-x86-64/libfringe_x86_64.so}. {@link #bind(Class)} loads it through the class
 * loader of the module's provider class, so JNA finds it inside that module's jar (and extracts
 * it to a temporary file), after {@code jna.library.path} and the system library paths.
 * {@code -Djna.debug_load=true} traces every place JNA looks.
 *
 * <p><b>Thread safety.</b> Immutable. {@link #bind(Class)} is meant to run once per natives class,
 * from that class's static initializer, which the JVM runs once.
 */
public final class SwitchLibrary {

    private final Class<? extends ArchSupport> provider;
    private final String artifactId;
    private final String resourcePrefix;
    private final String name;
    private final String buildNote;

    /**
     * Describes a module's library; loads nothing.
     *
     * @param provider       the module's {@link ArchSupport} class: the library is loaded through
     *                       its class loader, and error messages name it
     * @param artifactId     the module's Maven artifact id, e.g. {@code "fringe-arch-x86_64"}
     * @param resourcePrefix JNA's resource prefix of the platform, e.g. {@code "linux-x86-64"};
     *                       must match {@code fringe.arch.prefix} in the module's POM
     * @param name           the library's name as JNA takes it (without {@code lib} and
     *                       {@code .so}), e.g. {@code "fringe_x86_64"}; must match
     *                       {@code fringe.arch.lib} in the module's POM
     * @param buildNote      what else a user should check when the library cannot be loaded,
     *                       read after "Check that the jar contains the library": how the build
     *                       makes it, and any platform requirement, e.g.
     *                       {@code "(its build assembles it with gcc)"}
     */
    public SwitchLibrary(Class<? extends ArchSupport> provider, String artifactId, String resourcePrefix,
            String name, String buildNote) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.artifactId = Objects.requireNonNull(artifactId, "artifactId");
        this.resourcePrefix = Objects.requireNonNull(resourcePrefix, "resourcePrefix");
        this.name = Objects.requireNonNull(name, "name");
        this.buildNote = Objects.requireNonNull(buildNote, "buildNote");
    }

    /**
     * Returns the Maven artifact id of the module that ships the library.
     *
     * @return e.g. {@code "fringe-arch-x86_64"}
     */
    public String artifactId() {
        return artifactId;
    }

    /**
     * Returns JNA's resource prefix the library sits under.
     *
     * @return e.g. {@code "linux-x86-64"}
     */
    public String resourcePrefix() {
        return resourcePrefix;
    }

    /**
     * Returns the library's name as JNA takes it.
     *
     * @return e.g. {@code "fringe_x86_64"}
     */
    public String name() {
        return name;
    }

    /**
     * Returns where the library sits on the class path.
     *
     * @return e.g. {@code "linux-x86-64/libfringe_x86_64.so"}
     */
    public String resourcePath() {
        return resourcePrefix + "/lib" + name + ".so";
    }

    /**
     * Loads the library through the provider's class loader and binds the {@code native} methods
     * of {@code natives} to it ({@link Native#register(Class, NativeLibrary)}: JNA's direct
     * mapping, its cheapest call path). Call it from the static initializer of a class that
     * declares nothing but the natives, so that loading happens on first use and once.
     *
     * @param natives the class whose {@code static native} methods are the library's exports
     * @return {@code null} once bound; otherwise why not (keep it and hand it to
     *         {@link #loadError(Throwable)} on every use: nothing is retried)
     */
    public Throwable bind(Class<?> natives) {
        try {
            NativeLibrary library = NativeLibrary.getInstance(name,
                    Map.of(Library.OPTION_CLASSLOADER, provider.getClassLoader()));
            Native.register(natives, library);
            return null;
        } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, or a bad mapping
            return e;
        }
    }

    /**
     * Builds the error {@link ArchSupport#load()} throws when {@link #bind(Class)} failed: what
     * was searched, where, what to check, and how to see more.
     *
     * @param cause why JNA could not load or bind the library
     * @return a new error with {@code cause} attached
     */
    public UnsatisfiedLinkError loadError(Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                artifactId + ": cannot load the native context switch lib" + name + ".so (os.arch="
                        + System.getProperty("os.arch") + "). JNA looked for the class path resource "
                        + resourcePath() + " through the class loader of " + provider.getName()
                        + " (java.class.path=" + System.getProperty("java.class.path") + "), after"
                        + " jna.library.path and the system library paths. Check that the " + artifactId
                        + " jar contains " + resourcePath() + " " + buildNote + ". Run with"
                        + " -Djna.debug_load=true to see every place JNA tried. Cause: " + cause);
        error.initCause(cause);
        return error;
    }

    @Override
    public String toString() {
        return artifactId + " (" + resourcePath() + ")";
    }
}
