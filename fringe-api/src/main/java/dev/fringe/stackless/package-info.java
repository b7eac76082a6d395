// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Run-time support of the {@code stackless} engine: the classes that code rewritten by the
 * {@code fringe-stackless} transformer (its Maven plugin or its {@code -javaagent}) calls, and
 * the {@link dev.fringe.stackless.StacklessBackend backend} that runs such bodies.
 *
 * <p><b>For generated code only.</b> Apart from {@link dev.fringe.stackless.StacklessBackend}
 * (found through {@link java.util.ServiceLoader}), nothing here is meant to be called by hand:
 * the package is exported because transformed classes, which live in the user's own modules,
 * must be able to link against it. The names and the calling protocol are versioned with the
 * transformer of the same fringe release; classes transformed by one release must run with the
 * {@code fringe-api} of that release.
 *
 * <p>The design (frame layout, protocol, states) is described in {@code docs/stackless.md} and
 * in the class comment of {@link dev.fringe.stackless.Strand}.
 */
package dev.fringe.stackless;
