/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_or1k.S - fringe's native context switch for OpenRISC 1000 (or1k) Linux.
 *
 * Based on the x86_64 implementation, fringe-arch-x86_64/src/main/asm/fringe_x86_64.S, which
 * is the fully commented reference: same four exports, same control block (in 4-byte words),
 * same symmetric save / swap / restore switch, same first-entry trampoline, same CFI splice
 * through ctl->sp. Read that file first; this one comments only what or1k does differently.
 *
 *   fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env);
 *   uintptr_t   fringe_resume(fringe_ctl *ctl);
 *   unsigned    fringe_stack_register(void *limit, void *base);     (always 0: no Valgrind)
 *   void        fringe_stack_deregister(unsigned id);               (no-op)
 *   uintptr_t   fringe_suspend(fringe_yielder *self, uintptr_t value);  (local)
 *
 * ============================================================================================
 * Differences from x86_64, and why
 * ============================================================================================
 *
 *  - Registers (the OpenRISC 1000 ABI, as GCC implements it): r0 is always zero, r1 is sp,
 *    r2 the frame pointer, r3-r8 arguments, r9 the link register (a call's return address),
 *    r11 (and r12) return values. Callee-saved: r1, r2, r9 (as the return address) and the
 *    even registers r14, r16, ..., r30. All odd registers from r13 up are caller-saved
 *    temporaries.
 *    r10 is NOT switched: on Linux it is the thread pointer (TLS), owned by the thread. A
 *    generator suspended on one thread may be resumed on another and must then see that
 *    thread's TLS, so r10 must keep whatever the resuming thread has (x86_64's fs base is
 *    not switched either).
 *    Floating point (ORFPX32) uses the general registers, so there is no separate FP
 *    register file to save; the FP control and status register FPCSR is shared with the
 *    resumer, like MXCSR on x86_64.
 *
 *  - Branch delay slots: the instruction after every l.j / l.jal / l.jr / l.jalr / l.bf
 *    executes before the branch takes effect. This file puts useful work there where it can
 *    and marks every slot "(delay slot)". l.jal / l.jalr put the address AFTER the delay
 *    slot in r9. The library is built for the delay-slot ABI (e_flags 0; "or1knd" cores
 *    without delay slots are not supported).
 *
 *  - The stack is only 4-byte aligned (ABI). The control block is 16 bytes and the switch
 *    frame 44 (11 words), both multiples of 4. No call pushes anything, so the body starts
 *    with r1 == ctl. r9 and r2 sit at CFA-4 and CFA-8, where GCC's or1k prologues put them.
 *
 *  - The final transfer is `l.jr r13`, a temporary, not `l.jr r9`. OpenRISC defines no
 *    return-address-stack hints (unlike RISC-V's ra/x5 rules); the choice only keeps both
 *    switch routines alike and r9 free, and the delay slot drops the switch frame.
 *
 *  - Position independence: the base ISA has no pc-relative "address of" instruction (l.adrp
 *    came with architecture revision 1.3 and not every core has it), so fringe_init learns its
 *    own address with `l.jal` to the label right after its delay slot (r9 = that label's
 *    address) and adds label differences the assembler computes. No GOT, no relocations: the
 *    library has no dynamic relocations at all.
 *
 *  - Valgrind does not exist for or1k, so fringe_stack_register returns 0 (the value every
 *    port returns outside Valgrind) and deregistering does nothing.
 *
 *  - DWARF register numbers are r0-r31 = 0-31; gas for or1k takes only the numbers in CFI
 *    directives, so they appear as numbers below, with the register in a comment. The return
 *    address column is 9 (r9).
 *
 * ============================================================================================
 * The control block (ctl): 4 words at the top of the generator's stack
 * ============================================================================================
 *
 *   Must match dev.fringe.jna.spi.ArchSupport, dev.fringe.jna.ControlBlock and every other
 *   fringe_<arch>.S (same word offsets; here a word is 4 bytes).
 */
#define CTL_SUSPEND   0x00      /* address of fringe_suspend: a ctl IS a fringe_yielder */
#define CTL_SP        0x04      /* saved r1 of the side that is not running */
#define CTL_TRANSFER  0x08      /* the body's next input, stored before fringe_resume */
#define CTL_STATUS    0x0c      /* 0 resumable, 1 returned, 2 reserved (overflowed) */
#define CTL_SIZE      0x10      /* 16 bytes */
/*
 * ============================================================================================
 * The switch frame: what a side leaves on its stack when it stops running
 * ============================================================================================
 *
 *      offset from the saved sp     contents
 *      (ctl->sp points at +0x00)
 *     +-------+------------------+---------------------------------------------------------+
 *     | +0x00 | r30              |                                                         |
 *     | +0x04 | r28              |                                                         |
 *     | +0x08 | r26              |                                                         |
 *     | +0x0c | r24              |   callee-saved registers                                |
 *     | +0x10 | r22              |                                                         |
 *     | +0x14 | r20              |                                                         |
 *     | +0x18 | r18              |                                                         |
 *     | +0x1c | r16              |                                                         |
 *     | +0x20 | r14              |                                                         |
 *     | +0x24 | r2               |   frame pointer: [r2, pc] form a GCC frame record       |
 *     | +0x28 | pc               |   where this side continues: the r9 of its call into    |
 *     |       |                  |   fringe_resume / suspend (x86_64: pushed by `call`)    |
 *     +-------+------------------+---------------------------------------------------------+
 *       +0x2c = the CFA of the switching routine = its caller's r1 at the call.
 */
#define SWITCH_FRAME  0x2c      /* 11 words; the CFA is saved sp + SWITCH_FRAME */
/*
 * Stack layouts (see x86_64 for SUSPENDED, RUNNING and FINISHED; they are the same here).
 * FRESH, after fringe_init:
 *
 *     stack_base (aligned down to 4)
 *     +----------------------------+
 *     | ctl+0x0c  status   = 0     |
 *     | ctl+0x08  transfer = 0     |
 *     | ctl+0x04  sp  -------------+----+
 *     | ctl+0x00  suspend          |    |  <- ctl = the body's entry r1
 *     +----------------------------+    |
 *     | ctl-0x04  pc = trampoline  |    |     (.Ltrampoline_entry)
 *     | ctl-0x08  r2  = 0          |    |     ends frame-pointer chains
 *     | ctl-0x0c  r14 = body       |    |
 *     | ctl-0x10  r16 = env        |    |
 *     | ctl-0x14 .. ctl-0x2c       |    |     r18 .. r30 = 0
 *     +----------------------------+ <--+  <- ctl->sp = ctl - SWITCH_FRAME
 */

        .text

/*
 * SAVE_SIDE: reserve the switch frame and store the stopping side's pc (its r9), r2 and the
 * even callee-saved registers. CFI: one adjustment for the l.addi, then where each caller
 * value lives (DWARF numbers = register numbers).
 */
.macro SAVE_SIDE
        l.addi  r1, r1, -SWITCH_FRAME
        .cfi_adjust_cfa_offset SWITCH_FRAME
        l.sw    0x28(r1), r9                    /* switch frame +0x28: pc */
        .cfi_rel_offset 9, 0x28                 /* r9 */
        l.sw    0x24(r1), r2                    /* switch frame +0x24: r2 */
        .cfi_rel_offset 2, 0x24                 /* r2 */
        l.sw    0x20(r1), r14                   /* switch frame +0x20: r14 */
        .cfi_rel_offset 14, 0x20
        l.sw    0x1c(r1), r16                   /* switch frame +0x1c: r16 */
        .cfi_rel_offset 16, 0x1c
        l.sw    0x18(r1), r18                   /* switch frame +0x18: r18 */
        .cfi_rel_offset 18, 0x18
        l.sw    0x14(r1), r20                   /* switch frame +0x14: r20 */
        .cfi_rel_offset 20, 0x14
        l.sw    0x10(r1), r22                   /* switch frame +0x10: r22 */
        .cfi_rel_offset 22, 0x10
        l.sw    0x0c(r1), r24                   /* switch frame +0x0c: r24 */
        .cfi_rel_offset 24, 0x0c
        l.sw    0x08(r1), r26                   /* switch frame +0x08: r26 */
        .cfi_rel_offset 26, 0x08
        l.sw    0x04(r1), r28                   /* switch frame +0x04: r28 */
        .cfi_rel_offset 28, 0x04
        l.sw    0x00(r1), r30                   /* switch frame +0x00: r30 */
        .cfi_rel_offset 30, 0x00
        /* Now r1 points at a complete switch frame; CFA = r1 + SWITCH_FRAME. */
.endm

/*
 * RESTORE_SIDE_AND_GO: r1 points at the OTHER side's switch frame (same shape, so the CFI
 * rules above stay true, as on x86_64). The pc is loaded first, into the temporary r13, so
 * the jump target is ready early; the jump's delay slot drops the frame. r11 carries the value
 * handed across and is not touched. r9 is left as it is: it is caller-saved on both sides.
 * No CFI after the l.addi: it executes in the delay slot, and the next instruction executed
 * is already the other side's.
 */
.macro RESTORE_SIDE_AND_GO
        l.lwz   r13, 0x28(r1)                   /* switch frame +0x28: pc */
        .cfi_register 9, 13                     /* the return address is in r13 now */
        l.lwz   r2,  0x24(r1)                   /* switch frame +0x24: r2 */
        .cfi_restore 2
        l.lwz   r14, 0x20(r1)                   /* switch frame +0x20: r14 */
        .cfi_restore 14
        l.lwz   r16, 0x1c(r1)                   /* switch frame +0x1c: r16 */
        .cfi_restore 16
        l.lwz   r18, 0x18(r1)                   /* switch frame +0x18: r18 */
        .cfi_restore 18
        l.lwz   r20, 0x14(r1)                   /* switch frame +0x14: r20 */
        .cfi_restore 20
        l.lwz   r22, 0x10(r1)                   /* switch frame +0x10: r22 */
        .cfi_restore 22
        l.lwz   r24, 0x0c(r1)                   /* switch frame +0x0c: r24 */
        .cfi_restore 24
        l.lwz   r26, 0x08(r1)                   /* switch frame +0x08: r26 */
        .cfi_restore 26
        l.lwz   r28, 0x04(r1)                   /* switch frame +0x04: r28 */
        .cfi_restore 28
        l.lwz   r30, 0x00(r1)                   /* switch frame +0x00: r30 */
        .cfi_restore 30
        l.jr    r13
        l.addi  r1, r1, SWITCH_FRAME            /* (delay slot) drop the frame: r1 = the CFA */
.endm


/*
 * fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env)
 *
 * On entry:  r3 = stack_base, r4 = body, r5 = env, r9 = return address
 * On return: r11 = ctl = (stack_base & ~3) - CTL_SIZE
 */
        .globl  fringe_init
        .type   fringe_init, @function
        .p2align 2
fringe_init:
        .cfi_startproc
        /* Our own address, for position independence: l.jal to the label right after its
           delay slot sets r9 = that label's address. r9 holds our return address, so move
           that to r13 first (and tell the unwinder). */
        l.ori   r13, r9, 0
        .cfi_register 9, 13
        l.jal   .Lhere
        l.addi  r11, r0, -4                     /* (delay slot) r11 = ~3 */
.Lhere:
        /* ctl: base aligned down to 4, minus the 4 control words. */
        l.and   r11, r3, r11
        l.addi  r11, r11, -CTL_SIZE             /* r11 = ctl (the return value) */

        /* Control block. Addresses = .Lhere + a label difference the assembler computes. */
        l.addi  r15, r9, fringe_suspend - .Lhere
        l.sw    CTL_SUSPEND(r11), r15           /* ctl.suspend  = fringe_suspend */
        l.addi  r15, r11, -SWITCH_FRAME         /* r15 = the fresh switch frame */
        l.sw    CTL_SP(r11), r15                /* ctl.sp       = ctl - 0x2c */
        l.sw    CTL_TRANSFER(r11), r0           /* ctl.transfer = 0 */
        l.sw    CTL_STATUS(r11), r0             /* ctl.status   = 0 */

        /* The fresh switch frame: the first resume "restores" r14 = body and r16 = env into
           the trampoline, and r2 = 0 ends frame-pointer chains. */
        l.addi  r17, r9, .Ltrampoline_entry - .Lhere
        l.sw    0x28(r15), r17                  /* pc  = trampoline entry */
        l.sw    0x24(r15), r0                   /* r2  = 0 */
        l.sw    0x20(r15), r4                   /* r14 = body */
        l.sw    0x1c(r15), r5                   /* r16 = env */
        l.sw    0x18(r15), r0                   /* r18 = 0 */
        l.sw    0x14(r15), r0                   /* r20 = 0 */
        l.sw    0x10(r15), r0                   /* r22 = 0 */
        l.sw    0x0c(r15), r0                   /* r24 = 0 */
        l.sw    0x08(r15), r0                   /* r26 = 0 */
        l.sw    0x04(r15), r0                   /* r28 = 0 */
        l.jr    r13                             /* return */
        l.sw    0x00(r15), r0                   /* (delay slot) r30 = 0 */
        .cfi_endproc
        .size   fringe_init, . - fringe_init


/*
 * uintptr_t fringe_resume(fringe_ctl *ctl)
 *
 * On entry:  r3 = ctl, r9 = return address into the resumer.
 * Same order as x86_64: publish the resumer's r1 in ctl->sp BEFORE moving onto the
 * generator's stack.
 */
        .globl  fringe_resume
        .type   fringe_resume, @function
        .p2align 2
fringe_resume:
        .cfi_startproc
        SAVE_SIDE

        l.lwz   r13, CTL_SP(r3)                 /* r13 = the generator's saved sp */
        l.sw    CTL_SP(r3), r1                  /* ctl.sp = resumer's switch frame */
        l.lwz   r11, CTL_TRANSFER(r3)           /* r11 = the input (suspend's return value) */
        l.ori   r1, r13, 0                      /* now on the generator's stack */

        /* Here: r1 = the generator's switch frame, r11 = input.
           - suspended: we return from the body's call of suspend with r11 = input.
           - fresh: we land on .Ltrampoline_entry with r14 = body, r16 = env, r11 = input
             and, once the frame is dropped, r1 = ctl. THE TRAMPOLINE RELIES ON r11 AND r1. */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_resume, . - fringe_resume


/*
 * uintptr_t fringe_suspend(fringe_yielder *self, uintptr_t value)      (local: no .globl)
 *
 * On entry:  r3 = self = ctl, r4 = value, on the generator's stack; ctl->sp = the resumer's
 *            switch frame. Same order as x86_64: leave the generator's stack FIRST, then
 *            publish its sp.
 */
        .type   fringe_suspend, @function
        .p2align 2
fringe_suspend:
        .cfi_startproc
        SAVE_SIDE

        l.ori   r13, r1, 0                      /* r13 = generator's switch frame */
        l.lwz   r1, CTL_SP(r3)                  /* now on the resumer's stack */
        l.sw    CTL_SP(r3), r13                 /* ctl.sp = generator's switch frame */
        l.ori   r11, r4, 0                      /* r11 = value: fringe_resume's return value */

        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_suspend, . - fringe_suspend


/*
 * fringe_trampoline                                                     (local: no .globl)
 *
 * At .Ltrampoline_entry (fringe_resume's `l.jr r13` on a fresh stack):
 *     r1  = ctl      (the fresh frame was dropped)
 *     r11 = input    (ctl->transfer, loaded by fringe_resume: must match fringe_resume)
 *     r14 = body, r16 = env, r2 = r18 .. r30 = 0
 *
 * CFI, valid for every instruction (r1 == ctl throughout, as on x86_64):
 *
 *   CFA = *(r1 + 4) + 0x2c = ctl->sp + SWITCH_FRAME, the CFA of the resumer's switch frame;
 *   pc (r9's column), r2, r14 .. r30 are at CFA-0x04 ... CFA-0x2c, the frame's slots.
 *
 *     0x0f    DW_CFA_def_cfa_expression
 *     0x05      expression length: 5 bytes
 *     0x71      DW_OP_breg1 (r1 = sp) + SLEB128 offset ...
 *     0x04        ... 4 (CTL_SP)              -> push r1 + 4 = &ctl->sp
 *     0x06      DW_OP_deref                   -> push ctl->sp
 *     0x23      DW_OP_plus_uconst + ULEB128 ...
 *     0x2c        ... 0x2c (SWITCH_FRAME)     -> ctl->sp + 0x2c = the CFA
 *
 *   .cfi_signal_frame, as on x86_64, so that gdb accepts a stack that jumps "up" here.
 */
        .type   fringe_trampoline, @function
        .p2align 2
fringe_trampoline:
        .cfi_startproc
        .cfi_signal_frame
        .cfi_escape 0x0f, 0x05, 0x71, CTL_SP, 0x06, 0x23, SWITCH_FRAME
        .cfi_offset 9,  -0x04                   /* resumer's pc  (r9,  +0x28) */
        .cfi_offset 2,  -0x08                   /* resumer's r2  (+0x24) */
        .cfi_offset 14, -0x0c                   /* resumer's r14 (+0x20) */
        .cfi_offset 16, -0x10                   /* resumer's r16 (+0x1c) */
        .cfi_offset 18, -0x14                   /* resumer's r18 (+0x18) */
        .cfi_offset 20, -0x18                   /* resumer's r20 (+0x14) */
        .cfi_offset 22, -0x1c                   /* resumer's r22 (+0x10) */
        .cfi_offset 24, -0x20                   /* resumer's r24 (+0x0c) */
        .cfi_offset 26, -0x24                   /* resumer's r26 (+0x08) */
        .cfi_offset 28, -0x28                   /* resumer's r28 (+0x04) */
        .cfi_offset 30, -0x2c                   /* resumer's r30 (+0x00) */

        /* Padding inside this FDE before the entry, as on x86_64: an unwinder looks up the
           FDE of (return address - 1), and the fresh frame's pc is .Ltrampoline_entry. */
        l.nop
.Ltrampoline_entry:
        /* body(env, input, (fringe_yielder *) ctl). r1 == ctl is 4-byte aligned, and a call
           pushes nothing, so the body starts with r1 % 4 == 0. */
        l.ori   r3, r16, 0                      /* arg 1: env */
        l.ori   r4, r11, 0                      /* arg 2: input */
        l.jalr  r14                             /* r11 = body's return value */
        l.ori   r5, r1, 0                       /* (delay slot) arg 3: yielder = ctl */

        /* The body returned, r1 == ctl again. Keep the return value in r14 (suspend keeps it). */
        l.ori   r14, r11, 0
.Lfinished:
        /* status = 1, then suspend with the return value, in a loop (see x86_64). */
        l.addi  r13, r0, 1
        l.sw    CTL_STATUS(r1), r13             /* ctl.status = 1 (r1 == ctl) */
        l.ori   r3, r1, 0                       /* self  = ctl */
        l.jal   fringe_suspend                  /* pc-relative, local, no PLT */
        l.ori   r4, r14, 0                      /* (delay slot) value = the body's return value */
        l.j     .Lfinished
        l.nop                                   /* (delay slot) */
        .cfi_endproc
        .size   fringe_trampoline, . - fringe_trampoline


/*
 * unsigned fringe_stack_register(void *limit, void *base)
 *
 * Returns 0, the "not under Valgrind" id: Valgrind does not run or1k programs.
 */
        .globl  fringe_stack_register
        .type   fringe_stack_register, @function
        .p2align 2
fringe_stack_register:
        .cfi_startproc
        l.jr    r9
        l.ori   r11, r0, 0                      /* (delay slot) return 0 */
        .cfi_endproc
        .size   fringe_stack_register, . - fringe_stack_register

/*
 * void fringe_stack_deregister(unsigned id): nothing to undo.
 */
        .globl  fringe_stack_deregister
        .type   fringe_stack_deregister, @function
        .p2align 2
fringe_stack_deregister:
        .cfi_startproc
        l.jr    r9
        l.nop                                   /* (delay slot) */
        .cfi_endproc
        .size   fringe_stack_deregister, . - fringe_stack_deregister


/* No executable stack. */
        .section .note.GNU-stack, "", @progbits
