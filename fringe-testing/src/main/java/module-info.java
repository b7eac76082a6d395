// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/** Differential testing of native generators against Java models; see {@code dev.fringe.testing}. */
module dev.fringe.testing {
    requires transitive dev.fringe;
    requires transitive dev.fringe.jna;

    exports dev.fringe.testing;
}
