#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Runs the README's quick starts exactly as the README shows them, as a user would: in a separate
# project (under target/readme-test) that imports fringe-bom and takes fringe from the local Maven
# repository, so run it after an install (./scripts/test.sh does both).
#
#   scripts/check/readme.sh [README]        (default: the repository's README.md)
#
# Code blocks are picked by an HTML comment on the line before them (invisible on GitHub):
#
#   <!-- readme-test file PATH -->      the block is written to PATH (relative to the test's
#                                       directory; created with its parent directories)
#   <!-- readme-test run DIR -->        the block runs with bash (-e -u -o pipefail) in DIR;
#                                       it fails on a non-zero exit
#   <!-- readme-test output -->         the block is exactly what the last run block before it
#                                       printed on standard output
#   <!-- readme-test part-of PATH -->   the block appears, line for line, in the file a file
#                                       block wrote to PATH (for a snippet shown twice: alone,
#                                       and in a complete file)
#
# Blocks are handled in README order, so a run block sees every file block above it. To cover a
# new section, mark its complete files, its commands and its output the same way; a new project
# gets a directory of its own (e.g. "file stackless/pom.xml" ... "run stackless").
#
# In run blocks, `mvn` is this repository's ./mvnw (Maven at the pinned version), `java`, `javac`
# and `gcc` are the ones on the PATH (./scripts/test.sh puts the JDK it found first), and
# MAVEN_ARGS (say, -Dmaven.repo.local=...) passes on to every Maven run. Ends with a
# "readme: N passed, N failed" line; exit status 1 if anything failed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
root=$(fringe_root)
readme=$(cd "$(dirname "${1:-$root/README.md}")" && pwd)/$(basename "${1:-$root/README.md}")
name=$(basename "$readme")
work="$root/target/readme-test"

rm -rf "$work"
mkdir -p "$work/.blocks" "$work/.bin"
start=$(date +%s)

# 1. Every marked block into .blocks/NNN, and a manifest: NNN KIND ARG LINE.
awk -v dir="$work/.blocks" -v name="$name" '
  function bad(msg) { printf "%s:%d: %s\n", name, NR, msg > "/dev/stderr"; failed = 1; exit 1 }
  /^<!-- readme-test / {
    if (pending) bad("two readme-test markers without a code block between them")
    if ($NF != "-->" || NF < 4 || NF > 5) bad("malformed marker, expected <!-- readme-test KIND [ARG] -->")
    kind = $3; arg = (NF == 5) ? $4 : "-"
    if (kind !~ /^(file|run|output|part-of)$/) bad("unknown readme-test kind " kind)
    if ((kind == "output") != (arg == "-")) bad(kind " takes " (kind == "output" ? "no argument" : "one argument"))
    pending = 1; next
  }
  pending && /^```/ {
    n++; file = sprintf("%s/%03d", dir, n)
    printf "%03d %s %s %d\n", n, kind, arg, NR + 1 > (dir "/manifest")
    printf "" > file
    pending = 0; inblock = 1; next
  }
  pending && !/^[[:space:]]*$/ { bad("a readme-test marker must be followed by a code block") }
  inblock && /^```[[:space:]]*$/ { inblock = 0; close(file); next }
  inblock { print > file }
  END { if (!failed && pending) bad("a readme-test marker at the end, with no code block") }
' "$readme"
[ -s "$work/.blocks/manifest" ] || die "$name has no readme-test blocks"

# 2. The tools a run block sees.
printf '#!/bin/sh\nexec "%s/mvnw" "$@"\n' "$root" > "$work/.bin/mvn"
chmod +x "$work/.bin/mvn"

passed=0 failed=0 last_run="" last_out=""
fail() { warn "FAILED: $*"; failed=$((failed + 1)); }
ok()   { say "ok: $*"; passed=$((passed + 1)); }
part_of=()

while read -r n kind arg line; do
  block="$work/.blocks/$n"
  where="$name:$line"
  case $kind in
    file)
      mkdir -p "$(dirname "$work/$arg")"
      cp "$block" "$work/$arg"
      ;;
    part-of)
      part_of+=("$n $arg $line")
      ;;
    run)
      dir="$work/$arg"
      mkdir -p "$dir"
      last_run=$where last_out="$work/.blocks/$n.stdout"
      say "running the block at $where in ${dir#"$root"/}"
      if (cd "$dir" && PATH="$work/.bin:$PATH" bash -euo pipefail "$block" >"$last_out" 2>"$work/.blocks/$n.stderr"); then
        ok "$where ran"
      else
        fail "$where exited with status $? (standard output, then standard error):"
        sed 's/^/    /' "$last_out" "$work/.blocks/$n.stderr" >&2
        last_out=""
      fi
      ;;
    output)
      if [ -z "$last_run" ]; then
        fail "$where: an output block with no run block before it"
      elif [ -z "$last_out" ]; then
        fail "$where: not compared, the run block at $last_run failed"
      elif diff -u --label "README ($where)" --label "printed by the block at $last_run" "$block" "$last_out" >"$block.diff"; then
        ok "$where is what the block at $last_run printed"
      else
        fail "$where differs from what the block at $last_run printed:"
        sed 's/^/    /' "$block.diff" >&2
      fi
      ;;
  esac
done <"$work/.blocks/manifest"

for entry in "${part_of[@]}"; do
  read -r n arg line <<<"$entry"
  where="$name:$line"
  if [ ! -f "$work/$arg" ]; then
    fail "$where: part of $arg, but no file block writes $arg"
  elif [[ "$(cat "$work/$arg")" == *"$(cat "$work/.blocks/$n")"* ]]; then
    ok "$where appears in $arg"
  else
    fail "$where does not appear line for line in $arg (the complete file the README shows)"
  fi
done

say "README blocks checked in $(( $(date +%s) - start )) s"
echo "readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
