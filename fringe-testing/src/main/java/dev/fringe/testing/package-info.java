// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Differential testing for native generators: run a Java model and a native generator on the
 * same inputs and report the first divergence with both traces.
 *
 * <p>{@link dev.fringe.testing.Differential#compare Differential.compare} runs a
 * {@link dev.fringe.testing.ModelBody} (a Java body that returns a value, like a C body) on a
 * Java backend and a {@link dev.fringe.jna.NativeGenerator} on the same inputs; the
 * {@link dev.fringe.testing.Comparison} it returns holds both {@link dev.fringe.testing.Trace}s,
 * says whether and where they differ, and prints them side by side.
 * {@link dev.fringe.testing.Comparison#assertSameTraces() assertSameTraces()} turns a
 * difference into an {@link java.lang.AssertionError}, for JUnit, jqwik or any test framework.
 * fringe's own test suite checks its native engine against its Java engines with this class.
 */
package dev.fringe.testing;
