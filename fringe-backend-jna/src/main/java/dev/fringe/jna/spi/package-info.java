// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * The service interface through which a {@code fringe-arch-*} module describes its native
 * context switch to {@code fringe-backend-jna} ({@link dev.fringe.jna.spi.ArchSupport}): the
 * library's name and resource prefix, the ABI's word size and stack alignment, the exported
 * symbols. {@code fringe-backend-jna} binds the library itself. Nothing here is needed to
 * <em>use</em> native generators.
 */
package dev.fringe.jna.spi;
