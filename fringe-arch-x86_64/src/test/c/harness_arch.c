/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * harness_arch.c - the x86_64 part of the C switch harness (harness.c and harness.h in
 * fringe-arch-testkit, which say what each hook means): the register and alignment probes in
 * x86_64 assembly and MXCSR as the FP control register. Everything here must agree with
 * src/main/asm/fringe_x86_64.S (which registers are callee-saved, the entry alignment).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <xmmintrin.h>

#include "harness.h"

#if !defined(__x86_64__)
#error "this harness is for x86_64"
#endif

/* ---------------------------------------------------------------------------------------------
 * registers: rbx, rbp, r12-r15, the six callee-saved registers besides rsp.
 *
 * reg_resumer(ctl, resume, seen) loads pattern A into them, calls resume(ctl) and stores what it
 * finds afterwards into seen[0..5]; reg_body(env, input, y) loads pattern B, calls suspend and
 * stores what it finds after suspend returned into env[0..5], then returns. The output pointer
 * is kept in the slot that also keeps rsp 16-byte aligned at the call.
 * ------------------------------------------------------------------------------------------- */

const int arch_saved_regs = 6;
const char *const arch_reg_names[] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
const char arch_reg_list[] = "rbx rbp r12 r13 r14 r15";
const uintptr_t arch_resumer_pattern = 0xA1A1A1A1A1A10000u;
const uintptr_t arch_body_pattern = 0xB2B2B2B2B2B20000u;

__asm__(
    "        .text\n"
    "        .globl  reg_resumer\n"
    "        .type   reg_resumer, @function\n"
    "reg_resumer:\n"                               /* rdi = ctl, rsi = resume, rdx = seen */
    "        .cfi_startproc\n"
    "        pushq %rbp\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %rbx\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r12\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r13\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r14\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r15\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %rdx\n"                           /* seen; 16-byte alignment at the call */
    "        .cfi_adjust_cfa_offset 8\n"
    "        movabsq $0xA1A1A1A1A1A10001, %rbx\n"
    "        movabsq $0xA1A1A1A1A1A10002, %rbp\n"
    "        movabsq $0xA1A1A1A1A1A10003, %r12\n"
    "        movabsq $0xA1A1A1A1A1A10004, %r13\n"
    "        movabsq $0xA1A1A1A1A1A10005, %r14\n"
    "        movabsq $0xA1A1A1A1A1A10006, %r15\n"
    "        call  *%rsi\n"                          /* resume(ctl) */
    "        popq  %rcx\n"                           /* seen */
    "        .cfi_adjust_cfa_offset -8\n"
    "        movq  %rbx, 0(%rcx)\n"
    "        movq  %rbp, 8(%rcx)\n"
    "        movq  %r12, 16(%rcx)\n"
    "        movq  %r13, 24(%rcx)\n"
    "        movq  %r14, 32(%rcx)\n"
    "        movq  %r15, 40(%rcx)\n"
    "        popq  %r15\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %r14\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %r13\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %r12\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %rbx\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %rbp\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   reg_resumer, . - reg_resumer\n"
    "\n"
    "        .globl  reg_body\n"
    "        .type   reg_body, @function\n"
    "reg_body:\n"                                  /* rdi = env (seen), rsi = input, rdx = yielder */
    "        .cfi_startproc\n"
    "        pushq %rbp\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %rbx\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r12\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r13\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r14\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %r15\n"
    "        .cfi_adjust_cfa_offset 8\n"
    "        pushq %rdi\n"                           /* seen; 16-byte alignment at the call */
    "        .cfi_adjust_cfa_offset 8\n"
    "        movabsq $0xB2B2B2B2B2B20001, %rbx\n"
    "        movabsq $0xB2B2B2B2B2B20002, %rbp\n"
    "        movabsq $0xB2B2B2B2B2B20003, %r12\n"
    "        movabsq $0xB2B2B2B2B2B20004, %r13\n"
    "        movabsq $0xB2B2B2B2B2B20005, %r14\n"
    "        movabsq $0xB2B2B2B2B2B20006, %r15\n"
    "        movq  %rdx, %rdi\n"                     /* self = yielder */
    "        leaq  1(%rsi), %rsi\n"                  /* value = input + 1 */
    "        call  *(%rdi)\n"                        /* yielder->suspend: rax = next input */
    "        popq  %rcx\n"                           /* seen */
    "        .cfi_adjust_cfa_offset -8\n"
    "        movq  %rbx, 0(%rcx)\n"
    "        movq  %rbp, 8(%rcx)\n"
    "        movq  %r12, 16(%rcx)\n"
    "        movq  %r13, 24(%rcx)\n"
    "        movq  %r14, 32(%rcx)\n"
    "        movq  %r15, 40(%rcx)\n"
    "        addq  $1, %rax\n"                       /* return next input + 1 */
    "        popq  %r15\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %r14\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %r13\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %r12\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %rbx\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        popq  %rbp\n"
    "        .cfi_adjust_cfa_offset -8\n"
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   reg_body, . - reg_body\n");

/* ---------------------------------------------------------------------------------------------
 * align: SysV requires (rsp + 8) % 16 == 0 at every function entry (the call pushed 8 bytes).
 * ------------------------------------------------------------------------------------------- */

const char arch_sp_name[] = "rsp";
const char arch_align_rule[] = "(rsp + 8) % 16";
const unsigned arch_align_bias = 8;

__asm__(
    "        .text\n"
    "        .globl  align_body\n"
    "        .type   align_body, @function\n"
    "align_body:\n"
    "        movq  %rsp, %rax\n"                     /* the rsp the `call` left us */
    "        ret\n"
    "        .size   align_body, . - align_body\n");

/* ---------------------------------------------------------------------------------------------
 * fpshared: MXCSR holds the SSE rounding mode (fesetround sets it and the x87 control word).
 * ------------------------------------------------------------------------------------------- */

const char arch_fp_control_name[] = "MXCSR";
const char arch_fp_control_short[] = "MXCSR";

uintptr_t arch_fp_control(void) {
    return _mm_getcsr();
}
