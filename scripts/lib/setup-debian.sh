# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Checks for the tools a fringe task needs and installs what is missing from Debian's packages:
# sourced, never run.
# shellcheck shell=bash
#
#   ensure_tools base    a C compiler and a Maven for ./mvnw's first run: build and run the demo
#   ensure_tools test    + what the native tests use (gdb, valgrind, strace, g++ and Boost.Context
#                          for the switch benchmark's build check, an OpenJDK 17 for the JDK 17 tests)
#   ensure_tools cross   + cross compilers, qemu-user, Debian's i386/arm64 OpenJDK 17, and what
#                          building the or1k linker takes
#
# Each requirement is a tool or file, checked as such (so a tool installed some other way
# counts), and the Debian package that provides it. Only when something is missing does this
# touch apt: as root it says what it will install, then installs it; otherwise it lists what is
# missing and the caller decides whether that is fatal.

# One requirement per line: CHECK PACKAGE, where CHECK is cmd:NAME (a command on the PATH),
# file:PATH (a file that exists; * globs allowed), or maven (./mvnw can run: the Maven it pins is
# already fetched, or some mvn is on the PATH to fetch it with).
FRINGE_NEEDS_base="
  cmd:gcc gcc
  maven maven"
FRINGE_NEEDS_test="
  cmd:gdb gdb
  cmd:valgrind valgrind
  cmd:strace strace
  cmd:g++ g++
  file:/usr/include/boost/context/detail/fcontext.hpp libboost-context-dev
  file:/usr/lib/jvm/java-17-openjdk-amd64/bin/java openjdk-17-jre-headless"
FRINGE_NEEDS_cross="
  cmd:i686-linux-gnu-gcc gcc-i686-linux-gnu
  cmd:aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
  cmd:riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu
  cmd:riscv64-linux-gnu-as binutils-riscv64-linux-gnu
  cmd:or1k-elf-gcc gcc-or1k-elf
  file:/usr/i686-linux-gnu/include/stdio.h libc6-dev-i386-cross
  file:/usr/aarch64-linux-gnu/include/stdio.h libc6-dev-arm64-cross
  cmd:qemu-i386 qemu-user
  cmd:qemu-aarch64 qemu-user
  cmd:qemu-riscv32 qemu-user
  cmd:qemu-or1k qemu-user
  file:/usr/src/binutils/binutils-*.tar.* binutils-source
  cmd:flex flex
  cmd:bison bison
  cmd:make make
  cmd:bzip2 bzip2
  cmd:xz xz-utils
  file:/usr/lib/jvm/java-17-openjdk-i386/bin/java openjdk-17-jre-headless:i386
  file:/usr/lib/jvm/java-17-openjdk-arm64/bin/java openjdk-17-jre-headless:arm64"

# _satisfied CHECK: whether one requirement is met.
_satisfied() {
  local f
  case $1 in
    cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
    file:*)
      for f in ${1#file:}; do [ -e "$f" ] && return 0; done
      return 1 ;;
    maven)
      local version
      version=$(sed -n 's/^maven\.version=//p' "$(fringe_root)/.mvn/maven.properties")
      [ -x "${XDG_CACHE_HOME:-$HOME/.cache}/fringe/maven/apache-maven-$version/bin/mvn" ] \
        || command -v mvn >/dev/null 2>&1 ;;
    *) die "unknown requirement $1" ;;
  esac
}

_describe() {
  case $1 in
    cmd:*) echo "the command ${1#cmd:}" ;;
    file:*) echo "${1#file:}" ;;
    maven) echo "a Maven to fetch the pinned one with (./mvnw's first run)" ;;
  esac
}

_apt_updated=""
_apt_update() {
  [ -n "$_apt_updated" ] && return 0
  say "apt-get update"
  if ! apt-get update -qq; then
    # Known trap (seen on Debian 12 mirrors): once i386 is added, the security
    # mirror's i386 index can be stale and apt-get update exits 100. fringe needs nothing
    # from the security suite for i386, so keep that suite to amd64/arm64 and retry.
    local f=/etc/apt/sources.list.d/debian.sources
    if [ -f "$f" ] && ! grep -q '^Architectures:' "$f"; then
      warn "apt-get update failed; restricting the security suite to amd64 arm64 and retrying"
      awk 'BEGIN{RS="";ORS="\n\n"} /debian-security/ {$0=$0"\nArchitectures: amd64 arm64"} {print}' "$f" > "$f.fringe" \
        && mv "$f.fringe" "$f"
    fi
    apt-get update -qq || warn "apt-get update still reports errors; trying to install anyway"
  fi
  _apt_updated=1
}

_add_foreign_arch() {
  local a
  for a in "$@"; do
    if ! dpkg --print-foreign-architectures | grep -x "$a" >/dev/null; then
      say "dpkg --add-architecture $a"
      dpkg --add-architecture "$a"
      _apt_updated=""
    fi
  done
}

# ensure_tools LEVEL... ; returns 1 (after listing them) if requirements are missing and
# cannot be installed because we are not root.
ensure_tools() {
  local level list check pkg unmet=() missing=() packages=()
  for level in "$@"; do
    case $level in
      base) list=$FRINGE_NEEDS_base ;;
      test) list=$FRINGE_NEEDS_test ;;
      cross) list=$FRINGE_NEEDS_cross ;;
      *) die "unknown requirement level $level" ;;
    esac
    while read -r check pkg; do
      [ -z "$check" ] || _satisfied "$check" && continue
      unmet+=("$check")
      missing+=("$(_describe "$check") (Debian package $pkg)")
      case " ${packages[*]:-} " in *" $pkg "*) ;; *) packages+=("$pkg") ;; esac
    done <<<"$list"
  done
  [ ${#unmet[@]} -eq 0 ] && return 0
  warn "missing for this task ($*):"
  for check in "${missing[@]}"; do warn "    $check"; done
  if ! is_root; then
    warn "run this script as root to install them, or install them yourself: apt-get install ${packages[*]}"
    return 1
  fi
  say "as root, installing them now: apt-get install ${packages[*]}"
  case " ${packages[*]} " in *":i386 "*) _add_foreign_arch i386 ;; esac
  case " ${packages[*]} " in *":arm64 "*) _add_foreign_arch arm64 ;; esac
  _apt_update
  # -t bookworm: the foreign JREs must come from the same suite as the host's libraries
  # (Multi-Arch: same packages need identical versions on every architecture).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm "${packages[@]}" >/dev/null \
    || die "could not install: ${packages[*]}"
  for check in "${unmet[@]}"; do
    _satisfied "$check" || die "installed the packages above, but $(_describe "$check") is still missing"
  done
}

# ensure_binfmt: lets the kernel run foreign JVMs through qemu-user (binfmt_misc), so that a
# JVM under emulation can start child JVMs (NativeOverflowTest and NativeChildJvmTest do). aarch64 always needs it on an
# x86_64 host; i386 only where the kernel refuses 32-bit programs (seen on some VMs although
# IA32 emulation is built in), since a binfmt entry would otherwise take over native i386 runs.
# Entries use qemu's usual magic and mask, and the F flag (the interpreter is opened now, so it
# works in any mount namespace). Returns 1 if something is missing and we are not root.
_binfmt_dir=/proc/sys/fs/binfmt_misc
_binfmt_mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
_binfmt_aarch64='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
_binfmt_i386='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'

ensure_binfmt() {
  local want=(aarch64)
  if ! /usr/lib/jvm/java-17-openjdk-i386/bin/java -version >/dev/null 2>&1 \
     && [ ! -e "$_binfmt_dir/qemu-i386" ]; then
    want+=(i386)
  fi
  local missing=() a
  for a in "${want[@]}"; do [ -e "$_binfmt_dir/qemu-$a" ] || missing+=("$a"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! is_root; then
    warn "binfmt_misc has no qemu entry for: ${missing[*]} (run as root to register them)"
    return 1
  fi
  [ -e "$_binfmt_dir/register" ] || mount -t binfmt_misc binfmt_misc "$_binfmt_dir" \
    || { warn "cannot mount binfmt_misc"; return 1; }
  for a in "${missing[@]}"; do
    local magic_var="_binfmt_$a"
    say "binfmt_misc: running $a programs with /usr/bin/qemu-$a"
    printf ':qemu-%s:M::%s:%s:/usr/bin/qemu-%s:F' "$a" "${!magic_var}" "$_binfmt_mask" "$a" \
      > "$_binfmt_dir/register" || { warn "cannot register qemu-$a with binfmt_misc"; return 1; }
  done
}
