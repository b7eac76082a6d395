/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_riscv32.S - fringe's native context switch for RV32 Linux, ilp32 (soft-float) ABI.
 *
 * Based on the x86_64 implementation, fringe-arch-x86_64/src/main/asm/fringe_x86_64.S, which
 * is the fully commented reference: same four exports, same control block (in 4-byte words),
 * same symmetric save / swap / restore switch, same first-entry trampoline, same CFI splice
 * through ctl->sp. Read that file first; this one comments only what RISC-V does differently.
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
 *  - Registers. ilp32 callee-saved state is sp, s0-s11 (s0 doubles as the frame pointer) and
 *    the return address, which RISC-V keeps in a register (ra) instead of on the stack. The
 *    soft-float ilp32 ABI has no callee-saved floating-point registers (rv32imac has no F
 *    extension at all), so there is no FP state to save or share. A library for ilp32f/ilp32d
 *    would have to save fs0-fs11 as well; this one is ilp32 only, which its ELF header says
 *    (e_flags: soft-float ABI), so neither ld nor glibc's loader lets a hard-float program
 *    use it.
 *    tp (thread pointer) and gp (global pointer) are NOT switched: tp belongs to the thread
 *    (a generator may be resumed from another thread and must see that thread's TLS), gp to
 *    the program.
 *
 *  - The switch frame is stored with one `addi sp` and plain stores instead of pushes, and
 *    it is 16 words, not 13, so that sp stays 16-byte aligned at every instruction (the
 *    psABI requires that of sp at all times, not only at calls). ra and s0 sit at the top,
 *    at CFA-4 and CFA-8, where GCC's own prologues put them, so s0 chains see an ordinary
 *    frame record.
 *
 *  - The control block is 16 bytes, so ctl is 16-byte aligned and is itself the body's
 *    entry sp: no return address is pushed by a RISC-V call, and the body starts with
 *    sp % 16 == 0 (x86_64: (rsp + 8) % 16 == 0).
 *
 *  - The final transfer is `jr t1`, never `jr ra` (`ret`). The RISC-V spec makes the
 *    return-address-stack (RAS) behaviour of jal/jalr a function of the registers named:
 *    x1 (ra) and x5 (t0) are "link registers"; a jalr with rd = link pushes (a call), a jalr
 *    whose rs1 is a link register and rd is not pops (a return), a jalr with neither is a
 *    plain indirect jump with no RAS action. `jr ra` into the OTHER side would pop the entry
 *    that the `call fringe_resume` (or `jalr ra, suspend`) just pushed, i.e. predict a return
 *    to our own caller, which is wrong on every switch: the exact analogue of x86's `ret`
 *    (21.6 vs 8.6 ns per round trip measured there). `jr t1` (x6, not a link register) is
 *    predicted by the indirect-jump predictor and is right every time in a steady loop. t0
 *    must not be used for this: as x5 it is an alternate link register and `jr t0` would be
 *    a pop again. The "pop, then push" hint (rd = ra, rs1 = t0) that the spec offers for
 *    coroutines does not fit either: it needs the switch instruction at the call site, and
 *    fringe's switch is a function called through the C ABI, whose `jal ra` has already
 *    pushed an entry that is wrong for the other side. So that entry is left behind, as on
 *    x86: the RAS is a small circular buffer, and the cost is one misprediction for a later
 *    return that crosses a switch (say, when a resume loop returns to its caller), not one per
 *    switch. Calls that do return normally keep the hint: the trampoline calls the body with
 *    `jalr ra, s1` (push), and the body's own `ret` pops exactly that entry.
 *
 *  - Position independence: addresses are formed with `lla` (auipc + addi, pc-relative), so
 *    the library has no dynamic relocations at all. `.option norelax`: the linker may not
 *    rewrite these sequences, so the bytes assembled here are the bytes shipped, and the
 *    CFI advance offsets need no link-time fixing.
 *
 *  - Valgrind: there is no Valgrind for riscv32 (Valgrind's RISC-V port is riscv64 only and
 *    has no 32-bit client-request encoding), so fringe_stack_register returns 0, like every
 *    port does outside Valgrind, and deregistering does nothing.
 *
 * ============================================================================================
 * The control block (ctl): 4 words at the top of the generator's stack
 * ============================================================================================
 *
 *   Must match dev.fringe.jna.spi.ArchSupport, dev.fringe.jna.ControlBlock and every other
 *   fringe_<arch>.S (same word offsets; here a word is 4 bytes).
 */
#define CTL_SUSPEND   0x00      /* address of fringe_suspend: a ctl IS a fringe_yielder */
#define CTL_SP        0x04      /* saved sp of the side that is not running */
#define CTL_TRANSFER  0x08      /* the body's next input, stored before fringe_resume */
#define CTL_STATUS    0x0c      /* 0 resumable, 1 returned, 2 reserved (overflowed) */
#define CTL_SIZE      0x10      /* 16 bytes: keeps sp 16-byte aligned */
/*
 * ============================================================================================
 * The switch frame: what a side leaves on its stack when it stops running
 * ============================================================================================
 *
 *      offset from the saved sp     contents
 *      (ctl->sp points at +0x00)
 *     +-------+------------------+---------------------------------------------------------+
 *     | +0x00 | (padding)        |   3 words, so that the frame is 64 bytes and sp stays   |
 *     | +0x04 | (padding)        |   16-byte aligned; written as 0 by fringe_init, never   |
 *     | +0x08 | (padding)        |   read                                                  |
 *     | +0x0c | s11              |                                                         |
 *     | +0x10 | s10              |                                                         |
 *     | +0x14 | s9               |                                                         |
 *     | +0x18 | s8               |                                                         |
 *     | +0x1c | s7               |   callee-saved registers                                |
 *     | +0x20 | s6               |                                                         |
 *     | +0x24 | s5               |                                                         |
 *     | +0x28 | s4               |                                                         |
 *     | +0x2c | s3               |                                                         |
 *     | +0x30 | s2               |                                                         |
 *     | +0x34 | s1               |                                                         |
 *     | +0x38 | s0               |   frame pointer: [s0, pc] form a GCC frame record       |
 *     | +0x3c | pc               |   where this side continues: the ra of its call into    |
 *     |       |                  |   fringe_resume / suspend (x86_64: pushed by `call`)    |
 *     +-------+------------------+---------------------------------------------------------+
 *       +0x40 = the CFA of the switching routine = its caller's sp at the call.
 */
#define SWITCH_FRAME  0x40      /* 16 words; the CFA is saved sp + SWITCH_FRAME */
/*
 * Stack layouts (see x86_64 for SUSPENDED, RUNNING and FINISHED; they are the same here).
 * FRESH, after fringe_init:
 *
 *     stack_base (aligned down to 16)
 *     +----------------------------+
 *     | ctl+0x0c  status   = 0     |
 *     | ctl+0x08  transfer = 0     |
 *     | ctl+0x04  sp  -------------+----+
 *     | ctl+0x00  suspend          |    |  <- ctl (16-byte aligned) = the body's entry sp
 *     +----------------------------+    |
 *     | ctl-0x04  pc = trampoline  |    |     (.Ltrampoline_entry)
 *     | ctl-0x08  s0 = 0           |    |     ends frame-pointer chains
 *     | ctl-0x0c  s1 = body        |    |
 *     | ctl-0x10  s2 = env         |    |
 *     | ctl-0x14 .. ctl-0x34       |    |     s3 .. s11 = 0
 *     | ctl-0x38 .. ctl-0x40       |    |     padding = 0
 *     +----------------------------+ <--+  <- ctl->sp = ctl - SWITCH_FRAME
 *
 * CFI: a RISC-V function starts with CFA = sp (nothing is pushed by a call) and its return
 * address in ra (DWARF column 1). DWARF numbers the integer registers x0-x31 as 0-31: sp = 2,
 * s0 = 8, s1 = 9, s2-s11 = 18-27, t1 = 6.
 */

        .option norelax
        .text

/*
 * SAVE_SIDE: reserve the switch frame and store the stopping side's pc (its ra) and s0-s11.
 * CFI: one adjustment for the addi, then where each caller value lives.
 */
.macro SAVE_SIDE
        addi    sp, sp, -SWITCH_FRAME
        .cfi_adjust_cfa_offset SWITCH_FRAME
        sw      ra,  0x3c(sp)                   /* switch frame +0x3c: pc */
        .cfi_rel_offset ra, 0x3c
        sw      s0,  0x38(sp)                   /* switch frame +0x38: s0 */
        .cfi_rel_offset s0, 0x38
        sw      s1,  0x34(sp)                   /* switch frame +0x34: s1 */
        .cfi_rel_offset s1, 0x34
        sw      s2,  0x30(sp)                   /* switch frame +0x30: s2 */
        .cfi_rel_offset s2, 0x30
        sw      s3,  0x2c(sp)                   /* switch frame +0x2c: s3 */
        .cfi_rel_offset s3, 0x2c
        sw      s4,  0x28(sp)                   /* switch frame +0x28: s4 */
        .cfi_rel_offset s4, 0x28
        sw      s5,  0x24(sp)                   /* switch frame +0x24: s5 */
        .cfi_rel_offset s5, 0x24
        sw      s6,  0x20(sp)                   /* switch frame +0x20: s6 */
        .cfi_rel_offset s6, 0x20
        sw      s7,  0x1c(sp)                   /* switch frame +0x1c: s7 */
        .cfi_rel_offset s7, 0x1c
        sw      s8,  0x18(sp)                   /* switch frame +0x18: s8 */
        .cfi_rel_offset s8, 0x18
        sw      s9,  0x14(sp)                   /* switch frame +0x14: s9 */
        .cfi_rel_offset s9, 0x14
        sw      s10, 0x10(sp)                   /* switch frame +0x10: s10 */
        .cfi_rel_offset s10, 0x10
        sw      s11, 0x0c(sp)                   /* switch frame +0x0c: s11 */
        .cfi_rel_offset s11, 0x0c
        /* Now sp points at a complete switch frame; CFA = sp + SWITCH_FRAME. */
.endm

/*
 * RESTORE_SIDE_AND_GO: sp points at the OTHER side's switch frame (same shape, so the CFI
 * rules above stay true, as on x86_64). The pc is loaded first, into t1, so the jump target
 * is known as early as possible; `jr t1` is a plain indirect jump (see the header for why
 * not `jr ra`). a0 carries the value handed across and is not touched. ra is caller-saved
 * on both sides, so it is left as it is: neither side expects anything in it.
 */
.macro RESTORE_SIDE_AND_GO
        lw      t1,  0x3c(sp)                   /* switch frame +0x3c: pc */
        .cfi_register ra, t1
        lw      s0,  0x38(sp)                   /* switch frame +0x38: s0 */
        .cfi_restore s0
        lw      s1,  0x34(sp)                   /* switch frame +0x34: s1 */
        .cfi_restore s1
        lw      s2,  0x30(sp)                   /* switch frame +0x30: s2 */
        .cfi_restore s2
        lw      s3,  0x2c(sp)                   /* switch frame +0x2c: s3 */
        .cfi_restore s3
        lw      s4,  0x28(sp)                   /* switch frame +0x28: s4 */
        .cfi_restore s4
        lw      s5,  0x24(sp)                   /* switch frame +0x24: s5 */
        .cfi_restore s5
        lw      s6,  0x20(sp)                   /* switch frame +0x20: s6 */
        .cfi_restore s6
        lw      s7,  0x1c(sp)                   /* switch frame +0x1c: s7 */
        .cfi_restore s7
        lw      s8,  0x18(sp)                   /* switch frame +0x18: s8 */
        .cfi_restore s8
        lw      s9,  0x14(sp)                   /* switch frame +0x14: s9 */
        .cfi_restore s9
        lw      s10, 0x10(sp)                   /* switch frame +0x10: s10 */
        .cfi_restore s10
        lw      s11, 0x0c(sp)                   /* switch frame +0x0c: s11 */
        .cfi_restore s11
        addi    sp, sp, SWITCH_FRAME            /* drop the frame: sp = the other side's CFA */
        .cfi_adjust_cfa_offset -SWITCH_FRAME
        jr      t1                              /* no RAS hint: x6 is not a link register */
.endm


/*
 * fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env)
 *
 * On entry:  a0 = stack_base, a1 = body, a2 = env
 * On return: a0 = ctl = (stack_base & ~15) - CTL_SIZE. A leaf: `ret` returns to its caller.
 */
        .globl  fringe_init
        .type   fringe_init, @function
        .p2align 2
fringe_init:
        .cfi_startproc
        /* ctl: base aligned down to 16, minus the 4 control words. */
        andi    a0, a0, -16
        addi    a0, a0, -CTL_SIZE               /* a0 = ctl (the return value) */

        /* Control block. lla = auipc + addi: pc-relative, no relocation left after linking. */
        lla     t0, fringe_suspend
        sw      t0, CTL_SUSPEND(a0)             /* ctl.suspend  = fringe_suspend */
        addi    t1, a0, -SWITCH_FRAME           /* t1 = the fresh switch frame */
        sw      t1, CTL_SP(a0)                  /* ctl.sp       = ctl - 0x40 */
        sw      zero, CTL_TRANSFER(a0)          /* ctl.transfer = 0 */
        sw      zero, CTL_STATUS(a0)            /* ctl.status   = 0 */

        /* The fresh switch frame: the first resume "restores" s1 = body and s2 = env into
           the trampoline, and s0 = 0 ends frame-pointer chains. Padding is zeroed too, so a
           fresh stack's contents depend on nothing but the arguments. */
        lla     t0, .Ltrampoline_entry
        sw      t0,   0x3c(t1)                  /* pc  = trampoline entry */
        sw      zero, 0x38(t1)                  /* s0  = 0 */
        sw      a1,   0x34(t1)                  /* s1  = body */
        sw      a2,   0x30(t1)                  /* s2  = env */
        sw      zero, 0x2c(t1)                  /* s3  = 0 */
        sw      zero, 0x28(t1)                  /* s4  = 0 */
        sw      zero, 0x24(t1)                  /* s5  = 0 */
        sw      zero, 0x20(t1)                  /* s6  = 0 */
        sw      zero, 0x1c(t1)                  /* s7  = 0 */
        sw      zero, 0x18(t1)                  /* s8  = 0 */
        sw      zero, 0x14(t1)                  /* s9  = 0 */
        sw      zero, 0x10(t1)                  /* s10 = 0 */
        sw      zero, 0x0c(t1)                  /* s11 = 0 */
        sw      zero, 0x08(t1)                  /* padding */
        sw      zero, 0x04(t1)
        sw      zero, 0x00(t1)
        ret
        .cfi_endproc
        .size   fringe_init, . - fringe_init


/*
 * uintptr_t fringe_resume(fringe_ctl *ctl)
 *
 * On entry:  a0 = ctl, ra = return address into the resumer, sp 16-byte aligned.
 * Same order as x86_64: publish the resumer's sp in ctl->sp BEFORE moving onto the
 * generator's stack, so the trampoline's CFI leads back here from the first instruction
 * executed there.
 */
        .globl  fringe_resume
        .type   fringe_resume, @function
        .p2align 2
fringe_resume:
        .cfi_startproc
        SAVE_SIDE

        lw      t0, CTL_SP(a0)                  /* t0 = the generator's saved sp */
        sw      sp, CTL_SP(a0)                  /* ctl.sp = resumer's switch frame */
        lw      a0, CTL_TRANSFER(a0)            /* a0 = the input (suspend's return value) */
        mv      sp, t0                          /* now on the generator's stack */

        /* Here: sp = the generator's switch frame, a0 = input.
           - suspended: we return from the body's call of suspend with a0 = input.
           - fresh: we land on .Ltrampoline_entry with s1 = body, s2 = env, a0 = input and,
             once the frame is dropped, sp = ctl. THE TRAMPOLINE RELIES ON a0 AND sp HERE.
             (x86_64 also hands ctl over in rdi; here sp == ctl makes that unnecessary.) */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_resume, . - fringe_resume


/*
 * uintptr_t fringe_suspend(fringe_yielder *self, uintptr_t value)      (local: no .globl)
 *
 * On entry:  a0 = self = ctl, a1 = value, on the generator's stack; ctl->sp = the resumer's
 *            switch frame. Same order as x86_64: leave the generator's stack FIRST, then
 *            publish its sp.
 */
        .type   fringe_suspend, @function
        .p2align 2
fringe_suspend:
        .cfi_startproc
        SAVE_SIDE

        mv      t0, sp                          /* t0 = generator's switch frame */
        lw      sp, CTL_SP(a0)                  /* now on the resumer's stack */
        sw      t0, CTL_SP(a0)                  /* ctl.sp = generator's switch frame */
        mv      a0, a1                          /* a0 = value: fringe_resume's return value */

        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_suspend, . - fringe_suspend


/*
 * fringe_trampoline                                                     (local: no .globl)
 *
 * At .Ltrampoline_entry (fringe_resume's `jr t1` on a fresh stack):
 *     sp = ctl       (16-byte aligned: the fresh frame was dropped)
 *     a0 = input     (ctl->transfer, loaded by fringe_resume: must match fringe_resume)
 *     s1 = body, s2 = env, s0 = s3 .. s11 = 0
 *
 * CFI, valid for every instruction (sp == ctl throughout, as on x86_64):
 *
 *   CFA = *(sp + 4) + 0x40 = ctl->sp + SWITCH_FRAME, the CFA of the resumer's switch frame;
 *   pc (ra's column), s0, s1, s2-s11 are at CFA-0x04 ... CFA-0x34, the frame's slots.
 *
 *     0x0f    DW_CFA_def_cfa_expression
 *     0x05      expression length: 5 bytes
 *     0x72      DW_OP_breg2 (x2 = sp) + SLEB128 offset ...
 *     0x04        ... 4 (CTL_SP)              -> push sp + 4 = &ctl->sp
 *     0x06      DW_OP_deref                   -> push ctl->sp
 *     0x23      DW_OP_plus_uconst + ULEB128 ...
 *     0x40        ... 0x40 (SWITCH_FRAME)     -> ctl->sp + 0x40 = the CFA
 *
 *   .cfi_signal_frame, as on x86_64, so that gdb accepts a stack that jumps "up" here.
 */
        .type   fringe_trampoline, @function
        .p2align 2
fringe_trampoline:
        .cfi_startproc
        .cfi_signal_frame
        .cfi_escape 0x0f, 0x05, 0x72, CTL_SP, 0x06, 0x23, SWITCH_FRAME
        .cfi_offset ra,  -0x04                  /* resumer's pc  (+0x3c) */
        .cfi_offset s0,  -0x08                  /* resumer's s0  (+0x38) */
        .cfi_offset s1,  -0x0c                  /* resumer's s1  (+0x34) */
        .cfi_offset s2,  -0x10                  /* resumer's s2  (+0x30) */
        .cfi_offset s3,  -0x14                  /* resumer's s3  (+0x2c) */
        .cfi_offset s4,  -0x18                  /* resumer's s4  (+0x28) */
        .cfi_offset s5,  -0x1c                  /* resumer's s5  (+0x24) */
        .cfi_offset s6,  -0x20                  /* resumer's s6  (+0x20) */
        .cfi_offset s7,  -0x24                  /* resumer's s7  (+0x1c) */
        .cfi_offset s8,  -0x28                  /* resumer's s8  (+0x18) */
        .cfi_offset s9,  -0x2c                  /* resumer's s9  (+0x14) */
        .cfi_offset s10, -0x30                  /* resumer's s10 (+0x10) */
        .cfi_offset s11, -0x34                  /* resumer's s11 (+0x0c) */

        /* Padding inside this FDE before the entry, as on x86_64: an unwinder looks up the
           FDE of (return address - 1), and the fresh frame's pc is .Ltrampoline_entry. */
        nop
.Ltrampoline_entry:
        /* body(env, input, (fringe_yielder *) ctl). sp == ctl is 16-byte aligned and a
           RISC-V call pushes nothing, so the body starts with sp % 16 == 0. `jalr s1` is
           `jalr ra, 0(s1)`: rd = ra, a RAS push that the body's `ret` pops. */
        mv      a2, sp                          /* arg 3: yielder = ctl */
        mv      a1, a0                          /* arg 2: input */
        mv      a0, s2                          /* arg 1: env */
        jalr    s1                              /* a0 = body's return value */

        /* The body returned, sp == ctl again. Keep the return value in s1 (suspend keeps it). */
        mv      s1, a0
.Lfinished:
        /* status = 1, then suspend with the return value, in a loop (see x86_64). */
        li      t0, 1
        sw      t0, CTL_STATUS(sp)              /* ctl.status = 1 (sp == ctl) */
        mv      a0, sp                          /* self  = ctl */
        mv      a1, s1                          /* value = the body's return value */
        jal     fringe_suspend                  /* jal ra: pc-relative, local, no PLT */
        j       .Lfinished
        .cfi_endproc
        .size   fringe_trampoline, . - fringe_trampoline


/*
 * unsigned fringe_stack_register(void *limit, void *base)
 *
 * Returns 0, the "not under Valgrind" id: Valgrind does not run riscv32 programs (see the
 * header), so there is nobody to tell about the stack.
 */
        .globl  fringe_stack_register
        .type   fringe_stack_register, @function
        .p2align 2
fringe_stack_register:
        .cfi_startproc
        li      a0, 0
        ret
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
        ret
        .cfi_endproc
        .size   fringe_stack_deregister, . - fringe_stack_deregister


/* No executable stack. */
        .section .note.GNU-stack, "", @progbits
