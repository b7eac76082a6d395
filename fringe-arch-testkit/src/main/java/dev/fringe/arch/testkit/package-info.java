// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * What the tests of the {@code fringe-arch-*} modules share, so that each module keeps only what
 * is its architecture's: {@link dev.fringe.arch.testkit.NativeTools} (class path resources,
 * compiling, running programs with their output kept for failure messages), abstract test classes
 * a module extends ({@link dev.fringe.arch.testkit.AbstractArchSupportTest} for the provider,
 * {@link dev.fringe.arch.testkit.AbstractSwitchHarnessTest} for the C harness where this machine
 * can run the architecture's programs, {@link dev.fringe.arch.testkit.AbstractEmulatedSelfTest}
 * for the freestanding self-test under qemu-user), and the C sources they compile, as resources
 * beside these classes: {@code c/harness.c} and {@code c/harness.h} (the harness's common part; a
 * module adds {@code harness_arch.c}) and {@code c/selftest.c} (a module adds
 * {@code selftest_arch.h}).
 *
 * <p>A test-scoped dependency of the arch modules only; nothing here is part of fringe's API.
 */
package dev.fringe.arch.testkit;
