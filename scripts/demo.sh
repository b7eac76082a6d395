#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Builds fringe and runs its demo (fringe-examples) on the module path.
# Needs a JDK >= 25, gcc, and a Maven for ./mvnw's first run; run as root on a fresh Debian
# machine, and it installs what is missing (it says what before it does).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/common.sh"
source "$here/lib/setup-debian.sh"
root=$(fringe_root)

ensure_tools base || die "install what is listed above (or run this script as root), then run it again"
find_jdk25
maven_env
cd "$root"
say "building the demo and the modules it needs (first run downloads dependencies into ~/.m2)"
mvn_run -q package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl fringe-examples -am

modules="fringe-examples/target/modules:$(ls fringe-examples/target/fringe-examples-*.jar)"
say "running: java -p <modules> -m dev.fringe.examples/dev.fringe.examples.Demo"
exec java \
  --add-exports java.base/jdk.internal.vm=dev.fringe.loom \
  --enable-native-access=com.sun.jna,dev.fringe.jna \
  -p "$modules" -m dev.fringe.examples/dev.fringe.examples.Demo
