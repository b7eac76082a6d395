#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Runs the demo from the modules the build laid out (fringe-examples/target/modules), exactly as
# scripts/demo.sh does, and checks that every section printed what a newcomer is told to expect:
# the README example's values, the stackless engine, a native generator, and a native stack
# overflow that ends in StackOverflowError while the JVM goes on. (./scripts/test.sh calls it
# after the build; it builds nothing itself.)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
root=$(fringe_root)
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] || find_jdk25
cd "$root"
jar=$(ls fringe-examples/target/fringe-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n1 || true)
[ -d fringe-examples/target/modules ] && [ -n "$jar" ] || die "build fringe-examples first (./mvnw package -pl fringe-examples -am)"

out=$("$JAVA_HOME/bin/java" \
  --add-exports java.base/jdk.internal.vm=dev.fringe.loom \
  --enable-native-access=com.sun.jna,dev.fringe.jna \
  -p "fringe-examples/target/modules:$jar" -m dev.fringe.examples/dev.fringe.examples.Demo 2>&1) \
  || { printf '%s\n' "$out" >&2; die "the demo failed"; }

missing=0
for expected in \
  'resume(null) -> Optional[3]' \
  'resume(null) -> Optional.empty   (state FINISHED)' \
  '<- the code that called resume' \
  'Generator[stackless, RUNNABLE]' \
  'native generators available: binding ffm' \
  'collatz(27): 27 82 41' \
  'advance() threw java.lang.StackOverflowError:' \
  'state FAILED; this JVM runs on'; do
  if ! grep -qF -- "$expected" <<<"$out"; then
    warn "the demo did not print: $expected"
    missing=$((missing + 1))
  fi
done
if [ "$missing" -gt 0 ]; then
  printf '%s\n' "$out" >&2
  die "demo: $missing expected lines missing"
fi
say "demo: every section printed what the README promises"
