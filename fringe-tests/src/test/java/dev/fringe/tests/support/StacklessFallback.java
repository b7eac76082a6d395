// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a per-backend test whose bodies are not transformed on purpose, so that on the
 * {@code stackless} backend they run on the best other backend. Without it,
 * {@link GeneratorInvariants} fails a test whose generator from the {@code stackless} backend
 * runs elsewhere (its {@code toString()} names another backend): every body of the suite is
 * expected to be transformed.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface StacklessFallback {
    /**
     * Why the body cannot run stackless.
     *
     * @return the reason
     */
    String value();
}
