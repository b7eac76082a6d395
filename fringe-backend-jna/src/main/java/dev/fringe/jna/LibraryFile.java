// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.jna;

import dev.fringe.jna.spi.ArchSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The architecture library as a file the dynamic loader can open, for bindings that load it
 * themselves (JNA does the same on its own): the class path resource
 * {@link ArchSupport#resourcePath()}, found through the class loader of the provider's class,
 * used in place when it is a file, otherwise (inside a jar) copied to a new temporary directory
 * that is deleted when the JVM exits.
 */
final class LibraryFile {
    private LibraryFile() {}

    /**
     * Returns the library of {@code arch} as a file.
     *
     * @param arch the architecture
     * @return the file
     * @throws UnsatisfiedLinkError if there is no such resource or it cannot be copied
     */
    static Path of(ArchSupport arch) {
        ClassLoader loader = arch.getClass().getClassLoader();
        URL url = loader == null ? ClassLoader.getSystemResource(arch.resourcePath()) : loader.getResource(arch.resourcePath());
        if (url == null) {
            throw new UnsatisfiedLinkError("no class path resource " + arch.resourcePath());
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a plain file after all: copy it like a jar entry
            }
        }
        try (InputStream in = url.openStream()) {
            Path dir = Files.createTempDirectory("fringe-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("lib" + arch.libraryName() + ".so");
            file.toFile().deleteOnExit(); // runs before the directory's: deleteOnExit is last in, first out
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot copy " + url + " to a temporary file (java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + "; it must allow executable mappings): " + e);
            error.initCause(e);
            throw error;
        }
    }
}
