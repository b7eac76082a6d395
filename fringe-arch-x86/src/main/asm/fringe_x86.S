/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_x86.S - fringe's native context switch for i386 (32-bit x86), System V i386 ABI as
 * Linux uses it (cdecl: arguments on the stack, result in eax; callee-saved ebx, esi, edi, ebp;
 * esp 16-byte aligned at every call site, so (esp + 4) % 16 == 0 at function entry).
 *
 * Based on fringe_x86_64.S, refer to it: same four exported functions, same control block
 * (in 4-byte words), same switch-frame idea, same trampoline with a CFI splice through ctl->sp,
 * same .cfi_signal_frame, same pop + indirect jmp, same Valgrind registration, no FP control
 * state switched. Only what i386 changes is commented in detail here:
 *
 *   1. Arguments arrive on the stack, not in registers: each routine loads them relative to
 *      esp, and the trampoline calls the body with an argument block that fringe_init
 *      pre-fills (see "The fresh stack").
 *   2. Four callee-saved registers, so the switch frame is 5 words (20 bytes), not 7.
 *   3. The body's three arguments need stack below ctl, and its `call` needs esp % 16 == 0:
 *      the trampoline runs on esp = ctl - 16 (a 16-byte argument block), not on ctl, so its
 *      CFA expression reads ctl->sp at esp + 20.
 *   4. i386 has no eip-relative addressing: fringe_init, the only code that needs addresses
 *      (of fringe_suspend and of the trampoline), gets its own address from a pc thunk. The
 *      switch path itself takes no addresses, so it stays as short as on x86_64, and this
 *      file needs no relocation at all (no TEXTREL; the library's relocations are
 *      fringe_guard.c's, against libc).
 *   5. The Valgrind client request uses i386's magic preamble (rotations of edi by 3, 13, 29
 *      and 19 bits, 64 in total).
 *
 * ============================================================================================
 * Frame table (i386)
 * ============================================================================================
 *
 *   Control block at the top of the stack (must match dev.fringe.arch.x86.X86Arch, the Javadoc
 *   of dev.fringe.jna.spi.ArchSupport, dev.fringe.jna.ControlBlock and every fringe_<arch>.S):
 *
 *     word  offset  name
 *     0     0x00    suspend    address of fringe_suspend: a ctl pointer is a fringe_yielder *
 *     1     0x04    sp         saved esp of the side that is not running
 *     2     0x08    transfer   the body's next input, written before fringe_resume
 *     3     0x0c    status     0 while resumable, 1 once the body returned, 2 once it
 *                                overflowed its stack (fringe_overflowed; see fringe_x86_64.S)
 */
#define CTL_SUSPEND   0x00
#define CTL_SP        0x04
#define CTL_TRANSFER  0x08
#define CTL_STATUS    0x0c
#define CTL_SIZE      0x10      /* 16 bytes: ctl keeps the base's 16-byte alignment */
/*
 *   Switch frame: what a side leaves on its stack when it stops running (ctl->sp -> +0x00):
 *
 *     +-------+------+-------------------------------------------------------------------+
 *     | +0x00 | edi  |                                                                   |
 *     | +0x04 | esi  |  callee-saved registers, pushed ebp first so that [ebp, eip] form  |
 *     | +0x08 | ebx  |  an ordinary frame-pointer record                                 |
 *     | +0x0c | ebp  |                                                                   |
 *     | +0x10 | eip  |  where this side continues: pushed by its `call`                  |
 *     +-------+------+-------------------------------------------------------------------+
 *       +0x14 = the CFA of the switching routine = its caller's esp before the `call`; the
 *               routine's own arguments lie from there up (ctl at +0x14, value at +0x18).
 */
#define SWITCH_FRAME  0x14      /* 5 words; the CFA is saved sp + SWITCH_FRAME */
#define ARGS          0x10      /* the trampoline's argument block below ctl (difference 3) */
/*
 *   The fresh stack, as fringe_init leaves it (the generator "stopped" just before the
 *   trampoline's first instruction):
 *
 *     stack_base (aligned down to 16)
 *     +-----------------------------+
 *     | ctl+0x0c  status   = 0      |
 *     | ctl+0x08  transfer = 0      |
 *     | ctl+0x04  sp  --------------+----+
 *     | ctl+0x00  suspend           |    |  <- ctl (16-byte aligned)
 *     +-----------------------------+    |
 *     | ctl-0x04  (padding) = 0     |    |  \
 *     | ctl-0x08  arg 3 = ctl       |    |   | the body's arguments: yielder = ctl,
 *     | ctl-0x0c  arg 2 = 0         |    |   | input (the trampoline stores it),
 *     | ctl-0x10  arg 1 = env       |    |  /  env.  <- the trampoline's esp, 16-aligned
 *     +-----------------------------+    |
 *     | ctl-0x14  eip = trampoline  |    |     (its first instruction; see the 1-byte pad)
 *     | ctl-0x18  ebp = 0           |    |     ends frame-pointer chains
 *     | ctl-0x1c  ebx = body        |    |
 *     | ctl-0x20  esi = 0           |    |
 *     | ctl-0x24  edi = 0           | <--+  <- ctl->sp = ctl - ARGS - SWITCH_FRAME
 *     +-----------------------------+
 *
 *   SUSPENDED and RUNNING look exactly as on x86_64 (ctl->sp points at the switch frame of
 *   the side that is not running), with the body's frames starting below the argument block.
 *   FINISHED: as on x86_64, the trampoline stores status = 1 and suspends its return value
 *   forever.
 */

        .text

/*
 * SAVE_SIDE / RESTORE_SIDE_AND_GO: as on x86_64, with i386's four registers. CFI as there:
 * each push moves the CFA rule (esp + 4 at entry) and records the slot; after the esp swap
 * the same rules describe the other side's identical frame.
 */
.macro SAVE_SIDE
        pushl   %ebp                            /* switch frame +0x0c: ebp */
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %ebp, 0
        pushl   %ebx                            /* switch frame +0x08: ebx */
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %ebx, 0
        pushl   %esi                            /* switch frame +0x04: esi */
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %esi, 0
        pushl   %edi                            /* switch frame +0x00: edi */
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %edi, 0
.endm

.macro RESTORE_SIDE_AND_GO
        popl    %edi                            /* switch frame +0x00: edi */
        .cfi_adjust_cfa_offset -4
        .cfi_restore %edi
        popl    %esi                            /* switch frame +0x04: esi */
        .cfi_adjust_cfa_offset -4
        .cfi_restore %esi
        popl    %ebx                            /* switch frame +0x08: ebx */
        .cfi_adjust_cfa_offset -4
        .cfi_restore %ebx
        popl    %ebp                            /* switch frame +0x0c: ebp */
        .cfi_adjust_cfa_offset -4
        .cfi_restore %ebp
        /* pop + indirect jmp, not ret (the return-stack-buffer argument of x86_64 is the same
           on i386). ecx is caller-saved and free on both paths. */
        popl    %ecx                            /* switch frame +0x10: eip */
        .cfi_adjust_cfa_offset -4
        .cfi_register %eip, %ecx
        jmp     *%ecx
.endm


/*
 * .Lpc_thunk: ecx = the caller's return address, i.e. the address of the instruction after
 * `call .Lpc_thunk` (difference 4). A real call/ret pair, rather than `call 1f; 1: pop`, keeps
 * the CPU's return stack buffer balanced. Used by fringe_init only.
 */
        .type   fringe_pc_thunk, @function
        .p2align 4
fringe_pc_thunk:
        .cfi_startproc
        movl    (%esp), %ecx
        ret
        .cfi_endproc
        .size   fringe_pc_thunk, . - fringe_pc_thunk


/*
 * fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env)
 *
 * On entry: [esp+4] = stack_base, [esp+8] = body, [esp+12] = env (cdecl).
 * On return: eax = ctl = (stack_base & ~15) - CTL_SIZE. Writes the fresh stack of the frame
 * table: 52 bytes below the base.
 */
        .globl  fringe_init
        .type   fringe_init, @function
        .p2align 4
fringe_init:
        .cfi_startproc
        call    fringe_pc_thunk                 /* ecx = .Lpc (difference 4) */
.Lpc:
        movl    4(%esp), %eax
        andl    $-16, %eax
        subl    $CTL_SIZE, %eax                 /* eax = ctl */

        /* Control block. `sym - .Lpc` is an assembly-time constant: no relocation. */
        leal    fringe_suspend - .Lpc(%ecx), %edx
        movl    %edx, CTL_SUSPEND(%eax)         /* ctl.suspend  = fringe_suspend */
        leal    -(ARGS + SWITCH_FRAME)(%eax), %edx
        movl    %edx, CTL_SP(%eax)              /* ctl.sp       = ctl - 0x24 (fresh frame) */
        movl    $0, CTL_TRANSFER(%eax)          /* ctl.transfer = 0 */
        movl    $0, CTL_STATUS(%eax)            /* ctl.status   = 0 */

        /* The body's argument block (difference 1): env and the yielder are known now, so the
           trampoline only has to store the input. */
        movl    $0,   -0x04(%eax)               /* padding */
        movl    %eax, -0x08(%eax)               /* arg 3: yielder = ctl */
        movl    $0,   -0x0c(%eax)               /* arg 2: input, stored by the trampoline */
        movl    12(%esp), %edx
        movl    %edx, -0x10(%eax)               /* arg 1: env */

        /* The fresh switch frame: ebx = body reaches the trampoline for free. */
        leal    .Ltrampoline_entry - .Lpc(%ecx), %edx
        movl    %edx, -0x14(%eax)               /* switch frame +0x10: eip = trampoline entry */
        movl    $0,   -0x18(%eax)               /* switch frame +0x0c: ebp = 0 */
        movl    8(%esp), %edx
        movl    %edx, -0x1c(%eax)               /* switch frame +0x08: ebx = body */
        movl    $0,   -0x20(%eax)               /* switch frame +0x04: esi = 0 */
        movl    $0,   -0x24(%eax)               /* switch frame +0x00: edi = 0 */
        ret
        .cfi_endproc
        .size   fringe_init, . - fringe_init


/*
 * uintptr_t fringe_resume(fringe_ctl *ctl)
 *
 * On entry: [esp] = return address into the resumer, [esp+4] = ctl, (esp + 4) % 16 == 0.
 * Same order of stores as x86_64 (publish the resumer's esp, then leave); ctl is read from
 * the argument slot just above the fresh switch frame (difference 1).
 */
        .globl  fringe_resume
        .type   fringe_resume, @function
        .p2align 4
fringe_resume:
        .cfi_startproc
        SAVE_SIDE
        movl    SWITCH_FRAME(%esp), %edx        /* edx = ctl (the argument) */
        movl    CTL_SP(%edx), %ecx              /* ecx = the generator's saved esp */
        movl    %esp, CTL_SP(%edx)              /* ctl.sp = resumer's switch frame */
        movl    CTL_TRANSFER(%edx), %eax        /* eax = the input, handed across */
        movl    %ecx, %esp                      /* now on the generator's stack */
        /* Fresh generator: we land on .Ltrampoline_entry with eax = input, ebx = body,
           esp = ctl - ARGS. THE TRAMPOLINE RELIES ON eax HERE: keep this in step with it. */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_resume, . - fringe_resume


/*
 * uintptr_t fringe_suspend(fringe_yielder *self, uintptr_t value)      (local: no .globl)
 *
 * On entry: [esp+4] = self = ctl, [esp+8] = value, on the generator's stack. Same order of
 * stores as x86_64 (leave, then publish the generator's esp).
 */
        .type   fringe_suspend, @function
        .p2align 4
fringe_suspend:
        .cfi_startproc
        SAVE_SIDE
        movl    SWITCH_FRAME(%esp), %edx        /* edx = self = ctl */
        movl    SWITCH_FRAME+4(%esp), %eax      /* eax = value: fringe_resume's return value */
        movl    %esp, %ecx                      /* ecx = generator's switch frame */
        movl    CTL_SP(%edx), %esp              /* now on the resumer's stack */
        movl    %ecx, CTL_SP(%edx)              /* ctl.sp = generator's switch frame */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_suspend, . - fringe_suspend


/*
 * fringe_trampoline                                                     (local: no .globl)
 *
 * At .Ltrampoline_entry: esp = ctl - ARGS (16-byte aligned), [esp] = env, [esp+8] = ctl,
 * eax = input (from fringe_resume), ebx = body, ebp = esi = edi = 0.
 *
 * esp stays ctl - ARGS for the trampoline's whole life (cdecl callers pop their own
 * arguments, so the body leaves esp where the call found it), hence one CFI rule:
 *
 *   CFA = *(esp + ARGS + CTL_SP) + SWITCH_FRAME = ctl->sp + 0x14, decoded:
 *
 *     0x0f    DW_CFA_def_cfa_expression
 *     0x05      expression length: 5 bytes
 *     0x74      DW_OP_breg4 (esp) + SLEB128 offset ...
 *     0x14        ... 0x14 (ARGS + CTL_SP)   -> push esp + 20 = &ctl->sp
 *     0x06      DW_OP_deref                   -> push ctl->sp
 *     0x23      DW_OP_plus_uconst + ULEB128 ...
 *     0x14        ... 0x14 (SWITCH_FRAME)     -> ctl->sp + 0x14 = the CFA
 *
 *   eip, ebp, ebx, esi, edi are saved at CFA-0x04 ... CFA-0x14, the switch frame's slots.
 */
        .type   fringe_trampoline, @function
        .p2align 4
fringe_trampoline:
        .cfi_startproc
        .cfi_signal_frame
        .cfi_escape 0x0f, 0x05, 0x74, ARGS + CTL_SP, 0x06, 0x23, SWITCH_FRAME
        .cfi_offset %eip, -0x04                 /* resumer's return address  (+0x10) */
        .cfi_offset %ebp, -0x08                 /* resumer's ebp             (+0x0c) */
        .cfi_offset %ebx, -0x0c                 /* resumer's ebx             (+0x08) */
        .cfi_offset %esi, -0x10                 /* resumer's esi             (+0x04) */
        .cfi_offset %edi, -0x14                 /* resumer's edi             (+0x00) */
        nop                                     /* (entry - 1) stays in this FDE: see x86_64 */
.Ltrampoline_entry:
        /* body(env, input, yielder): only the input is missing from the argument block.
           esp % 16 == 0 at the call, as the ABI demands. */
        movl    %eax, 4(%esp)                   /* arg 2: input */
        call    *%ebx                           /* eax = the body's return value */

        movl    %eax, %ebx                      /* keep it where suspend preserves it */
.Lfinished:
        /* status = 1, then suspend(ctl, return value), forever. The body may have changed its
           argument block (cdecl allows it), so both arguments are written again. */
        movl    $1, ARGS + CTL_STATUS(%esp)     /* ctl.status = 1 */
        leal    ARGS(%esp), %ecx
        movl    %ecx, 0(%esp)                   /* self  = ctl */
        movl    %ebx, 4(%esp)                   /* value = the body's return value */
        call    fringe_suspend                  /* pc-relative call to a local symbol */
        jmp     .Lfinished

/*
 * fringe_overflowed (hidden): as on x86_64, with the trampoline's esp = ctl - ARGS, and one
 * difference in how it is reached: fringe_guard.c's handler does not return through sigreturn
 * on i386 but restores the signal mask and FP control state itself and jumps here, having set
 * esp (qemu-i386's sigreturn would give the thread another thread's %gs; see fringe_guard.c).
 * At fringe_overflowed: esp = ctl - ARGS, every other register dead. Both arguments are
 * written again, as in .Lfinished.
 */
        .globl  fringe_overflowed
        .hidden fringe_overflowed
fringe_overflowed:
        movl    $2, ARGS + CTL_STATUS(%esp)     /* ctl.status = 2: overflowed */
        leal    ARGS(%esp), %ecx
        movl    %ecx, 0(%esp)                   /* self  = ctl */
        movl    $0, 4(%esp)                     /* value = 0 */
        call    fringe_suspend
        jmp     fringe_overflowed
        .cfi_endproc
        .size   fringe_trampoline, . - fringe_trampoline


/*
 * Valgrind client requests (difference 5): eax = address of 6 words {request, arg1..arg5},
 * edx = default result in, result out; the preamble rotates edi by 3 + 13 + 29 + 19 = 64 bits
 * (unchanged), then `xchgl %ebx, %ebx`. Codes as on x86_64.
 */
#define VG_USERREQ__STACK_REGISTER    0x1501
#define VG_USERREQ__STACK_DEREGISTER  0x1502

.macro VALGRIND_REQUEST
        roll    $3,  %edi
        roll    $13, %edi
        roll    $29, %edi
        roll    $19, %edi
        xchgl   %ebx, %ebx                      /* "edx = client_request(eax)" */
.endm

/*
 * unsigned fringe_stack_register(void *limit, void *base)
 * On entry: [esp+4] = limit, [esp+8] = base. The 24-byte request block plus 4 keeps esp
 * 16-byte aligned.
 */
        .globl  fringe_stack_register
        .type   fringe_stack_register, @function
        .p2align 4
fringe_stack_register:
        .cfi_startproc
        subl    $28, %esp
        .cfi_adjust_cfa_offset 28
        movl    $VG_USERREQ__STACK_REGISTER, 0x00(%esp)  /* request */
        movl    28+4(%esp), %eax
        movl    %eax, 0x04(%esp)                /* arg1: lowest addressable byte = limit */
        movl    28+8(%esp), %eax
        decl    %eax
        movl    %eax, 0x08(%esp)                /* arg2: highest addressable byte = base - 1 */
        movl    $0, 0x0c(%esp)                  /* arg3..5: unused */
        movl    $0, 0x10(%esp)
        movl    $0, 0x14(%esp)
        movl    %esp, %eax                      /* eax = request block */
        xorl    %edx, %edx                      /* default result: id 0 outside Valgrind */
        VALGRIND_REQUEST
        movl    %edx, %eax
        addl    $28, %esp
        .cfi_adjust_cfa_offset -28
        ret
        .cfi_endproc
        .size   fringe_stack_register, . - fringe_stack_register

/*
 * void fringe_stack_deregister(unsigned id)
 * On entry: [esp+4] = id.
 */
        .globl  fringe_stack_deregister
        .type   fringe_stack_deregister, @function
        .p2align 4
fringe_stack_deregister:
        .cfi_startproc
        subl    $28, %esp
        .cfi_adjust_cfa_offset 28
        movl    $VG_USERREQ__STACK_DEREGISTER, 0x00(%esp) /* request */
        movl    28+4(%esp), %eax
        movl    %eax, 0x04(%esp)                /* arg1: id */
        movl    $0, 0x08(%esp)                  /* arg2..5: unused */
        movl    $0, 0x0c(%esp)
        movl    $0, 0x10(%esp)
        movl    $0, 0x14(%esp)
        movl    %esp, %eax                      /* eax = request block */
        xorl    %edx, %edx
        VALGRIND_REQUEST
        addl    $28, %esp
        .cfi_adjust_cfa_offset -28
        ret
        .cfi_endproc
        .size   fringe_stack_deregister, . - fringe_stack_deregister


/* No executable stack; and, as on x86_64, no CET property note (the switch is not
   shadow-stack compatible). */
        .section .note.GNU-stack, "", @progbits
