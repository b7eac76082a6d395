/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_aarch64.S - fringe's native context switch for aarch64 (AArch64 Linux, AAPCS64, ELF).
 *
 * Based on fringe_x86_64.S, refer to it: same four exported functions, same control block,
 * same switch-frame idea (both directions push the same record, swap sp with ctl->sp, pop the
 * other side's record), same publish/leave order for unwinders, same trampoline with a CFI
 * splice through ctl->sp and .cfi_signal_frame, same finish loop, same Valgrind registration,
 * no FP control state (FPCR) switched. Only what AArch64 changes is commented in detail here:
 *
 *   1. The callee-saved set is larger: x19-x28, the frame pointer x29, the link register x30,
 *      and the low 64 bits of v8-v15 (d8-d15; AAPCS64 leaves the upper halves and v0-v7,
 *      v16-v31 to the caller). The switch frame is 20 words.
 *   2. There is no push/pop and the return address lives in x30, not on the stack: the frame
 *      is written with stp at fixed offsets after one pre-indexed store that moves sp, and x30
 *      is saved like any other register. sp stays 16-byte aligned at every instruction (the
 *      kernel enables sp alignment checking).
 *   3. The final jump is `ret`, not an indirect branch: BTI (see "BTI and PAC").
 *   4. Saved return addresses are signed (PAC), and the .so is marked BTI + PAC compatible.
 *   5. The trampoline needs no pad for the body's arguments: a call pushes nothing, so
 *      sp == ctl throughout, and the body is entered with sp 16-byte aligned.
 *   6. The Valgrind client request uses arm64's magic sequence.
 *
 * ============================================================================================
 * Frame table (aarch64)
 * ============================================================================================
 *
 *   Control block at the top of the stack (must match dev.fringe.arch.aarch64.Aarch64Arch, the
 *   Javadoc of dev.fringe.jna.spi.ArchSupport, dev.fringe.jna.ControlBlock and every other
 *   fringe_<arch>.S): 4 words of 8 bytes, exactly as on x86_64 (status: 0 resumable, 1
 *   returned, 2 overflowed: fringe_overflowed).
 */
#define CTL_SUSPEND   0x00
#define CTL_SP        0x08
#define CTL_TRANSFER  0x10
#define CTL_STATUS    0x18
#define CTL_SIZE      0x20      /* a multiple of 16: ctl keeps the base's alignment */
/*
 *   Switch frame (ctl->sp -> +0x00). [x29, x30] come first, where an AArch64 prologue puts
 *   its frame record, so the pre-indexed stp that allocates the frame also stores them.
 *
 *     +-------+-----------+----------------------------------------------------------------+
 *     | +0x00 | x29       |  frame pointer                                                 |
 *     | +0x08 | x30       |  where this side continues: the return address its `bl` /     |
 *     |       |           |  `blr` left in x30, SIGNED with PACIASP (modifier: the CFA)    |
 *     | +0x10 | x19, x20  |                                                                |
 *     | +0x20 | x21, x22  |                                                                |
 *     | +0x30 | x23, x24  |  callee-saved general registers                                |
 *     | +0x40 | x25, x26  |                                                                |
 *     | +0x50 | x27, x28  |                                                                |
 *     | +0x60 | d8, d9    |                                                                |
 *     | +0x70 | d10, d11  |  callee-saved low halves of v8-v15                             |
 *     | +0x80 | d12, d13  |                                                                |
 *     | +0x90 | d14, d15  |                                                                |
 *     +-------+-----------+----------------------------------------------------------------+
 *       +0xa0 = the CFA of the switching routine = its caller's sp at the `bl`.
 */
#define SWITCH_FRAME  0xa0      /* 20 words; the CFA is saved sp + SWITCH_FRAME */
/*
 *   The fresh stack, as fringe_init leaves it (the generator "stopped" just before the
 *   trampoline's first instruction):
 *
 *     stack_base (aligned down to 16)
 *     +------------------------------------+
 *     | ctl+0x18  status   = 0             |
 *     | ctl+0x10  transfer = 0             |
 *     | ctl+0x08  sp  ---------------------+----+
 *     | ctl+0x00  suspend                  |    |  <- ctl (16-byte aligned): the trampoline's sp
 *     +------------------------------------+    |
 *     | ctl-0x40 .. ctl-0x08  d8-d15  = 0  |    |
 *     | ctl-0x80 .. ctl-0x48  x21-x28 = 0  |    |
 *     | ctl-0x88  x20 = env                |    |     reach the trampoline in registers
 *     | ctl-0x90  x19 = body               |    |
 *     | ctl-0x98  x30 = trampoline entry   |    |     signed, modifier ctl (see fringe_init)
 *     | ctl-0xa0  x29 = 0                  | <--+  <- ctl->sp = ctl - SWITCH_FRAME; ends fp chains
 *     +------------------------------------+
 *
 *   SUSPENDED, RUNNING and FINISHED look exactly as on x86_64.
 *
 * ============================================================================================
 * BTI and PAC (differences 3 and 4)
 * ============================================================================================
 *
 * Branch Target Identification: in a page mapped with PROT_BTI (the loader does that for every
 * object whose GNU property note says BTI, when the CPU has it), an indirect branch `br`/`blr`
 * must land on a `bti` landing pad, or the process gets SIGILL. `ret` is exempt. A switch lands
 * on a return address, just after some `bl`/`blr` in the body or in the resumer, and compilers
 * never put a landing pad there. So the switch must end in `ret`: an x86-style `br` would kill
 * every BTI-built body or resumer (Debian builds arm64 packages with -mbranch-protection=standard
 * from trixie on), and this library itself, which the loader maps guarded because of its note
 * below (the trampoline's entry and its `bl fringe_suspend` are such landing sites; measured
 * under qemu-aarch64: a `br x30` variant dies with SIGILL on the first resume). The C harness
 * of this module shows which objects are guarded and runs a generator inside one.
 *
 * The price is the one x86_64 avoids with pop + jmp: `ret` is predicted from the return stack,
 * whose top entry belongs to the `bl` that entered this routine, not to the side we go to, so a
 * round trip mispredicts twice. Correctness first; there is no cheaper BTI-safe jump.
 *
 * Entry points reached by an indirect call (through the PLT's `br x17`, JNA's `blr`, a body's
 * `blr` to its yielder) start with `bti c`. The trampoline entry is reached by `ret` and needs
 * none. All of it is encoded in the hint space (bti = hint #34, paciasp = hint #25, autiasp =
 * hint #29, pacia1716 = hint #8), so it runs as NOPs on CPUs without BTI/PAC and assembles
 * for plain armv8-a.
 *
 * Pointer authentication: a switch frame spills a return address to memory, which is exactly
 * what -mbranch-protection=pac-ret protects in ordinary frames, so each switch routine signs
 * x30 with PACIASP on entry (key A, modifier sp = the CFA) and the other side authenticates it
 * with AUTIASP just before `ret`, when sp is back at that same CFA. Both sides sign and check
 * their own addresses with their own sp, so the pairing is exact; a corrupted saved x30 makes
 * the `ret` fault instead of jumping. The fresh frame's address is signed by fringe_init with
 * PACIA1716 and modifier ctl, the CFA of a fresh frame. The CFI says the saved x30 is signed
 * (.cfi_negate_ra_state), so unwinders strip or authenticate it with the CFA, as libgcc does.
 * Both keys are per process, so a generator may be resumed from any thread.
 *
 * The library's .note.gnu.property claims BTI and PAC (GNU_PROPERTY_AARCH64_FEATURE_1_AND =
 * BTI | PAC): a BTI process maps it guarded and the landing pads above are checked for real.
 */

        .text

/*
 * SAVE_SIDE: sign x30, allocate the switch frame while storing [x29, x30], then store the
 * rest. CFI: the CFA is sp + 0xa0 from the first store on, every register at its slot, and
 * the return address is marked signed.
 */
.macro SAVE_SIDE
        hint    #25                             /* paciasp: sign x30, modifier sp (= the CFA) */
        .cfi_negate_ra_state
        stp     x29, x30, [sp, #-SWITCH_FRAME]! /* +0x00: x29, x30 (signed) */
        .cfi_def_cfa_offset SWITCH_FRAME
        .cfi_offset x29, -0xa0
        .cfi_offset x30, -0x98
        stp     x19, x20, [sp, #0x10]           /* +0x10: x19, x20 */
        .cfi_offset x19, -0x90
        .cfi_offset x20, -0x88
        stp     x21, x22, [sp, #0x20]           /* +0x20: x21, x22 */
        .cfi_offset x21, -0x80
        .cfi_offset x22, -0x78
        stp     x23, x24, [sp, #0x30]           /* +0x30: x23, x24 */
        .cfi_offset x23, -0x70
        .cfi_offset x24, -0x68
        stp     x25, x26, [sp, #0x40]           /* +0x40: x25, x26 */
        .cfi_offset x25, -0x60
        .cfi_offset x26, -0x58
        stp     x27, x28, [sp, #0x50]           /* +0x50: x27, x28 */
        .cfi_offset x27, -0x50
        .cfi_offset x28, -0x48
        stp     d8,  d9,  [sp, #0x60]           /* +0x60: d8, d9 */
        .cfi_offset d8,  -0x40
        .cfi_offset d9,  -0x38
        stp     d10, d11, [sp, #0x70]           /* +0x70: d10, d11 */
        .cfi_offset d10, -0x30
        .cfi_offset d11, -0x28
        stp     d12, d13, [sp, #0x80]           /* +0x80: d12, d13 */
        .cfi_offset d12, -0x20
        .cfi_offset d13, -0x18
        stp     d14, d15, [sp, #0x90]           /* +0x90: d14, d15 */
        .cfi_offset d14, -0x10
        .cfi_offset d15, -0x08
.endm

/*
 * RESTORE_SIDE_AND_GO: sp points at the OTHER side's switch frame. Load everything but
 * [x29, x30], then load those while freeing the frame (post-index), authenticate x30 with the
 * sp it was signed with, and `ret` to it (difference 3). x0 holds the value handed across.
 * CFI as on x86_64: the rules of SAVE_SIDE describe the other side's identical frame.
 */
.macro RESTORE_SIDE_AND_GO
        ldp     d8,  d9,  [sp, #0x60]
        .cfi_restore d8
        .cfi_restore d9
        ldp     d10, d11, [sp, #0x70]
        .cfi_restore d10
        .cfi_restore d11
        ldp     d12, d13, [sp, #0x80]
        .cfi_restore d12
        .cfi_restore d13
        ldp     d14, d15, [sp, #0x90]
        .cfi_restore d14
        .cfi_restore d15
        ldp     x19, x20, [sp, #0x10]
        .cfi_restore x19
        .cfi_restore x20
        ldp     x21, x22, [sp, #0x20]
        .cfi_restore x21
        .cfi_restore x22
        ldp     x23, x24, [sp, #0x30]
        .cfi_restore x23
        .cfi_restore x24
        ldp     x25, x26, [sp, #0x40]
        .cfi_restore x25
        .cfi_restore x26
        ldp     x27, x28, [sp, #0x50]
        .cfi_restore x27
        .cfi_restore x28
        ldp     x29, x30, [sp], #SWITCH_FRAME   /* +0x00: x29, x30; sp = the other side's CFA */
        .cfi_def_cfa_offset 0
        .cfi_restore x29
        .cfi_restore x30
        hint    #29                             /* autiasp: check x30 against sp */
        .cfi_negate_ra_state
        ret
.endm


/*
 * fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env)
 *
 * On entry: x0 = stack_base, x1 = body, x2 = env. On return: x0 = ctl. Writes the fresh
 * stack of the frame table (the top 192 bytes). A leaf: x30 is never spilled, not signed.
 */
        .globl  fringe_init
        .type   fringe_init, @function
        .p2align 4
fringe_init:
        .cfi_startproc
        hint    #34                             /* bti c */
        and     x0, x0, #~15                    /* align the base down to 16 */
        sub     x9, x0, #CTL_SIZE               /* x9 = ctl */
        sub     x10, x9, #SWITCH_FRAME          /* x10 = the fresh switch frame */

        /* Control block. adr is pc-relative (+-1 MiB) and resolved by the assembler: no
           relocation. */
        adr     x11, fringe_suspend
        stp     x11, x10, [x9, #CTL_SUSPEND]    /* ctl.suspend = fringe_suspend, ctl.sp = frame */
        stp     xzr, xzr, [x9, #CTL_TRANSFER]   /* ctl.transfer = 0, ctl.status = 0 */

        /* The fresh switch frame. x30 is signed as SAVE_SIDE would have signed it: key A,
           modifier = the frame's CFA = ctl (PACIA1716 signs x17 with modifier x16). */
        adr     x17, .Ltrampoline_entry
        mov     x16, x9
        hint    #8                              /* pacia1716 */
        stp     xzr, x17, [x10, #0x00]          /* x29 = 0 (ends fp chains), x30 = entry */
        stp     x1,  x2,  [x10, #0x10]          /* x19 = body, x20 = env */
        stp     xzr, xzr, [x10, #0x20]          /* x21 .. x28 = 0 */
        stp     xzr, xzr, [x10, #0x30]
        stp     xzr, xzr, [x10, #0x40]
        stp     xzr, xzr, [x10, #0x50]
        stp     xzr, xzr, [x10, #0x60]          /* d8 .. d15 = 0 */
        stp     xzr, xzr, [x10, #0x70]
        stp     xzr, xzr, [x10, #0x80]
        stp     xzr, xzr, [x10, #0x90]
        mov     x0, x9
        ret
        .cfi_endproc
        .size   fringe_init, . - fringe_init


/*
 * uintptr_t fringe_resume(fringe_ctl *ctl)
 *
 * On entry: x0 = ctl, x30 = return address into the resumer, sp 16-aligned.
 */
        .globl  fringe_resume
        .type   fringe_resume, @function
        .p2align 4
fringe_resume:
        .cfi_startproc
        hint    #34                             /* bti c */
        SAVE_SIDE
        /* Publish the resumer's sp, then leave (as on x86_64). sp cannot be stored directly
           (str takes no sp operand), hence x10. */
        ldr     x9, [x0, #CTL_SP]               /* x9 = the generator's saved sp */
        mov     x10, sp
        str     x10, [x0, #CTL_SP]              /* ctl.sp = resumer's switch frame */
        ldr     x0, [x0, #CTL_TRANSFER]         /* x0 = the input, handed across */
        mov     sp, x9                          /* now on the generator's stack */
        /* Fresh generator: we `ret` to .Ltrampoline_entry with x0 = input, sp = ctl,
           x19 = body, x20 = env. THE TRAMPOLINE RELIES ON x0 HERE. */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_resume, . - fringe_resume


/*
 * uintptr_t fringe_suspend(fringe_yielder *self, uintptr_t value)      (local: no .globl)
 *
 * On entry: x0 = self = ctl, x1 = value, on the generator's stack.
 */
        .type   fringe_suspend, @function
        .p2align 4
fringe_suspend:
        .cfi_startproc
        hint    #34                             /* bti c: bodies reach us through blr */
        SAVE_SIDE
        /* Leave, then publish the generator's sp (as on x86_64). */
        mov     x10, sp                         /* x10 = generator's switch frame */
        ldr     x9, [x0, #CTL_SP]
        mov     sp, x9                          /* now on the resumer's stack */
        str     x10, [x0, #CTL_SP]              /* ctl.sp = generator's switch frame */
        mov     x0, x1                          /* x0 = value: fringe_resume's return value */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_suspend, . - fringe_suspend


/*
 * fringe_trampoline                                                     (local: no .globl)
 *
 * At .Ltrampoline_entry: sp = ctl (16-aligned), x0 = input, x19 = body, x20 = env, x29 = 0.
 * sp stays ctl for the trampoline's whole life (difference 5), so one CFI rule:
 *
 *   CFA = *(sp + CTL_SP) + SWITCH_FRAME = ctl->sp + 0xa0, decoded:
 *
 *     0x0f    DW_CFA_def_cfa_expression
 *     0x06      expression length: 6 bytes
 *     0x8f      DW_OP_breg31 (sp) + SLEB128 offset ...
 *     0x08        ... 8 (CTL_SP)               -> push sp + 8 = &ctl->sp
 *     0x06      DW_OP_deref                    -> push ctl->sp
 *     0x23      DW_OP_plus_uconst + ULEB128 ...
 *     0xa0 0x01   ... 0xa0 (SWITCH_FRAME: 0x20 | 0x80, then 0x01 << 7)
 *
 *   x29, x30, x19-x28, d8-d15 are saved at the switch frame's slots below that CFA, and the
 *   saved x30 is signed (.cfi_negate_ra_state at the start of the FDE).
 */
        .type   fringe_trampoline, @function
        .p2align 4
fringe_trampoline:
        .cfi_startproc
        .cfi_signal_frame
        .cfi_negate_ra_state
        .cfi_escape 0x0f, 0x06, 0x8f, CTL_SP, 0x06, 0x23, 0xa0, 0x01
        .cfi_offset x29, -0xa0                  /* resumer's x29             (+0x00) */
        .cfi_offset x30, -0x98                  /* resumer's return address  (+0x08) */
        .cfi_offset x19, -0x90
        .cfi_offset x20, -0x88
        .cfi_offset x21, -0x80
        .cfi_offset x22, -0x78
        .cfi_offset x23, -0x70
        .cfi_offset x24, -0x68
        .cfi_offset x25, -0x60
        .cfi_offset x26, -0x58
        .cfi_offset x27, -0x50
        .cfi_offset x28, -0x48
        .cfi_offset d8,  -0x40
        .cfi_offset d9,  -0x38
        .cfi_offset d10, -0x30
        .cfi_offset d11, -0x28
        .cfi_offset d12, -0x20
        .cfi_offset d13, -0x18
        .cfi_offset d14, -0x10
        .cfi_offset d15, -0x08
        nop                                     /* (entry - 1) stays in this FDE: see x86_64 */
.Ltrampoline_entry:
        /* body(env, input, (fringe_yielder *) ctl). sp == ctl is 16-aligned, as AAPCS64
           demands at all times. blr: the body is entered through a landing pad of its own
           (`bti c` or `paciasp`) if it was built for BTI. */
        mov     x1, x0                          /* arg 2: input */
        mov     x0, x20                         /* arg 1: env */
        mov     x2, sp                          /* arg 3: yielder = ctl */
        blr     x19                             /* x0 = the body's return value */

        mov     x19, x0                         /* keep it where suspend preserves it */
.Lfinished:
        mov     x9, #1
        str     x9, [sp, #CTL_STATUS]           /* ctl.status = 1 (sp == ctl) */
        mov     x0, sp                          /* self  = ctl */
        mov     x1, x19                         /* value = the body's return value */
        bl      fringe_suspend                  /* pc-relative call to a local symbol */
        b       .Lfinished

/*
 * fringe_overflowed (hidden): as on x86_64. At fringe_overflowed: sp = ctl, every other
 * register dead; reached by sigreturn from fringe_guard.c's handler, which also cleared
 * PSTATE.BTYPE in the context, so this is no landing pad and needs none. The bl signs x30 with
 * sp = ctl inside fringe_suspend, exactly as .Lfinished's does.
 */
        .globl  fringe_overflowed
        .hidden fringe_overflowed
fringe_overflowed:
        mov     x9, #2
        str     x9, [sp, #CTL_STATUS]           /* ctl.status = 2: overflowed (sp == ctl) */
        mov     x0, sp                          /* self  = ctl */
        mov     x1, #0                          /* value = 0 */
        bl      fringe_suspend
        b       fringe_overflowed
        .cfi_endproc
        .size   fringe_trampoline, . - fringe_trampoline


/*
 * Valgrind client requests (difference 6): x4 = address of 6 words {request, arg1..arg5},
 * x3 = default result in, result out; the preamble rotates x12 by 3 + 13 + 51 + 61 = 128 bits
 * (unchanged), then `orr x10, x10, x10`. Codes as on x86_64.
 */
#define VG_USERREQ__STACK_REGISTER    0x1501
#define VG_USERREQ__STACK_DEREGISTER  0x1502

.macro VALGRIND_REQUEST
        ror     x12, x12, #3
        ror     x12, x12, #13
        ror     x12, x12, #51
        ror     x12, x12, #61
        orr     x10, x10, x10                   /* "x3 = client_request(x4)" */
.endm

/*
 * unsigned fringe_stack_register(void *limit, void *base)
 * On entry: x0 = limit, x1 = base. The 48-byte request block keeps sp 16-aligned.
 */
        .globl  fringe_stack_register
        .type   fringe_stack_register, @function
        .p2align 4
fringe_stack_register:
        .cfi_startproc
        hint    #34                             /* bti c */
        sub     sp, sp, #48
        .cfi_def_cfa_offset 48
        mov     x9, #VG_USERREQ__STACK_REGISTER
        sub     x1, x1, #1                      /* highest addressable byte = base - 1 */
        stp     x9, x0, [sp, #0x00]             /* request, arg1 = limit */
        stp     x1, xzr, [sp, #0x10]            /* arg2 = base - 1, arg3 = 0 */
        stp     xzr, xzr, [sp, #0x20]           /* arg4, arg5 = 0 */
        mov     x4, sp                          /* x4 = request block */
        mov     x3, #0                          /* default result: id 0 outside Valgrind */
        VALGRIND_REQUEST
        mov     w0, w3
        add     sp, sp, #48
        .cfi_def_cfa_offset 0
        ret
        .cfi_endproc
        .size   fringe_stack_register, . - fringe_stack_register

/*
 * void fringe_stack_deregister(unsigned id)
 * On entry: w0 = id.
 */
        .globl  fringe_stack_deregister
        .type   fringe_stack_deregister, @function
        .p2align 4
fringe_stack_deregister:
        .cfi_startproc
        hint    #34                             /* bti c */
        sub     sp, sp, #48
        .cfi_def_cfa_offset 48
        mov     x9, #VG_USERREQ__STACK_DEREGISTER
        mov     w0, w0                          /* zero-extend the 32-bit id */
        stp     x9, x0, [sp, #0x00]             /* request, arg1 = id */
        stp     xzr, xzr, [sp, #0x10]           /* arg2..5 = 0 */
        stp     xzr, xzr, [sp, #0x20]
        mov     x4, sp
        mov     x3, #0
        VALGRIND_REQUEST
        add     sp, sp, #48
        .cfi_def_cfa_offset 0
        ret
        .cfi_endproc
        .size   fringe_stack_deregister, . - fringe_stack_deregister


/*
 * GNU property note: this object is BTI and PAC compatible (difference 4). The linker turns
 * it into the PT_GNU_PROPERTY that the kernel and ld.so read.
 *
 *   namesz 4 ("GNU\0"), descsz 16, type NT_GNU_PROPERTY_TYPE_0 (5), then one property:
 *   pr_type GNU_PROPERTY_AARCH64_FEATURE_1_AND (0xc0000000), pr_datasz 4,
 *   pr_data BTI (1) | PAC (2), padded to 8 bytes.
 */
        .section .note.gnu.property, "a"
        .p2align 3
        .word   4
        .word   16
        .word   5
        .asciz  "GNU"
        .word   0xc0000000
        .word   4
        .word   3
        .word   0

/* No executable stack. */
        .section .note.GNU-stack, "", @progbits
