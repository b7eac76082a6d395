#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Runs fringe's whole test suite: every module's tests on the build JDK, the native x86_64
# suite and its C harness (gdb, valgrind, strace), the stackless contract suite a second time on
# Debian's OpenJDK 17, and the cross-architecture runs.
#
# CI=true (as .ci/run sets it): everything is mandatory, missing tools are installed (root) or
# fail the run. Elsewhere, a missing cross toolchain is skipped with a loud notice.
# Extra arguments go to Maven, e.g. ./scripts/test.sh -Dfringe.test.scale=10 for long runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/setup-debian.sh"
root=$(fringe_root)

ensure_packages base test || die "install the packages above (or run this script as root), then run it again"

profiles=()
if ensure_packages cross; then
  profiles=(-Pcross)
  if ! ensure_binfmt; then
    in_ci && die "CI=true: foreign JVMs must run through binfmt_misc (root), so that every scenario runs"
    warn "without binfmt_misc entries, the foreign JVM runs leave out GuardPageTest (see the !!! lines)"
  fi
elif in_ci; then
  die "CI=true: the cross-architecture toolchains are mandatory and could not be installed"
else
  warn "########################################################################################"
  warn "## cross toolchains missing: SKIPPING the x86, aarch64, riscv32 and or1k modules and   ##"
  warn "## their tests. Run this script as root (or install the packages listed above) to run ##"
  warn "## them; CI always does.                                                              ##"
  warn "########################################################################################"
fi

# The stackless suite on JDK 17 (profile jdk17): classes transformed by the JDK 25 build, run on 17.
jdk17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
if [ -x "$jdk17" ]; then
  profiles+=(-Pjdk17 "-Dfringe.jdk17.java=$jdk17")
elif in_ci; then
  die "CI=true: the stackless suite must also run on Debian's OpenJDK 17 ($jdk17), which is missing"
else
  warn "no OpenJDK 17 at $jdk17: SKIPPING the JDK 17 run of the stackless suite (install openjdk-17-jre-headless)"
fi

find_jdk25
maven_env
cd "$root"

say "mvn verify ${profiles[*]:-}: all modules and their tests"
mvn_run verify "${profiles[@]}" "$@"
say "all tests passed${profiles[*]:+ (every architecture)}"
