#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Runs fringe's whole test suite, then installs fringe and checks it as its users will get it:
#   1. the sources: license headers, nothing that refers outside the repository (a second);
#   2. every module's tests on the build JDK, the native x86_64 suite and its C harness (gdb,
#      valgrind, strace), the JDK 17 runs (the stackless contract suite on Debian's OpenJDK 17
#      among them), and the cross-architecture runs;
#      no test may be skipped (scripts/check/no-skips.sh);
#   3. the artifacts: installed into the local Maven repository (~/.m2), and published to a file
#      repository (target/publish-check) to check what a release would contain;
#   4. the README's quick starts, built by a separate project against the installed artifacts.
#
# Tools it needs are checked first; run as root, it installs what is missing (it says what).
# CI=true (as .ci/run sets it): everything is mandatory, missing tools are installed (root) or
# fail the run. Elsewhere, a missing cross toolchain is skipped with a loud notice.
# Extra arguments go to Maven, e.g. ./scripts/test.sh -Dfringe.test.scale=10 for long runs, or
# -DskipTests to install without testing; -Dmaven.repo.local=DIR installs there instead of ~/.m2
# (and the quick starts take fringe from there).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/setup-debian.sh"
root=$(fringe_root)

"$here/check/sources.sh"

ensure_tools base test || die "install what is listed above (or run this script as root), then run it again"

profiles=()
if ensure_tools cross; then
  profiles=(-Pcross)
  if ! ensure_binfmt; then
    in_ci && die "CI=true: foreign JVMs must run through binfmt_misc (root), so that every scenario runs"
    warn "without binfmt_misc entries, the foreign JVM runs leave out NativeOverflowTest and NativeChildJvmTest (see the !!! lines)"
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

# The stackless suite a second time on Debian's OpenJDK 17 (fringe-tests, profile jdk17): the
# classes transformed by the JDK 25 build, run on 17. ensure_tools test installed that JDK.
jdk17=(-Pjdk17)

find_jdk25
maven_env
cd "$root"

tested="all tests passed"
for arg in "$@"; do
  case $arg in
    # The quick starts' own Maven runs use the same local repository as this build.
    -Dmaven.repo.local=*) export MAVEN_ARGS="${MAVEN_ARGS:+$MAVEN_ARGS }$arg" ;;
    -DskipTests|-DskipTests=true|-Dmaven.test.skip|-Dmaven.test.skip=true) tested="module tests SKIPPED, checks passed" ;;
  esac
done

publish=target/publish-check
rm -rf "$publish"
mkdir -p target
started=target/test-run.started
touch "$started"
say "mvn deploy ${profiles[*]:-} ${jdk17[*]}: all modules and their tests, then install into the local Maven repository and publish to $publish"
mvn_run deploy "${profiles[@]}" "${jdk17[@]}" -DaltDeploymentRepository="check::file:$root/$publish" "$@"
[ "$tested" = "all tests passed" ] && "$here/check/no-skips.sh" "$started"
"$here/check/publication.sh" "$publish"
"$here/check/readme.sh"
"$here/check/demo.sh"
say "$tested${profiles[*]:+ (every architecture)}; fringe is installed"
