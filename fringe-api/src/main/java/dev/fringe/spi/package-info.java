// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * The service interface Java generator engines implement; see
 * {@link dev.fringe.spi.GeneratorBackend}.
 */
package dev.fringe.spi;
