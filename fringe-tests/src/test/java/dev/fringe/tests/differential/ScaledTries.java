// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Scales the {@code tries} of the property it is added to ({@code @AddLifecycleHook}) with the
 * suite's usual knobs: {@code -Dfringe.test.scale=N} multiplies (long runs),
 * {@code -Dfringe.test.divisor=N} divides (runs under emulation). The property's own
 * {@code @Property(tries = ...)} is the CI default. jqwik reads the changed count because the
 * hook sets it before the property runs ({@code PropertyAttributes} is meant for this).
 */
public final class ScaledTries implements AroundPropertyHook {
    /** jqwik's default when a property names no count. */
    private static final int JQWIK_DEFAULT_TRIES = 1000;

    /** Returns {@code n} scaled by {@code fringe.test.scale} and {@code fringe.test.divisor}. */
    static int scaled(int n) {
        long scaled = (long) n * Integer.getInteger("fringe.test.scale", 1) / Integer.getInteger("fringe.test.divisor", 1);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, scaled));
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int tries = context.attributes().tries().orElse(JQWIK_DEFAULT_TRIES);
        context.attributes().setTries(scaled(tries));
        return property.execute();
    }

}
