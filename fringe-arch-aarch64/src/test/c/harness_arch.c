/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * harness_arch.c - the aarch64 part of the C switch harness (harness.c and harness.h in
 * fringe-arch-testkit, which say what each hook means): the register and alignment probes in
 * AArch64 assembly, FPCR as the FP control register, and aarch64's own subcommands:
 *
 *   bti                       which objects are BTI-guarded (SIGILL probes), then a generator
 *                             whose body and resumer both live in a guarded object
 *   pac                       the return addresses in switch frames are signed
 *   pac-forged                resumes a generator whose saved return address was replaced by
 *                             the same address unsigned: must die, not continue
 *
 * The harness is linked against libbti_side.so (bti_side.c, built for BTI) too, and runs under
 * qemu-aarch64, whose default CPU has BTI and PAC. Everything here must agree with
 * src/main/asm/fringe_aarch64.S (callee-saved registers, entry alignment, SWITCH_FRAME_X30).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>

#include "harness.h"

#if !defined(__aarch64__)
#error "this harness is for aarch64"
#endif

/* The slot of x30 in fringe_aarch64.S's switch frame: must match it. */
#define SWITCH_FRAME_X30 0x08

/* ---------------------------------------------------------------------------------------------
 * registers: both sides' callee-saved registers survive the switches.
 *
 * Both sides are assembly, so that every callee-saved register holds a known pattern across
 * the switch: x19-x28, the frame pointer x29 and d8-d15 (19 words). reg_resumer(ctl, resume,
 * seen) loads pattern A (0xA1A1A1A1A1A1 0001 .. 0013), calls resume(ctl) and stores what it
 * finds afterwards into seen[]; reg_body loads pattern B (0xB2B2...), calls suspend, stores
 * what it finds after suspend returned into env[], then returns. Both start with `bti c`
 * (hint #34): the trampoline reaches reg_body through blr, and the BTI build checks that.
 * ------------------------------------------------------------------------------------------- */

const int arch_saved_regs = 19;
const char *const arch_reg_names[] = {
    "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
    "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15"};
const char arch_reg_list[] = "x19-x29 d8-d15";
const uintptr_t arch_resumer_pattern = 0xA1A1A1A1A1A10000u;
const uintptr_t arch_body_pattern = 0xB2B2B2B2B2B20000u;

/* Saves/restores everything the probes overwrite, in a 176-byte frame: [x29, x30] at 0,
   x19-x28 at 16, d8-d15 at 96, one spare slot at 160 for the output pointer. */
#define PROBE_SAVE                                                  \
    "        stp   x29, x30, [sp, #-176]!\n"                        \
    "        .cfi_def_cfa_offset 176\n"                             \
    "        .cfi_offset x29, -176\n"                               \
    "        .cfi_offset x30, -168\n"                               \
    "        stp   x19, x20, [sp, #16]\n"                           \
    "        stp   x21, x22, [sp, #32]\n"                           \
    "        stp   x23, x24, [sp, #48]\n"                           \
    "        stp   x25, x26, [sp, #64]\n"                           \
    "        stp   x27, x28, [sp, #80]\n"                           \
    "        stp   d8,  d9,  [sp, #96]\n"                           \
    "        stp   d10, d11, [sp, #112]\n"                          \
    "        stp   d12, d13, [sp, #128]\n"                          \
    "        stp   d14, d15, [sp, #144]\n"
#define PROBE_RESTORE                                               \
    "        ldp   x19, x20, [sp, #16]\n"                           \
    "        ldp   x21, x22, [sp, #32]\n"                           \
    "        ldp   x23, x24, [sp, #48]\n"                           \
    "        ldp   x25, x26, [sp, #64]\n"                           \
    "        ldp   x27, x28, [sp, #80]\n"                           \
    "        ldp   d8,  d9,  [sp, #96]\n"                           \
    "        ldp   d10, d11, [sp, #112]\n"                          \
    "        ldp   d12, d13, [sp, #128]\n"                          \
    "        ldp   d14, d15, [sp, #144]\n"                          \
    "        ldp   x29, x30, [sp], #176\n"                          \
    "        .cfi_def_cfa_offset 0\n"
/* pattern P (a 48-bit prefix as 3 halfwords) + 1..19 into x19-x29 and d8-d15, via x9 */
#define PROBE_LOAD(h3, h2, h1)                                                           \
    "        movz  x9, #" h3 ", lsl #48\n"                                                \
    "        movk  x9, #" h2 ", lsl #32\n"                                               \
    "        movk  x9, #" h1 ", lsl #16\n"                                               \
    "        add   x19, x9, #1\n"  "        add   x20, x9, #2\n"  "        add   x21, x9, #3\n" \
    "        add   x22, x9, #4\n"  "        add   x23, x9, #5\n"  "        add   x24, x9, #6\n" \
    "        add   x25, x9, #7\n"  "        add   x26, x9, #8\n"  "        add   x27, x9, #9\n" \
    "        add   x28, x9, #10\n" "        add   x29, x9, #11\n"                        \
    "        add   x10, x9, #12\n" "        fmov  d8,  x10\n"                            \
    "        add   x10, x9, #13\n" "        fmov  d9,  x10\n"                            \
    "        add   x10, x9, #14\n" "        fmov  d10, x10\n"                            \
    "        add   x10, x9, #15\n" "        fmov  d11, x10\n"                            \
    "        add   x10, x9, #16\n" "        fmov  d12, x10\n"                            \
    "        add   x10, x9, #17\n" "        fmov  d13, x10\n"                            \
    "        add   x10, x9, #18\n" "        fmov  d14, x10\n"                            \
    "        add   x10, x9, #19\n" "        fmov  d15, x10\n"
/* stores x19-x29, d8-d15 at [x2] */
#define PROBE_STORE                                                 \
    "        stp   x19, x20, [x2, #0]\n"                            \
    "        stp   x21, x22, [x2, #16]\n"                           \
    "        stp   x23, x24, [x2, #32]\n"                           \
    "        stp   x25, x26, [x2, #48]\n"                           \
    "        stp   x27, x28, [x2, #64]\n"                           \
    "        str   x29,      [x2, #80]\n"                           \
    "        stp   d8,  d9,  [x2, #88]\n"                           \
    "        stp   d10, d11, [x2, #104]\n"                          \
    "        stp   d12, d13, [x2, #120]\n"                          \
    "        stp   d14, d15, [x2, #136]\n"

__asm__(
    "        .text\n"
    "        .globl  reg_resumer\n"
    "        .type   reg_resumer, %function\n"
    "reg_resumer:\n"                               /* x0 = ctl, x1 = resume, x2 = seen */
    "        .cfi_startproc\n"
    "        hint  #34\n"
    PROBE_SAVE
    "        str   x2, [sp, #160]\n"
    PROBE_LOAD("0xA1A1", "0xA1A1", "0xA1A1")
    "        blr   x1\n"                             /* resume(ctl) */
    "        ldr   x2, [sp, #160]\n"
    PROBE_STORE
    PROBE_RESTORE
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   reg_resumer, . - reg_resumer\n"
    "\n"
    "        .globl  reg_body\n"
    "        .type   reg_body, %function\n"
    "reg_body:\n"                                  /* x0 = env (seen), x1 = input, x2 = yielder */
    "        .cfi_startproc\n"
    "        hint  #34\n"
    PROBE_SAVE
    "        str   x0, [sp, #160]\n"
    "        mov   x0, x2\n"                         /* self = yielder */
    "        add   x1, x1, #1\n"                     /* value = input + 1 */
    "        ldr   x11, [x0]\n"                      /* yielder->suspend */
    PROBE_LOAD("0xB2B2", "0xB2B2", "0xB2B2")
    "        blr   x11\n"                            /* x0 = next input */
    "        ldr   x2, [sp, #160]\n"
    PROBE_STORE
    "        add   x0, x0, #1\n"                     /* return next input + 1 */
    PROBE_RESTORE
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   reg_body, . - reg_body\n");

/* ---------------------------------------------------------------------------------------------
 * align: AAPCS64 requires sp % 16 == 0 at all times (a call pushes nothing).
 * ------------------------------------------------------------------------------------------- */

const char arch_sp_name[] = "sp";
const char arch_align_rule[] = "sp % 16";
const unsigned arch_align_bias = 0;

__asm__(
    "        .text\n"
    "        .globl  align_body\n"
    "        .type   align_body, %function\n"
    "align_body:\n"
    "        hint  #34\n"
    "        mov   x0, sp\n"                         /* the sp the trampoline's blr left us */
    "        ret\n"
    "        .size   align_body, . - align_body\n");

/* ---------------------------------------------------------------------------------------------
 * fpshared: FPCR holds the rounding mode.
 * ------------------------------------------------------------------------------------------- */

const char arch_fp_control_name[] = "FPCR";
const char arch_fp_control_short[] = "FPCR";

uintptr_t arch_fp_control(void) {
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}

/* ---------------------------------------------------------------------------------------------
 * bti: which objects of this process are BTI-guarded, and a generator running in one of them.
 *
 * bti_branch(target) branches to target with `br` and a return address in x30; in a guarded
 * page, a target that is not a landing pad raises SIGILL. Three probes: plain_target (this
 * program, built without BTI: not guarded), bti_side_plain (libbti_side.so, built for BTI) and
 * fringe_stack_deregister + 4 (libfringe_aarch64.so, just after its `bti c`; the rest of that
 * function is harmless and ends in `ret`: must match fringe_aarch64.S). Then bti_side_body runs
 * as a generator resumed by bti_side_resume: every switch lands just after a call inside the
 * guarded libbti_side.so, where only a `ret` may land.
 * ------------------------------------------------------------------------------------------- */

uintptr_t bti_branch(uintptr_t target);
uintptr_t plain_target(void);
__asm__(
    "        .text\n"
    "        .globl  bti_branch\n"
    "        .type   bti_branch, %function\n"
    "bti_branch:\n"                                /* x0 = target */
    "        .cfi_startproc\n"
    "        hint  #34\n"
    "        stp   x29, x30, [sp, #-16]!\n"
    "        .cfi_def_cfa_offset 16\n"
    "        .cfi_offset x29, -16\n"
    "        .cfi_offset x30, -8\n"
    "        adr   x30, 1f\n"
    "        mov   x16, x0\n"
    "        mov   x0, #0\n"                          /* the deregister probe's id argument */
    "        br    x16\n"
    "1:      ldp   x29, x30, [sp], #16\n"
    "        .cfi_def_cfa_offset 0\n"
    "        mov   x0, #1\n"                          /* came back: not checked */
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   bti_branch, . - bti_branch\n"
    "        .globl  plain_target\n"
    "        .type   plain_target, %function\n"
    "plain_target:\n"                              /* deliberately no landing pad */
    "        mov   x0, #7\n"
    "        ret\n"
    "        .size   plain_target, . - plain_target\n");

/* libbti_side.so (bti_side.c) */
uintptr_t bti_side_body(void *env, uintptr_t input, fringe_yielder *y);
uintptr_t bti_side_resume(harness_ctl *ctl, uintptr_t input);
uintptr_t bti_side_plain(void);

static sigjmp_buf bti_escape;

static void sigill_handler(int sig) {
    (void) sig;
    siglongjmp(bti_escape, 1);
}

/* "SIGILL" if branching to target with `br` raised SIGILL, else "runs" */
static const char *branch_outcome(uintptr_t target) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sigill_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, &old);
    const char *outcome = "SIGILL";
    if (sigsetjmp(bti_escape, 1) == 0) {
        bti_branch(target);
        outcome = "runs";
    }
    sigaction(SIGILL, &old, NULL);
    return outcome;
}

static void run_bti(void) {
    printf("cpu has BTI: %s\n", (getauxval(AT_HWCAP2) & HWCAP2_BTI) != 0 ? "yes" : "no");
    printf("br to a non-landing-pad in this program: %s\n", branch_outcome((uintptr_t) plain_target));
    printf("br to a non-landing-pad in libbti_side.so: %s\n", branch_outcome((uintptr_t) bti_side_plain));
    uintptr_t in_library = (uintptr_t) dlsym(RTLD_DEFAULT, "fringe_stack_deregister") + 4;
    printf("br to a non-landing-pad in libfringe_aarch64.so: %s\n", branch_outcome(in_library));

    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, bti_side_body, NULL);
    uintptr_t a = bti_side_resume(ctl, 3);
    uintptr_t b = bti_side_resume(ctl, 4);
    uintptr_t c = bti_side_resume(ctl, 0);
    printf("generator in libbti_side.so: resume(3) = %" PRIuPTR ", resume(4) = %" PRIuPTR
           ", resume(0) = %" PRIuPTR " status %" PRIuPTR "\n", a, b, c, ctl->status);
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * pac / pac-forged: the return addresses saved in switch frames are signed, and checked.
 * ------------------------------------------------------------------------------------------- */

static uintptr_t strip_pac(uintptr_t signed_address) {
    register uintptr_t x30 __asm__("x30") = signed_address;
    __asm__("hint #7" : "+r"(x30));   /* xpaclri: x30 without its signature */
    return x30;
}

uintptr_t pac_body(void *env, uintptr_t input, fringe_yielder *y) __attribute__((noinline));
uintptr_t pac_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    input = y->suspend(y, input + 1);
    __asm__ volatile("" ::: "memory");   /* no tail call: suspend returns into this function */
    return input + 1;
}

static const char *object_of(uintptr_t address, const char **symbol) {
    Dl_info info;
    if (dladdr((void *) address, &info) == 0 || info.dli_fname == NULL) {
        *symbol = "?";
        return "?";
    }
    *symbol = info.dli_sname ? info.dli_sname : "?";
    const char *slash = strrchr(info.dli_fname, '/');
    return slash ? slash + 1 : info.dli_fname;
}

static void describe_saved(const char *what, uintptr_t saved) {
    uintptr_t plain = strip_pac(saved);
    const char *symbol;
    const char *object = object_of(plain, &symbol);
    printf("%s: %s, points into %s in %s\n", what, saved != plain ? "signed" : "unsigned", symbol, object);
}

static void run_pac(int forge) {
    int cpu = (getauxval(AT_HWCAP) & HWCAP_PACA) != 0;
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, pac_body, NULL);
    uintptr_t *fresh_x30 = (uintptr_t *) (ctl->sp + SWITCH_FRAME_X30);
    if (!forge) {
        printf("cpu has PAuth: %s\n", cpu ? "yes" : "no");
        describe_saved("fresh frame's return address", *fresh_x30);
    }
    uintptr_t out = resume_with(ctl, 1);
    uintptr_t *body_x30 = (uintptr_t *) (ctl->sp + SWITCH_FRAME_X30);
    if (!forge) {
        describe_saved("suspended body's return address", *body_x30);
        uintptr_t last = resume_with(ctl, 5);
        printf("resume(1) = %" PRIuPTR ", resume(5) = %" PRIuPTR " status %" PRIuPTR "\n", out, last, ctl->status);
    } else {
        /* The same address without its signature: AUTIASP must reject it. */
        *body_x30 = strip_pac(*body_x30);
        printf("resuming with a forged return address\n");
        fflush(stdout);
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        uintptr_t last = resume_with(ctl, 5);
        printf("the forged switch frame was accepted: resume(5) = %" PRIuPTR "\n", last);
    }
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * aarch64's own subcommands
 * ------------------------------------------------------------------------------------------- */

const char arch_usage[] = "|bti|pac|pac-forged";

int arch_command(const char *cmd, const char *arg) {
    (void) arg;
    if (strcmp(cmd, "bti") == 0) {
        run_bti();
    } else if (strcmp(cmd, "pac") == 0) {
        run_pac(0);
    } else if (strcmp(cmd, "pac-forged") == 0) {
        run_pac(1);
    } else {
        return 0;
    }
    return 1;
}
