// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.maven;

import dev.fringe.stackless.transform.TransformException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rewrites the project's compiled classes ({@code target/classes}) for fringe's
 * {@code stackless} engine: every method that takes a {@code dev.fringe.Yielder} gets a
 * resumable copy, so that generators whose bodies live here run without a thread or a JVM
 * continuation. Classes that do not mention {@code Yielder} are left byte for byte as they
 * were. Runs in {@code process-classes}; see {@code docs/stackless.md}.
 */
@Mojo(name = "transform", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public class TransformMojo extends AbstractMojo {
    /** The directory of compiled classes to rewrite in place. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File classesDirectory;

    /** The class path the classes were compiled against. */
    @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true, required = true)
    private List<String> classpathElements;

    /** Skips the transformation. */
    @Parameter(property = "fringe.stackless.skip", defaultValue = "false")
    private boolean skip;

    /** Creates the goal; called by Maven. */
    public TransformMojo() {}

    @Override
    public void execute() throws MojoExecutionException {
        run(this, skip, classesDirectory, classpathElements);
    }

    static void run(AbstractMojo mojo, boolean skip, File directory, List<String> classpath) throws MojoExecutionException {
        if (skip) {
            mojo.getLog().info("fringe-stackless: skipped");
            return;
        }
        try {
            ClassDirectory.Summary s = ClassDirectory.transform(directory.toPath(),
                    classpath.stream().map(Path::of).filter(p -> !p.equals(directory.toPath())).toList(),
                    line -> mojo.getLog().debug(line));
            for (String note : s.notes()) {
                mojo.getLog().info("fringe-stackless: " + note);
            }
            mojo.getLog().info("fringe-stackless: transformed " + s.transformed() + " of " + s.classes() + " classes in "
                    + directory);
        } catch (TransformException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("fringe-stackless: cannot read or write classes in " + directory + ": " + e, e);
        }
    }
}
