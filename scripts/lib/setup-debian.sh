# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Installs the Debian packages a fringe task needs: sourced, never run.
# shellcheck shell=bash
#
#   ensure_packages base   maven + gcc: enough to build and run the demo
#   ensure_packages test   + what the x86_64 native tests use (gdb, valgrind, strace, Boost.Context)
#                            and Debian's OpenJDK 17, which runs the stackless suite a second time
#   ensure_packages cross  + cross compilers, qemu-user and Debian's i386/arm64 OpenJDK 17
#
# Each call checks with dpkg first and only touches apt when something is missing, so a
# machine that has everything runs none of this. Installing needs root; without it the
# missing packages are listed and the caller decides whether that is fatal.

FRINGE_PKGS_base="maven gcc make"
FRINGE_PKGS_test="gdb valgrind strace g++ libboost-context-dev openjdk-17-jre-headless"
FRINGE_PKGS_cross="gcc-i686-linux-gnu gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu gcc-or1k-elf
  libc6-dev-i386-cross libc6-dev-arm64-cross
  binutils-riscv64-linux-gnu qemu-user binutils-source flex bison bzip2 xz-utils
  openjdk-17-jre-headless:i386 openjdk-17-jre-headless:arm64"

_pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

_missing_packages() {
  local p out=()
  for p in "$@"; do _pkg_installed "$p" || out+=("$p"); done
  echo "${out[@]:-}"
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
    if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
      say "dpkg --add-architecture $a"
      dpkg --add-architecture "$a"
      _apt_updated=""
    fi
  done
}

# ensure_packages LEVEL... ; returns 1 (after listing them) if packages are missing and
# cannot be installed because we are not root.
ensure_packages() {
  local level want="" missing
  for level in "$@"; do
    case $level in
      base) want="$want $FRINGE_PKGS_base" ;;
      test) want="$want $FRINGE_PKGS_test" ;;
      cross) want="$want $FRINGE_PKGS_cross" ;;
      *) die "unknown package level $level" ;;
    esac
  done
  # shellcheck disable=SC2086
  missing=$(_missing_packages $want)
  [ -z "$missing" ] && return 0
  if ! is_root; then
    warn "missing Debian packages (run as root to install them): $missing"
    return 1
  fi
  case " $missing " in *":i386"*) _add_foreign_arch i386 ;; esac
  case " $missing " in *":arm64"*) _add_foreign_arch arm64 ;; esac
  _apt_update
  say "apt-get install $missing"
  # -t bookworm: the foreign JREs must come from the same suite as the host's libraries
  # (Multi-Arch: same packages need identical versions on every architecture).
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm $missing >/dev/null \
    || die "could not install: $missing"
}

# ensure_binfmt: lets the kernel run foreign JVMs through qemu-user (binfmt_misc), so that a
# JVM under emulation can start child JVMs (GuardPageTest does). aarch64 always needs it on an
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
