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
 * difference into an {@link java.lang.AssertionError}, for JUnit or any test framework.
 *
 * <p>Random exploration: {@link dev.fringe.testing.Differential#explore Differential.explore}
 * runs the comparison on random rows of inputs. Underneath, a {@link dev.fringe.testing.Gen}
 * makes random cases (numbers, machine words, lists, choices, and whatever
 * {@link dev.fringe.testing.Gen#compose compose} builds from them), and
 * {@link dev.fringe.testing.Explore#forAll Explore.forAll} tries a property on them, shrinks a
 * failing case to a minimal one, and throws it as a {@link dev.fringe.testing.Counterexample}
 * with the seed that replays the run ({@code -Dfringe.testing.seed}).
 *
 * <p>fringe's own test suite checks its native engine against its Java engines with these
 * classes: random generator behaviours, written as data, run by a C and a Java interpreter.
 */
package dev.fringe.testing;
