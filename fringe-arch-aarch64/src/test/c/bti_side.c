/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * bti_side.c - a generator body and a resumer for harness.c's "bti" subcommand, built into a
 * shared object of their own with -mbranch-protection=standard (and without the C runtime's
 * start files, which Debian 12 does not build for BTI), so that the object carries the BTI
 * property and ld.so maps it guarded. Every switch then lands in a guarded page just after a
 * call (the body's call of suspend, the resumer's call of fringe_resume): a switch that ended
 * in `br` would raise SIGILL there, the `ret` that fringe_aarch64.S uses must not.
 */
#include "fringe.h"

typedef struct bti_ctl {
    fringe_yielder yielder;
    uintptr_t sp;
    uintptr_t transfer;   /* must match CTL_TRANSFER in fringe_aarch64.S */
    uintptr_t status;
} bti_ctl;

uintptr_t fringe_resume(bti_ctl *ctl);

/* Running sum of the inputs; returns it on input 0. */
uintptr_t bti_side_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    uintptr_t sum = 0;
    while (input != 0) {
        sum += input;
        input = y->suspend(y, sum);
    }
    return sum;
}

/* Resumes from inside this object: fringe_suspend returns here. */
uintptr_t bti_side_resume(bti_ctl *ctl, uintptr_t input) {
    ctl->transfer = input;
    uintptr_t out = fringe_resume(ctl);
    __asm__ volatile("" : "+r"(out));   /* no tail call: the switch must return into this function */
    return out;
}

/* Deliberately no landing pad: branching here with `br` must raise SIGILL. */
uintptr_t bti_side_plain(void);
__asm__(
    "        .text\n"
    "        .globl  bti_side_plain\n"
    "        .type   bti_side_plain, %function\n"
    "bti_side_plain:\n"
    "        mov   x0, #7\n"
    "        ret\n"
    "        .size   bti_side_plain, . - bti_side_plain\n");
