#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# or1k-ld.sh - prints the path of a GNU ld that can link or1k shared objects, building it
# first (once per machine) if the cache lacks it.
#
# Why: Debian's OpenRISC toolchain is the bare-metal gcc-or1k-elf. Its assembler and compiler
# are fine for fringe_or1k.S, but its linker (target or1k-elf, emulation elf32or1k only) says
# "-shared not supported". The or1k-linux-gnu configuration of the same binutils release has the
# `elf32or1k_linux` emulation, which can. Debian ships that release's source as the package
# binutils-source (/usr/src/binutils/binutils-<version>.tar.xz), so we configure it for
# --target=or1k-linux-gnu and build the linker alone (`make all-ld`: a few minutes on 2 cores,
# mostly configure scripts; 8 minutes measured on a busy shared VM).
# Only the resulting self-contained `ld` is kept; nothing of binutils is committed.
#
# Usage: or1k-ld.sh                    prints the path, e.g.
#                                      ~/.cache/fringe/or1k-ld/binutils-2.40-r1/or1k-linux-gnu-ld
#                                      (progress and errors go to stderr)
#        or1k-ld.sh --path-file FILE   writes the path into FILE instead and reports progress on
#                                      stdout (for Maven: Ant logs a tool's stdout as [INFO] and
#                                      its stderr as [WARNING])
#
# Writes only under the cache directory ${FRINGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fringe}.
# The build tree is deleted afterwards; a failed build leaves its log next to where the linker
# would go. Concurrent callers (two Maven runs) serialise on a lock file; the linker appears
# atomically (rename), so a half-built file is never used.
#
# Needs: binutils-source, flex, bison, make, gcc, xz-utils (scripts/lib/setup-debian.sh, level
# "cross"). Environment: FRINGE_OR1K_LD (use this linker, build nothing), FRINGE_JOBS (make -j,
# default 2), BINUTILS_TARBALL (another binutils-*.tar.xz/.tar.gz/.tar.bz2).
set -euo pipefail

# Bump when the recipe changes, so every machine rebuilds instead of trusting an old result.
RECIPE=r1

path_file=
if [ "${1:-}" = --path-file ]; then
  [ -n "${2:-}" ] || { echo "usage: $0 [--path-file FILE]" >&2; exit 2; }
  path_file=$2
fi

say() {
  if [ -n "$path_file" ]; then printf 'or1k-ld.sh: %s\n' "$*"; else printf 'or1k-ld.sh: %s\n' "$*" >&2; fi
}
die() { say "$*"; exit 1; }
found() {   # the result: the linker's path
  if [ -n "$path_file" ]; then
    mkdir -p "$(dirname "$path_file")"
    printf '%s\n' "$1" >"$path_file"
  else
    printf '%s\n' "$1"
  fi
  exit 0
}

if [ -n "${FRINGE_OR1K_LD:-}" ]; then
  [ -x "$FRINGE_OR1K_LD" ] || die "FRINGE_OR1K_LD=$FRINGE_OR1K_LD is not an executable file"
  found "$FRINGE_OR1K_LD"
fi

tarball=${BINUTILS_TARBALL:-}
if [ -n "$tarball" ]; then
  [ -f "$tarball" ] || die "BINUTILS_TARBALL=$tarball does not exist"
else
  tarball=$(ls -1 /usr/src/binutils/binutils-*.tar.* 2>/dev/null | sort -V | tail -n1 || true)
fi
[ -n "$tarball" ] || die "no binutils source tarball in /usr/src/binutils.
  Install Debian's binutils-source (with flex and bison): apt-get install binutils-source flex bison
  (or run scripts/lib/setup-debian.sh's 'ensure_tools cross' as root), or point
  BINUTILS_TARBALL at a binutils-<version>.tar.xz, or FRINGE_OR1K_LD at an or1k-linux-gnu ld."

name=$(basename "$tarball")
version=${name%.tar.*}                                   # binutils-2.40
cache=${FRINGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fringe}
dir=$cache/or1k-ld/$version-$RECIPE
ld=$dir/or1k-linux-gnu-ld

if [ -x "$ld" ]; then
  found "$ld"
fi

for tool in flex bison make gcc tar flock; do
  command -v "$tool" >/dev/null 2>&1 || die "building the or1k linker needs '$tool' (apt-get install flex bison make gcc tar util-linux xz-utils)"
done

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9                                   # another run may be building it right now
if [ -x "$ld" ]; then                     # ... and it did
  found "$ld"
fi

work=$(mktemp -d "$dir/build.XXXXXX")
log=$dir/build.log
trap 'rm -rf "$work"' EXIT
say "building GNU ld for or1k-linux-gnu from $tarball (once per machine, a few minutes; log: $log)"
start=$(date +%s)

# Each step chained with &&: `set -e` does not apply inside a command whose status is tested.
build() {
  # The linker needs bfd, ld, libiberty, libsframe, zlib, intl, include, libctf's headers and
  # the top-level build glue. Everything else stays packed: the top-level Makefile makes
  # all-ld wait for gas, binutils (objdump, readelf, ...) and opcodes only "maybe", i.e. if
  # their directories exist, and those are most of the compile time.
  tar -xf "$tarball" -C "$work" --exclude='binutils-*/ld/testsuite' \
    --exclude='binutils-*/gas' --exclude='binutils-*/binutils' --exclude='binutils-*/opcodes' \
    --exclude='binutils-*/gold' --exclude='binutils-*/gprofng' --exclude='binutils-*/gprof' \
    --exclude='binutils-*/cpu' &&
  local src &&
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'binutils-*' | head -n1) &&
  mkdir "$work/build" &&
  cd "$work/build" &&
  # Only what ld needs: no NLS, no plugins, no shared libbfd (the linker must stay
  # self-contained once the build tree is gone), no docs (MAKEINFO=true: texinfo not needed),
  # no -g (half the compile time, and nobody debugs it).
  "$src/configure" --target=or1k-linux-gnu --prefix=/nonexistent \
    --disable-nls --disable-werror --disable-shared --enable-static --disable-plugins \
    --disable-gold --disable-gprofng --disable-libctf --disable-sim --disable-gdb \
    --without-zstd --without-debuginfod --without-msgpack MAKEINFO=true CFLAGS=-O2 CXXFLAGS=-O2 &&
  make -j"${FRINGE_JOBS:-2}" all-ld MAKEINFO=true
}
if ! build >"$log" 2>&1; then
  tail -n 40 "$log" | while IFS= read -r line; do say "  $line"; done
  die "building the or1k linker failed; full log: $log"
fi

built=$work/build/ld/ld-new
# The emulation that makes the difference: or1k-elf's elf32or1k is "EMBEDDED" (no shared
# library scripts, hence "-shared not supported"); elf32or1k_linux has them.
"$built" -V 2>/dev/null | grep -q elf32or1k_linux \
  || die "the linker built but lacks the elf32or1k_linux emulation (log: $log)"
cp "$built" "$ld.tmp.$$"
mv -f "$ld.tmp.$$" "$ld"
say "built $ld in $(( $(date +%s) - start )) s"
found "$ld"
