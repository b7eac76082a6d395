#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Checks what a release would publish, from a file repository the build deployed to:
#
#   ./mvnw deploy -DaltDeploymentRepository=check::file:target/publish-check
#   scripts/check/publication.sh target/publish-check
#
# (./scripts/test.sh does both.) It checks that every library jar comes with its sources and
# javadoc jars, that each of those jars carries the license (META-INF/LICENSE), that fringe-bom
# manages every library jar the build published, only fringe's own artifacts, and has no parent
# (importing it must not bring the build's test and tool versions), and that the POMs a user's
# build reads have the metadata repositories require (description, url, licenses, scm,
# developers). With CI=true, a BOM entry whose module is in this repository but was not published
# (e.g. an architecture left out of the build) fails the check; elsewhere it is a warning.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
root=$(fringe_root)
repo=${1:?usage: scripts/check/publication.sh FILE-REPOSITORY-DIRECTORY}
group="$repo/dev/fringe"
[ -d "$group" ] || die "$group does not exist: deploy to $repo first"
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jar" ] || find_jdk25

failures=0 checked=0
bad() { warn "$*"; failures=$((failures + 1)); }

# The directory of the version an artifact was published at, and its newest file with a name
# ending in SUFFIX (snapshots are published with timestamps in their names).
version_dir() { find "$group/$1" -mindepth 1 -maxdepth 1 -type d | sort | tail -n1; }
newest() { find "$1" -maxdepth 1 -name "*$2" ! -name "*-sources$2" ! -name "*-javadoc$2" | sort | tail -n1; }
# (No grep -q at the end of a pipe: it may stop reading early, and pipefail then reports the
# writer's SIGPIPE as a failure.)
has_license() { "$JAVA_HOME/bin/jar" tf "$1" | grep -x 'META-INF/LICENSE' >/dev/null; }
contains() { local x want=$1; shift; for x in "$@"; do [ "$x" = "$want" ] && return 0; done; return 1; }
# A POM without its comments (so that commented-out XML does not count), and the text of the
# first <TAG> in some XML.
pom_text() { sed -e ':a' -e '/<!--/{/-->/!{N;ba' -e '}}' -e 's/<!--.*-->//g' "$1"; }
first() { sed -n "s|.*<$1>\([^<]*\)</$1>.*|\1|p" | head -n1; }

published_jars=()
for dir in "$group"/*/; do
  artifact=$(basename "$dir")
  vdir=$(version_dir "$artifact")
  pom=$(newest "$vdir" .pom)
  [ -n "$pom" ] || { bad "$artifact: no POM published"; continue; }
  checked=$((checked + 1))
  text=$(pom_text "$pom")
  grep -q '<description>' <<<"$text" || bad "$artifact: its POM has no <description>"
  [ "$(first packaging <<<"$text")" = pom ] && continue
  published_jars+=("$artifact")
  for kind in "" -sources -javadoc; do
    if [ -z "$kind" ]; then jar=$(newest "$vdir" .jar); else jar=$(find "$vdir" -maxdepth 1 -name "*$kind.jar" | sort | tail -n1); fi
    if [ -z "$jar" ]; then
      bad "$artifact: no ${kind:-main} jar published"
    elif ! has_license "$jar"; then
      bad "$artifact: $(basename "$jar") has no META-INF/LICENSE"
    fi
  done
done

# What a user's build reads besides the module POMs: the parent they inherit from, and the BOM.
for meta in fringe-parent fringe-bom; do
  pom=$(newest "$(version_dir "$meta")" .pom)
  [ -n "$pom" ] || { bad "$meta: not published"; continue; }
  for tag in description url licenses scm developers; do
    grep -q "<$tag>\|<$tag " "$pom" || bad "$meta: its POM has no <$tag>"
  done
done

bom_text=$(pom_text "$(newest "$(version_dir fringe-bom)" .pom)")
managed_xml=$(sed -n '/<dependencyManagement>/,/<\/dependencyManagement>/p' <<<"$bom_text")
grep -q '<parent>' <<<"$bom_text" && bad "fringe-bom has a parent: importing it would import the parent's dependencyManagement too"
[ "$(basename "$(version_dir fringe-bom)")" = "$(basename "$(version_dir fringe-parent)")" ] \
  || bad "fringe-bom's version $(basename "$(version_dir fringe-bom)") is not the build's $(basename "$(version_dir fringe-parent)")"
foreign=$(sed -n 's|.*<groupId>\([^<]*\)</groupId>.*|\1|p' <<<"$managed_xml" | grep -vx 'dev.fringe' || true)
[ -z "$foreign" ] || bad "fringe-bom manages artifacts that are not fringe's: $(echo $foreign)"
mapfile -t managed < <(sed -n 's|.*<artifactId>\([^<]*\)</artifactId>.*|\1|p' <<<"$managed_xml")
[ ${#managed[@]} -gt 0 ] || bad "fringe-bom manages nothing"

for artifact in "${published_jars[@]}"; do
  contains "$artifact" "${managed[@]}" \
    || bad "$artifact is published but fringe-bom does not manage it: add it to fringe-bom/pom.xml"
done
for artifact in "${managed[@]}"; do
  contains "$artifact" "${published_jars[@]}" && continue
  if [ ! -f "$root/$artifact/pom.xml" ]; then
    warn "fringe-bom manages $artifact, which is no module of this repository (yet)"
  elif in_ci; then
    bad "fringe-bom manages $artifact, but the build did not publish it"
  else
    warn "fringe-bom manages $artifact, but this build did not publish it (left out of the build?)"
  fi
done

[ "$failures" -eq 0 ] || die "publication check: $failures problem(s) above"
say "publication check: $checked artifacts; ${#published_jars[@]} library jars, each with sources, javadoc and the license; fringe-bom manages them all"
