#!/usr/bin/env bash
# Runs fringe's whole test suite: every module's tests on the build JDK, the native x86_64
# suite and its C harness (gdb, valgrind, strace), and the cross-architecture runs.
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
find_jdk25
maven_env
cd "$root"

say "mvn verify: all modules and their tests"
mvn_run verify "$@"
say "all tests passed"
