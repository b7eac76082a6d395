/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * selftest_arch.h - the or1k (OpenRISC 1000, big-endian, delay slots) half of selftest.c:
 * numbers, system calls, _start, and the assembly probes the scenarios need. Everything here
 * must agree with src/main/asm/fringe_or1k.S (SWITCH_FRAME, CTL_SIZE, which registers are
 * callee-saved). Remember the delay slot after every jump and call below.
 */
#ifndef SELFTEST_ARCH_H
#define SELFTEST_ARCH_H

#include <stdint.h>

#define ARCH_NAME            "or1k"
#define FRINGE_LIBRARY_NAME  "libfringe_or1k.so"
#define ARCH_EM              92       /* EM_OPENRISC */
#define ARCH_R_RELATIVE      21       /* R_OR1K_RELATIVE */
#define ARCH_STACK_ALIGN     4u       /* the ABI's stack alignment */
#define ARCH_SWITCH_FRAME    44u      /* SWITCH_FRAME in fringe_or1k.S */
/* An or1k call pushes nothing, so the body starts with r1 == ctl = aligned base - 16. */
#define ARCH_ENTRY_SP_BELOW_BASE 16u
#define ARCH_DWARF_SP        1        /* r1 */

/* Linux system calls (asm-generic numbers; mmap2 is 222 on 32-bit targets). */
#define SYS_WRITE       64
#define SYS_EXIT_GROUP  94
#define SYS_MMAP2       222
#define SYS_MPROTECT    226

/* The callee-saved registers besides r1 and r9, in the order call_with_pattern stores them;
   DWARF numbers are the register numbers. r10 (TLS) is deliberately absent. */
#define ARCH_SAVED_REGS 10
static const char *const arch_saved_names[ARCH_SAVED_REGS] = {
    "r2", "r14", "r16", "r18", "r20", "r22", "r24", "r26", "r28", "r30"};
static const uint8_t arch_saved_dwarf[ARCH_SAVED_REGS] = {2, 14, 16, 18, 20, 22, 24, 26, 28, 30};
static const char arch_saved_list[] = "r2 r14 r16 r18 r20 r22 r24 r26 r28 r30";

/* e_flags: EF_OR1K_NODELAY (bit 0) must be clear: the library relies on delay slots. */
static inline const char *arch_check_flags(uint32_t flags) {
    return flags == 0 ? "big-endian, delay slots" : 0;
}

/* l.sys 1 with the number in r11 and arguments in r3-r8, result in r11 (glibc's convention,
   including the l.nop after it and the clobbered temporaries). */
static inline long arch_syscall(long n, long a, long b, long c, long d, long e, long f) {
    register long r11 __asm__("r11") = n;
    register long r3 __asm__("r3") = a;
    register long r4 __asm__("r4") = b;
    register long r5 __asm__("r5") = c;
    register long r6 __asm__("r6") = d;
    register long r7 __asm__("r7") = e;
    register long r8 __asm__("r8") = f;
    __asm__ volatile("l.sys 1\n\tl.nop"
                     : "+r"(r11), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
                     :
                     : "memory", "r12", "r13", "r15", "r17", "r19", "r21", "r23", "r25", "r27", "r29", "r31");
    return r11;
}

/* The probes selftest.c declares, for or1k: call_with_pattern sets r2, r14 .. r30 to pattern
   + 1 .. + 10 and records r1 at its call; align_probe returns r1 at entry; unwind_probe records
   r1 and r9 at entry, then jumps to unwind_body. */

__asm__(
    "        .text\n"
    /* _start: the kernel's initial r1 points at argc; hand it to selftest_main, then exit
       with its result. */
    "        .globl  _start\n"
    "        .type   _start, @function\n"
    "_start:\n"
    "        l.ori   r3, r1, 0\n"
    "        l.ori   r2, r0, 0\n"
    "        l.jal   selftest_main\n"
    "        l.addi  r1, r1, -16\n"                    /* (delay slot) room below argc */
    "        l.ori   r3, r11, 0\n"                     /* exit_group(result) */
    "        l.addi  r11, r0, 94\n"
    "        l.sys   1\n"
    "        l.nop\n"
    "1:      l.j     1b\n"
    "        l.nop\n"
    "        .size   _start, . - _start\n"
    "\n"
    "        .globl  call_with_pattern\n"
    "        .type   call_with_pattern, @function\n"
    "call_with_pattern:\n"                             /* r3 fn, r4 a, r5 b, r6 pattern, r7 seen */
    "        l.addi  r1, r1, -48\n"
    "        l.sw    44(r1), r9\n"
    "        l.sw    40(r1), r2\n"
    "        l.sw    36(r1), r14\n"
    "        l.sw    32(r1), r16\n"
    "        l.sw    28(r1), r18\n"
    "        l.sw    24(r1), r20\n"
    "        l.sw    20(r1), r22\n"
    "        l.sw    16(r1), r24\n"
    "        l.sw    12(r1), r26\n"
    "        l.sw    8(r1), r28\n"
    "        l.sw    4(r1), r30\n"
    "        l.sw    0(r1), r7\n"                      /* seen */
    "        l.ori   r13, r3, 0\n"
    "        l.ori   r3, r4, 0\n"
    "        l.ori   r4, r5, 0\n"
    "        l.addi  r2, r6, 1\n"
    "        l.addi  r14, r6, 2\n"
    "        l.addi  r16, r6, 3\n"
    "        l.addi  r18, r6, 4\n"
    "        l.addi  r20, r6, 5\n"
    "        l.addi  r22, r6, 6\n"
    "        l.addi  r24, r6, 7\n"
    "        l.addi  r26, r6, 8\n"
    "        l.addi  r28, r6, 9\n"
    "        l.addi  r30, r6, 10\n"
    "        l.movhi r15, hi(call_with_pattern_sp)\n"
    "        l.ori   r15, r15, lo(call_with_pattern_sp)\n"
    "        l.sw    0(r15), r1\n"
    "        l.jalr  r13\n"
    "        l.nop\n"                                  /* (delay slot) */
    "        .globl  call_with_pattern_ret\n"
    "call_with_pattern_ret:\n"
    "        l.lwz   r13, 0(r1)\n"
    "        l.sw    0(r13), r2\n"
    "        l.sw    4(r13), r14\n"
    "        l.sw    8(r13), r16\n"
    "        l.sw    12(r13), r18\n"
    "        l.sw    16(r13), r20\n"
    "        l.sw    20(r13), r22\n"
    "        l.sw    24(r13), r24\n"
    "        l.sw    28(r13), r26\n"
    "        l.sw    32(r13), r28\n"
    "        l.sw    36(r13), r30\n"
    "        l.lwz   r9, 44(r1)\n"
    "        l.lwz   r2, 40(r1)\n"
    "        l.lwz   r14, 36(r1)\n"
    "        l.lwz   r16, 32(r1)\n"
    "        l.lwz   r18, 28(r1)\n"
    "        l.lwz   r20, 24(r1)\n"
    "        l.lwz   r22, 20(r1)\n"
    "        l.lwz   r24, 16(r1)\n"
    "        l.lwz   r26, 12(r1)\n"
    "        l.lwz   r28, 8(r1)\n"
    "        l.lwz   r30, 4(r1)\n"
    "        l.jr    r9\n"
    "        l.addi  r1, r1, 48\n"                     /* (delay slot) */
    "        .size   call_with_pattern, . - call_with_pattern\n"
    "\n"
    "        .globl  align_probe\n"
    "        .type   align_probe, @function\n"
    "align_probe:\n"
    "        l.jr    r9\n"
    "        l.ori   r11, r1, 0\n"                     /* (delay slot) return r1 */
    "        .size   align_probe, . - align_probe\n"
    "\n"
    "        .globl  unwind_probe\n"
    "        .type   unwind_probe, @function\n"
    "unwind_probe:\n"
    "        l.movhi r13, hi(unwind_entry_sp)\n"
    "        l.ori   r13, r13, lo(unwind_entry_sp)\n"
    "        l.sw    0(r13), r1\n"
    "        l.movhi r13, hi(unwind_entry_ra)\n"
    "        l.ori   r13, r13, lo(unwind_entry_ra)\n"
    "        l.sw    0(r13), r9\n"
    "        l.j     unwind_body\n"                    /* r9 still leads into the trampoline */
    "        l.nop\n"                                  /* (delay slot) */
    "        .size   unwind_probe, . - unwind_probe\n");

#endif /* SELFTEST_ARCH_H */
