// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/**
 * Differential testing of native generators against Java models, on given or random inputs,
 * with shrinking of failures and seeds to replay them; see {@code dev.fringe.testing}.
 */
module dev.fringe.testing {
    requires transitive dev.fringe;
    requires transitive dev.fringe.jna;

    exports dev.fringe.testing;
}
