#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Measures the native switch in a C loop against Boost.Context and a getuid() system call,
# in one run (fringe-bench/src/main/c/switch_bench.cpp; docs/benchmarks.md).
#
#   scripts/bench-switch.sh [repetitions [round trips per repetition]]    (default 15 2000000)
#
# Works from any directory. Uses fringe-arch-x86_64/target/classes/linux-x86-64/libfringe_x86_64.so,
# building that module with Maven first if it is missing. Needs g++ and libboost-context-dev
# (installed when run as root on Debian). The program goes to fringe-bench/target/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/setup-debian.sh"
root=$(fringe_root)

[ "$(uname -m)" = x86_64 ] || die "the switch benchmark measures the x86_64 switch; this machine is $(uname -m)"

if ! command -v g++ >/dev/null 2>&1 || [ ! -f /usr/include/boost/context/detail/fcontext.hpp ]; then
  ensure_tools test \
    || die "install g++ and libboost-context-dev (or run this script as root), then run it again"
fi

libdir="$root/fringe-arch-x86_64/target/classes/linux-x86-64"
if [ ! -f "$libdir/libfringe_x86_64.so" ]; then
  say "no $libdir/libfringe_x86_64.so yet: building fringe-arch-x86_64 (tests skipped)"
  find_jdk25
  maven_env
  (cd "$root" && mvn_run -q -pl fringe-arch-x86_64 -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
fi
[ -f "$libdir/libfringe_x86_64.so" ] || die "the Maven build did not produce $libdir/libfringe_x86_64.so"

out="$root/fringe-bench/target/switch_bench"
mkdir -p "$(dirname "$out")"
say "g++ -O2 switch_bench.cpp -> ${out#"$root"/}"
g++ -O2 -std=c++17 -Wall -Wextra -Werror \
  -I "$root/fringe-backend-jna/src/main/resources/META-INF/include" \
  -o "$out" "$root/fringe-bench/src/main/c/switch_bench.cpp" \
  "$libdir/libfringe_x86_64.so" -Wl,-rpath,"$libdir" -lboost_context

say "running (a few seconds)"
"$out" "$@"
