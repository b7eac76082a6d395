#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Runs fringe's benchmarks; the numbers in docs/benchmarks.md come from this script.
#
#   scripts/bench.sh java      Java generators: each backend against a raw Continuation (JMH, -prof gc)
#   scripts/bench.sh stackless the stackless engine against a raw Continuation and the continuation
#                              backend: depth 1, frames that stay, fresh frames (JMH, -prof gc)
#   scripts/bench.sh lifecycle create, resume once, close or abandon, per Java backend (JMH, -prof gc)
#   scripts/bench.sh native    Java -> FFM/JNA -> native generator against bare downcalls and a raw
#                              Continuation (JMH, -prof gc)
#   scripts/bench.sh switch    the x86_64 switch in a C loop against Boost.Context and getuid()
#   scripts/bench.sh all       all of them (the default)
#
# Extra arguments after the first go to JMH (e.g. -f 3 -i 10). Run it on a quiet machine:
# ratios between contenders of the same run are what matter, not absolute numbers.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/setup-debian.sh"
root=$(fringe_root)
what=${1:-all}
[ $# -gt 0 ] && shift

jmh() {
  find_jdk25
  maven_env
  (cd "$root" && mvn_run -q package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl fringe-bench -am)
  say "java -jar fringe-bench/target/benchmarks.jar $* -prof gc"
  (cd "$root" && java -jar fringe-bench/target/benchmarks.jar "$@" -prof gc \
    -rf json -rff "fringe-bench/target/jmh-$1.json")
}

ensure_tools base || die "install what is listed above (or run this script as root), then run it again"
case $what in
  java) jmh JavaRoundTripBenchmark "$@" ;;
  stackless) jmh StacklessRoundTripBenchmark "$@" ;;
  lifecycle) jmh JavaLifecycleBenchmark "$@" ;;
  native) jmh NativeRoundTripBenchmark "$@" ;;
  switch) "$here/bench-switch.sh" "$@" ;;
  all)
    jmh JavaRoundTripBenchmark "$@"
    jmh StacklessRoundTripBenchmark "$@"
    jmh JavaLifecycleBenchmark "$@"
    jmh NativeRoundTripBenchmark "$@"
    "$here/bench-switch.sh"
    ;;
  *) die "usage: scripts/bench.sh [java|stackless|lifecycle|native|switch|all] [JMH arguments]" ;;
esac
