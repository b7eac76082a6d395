/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * harness.h - what harness.c (the scenarios every architecture shares) and a module's
 * harness_arch.c (the architecture's probes) agree on: the switch library's ABI, failing,
 * stacks, and the hooks each harness_arch.c defines.
 *
 * Both files are compiled together by the module's SwitchHarnessTest (built on the testkit's
 * AbstractSwitchHarnessTest) with the architecture's C compiler, -O2 -rdynamic -pthread, and
 * linked against the freshly built library.
 */
#ifndef FRINGE_HARNESS_H
#define FRINGE_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fringe.h"   /* the header shipped in fringe-backend-jna's jar */

/* ---------------------------------------------------------------------------------------------
 * The library's ABI. The control block layout must match CTL_* in every fringe_<arch>.S and
 * dev.fringe.jna.spi.ArchSupport.
 * ------------------------------------------------------------------------------------------- */

typedef struct harness_ctl {
    fringe_yielder yielder;   /* word 0: suspend routine; a ctl pointer is a yielder pointer */
    uintptr_t sp;             /* word 1: saved sp of the side not running */
    uintptr_t transfer;       /* word 2: the next input, written before fringe_resume */
    uintptr_t status;         /* word 3: 1 once the body returned */
} harness_ctl;

harness_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env);
uintptr_t fringe_resume(harness_ctl *ctl);
unsigned fringe_stack_register(void *limit, void *base);
void fringe_stack_deregister(unsigned id);

/* A failed check: one "FAIL: ..." line, exit status 1. */
#define FAIL(...)                                               \
    do {                                                        \
        printf("FAIL: " __VA_ARGS__);                           \
        printf("\n");                                           \
        fflush(stdout);                                         \
        exit(1);                                                \
    } while (0)

static inline uintptr_t resume_with(harness_ctl *ctl, uintptr_t input) {
    ctl->transfer = input;
    return fringe_resume(ctl);
}

/* ---------------------------------------------------------------------------------------------
 * Stacks: mmap'ed, optionally with a PROT_NONE guard below, registered with Valgrind (unless
 * the valgrind subcommand's negative control turned that off).
 * ------------------------------------------------------------------------------------------- */

typedef struct stack {
    char *map;        /* whole mapping, guard included */
    size_t map_len;
    char *limit;      /* lowest usable byte */
    char *base;       /* one past the highest usable byte */
    unsigned vg_id;   /* Valgrind's id, 0 natively or when not registered */
} stack;

stack stack_new(size_t usable, size_t guard);
void stack_free(stack *s);

/* ---------------------------------------------------------------------------------------------
 * The architecture's part: every module's harness_arch.c defines all of the following.
 * ------------------------------------------------------------------------------------------- */

/* registers: reg_resumer(ctl, resume, seen) loads pattern A (arch_resumer_pattern + 1, + 2, ...)
   into every callee-saved register, calls resume(ctl) and stores what it finds afterwards into
   seen[0 .. arch_saved_regs - 1]; reg_body(env, input, yielder) loads pattern B
   (arch_body_pattern + 1, ...), suspends with input + 1, stores what it finds after suspend
   returned (the resumer ran with pattern A meanwhile) into ((uintptr_t *) env)[...], and returns
   the next input + 1. Only assembly controls every callee-saved register across a call, so both
   are assembly. arch_reg_names names the registers in the order they are stored; arch_reg_list
   is how the output lines name them all. */
#define HARNESS_MAX_SAVED_REGS 32
extern const int arch_saved_regs;
extern const char *const arch_reg_names[];
extern const char arch_reg_list[];
extern const uintptr_t arch_resumer_pattern, arch_body_pattern;
uintptr_t reg_resumer(harness_ctl *ctl, uintptr_t (*resume)(harness_ctl *), uintptr_t *seen);
uintptr_t reg_body(void *env, uintptr_t input, fringe_yielder *y);

/* align: align_body returns the stack pointer its first instruction sees. The output names
   that register arch_sp_name and prints arch_align_rule, the ABI's rule at function entry, with
   its value (sp + arch_align_bias) % 16, which must be 0. */
uintptr_t align_body(void *env, uintptr_t input, fringe_yielder *y);
extern const char arch_sp_name[];
extern const char arch_align_rule[];
extern const unsigned arch_align_bias;

/* fpshared: the FP control register that holds the rounding mode (fringe does not switch it),
   as arch_fp_control reads it; named arch_fp_control_name in the first output line and
   arch_fp_control_short in the second. */
uintptr_t arch_fp_control(void);
extern const char arch_fp_control_name[];
extern const char arch_fp_control_short[];

/* Subcommands of the architecture's own (optional: harness.c's weak defaults have none):
   arch_command runs cmd and returns 1, or returns 0 if it has no such subcommand; arch_usage
   lists them for the usage line, e.g. "|bti|pac". */
int arch_command(const char *cmd, const char *arg);
extern const char arch_usage[];

#endif /* FRINGE_HARNESS_H */
