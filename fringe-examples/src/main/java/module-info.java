// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
/** fringe's runnable demo; see {@link dev.fringe.examples.Demo}. */
module dev.fringe.examples {
    requires dev.fringe;
    requires dev.fringe.jna;
}
