// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.ShrunkFalsifiedSample;

/**
 * Proves that the differential property bites: the same property as
 * {@link NativeEngineDifferentialTest#nativeEngine_tracesLikeTheBestJavaBackend}, run against
 * {@code fringe_test_interpreter_faulty} (the C interpreter with the third value each generator
 * suspends off by one), must fail, and jqwik must shrink the failure to a counterexample of at
 * most {@value #MAX_STEPS} steps and exactly {@value #MIN_INPUTS} inputs, the smallest that can
 * show the fault. {@link ExpectSmallCounterexample} turns that expected failure into a pass,
 * and anything else (no failure, another failure, a big counterexample) into a failure.
 */
class PlantedFaultTest {
    static final int MAX_STEPS = 3;
    static final int MIN_INPUTS = 3;

    @Property(tries = 1000, afterFailure = AfterFailureMode.RANDOM_SEED)
    @AddLifecycleHook(ExpectSmallCounterexample.class)
    void faultyNativeInterpreter_isCaught_andShrunkToASmallCounterexample(@ForAll("scenarios") Scenario scenario,
            @ForAll("inputs") List<Long> inputs) {
        NativeEngineDifferentialTest.check(Engines.ORACLE, scenario, inputs, NativeInterpreter.FAULTY).assertSameTraces();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Scenarios.scenarios();
    }

    @Provide
    Arbitrary<List<Long>> inputs() {
        return Scenarios.inputs();
    }

    /** Expects the property to fail on a trace divergence, shrunk to a small counterexample. */
    public static final class ExpectSmallCounterexample implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult result = property.execute();
            if (result.status() != PropertyExecutionResult.Status.FAILED) {
                return result.mapToFailed("the planted fault (the third suspended value off by one) went unnoticed: "
                        + result.status() + " after " + result.countTries() + " tries");
            }
            Optional<ShrunkFalsifiedSample> shrunk = result.shrunkSample();
            if (shrunk.isEmpty() || shrunk.get().parameters().size() != 2) {
                return result.mapToFailed("the property failed without a shrunk sample: " + result);
            }
            Scenario scenario = (Scenario) shrunk.get().parameters().get(0);
            List<?> inputs = (List<?>) shrunk.get().parameters().get(1);
            Throwable error = shrunk.get().falsifyingError().orElse(null);
            String report = String.format("planted fault found after %d tries, shrunk in %d steps to%n  scenario %s%n"
                    + "  inputs   %s%n%s", result.countTries(), shrunk.get().countShrinkingSteps(), scenario, inputs,
                    error == null ? "(no error)" : error.getMessage());
            System.out.println(report);
            if (!(error instanceof AssertionError) || !String.valueOf(error.getMessage()).contains(" diverges from ")) {
                return result.mapToFailed(new AssertionError("the property failed, but not on a trace divergence:\n"
                        + report, error));
            }
            if (scenario.size() > MAX_STEPS || inputs.size() != MIN_INPUTS) {
                return result.mapToFailed("shrinking left a counterexample larger than " + MAX_STEPS + " steps and "
                        + MIN_INPUTS + " inputs:\n" + report);
            }
            return result.mapToSuccessful();
        }
    }
}
