/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Bodies that check the ABI contract of the switch: stack alignment at entry and the
 * preservation of callee-saved registers across suspend/resume. */
#include "fringe.h"

/* Returns the misalignment of a 16-byte-aligned local as the compiler placed it, assuming the
 * ABI's stack alignment on entry. If the switch entered the body with a misaligned stack, the
 * local is misaligned too (a non-zero result), on every architecture fringe supports. */
__attribute__((noinline)) static uintptr_t probe_alignment(void) {
    _Alignas(16) volatile unsigned char slot[16];
    slot[0] = 1;
    return (uintptr_t) slot & 15;
}

/* Suspends the misalignment seen in the first frame, then again after a resume. */
uintptr_t fringe_test_alignment(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) input;
    y->suspend(y, probe_alignment());
    y->suspend(y, probe_alignment());
    return probe_alignment();
}

/* Fills every callee-saved register with garbage derived from `seed` just before suspending,
 * so that a switch which failed to restore the resumer's registers hands the resumer (the JVM
 * or a C harness) garbage. Register lists per architecture; the compiler saves the clobbered
 * registers in this function's prologue, as the ABI demands. */
__attribute__((noinline)) static uintptr_t suspend_with_garbage(fringe_yielder *y, uintptr_t seed) {
#if defined(__x86_64__)
    __asm__ volatile(
        "mov %0, %%rbx\n\t" "mov %0, %%r12\n\t" "mov %0, %%r13\n\t"
        "mov %0, %%r14\n\t" "mov %0, %%r15\n\t"
        : : "r"(seed) : "rbx", "r12", "r13", "r14", "r15");
#elif defined(__i386__)
    __asm__ volatile(
        "mov %0, %%esi\n\t" "mov %0, %%edi\n\t"
        : : "r"(seed) : "esi", "edi");
#elif defined(__aarch64__)
    __asm__ volatile(
        "mov x19, %0\n\t" "mov x20, %0\n\t" "mov x21, %0\n\t" "mov x22, %0\n\t" "mov x23, %0\n\t"
        "mov x24, %0\n\t" "mov x25, %0\n\t" "mov x26, %0\n\t" "mov x27, %0\n\t" "mov x28, %0\n\t"
        "fmov d8, %0\n\t" "fmov d9, %0\n\t" "fmov d10, %0\n\t" "fmov d11, %0\n\t"
        "fmov d12, %0\n\t" "fmov d13, %0\n\t" "fmov d14, %0\n\t" "fmov d15, %0\n\t"
        : : "r"(seed)
        : "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
          "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15");
#endif
    return y->suspend(y, seed);
}

/* Suspends `input` rounds of garbage; returns the number of rounds. */
uintptr_t fringe_test_clobber(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    uintptr_t rounds = 0;
    uintptr_t seed = (uintptr_t) 0xdeadbeefcafef00dULL;
    while (input != 0) {
        input = suspend_with_garbage(y, seed ^ rounds);
        rounds++;
    }
    return rounds;
}
