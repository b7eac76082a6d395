#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Fails if any test report written since MARKER (a file the caller touched before the build)
# records a skipped test: Surefire's reports and the JUnit console launcher's reports of the
# cross-architecture runs alike. A test that cannot run in some JVM is left out of that JVM's run
# by the build (Surefire excludes, the launcher's --exclude-methodname), where a reader sees why;
# an assumption that skips it at run time would hide that it never ran.
#
#   scripts/check/no-skips.sh MARKER
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
root=$(fringe_root)
marker=${1:?usage: scripts/check/no-skips.sh MARKER-FILE}

reports=0 skipped=()
while IFS= read -r -d '' report; do
  reports=$((reports + 1))
  if grep -q '<skipped' "$report"; then
    skipped+=("$report")
  fi
done < <(find "$root" -path '*/target/*' -name 'TEST-*.xml' -newer "$marker" -print0)

[ "$reports" -gt 0 ] || die "no test report was written by this run: were the tests run?"
if [ ${#skipped[@]} -gt 0 ]; then
  for report in "${skipped[@]}"; do
    warn "skipped tests in ${report#"$root"/}:"
    # The test case each <skipped> belongs to: the last <testcase> opened before it.
    awk '/<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7);
                        match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
         /<skipped/   { print "    " cls "#" name }' "$report" >&2
  done
  die "${#skipped[@]} test report(s) record skipped tests: leave such a test out of that run instead"
fi
say "no skipped test in $reports test reports"
