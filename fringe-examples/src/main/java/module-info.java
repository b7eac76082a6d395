/** fringe's runnable demo; see {@link dev.fringe.examples.Demo}. */
module dev.fringe.examples {
    requires dev.fringe;
    requires dev.fringe.jna;
}
