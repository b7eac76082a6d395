// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * The same as {@code transform}, for the test classes ({@code target/test-classes}), in
 * {@code process-test-classes}.
 */
@Mojo(name = "transform-test", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES,
        requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
public class TransformTestMojo extends AbstractMojo {
    /** The directory of compiled test classes to rewrite in place. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
    private File testClassesDirectory;

    /** The class path the test classes were compiled against. */
    @Parameter(defaultValue = "${project.testClasspathElements}", readonly = true, required = true)
    private List<String> testClasspathElements;

    /** Skips the transformation (as does {@code maven.test.skip}). */
    @Parameter(property = "fringe.stackless.skip", defaultValue = "false")
    private boolean skip;

    /** Creates the goal; called by Maven. */
    public TransformTestMojo() {}

    @Override
    public void execute() throws MojoExecutionException {
        TransformMojo.run(this, skip, testClassesDirectory, testClasspathElements);
    }
}
