// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once per usable backend whose body runs on a thread of its own
 * ({@code virtual-thread}, {@code thread}): for properties only such engines can get wrong,
 * such as a parked body thread keeping its generator reachable.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.fringe.tests.support.TestBackends#threadBased")
@ExtendWith(GeneratorInvariants.class)
public @interface ThreadBasedBackends {}
