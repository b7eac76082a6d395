#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Checks the repository's files (tracked, and new ones git does not ignore), in about a second:
#   - every source file (Java, C, assembly, shell, XML, properties, the wrapper) names its license
#     in its first lines: "SPDX-License-Identifier: Apache-2.0";
#   - nothing refers outside the repository: no design notes or reference files that only exist
#     beside it, no issue numbers, no absolute paths of a developer's machine. Code and docs cite
#     the README's numbered rules ("README rule N") and docs/ instead.
# ./scripts/test.sh runs it first; it can also run alone. Exit status 1 lists every offence.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
root=$(fringe_root)
cd "$root"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard | while read -r f; do [ -f "$f" ] && echo "$f"; done)
else
  mapfile -t files < <(find . -type f -not -path '*/target/*' -not -path './.git/*' | sed 's|^\./||')
fi

failures=0
offence() { printf '    %s\n' "$*" >&2; failures=$((failures + 1)); }

missing_header=()
for f in "${files[@]}"; do
  case $f in
    *.java|*.c|*.h|*.S|*.cpp|*.sh|*.xml|*.properties|mvnw|.ci/run) ;;
    *) continue ;;
  esac
  [[ "$(head -n 5 "$f")" == *'SPDX-License-Identifier: Apache-2.0'* ]] || missing_header+=("$f")
done
if [ ${#missing_header[@]} -gt 0 ]; then
  warn "source files without 'SPDX-License-Identifier: Apache-2.0' in their first 5 lines (see LICENSE):"
  for f in "${missing_header[@]}"; do offence "$f"; done
fi

# What refers outside: the design document and reference notes that live next to the repository,
# issue numbers, and paths of one machine. Built from pieces so that this file does not match.
design='DESIGN''\.md'
outside=(
  "$design"
  'shared/''reference'
  '\.\./''shared'
  '\bsemantics'' [0-9]'
  '\bissues?'' #?[0-9]+'
  '(^|[^a-z.])/''(work|home)/'
)
pattern=$(IFS='|'; echo "${outside[*]}")
text_files=()
for f in "${files[@]}"; do
  case $f in LICENSE) continue ;; esac
  grep -Iq . "$f" 2>/dev/null && text_files+=("$f")
done
if hits=$(grep -n -i -E "$pattern" "${text_files[@]}" 2>/dev/null); then
  warn "references outside the repository (cite \"README rule N\" or a file under docs/ instead):"
  while IFS= read -r line; do offence "$line"; done <<<"$hits"
fi

[ "$failures" -eq 0 ] || die "sources check: $failures offence(s) above"
say "sources check: ${#files[@]} files, every source file licensed, nothing refers outside the repository"
