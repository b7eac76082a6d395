/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * selftest_arch.h - the riscv32 (RV32, ilp32) half of selftest.c: numbers, system calls,
 * _start, and the assembly probes the scenarios need. Everything here must agree with
 * src/main/asm/fringe_riscv32.S (SWITCH_FRAME, CTL_SIZE, which registers are callee-saved).
 */
#ifndef SELFTEST_ARCH_H
#define SELFTEST_ARCH_H

#include <stdint.h>

#define ARCH_NAME            "riscv32"
#define FRINGE_LIBRARY_NAME  "libfringe_riscv32.so"
#define ARCH_EM              243      /* EM_RISCV */
#define ARCH_R_RELATIVE      3        /* R_RISCV_RELATIVE */
#define ARCH_STACK_ALIGN     16u      /* the psABI's sp alignment */
#define ARCH_SWITCH_FRAME    64u      /* SWITCH_FRAME in fringe_riscv32.S */
/* A RISC-V call pushes nothing, so the body starts with sp == ctl = aligned base - 16. */
#define ARCH_ENTRY_SP_BELOW_BASE 16u
#define ARCH_DWARF_SP        2        /* x2 */

/* Linux system calls (asm-generic numbers; mmap2 is 222 on 32-bit targets). */
#define SYS_WRITE       64
#define SYS_EXIT_GROUP  94
#define SYS_MMAP2       222
#define SYS_MPROTECT    226

/* The callee-saved registers of the ilp32 ABI besides sp and ra, in the order
   call_with_pattern stores them, with their DWARF numbers. */
#define ARCH_SAVED_REGS 12
static const char *const arch_saved_names[ARCH_SAVED_REGS] = {
    "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11"};
static const uint8_t arch_saved_dwarf[ARCH_SAVED_REGS] = {8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};
static const char arch_saved_list[] = "s0-s11";

/* e_flags: RVC allowed, float ABI must be soft (EF_RISCV_FLOAT_ABI = 0), no RVE. */
static inline const char *arch_check_flags(uint32_t flags) {
    if ((flags & 0x6) != 0 || (flags & 0x8) != 0) return 0;
    return (flags & 0x1) ? "ilp32 soft-float, RVC" : "ilp32 soft-float";
}

static inline long arch_syscall(long n, long a, long b, long c, long d, long e, long f) {
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5) : "memory");
    return a0;
}

/* The probes selftest.c declares, for ilp32: call_with_pattern sets s0..s11 to pattern + 1 ..
   + 12 and records sp at its call; align_probe returns sp at entry; unwind_probe records sp and
   ra at entry, then tail-calls unwind_body. */

__asm__(
    "        .option norelax\n"
    "        .text\n"
    /* _start: the kernel's initial sp points at argc; hand it to selftest_main, then exit
       with its result. */
    "        .globl  _start\n"
    "        .type   _start, @function\n"
    "_start:\n"
    "        mv      a0, sp\n"
    "        andi    sp, sp, -16\n"
    "        call    selftest_main\n"
    "        li      a7, 94\n"                         /* exit_group(a0) */
    "        ecall\n"
    "1:      j       1b\n"
    "        .size   _start, . - _start\n"
    "\n"
    "        .globl  call_with_pattern\n"
    "        .type   call_with_pattern, @function\n"
    "call_with_pattern:\n"                             /* a0 fn, a1 a, a2 b, a3 pattern, a4 seen */
    "        addi    sp, sp, -64\n"
    "        sw      ra, 60(sp)\n"
    "        sw      s0, 56(sp)\n"
    "        sw      s1, 52(sp)\n"
    "        sw      s2, 48(sp)\n"
    "        sw      s3, 44(sp)\n"
    "        sw      s4, 40(sp)\n"
    "        sw      s5, 36(sp)\n"
    "        sw      s6, 32(sp)\n"
    "        sw      s7, 28(sp)\n"
    "        sw      s8, 24(sp)\n"
    "        sw      s9, 20(sp)\n"
    "        sw      s10, 16(sp)\n"
    "        sw      s11, 12(sp)\n"
    "        sw      a4, 8(sp)\n"                      /* seen */
    "        mv      t1, a0\n"
    "        mv      a0, a1\n"
    "        mv      a1, a2\n"
    "        addi    s0, a3, 1\n"
    "        addi    s1, a3, 2\n"
    "        addi    s2, a3, 3\n"
    "        addi    s3, a3, 4\n"
    "        addi    s4, a3, 5\n"
    "        addi    s5, a3, 6\n"
    "        addi    s6, a3, 7\n"
    "        addi    s7, a3, 8\n"
    "        addi    s8, a3, 9\n"
    "        addi    s9, a3, 10\n"
    "        addi    s10, a3, 11\n"
    "        addi    s11, a3, 12\n"
    "        lla     t0, call_with_pattern_sp\n"
    "        sw      sp, 0(t0)\n"
    "        jalr    t1\n"
    "        .globl  call_with_pattern_ret\n"
    "call_with_pattern_ret:\n"
    "        lw      t0, 8(sp)\n"
    "        sw      s0, 0(t0)\n"
    "        sw      s1, 4(t0)\n"
    "        sw      s2, 8(t0)\n"
    "        sw      s3, 12(t0)\n"
    "        sw      s4, 16(t0)\n"
    "        sw      s5, 20(t0)\n"
    "        sw      s6, 24(t0)\n"
    "        sw      s7, 28(t0)\n"
    "        sw      s8, 32(t0)\n"
    "        sw      s9, 36(t0)\n"
    "        sw      s10, 40(t0)\n"
    "        sw      s11, 44(t0)\n"
    "        lw      ra, 60(sp)\n"
    "        lw      s0, 56(sp)\n"
    "        lw      s1, 52(sp)\n"
    "        lw      s2, 48(sp)\n"
    "        lw      s3, 44(sp)\n"
    "        lw      s4, 40(sp)\n"
    "        lw      s5, 36(sp)\n"
    "        lw      s6, 32(sp)\n"
    "        lw      s7, 28(sp)\n"
    "        lw      s8, 24(sp)\n"
    "        lw      s9, 20(sp)\n"
    "        lw      s10, 16(sp)\n"
    "        lw      s11, 12(sp)\n"
    "        addi    sp, sp, 64\n"
    "        ret\n"
    "        .size   call_with_pattern, . - call_with_pattern\n"
    "\n"
    "        .globl  align_probe\n"
    "        .type   align_probe, @function\n"
    "align_probe:\n"
    "        mv      a0, sp\n"
    "        ret\n"
    "        .size   align_probe, . - align_probe\n"
    "\n"
    "        .globl  unwind_probe\n"
    "        .type   unwind_probe, @function\n"
    "unwind_probe:\n"
    "        lla     t0, unwind_entry_sp\n"
    "        sw      sp, 0(t0)\n"
    "        lla     t0, unwind_entry_ra\n"
    "        sw      ra, 0(t0)\n"
    "        tail    unwind_body\n"                    /* ra still leads into the trampoline */
    "        .size   unwind_probe, . - unwind_probe\n");

#endif /* SELFTEST_ARCH_H */
