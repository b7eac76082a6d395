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

/* The control block as far as a C resumer needs it; must match dev.fringe.jna.spi.ArchSupport
 * and every fringe-arch-* .S (words: suspend, sp, transfer, status). */
typedef struct nested_ctl {
    uintptr_t suspend, sp, transfer, status;
} nested_ctl;
typedef nested_ctl *(*nested_init_fn)(void *stack_base, fringe_body_fn body, void *env);
typedef uintptr_t (*nested_resume_fn)(nested_ctl *ctl);

/* Resumes a generator of its own from C, `rounds` times, around eight values the compiler must
 * keep across every resume in callee-saved registers or stack slots: they are opaque (laundered
 * through an empty asm, so they cannot be recomputed) and live until checked against copies in
 * memory after each resume. The inner body is fringe_test_clobber, which fills every
 * callee-saved register with garbage before it suspends: a switch that fails to restore one of
 * the resumer's registers turns some of these values into garbage. Everything else the loop
 * needs lives in volatile memory, so that a lost register miscounts instead of derailing the
 * loop. env points to two words: the addresses of fringe_init and of the resume routine to
 * test. Returns the number of wrong values seen (registers, or what the inner body suspended).
 * Needs ~20 KiB of its own stack. */
uintptr_t fringe_test_nested_registers(void *env, uintptr_t rounds, fringe_yielder *y) {
    (void) y;
    const uintptr_t *fns = env;
    _Alignas(16) unsigned char stack[16 * 1024];
    struct {
        nested_resume_fn resume;
        nested_ctl *ctl;
        uintptr_t rounds, i, wrong;
        uintptr_t expected[8];
    } volatile loop;
    loop.resume = (nested_resume_fn) fns[1];
    loop.ctl = ((nested_init_fn) fns[0])(stack + sizeof stack, fringe_test_clobber, 0);
    loop.rounds = rounds;
    loop.wrong = 0;

    uintptr_t a = 0xa1, b = 0xb2, c = 0xc3, d = 0xd4, e = 0xe5, f = 0xf6, g = 0x17, h = 0x28;
    __asm__ volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
    __asm__ volatile("" : "+r"(e), "+r"(f), "+r"(g), "+r"(h));
    loop.expected[0] = a, loop.expected[1] = b, loop.expected[2] = c, loop.expected[3] = d;
    loop.expected[4] = e, loop.expected[5] = f, loop.expected[6] = g, loop.expected[7] = h;
    const uintptr_t seed = (uintptr_t) 0xdeadbeefcafef00dULL; /* fringe_test_clobber's */
    for (loop.i = 1; loop.i <= loop.rounds; loop.i++) {
        loop.ctl->transfer = loop.i; /* non-zero: the inner body keeps suspending */
        uintptr_t got = loop.resume(loop.ctl);
        loop.wrong += got != (seed ^ (loop.i - 1));
        loop.wrong += (a != loop.expected[0]) + (b != loop.expected[1]) + (c != loop.expected[2])
                + (d != loop.expected[3]) + (e != loop.expected[4]) + (f != loop.expected[5])
                + (g != loop.expected[6]) + (h != loop.expected[7]);
    }
    loop.ctl->transfer = 0; /* the inner body returns the number of rounds */
    loop.wrong += loop.resume(loop.ctl) != loop.rounds || loop.ctl->status != 1;
    return loop.wrong;
}
