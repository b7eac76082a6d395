// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * The service interface through which {@code fringe-arch-*} modules plug their native context
 * switch into {@code fringe-backend-jna} ({@link dev.fringe.jna.spi.ArchSupport}), and the
 * arch-module toolkit those modules build their provider from.
 *
 * <p>The toolkit: {@link dev.fringe.jna.spi.SwitchLibrary} describes a module's switch library
 * (its resource path, loading it through the module's class loader, the error that says what was
 * searched and what to check), and {@link dev.fringe.jna.spi.AbstractArchSupport} implements the
 * parts of {@code ArchSupport} every provider shares (constants, load-once with a remembered
 * failure, 32-bit word narrowing). A provider then holds only its constants and its JNA natives.
 * Nothing here is needed to <em>use</em> native generators.
 */
package dev.fringe.jna.spi;
