// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import com.sun.jna.Platform;
import dev.fringe.jna.spi.ArchSupport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link ArchSupport} for the running JVM, once: the provider whose resource prefix
 * equals JNA's {@link Platform#RESOURCE_PREFIX} (so fringe never maps {@code os.arch} itself,
 * and {@code -Djna.prefix} overrides both). When none matches, or the match fails to load its
 * library, the error says what was looked for, what was found, and which artifact to add.
 */
final class Arch {
    /** Which artifact serves which JNA resource prefix; for the "add this" hint only. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "linux-x86-64", "fringe-arch-x86_64",
            "linux-x86", "fringe-arch-x86",
            "linux-aarch64", "fringe-arch-aarch64",
            "linux-riscv32", "fringe-arch-riscv32",
            "linux-or1k", "fringe-arch-or1k");

    private static final class Found {
        static final ArchSupport ARCH;
        static final RuntimeException PROBLEM;

        static {
            ArchSupport arch = null;
            RuntimeException problem = null;
            try {
                arch = locate();
                arch.load();
            } catch (UnsupportedOperationException e) {
                problem = e;
                arch = null;
            } catch (UnsatisfiedLinkError e) {
                problem = new UnsupportedOperationException("fringe's native switch for " + Platform.RESOURCE_PREFIX
                        + " could not be loaded: " + e.getMessage(), e);
                arch = null;
            }
            ARCH = arch;
            PROBLEM = problem;
        }
    }

    private Arch() {}

    /**
     * Returns the loaded architecture support.
     *
     * @return the provider, with its library loaded
     * @throws UnsupportedOperationException if there is none for this JVM; the message says
     *                                       which artifact to add
     */
    static ArchSupport require() {
        if (Found.ARCH == null) {
            UnsupportedOperationException e = new UnsupportedOperationException(Found.PROBLEM.getMessage(), Found.PROBLEM);
            throw e;
        }
        return Found.ARCH;
    }

    /**
     * Returns the loaded architecture support, or {@code null} if there is none.
     *
     * @return the provider or {@code null}
     */
    static ArchSupport find() {
        return Found.ARCH;
    }

    private static ArchSupport locate() {
        String prefix = Platform.RESOURCE_PREFIX;
        List<String> seen = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        Iterator<ArchSupport> it = ServiceLoader.load(ArchSupport.class, Arch.class.getClassLoader()).iterator();
        while (true) {
            ArchSupport candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                failures.add(e);
                continue;
            }
            if (candidate.resourcePrefix().equals(prefix)) {
                return candidate;
            }
            seen.add(candidate.artifactId() + " (" + candidate.resourcePrefix() + ")");
        }
        String artifact = ARTIFACTS.get(prefix);
        UnsupportedOperationException e = new UnsupportedOperationException(
                "no fringe architecture module serves this JVM: os.arch=" + System.getProperty("os.arch")
                        + ", JNA resource prefix " + prefix + ". "
                        + (artifact != null
                                ? "Add the artifact dev.fringe:" + artifact + " to the class path or module path"
                                : "fringe has no native switch for " + prefix + " yet")
                        + ". Modules found: " + (seen.isEmpty() ? "none" : String.join(", ", seen))
                        + " (searched with ServiceLoader; class path: " + System.getProperty("java.class.path")
                        + "). Java bodies need none of this: Generator.create runs them on the JVM.");
        failures.forEach(e::addSuppressed);
        throw e;
    }
}
