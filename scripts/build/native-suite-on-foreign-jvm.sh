#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the fringe authors
# Runs fringe-tests' native suite on one foreign JVM with JUnit's console launcher; called by the
# cross profile of fringe-tests/pom.xml (integration-test phase), in the directory that gets the
# reports, once per architecture:
#
#   sh native-suite-on-foreign-jvm.sh ARCH JAVA QEMU I386 ELFMAGIC CLASSPATH DIVISOR "JVM_ARGS"
#
#   ARCH       x86 or aarch64 (for messages)
#   JAVA       the foreign JVM's java, e.g. Debian's i386 or arm64 OpenJDK 17
#   QEMU       the qemu-user emulator for that architecture
#   I386       yes for a 32-bit x86 JVM, else no
#   ELFMAGIC   the first 20 bytes of such an executable (ELF class, byte order, e_machine) in hex,
#              as binfmt_misc lists them
#   CLASSPATH  the console launcher, the test classes as a jar, and the test dependencies
#   DIVISOR    fringe.test.divisor for an emulated JVM (TestBodies.scaled divides counts by it)
#   JVM_ARGS   flags for the foreign JVM (split at spaces)
#
# How the JVM runs decides what can run:
#   - native: the kernel runs it (i386 on a kernel with IA32 emulation);
#   - binfmt: the kernel hands it to qemu (binfmt_misc): child JVMs work;
#   - qemu: started as "qemu-ARCH java"; a child JVM cannot be started, so NativeOverflowTest and NativeChildJvmTest
#     are left out, loudly.
# Under emulation, i386 HotSpot runs -Xint (JAVA_TOOL_OPTIONS, so child JVMs too): its JIT crashes
# under qemu-i386 even without fringe (SIGSEGV in libjvm within seconds, 3 of 3 runs of a plain
# multi-threaded program), and NativeStackTest's /proc/self/maps check of the guard is left out:
# qemu-i386's emulated maps file omits PROT_NONE regions (the guard itself is checked by
# fringe-arch-x86's C harness under the same qemu).
arch=$1 java=$2 qemu=$3 i386=$4 magic=$5 classpath=$6 emulated_divisor=$7 jvm_args=$8 divisor=1
if "$java" -version >/dev/null 2>&1; then direct=yes; else direct=no; fi
if grep -qsx "magic $magic" /proc/sys/fs/binfmt_misc/*; then binfmt=yes; else binfmt=no; fi
if [ $direct = yes ] && [ $binfmt = no ]; then mode=native; elif [ $direct = yes ]; then mode=binfmt; else mode=qemu; fi
set --
if [ $mode = qemu ]; then
  echo "!!! $arch: this kernel cannot exec $java (no binfmt_misc entry for it): running it as"
  echo "!!! '$qemu java', and LEAVING OUT NativeOverflowTest and NativeChildJvmTest, whose child JVMs"
  echo "!!! could not start."
  echo "!!! Register $qemu with binfmt_misc for this ELF magic to run them too: $magic"
  set -- "$@" --exclude-classname '.*(NativeOverflowTest|NativeChildJvmTest)'
fi
if [ $mode != native ] && [ $i386 = yes ]; then
  export JAVA_TOOL_OPTIONS=-Xint
  echo "!!! $arch under $qemu: -Xint (HotSpot's i386 JIT crashes under qemu-i386), and LEAVING OUT"
  echo "!!! NativeStackTest.osStack_isPageRounded_aligned_andGuardedByAProtNoneRegion and"
  echo "!!! LibfringeConformanceTest.osStack_hasAProtNoneGuardBelowLimit_native: qemu-i386's /proc/self/maps"
  echo "!!! omits PROT_NONE regions (the guard is tested by fringe-arch-x86's harness and NativeOverflowTest)."
  set -- "$@" --exclude-methodname '.*NativeStackTest#osStack_isPageRounded_aligned_andGuardedByAProtNoneRegion.*' \
    --exclude-methodname '.*LibfringeConformanceTest.*#osStack_hasAProtNoneGuardBelowLimit_native.*'
fi
# The foreign JVMs are Debian's OpenJDK 17: virtual threads need 21, so the one test that resumes
# native generators from virtual threads is left out here rather than skipped (a skip is a
# failure in CI); the host's JDK 25 run covers it.
set -- "$@" --exclude-methodname '.*NativeOverflowTest#virtualThreadResumers_overflowOnWhateverCarrierRunsThem.*'
if [ $mode = native ]; then launch=$java; else launch="$qemu $java" divisor=$emulated_divisor; fi
echo "==> native suite on $arch ($mode): $launch, fringe.test.divisor=$divisor"
start=$(date +%s)
# shellcheck disable=SC2086 # $launch and $jvm_args are word lists
$launch $jvm_args -Dfringe.test.divisor=$divisor -cp "$classpath" \
  org.junit.platform.console.ConsoleLauncher execute --select-package dev.fringe.tests.nativ \
  --select-package dev.fringe.tests.differential --select-package dev.fringe.tests.conformance \
  --include-engine junit-jupiter --fail-if-no-tests --disable-banner --disable-ansi-colors \
  --details tree --reports-dir reports "$@"
status=$?
echo "==> native suite on $arch ($mode): exit $status after $(( $(date +%s) - start )) s"
exit $status
