/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * harness_arch.c - the i386 part of the C switch harness (harness.c and harness.h in
 * fringe-arch-testkit, which say what each hook means): the register and alignment probes in
 * i386 assembly and the x87 control word as the FP control register. Everything here must agree
 * with src/main/asm/fringe_x86.S (which registers are callee-saved, the entry alignment).
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "harness.h"

#if !defined(__i386__)
#error "this harness is for i386"
#endif

/* ---------------------------------------------------------------------------------------------
 * registers: ebx, ebp, esi, edi, the four callee-saved registers besides esp.
 *
 * reg_resumer(ctl, resume, seen) loads pattern A into them, calls resume(ctl) and stores what it
 * finds afterwards into seen[0..3]; reg_body loads pattern B, calls suspend, stores what it finds
 * after suspend returned into env[0..3], then returns. Position-independent without a GOT:
 * fringe_resume's address and the output arrays come in as arguments (a PLT call from PIE code
 * would need ebx = GOT, and ebx carries a pattern).
 * ------------------------------------------------------------------------------------------- */

const int arch_saved_regs = 4;
const char *const arch_reg_names[] = {"ebx", "ebp", "esi", "edi"};
const char arch_reg_list[] = "ebx ebp esi edi";
const uintptr_t arch_resumer_pattern = 0xA1A10000u;
const uintptr_t arch_body_pattern = 0xB2B20000u;

__asm__(
    "        .text\n"
    "        .globl  reg_resumer\n"
    "        .type   reg_resumer, @function\n"
    "reg_resumer:\n"                               /* [esp+4] ctl, [esp+8] resume, [esp+12] seen */
    "        .cfi_startproc\n"
    "        pushl %ebp\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        pushl %ebx\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        pushl %esi\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        pushl %edi\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        subl  $12, %esp\n"                      /* esp % 16 == 0 at the call */
    "        .cfi_adjust_cfa_offset 12\n"
    "        movl  32(%esp), %eax\n"                 /* ctl */
    "        movl  %eax, (%esp)\n"
    "        movl  36(%esp), %eax\n"                 /* resume */
    "        movl  $0xA1A10001, %ebx\n"
    "        movl  $0xA1A10002, %ebp\n"
    "        movl  $0xA1A10003, %esi\n"
    "        movl  $0xA1A10004, %edi\n"
    "        call  *%eax\n"
    "        movl  40(%esp), %ecx\n"                 /* seen */
    "        movl  %ebx, 0(%ecx)\n"
    "        movl  %ebp, 4(%ecx)\n"
    "        movl  %esi, 8(%ecx)\n"
    "        movl  %edi, 12(%ecx)\n"
    "        addl  $12, %esp\n"
    "        .cfi_adjust_cfa_offset -12\n"
    "        popl  %edi\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        popl  %esi\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        popl  %ebx\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        popl  %ebp\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   reg_resumer, . - reg_resumer\n"
    "\n"
    "        .globl  reg_body\n"
    "        .type   reg_body, @function\n"
    "reg_body:\n"                                  /* [esp+4] env, [esp+8] input, [esp+12] yielder */
    "        .cfi_startproc\n"
    "        pushl %ebp\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        pushl %ebx\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        pushl %esi\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        pushl %edi\n"
    "        .cfi_adjust_cfa_offset 4\n"
    "        subl  $12, %esp\n"
    "        .cfi_adjust_cfa_offset 12\n"
    "        movl  40(%esp), %edx\n"                 /* yielder */
    "        movl  %edx, (%esp)\n"                   /* self */
    "        movl  36(%esp), %eax\n"
    "        incl  %eax\n"
    "        movl  %eax, 4(%esp)\n"                  /* value = input + 1 */
    "        movl  $0xB2B20001, %ebx\n"
    "        movl  $0xB2B20002, %ebp\n"
    "        movl  $0xB2B20003, %esi\n"
    "        movl  $0xB2B20004, %edi\n"
    "        call  *(%edx)\n"                        /* yielder->suspend: eax = next input */
    "        movl  32(%esp), %ecx\n"                 /* env = where to store */
    "        movl  %ebx, 0(%ecx)\n"
    "        movl  %ebp, 4(%ecx)\n"
    "        movl  %esi, 8(%ecx)\n"
    "        movl  %edi, 12(%ecx)\n"
    "        incl  %eax\n"                           /* return next input + 1 */
    "        addl  $12, %esp\n"
    "        .cfi_adjust_cfa_offset -12\n"
    "        popl  %edi\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        popl  %esi\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        popl  %ebx\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        popl  %ebp\n"
    "        .cfi_adjust_cfa_offset -4\n"
    "        ret\n"
    "        .cfi_endproc\n"
    "        .size   reg_body, . - reg_body\n");

/* ---------------------------------------------------------------------------------------------
 * align: the i386 ABI requires (esp + 4) % 16 == 0 at every function entry (the call pushed 4).
 * ------------------------------------------------------------------------------------------- */

const char arch_sp_name[] = "esp";
const char arch_align_rule[] = "(esp + 4) % 16";
const unsigned arch_align_bias = 4;

__asm__(
    "        .text\n"
    "        .globl  align_body\n"
    "        .type   align_body, @function\n"
    "align_body:\n"
    "        movl  %esp, %eax\n"                     /* the esp the `call` left us */
    "        ret\n"
    "        .size   align_body, . - align_body\n");

/* ---------------------------------------------------------------------------------------------
 * fpshared: the x87 control word holds the rounding mode of i386 floating point.
 * ------------------------------------------------------------------------------------------- */

const char arch_fp_control_name[] = "x87 control word";
const char arch_fp_control_short[] = "control word";

uintptr_t arch_fp_control(void) {
    uint16_t cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}
