# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Shared helpers for fringe's scripts: sourced, never run.
# shellcheck shell=bash

fringe_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

say()  { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf '\033[1;33m!!! %s\033[0m\n' "$*" >&2; }
die()  { printf '\033[1;31mxxx %s\033[0m\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
in_ci()   { [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; }

# The major version of a java launcher, e.g. 25 (empty if it does not run).
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# Sets JAVA_HOME to a JDK >= 25 (a javac is required): JAVA_HOME first, then the JDKs
# under /usr/lib/jvm, then whatever `javac` is on the PATH. The build needs 25 because
# its --release 17/21 modules are compiled and tested by one modern javac.
find_jdk25() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/*/; do candidates+=("${c%/}"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local best="" best_v=0 v
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] && [ -x "$c/bin/java" ] || continue
    v=$(java_major "$c/bin/java")
    [ -n "$v" ] || continue
    if [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  [ -n "$best" ] || die "fringe builds with a JDK >= 25 and none was found (looked at \$JAVA_HOME, /usr/lib/jvm/*, javac on PATH).
    Install one (e.g. Temurin 25 under /usr/lib/jvm) or point JAVA_HOME at it, then run this again."
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
  say "using JDK $best_v at $JAVA_HOME"
}

# Maven itself runs on that JDK; JDK 24+ warns when Maven's bundled Guava touches
# sun.misc.Unsafe, which is Maven's business, not the build's: allow it quietly.
maven_env() {
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# Maven is always the version ./mvnw pins (.mvn/maven.properties), never whatever mvn the PATH has.
mvn_run() { "$(fringe_root)/mvnw" -B -ntp "$@"; }
