/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_x86_64.S - fringe's native context switch for x86_64, System V AMD64 ABI (Linux, ELF).
 *
 * This file is the REFERENCE implementation: the x86, aarch64, riscv32 and or1k files copy its
 * structure (same control block, same frame shape, same labels, same CFI idea) and comment
 * only where their architecture differs. Read this one first.
 *
 * ============================================================================================
 * What it provides (the only global symbols; everything else is local)
 * ============================================================================================
 *
 *   fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env);
 *   uintptr_t   fringe_resume(fringe_ctl *ctl);
 *   unsigned    fringe_stack_register(void *limit, void *base);
 *   void        fringe_stack_deregister(unsigned id);
 *
 * and, reachable only through a control block's first word, the body's suspend routine
 * (the fringe_yielder ABI of fringe.h):
 *
 *   uintptr_t   fringe_suspend(fringe_yielder *self, uintptr_t value);    (local symbol)
 *
 * A generator body is an ordinary C function running on a stack of its own. fringe_resume
 * switches from the caller's stack onto that stack; the body's suspend switches back. Both
 * directions do exactly the same thing: "push my callee-saved registers on my stack, swap
 * rsp with ctl->sp, pop the other side's callee-saved registers, jump to where it stopped".
 * Because both sides leave the same 7-word record (the SWITCH FRAME below) on their stack,
 * the two routines are mirror images and one CFI description fits both.
 *
 * ============================================================================================
 * The control block (ctl): 4 words at the top of the generator's stack
 * ============================================================================================
 *
 *   These offsets are a contract: they must match dev.fringe.jna.spi.ArchSupport (Javadoc),
 *   dev.fringe.jna.ControlBlock and every other fringe_<arch>.S.
 *
 *   word  offset  name      meaning
 *   ----  ------  --------  ---------------------------------------------------------------
 *   0     0x00    suspend   address of fringe_suspend. A ctl pointer therefore IS a
 *                           fringe_yielder pointer: the body gets (fringe_yielder *) ctl and
 *                           calls yielder->suspend(yielder, value) with self == ctl.
 *   1     0x08    sp        saved rsp of the side that is NOT running: the generator's while
 *                           it is fresh or suspended, the resumer's while the body runs. The
 *                           unwinder reads it too (see "Call stack splicing").
 *   2     0x10    transfer  the body's next input. The resumer (Java, or C) stores it BEFORE
 *                           calling fringe_resume(ctl): one argument only, because every
 *                           extra argument of a JNA direct call costs ~20 ns.
 *   3     0x18    status    0 while the body can be resumed; the trampoline stores 1 when the
 *                           body has returned (fringe_resume then returned its return value).
 *                           2 when the body overflowed its stack: fringe_guard.c's fault
 *                           handler sends the thread to fringe_overflowed, which stores 2 and
 *                           completes a suspend with value 0 on the body's behalf (see
 *                           OVERFLOWED below). The Java side reads status after every resume
 *                           anyway (0 is the fast path), so the value costs a resume nothing.
 *
 *   These constants, and this library's exported symbols, are described to Java by
 *   dev.fringe.arch.x86_64.X86_64Arch (fringe-backend-jna binds the library from that
 *   description). fringe_guard.c (fringe-arch-parent's src/main/c: overflow recovery) is
 *   compiled into the same library.
 */
#define CTL_SUSPEND   0x00
#define CTL_SP        0x08
#define CTL_TRANSFER  0x10
#define CTL_STATUS    0x18
#define CTL_SIZE      0x20      /* 32 bytes: a multiple of 16, so ctl keeps rsp's alignment */
/*
 * ============================================================================================
 * The switch frame: what a side leaves on its stack when it stops running
 * ============================================================================================
 *
 *   Exactly the SysV callee-saved general purpose registers, plus where to continue. The
 *   caller-saved registers (rax, rcx, rdx, rsi, rdi, r8-r11) need no saving: both switch
 *   routines are called like ordinary functions, so the compiler already assumes they are
 *   destroyed. Vector registers xmm0-15 are all caller-saved in SysV, so nothing there either.
 *
 *   NOT saved, deliberately: MXCSR (SSE rounding/exception control) and the x87 control word.
 *   fringe SHARES floating-point control state between a body and its resumer, exactly like
 *   libfringe and corosensei (Boost.Context saves both, and that is about half of its switch
 *   cost: ~7 of ~14 ns per round trip measured on this project's machines). A body that changes
 *   the rounding mode must restore it before it suspends; fringe.h says so.
 *
 *      offset from the saved sp     contents
 *      (ctl->sp points at +0x00)
 *     +-------+------------------+---------------------------------------------------------+
 *     | +0x00 | r15              |                                                         |
 *     | +0x08 | r14              |                                                         |
 *     | +0x10 | r13              |   callee-saved registers, pushed rbp first so that      |
 *     | +0x18 | r12              |   [rbp, rip] form an ordinary frame-pointer record      |
 *     | +0x20 | rbx              |                                                         |
 *     | +0x28 | rbp              |                                                         |
 *     | +0x30 | rip              |   where this side continues: the return address its     |
 *     |       |                  |   `call fringe_resume` / `call *suspend` pushed         |
 *     +-------+------------------+---------------------------------------------------------+
 *       +0x38 = the CFA of the switching routine = its caller's rsp before the `call`.
 */
#define SWITCH_FRAME  0x38      /* 7 words; the CFA is saved sp + SWITCH_FRAME */
/*
 * ============================================================================================
 * Stack layouts in the three states (addresses grow upwards on the page, the stack grows down)
 * ============================================================================================
 *
 * FRESH: after fringe_init, before the first resume. fringe_init wrote a switch frame by
 * hand, as if the generator had stopped just before the trampoline's first instruction; the
 * "saved" rbx and r12 carry the body and its env into the trampoline for free.
 *
 *     stack_base (aligned down to 16)
 *     +----------------------------+
 *     | ctl+0x18  status   = 0     |
 *     | ctl+0x10  transfer = 0     |
 *     | ctl+0x08  sp  -------------+----+
 *     | ctl+0x00  suspend          |    |  <- ctl (16-byte aligned)
 *     +----------------------------+    |
 *     | ctl-0x08  rip = trampoline |    |     (first instruction after a 1-byte pad; see there)
 *     | ctl-0x10  rbp = 0          |    |     ends frame-pointer chains cleanly
 *     | ctl-0x18  rbx = body       |    |
 *     | ctl-0x20  r12 = env        |    |
 *     | ctl-0x28  r13 = 0          |    |
 *     | ctl-0x30  r14 = 0          |    |
 *     | ctl-0x38  r15 = 0          | <--+  <- ctl->sp = ctl - SWITCH_FRAME
 *     +----------------------------+
 *     |  (unused)                  |
 *     +----------------------------+ stack limit
 *
 * SUSPENDED: the body called yielder->suspend(); ctl->sp points at the body's switch frame.
 * Nothing of fringe is left on the resumer's stack: fringe_resume has returned there.
 *
 *     generator stack                               resumer stack
 *     +-------------------------------+              +--------------------------+
 *     | ctl (status 0)                |              | resumer's frames         |
 *     | ctl.sp -----------------------+---+          | (fringe_resume returned) |
 *     +-------------------------------+   |          +--------------------------+
 *     | return address into the       |   |
 *     | trampoline (after call *body) |   |  <- the trampoline's rsp == ctl while the body runs
 *     | body's frames ...             |   |
 *     | return address into the body  |   |
 *     | (after call *suspend)         |   |
 *     | rbp rbx r12 r13 r14 r15 (body)| <-+
 *     +-------------------------------+
 *
 * RUNNING: the resumer called fringe_resume(); ctl->sp now points at the RESUMER's switch
 * frame, which is what lets an unwinder walk from the body into the resumer.
 *
 *     generator stack                               resumer stack
 *     +-------------------------------+              +-------------------------------+
 *     | ctl (status 0)                |              | resumer's frames ...          |
 *     | ctl.sp -----------------------+---+          | return address into resumer   |
 *     +-------------------------------+   |          | (after call fringe_resume)    |
 *     | return address into trampoline|   +--------> | rbp rbx r12 r13 r14 r15 (res.)|
 *     | body's frames ...             |              +-------------------------------+
 *     | <- rsp                        |
 *     +-------------------------------+
 *
 * FINISHED: the body returned into the trampoline, which stored status = 1 and suspended
 * with the return value, in a loop: resuming a finished context by mistake just returns the
 * return value again with status 1; it never re-enters the body. (The Java side never does
 * that; the loop makes the mistake harmless for C callers too.)
 *
 * OVERFLOWED: the body ran into the guard region below its stack. fringe_guard.c's SIGSEGV
 * handler (docs/native-overflow.md) moved the thread to fringe_overflowed with rsp = ctl, the
 * trampoline's own rsp: the body's frames are abandoned where they are, ctl->sp still points at
 * the resumer's switch frame (RUNNING above), and the stack looks as if the body had returned,
 * except that status = 2 and the value handed back is 0, in the same kind of loop.
 *
 * ============================================================================================
 * Call stack splicing (DWARF CFI)
 * ============================================================================================
 *
 * A debugger, perf, or glibc's backtrace() inside a body unwinds body frame by body frame
 * into the trampoline. The trampoline's CFI then says "my caller's frame is the one whose
 * switch frame ctl->sp points at": while the body runs, that is the resumer's switch frame, so
 * the unwinder continues in the code that called fringe_resume, as if the trampoline were
 * fringe_resume itself. The trampoline needs no slot for ctl: it keeps rsp == ctl for its
 * whole life (it is the outermost frame and nothing it calls leaves rsp moved), so ctl->sp
 * sits at rsp + 8, which a DWARF expression can dereference. See fringe_trampoline.
 *
 * The two switch routines keep ctl->sp consistent with the stack they run on AT EVERY
 * INSTRUCTION (a profiler's signal can arrive anywhere): fringe_resume publishes the
 * resumer's sp BEFORE moving onto the generator stack; fringe_suspend moves onto the resumer's
 * stack BEFORE publishing the generator's sp. Whenever an unwinder can reach the trampoline's
 * CFI, ctl->sp points at the resumer.
 *
 * gdb refuses a backtrace whose frames jump to a LOWER address ("previous frame inner to this
 * frame (corrupt stack?)"), which happens whenever the generator's stack lies above the
 * resumer's. gdb makes two exceptions: frames of a function named __morestack (libfringe's
 * choice) and signal frames (corosensei's choice). fringe marks the trampoline a signal frame
 * (.cfi_signal_frame, the 'S' augmentation), because it is a property of the .eh_frame data:
 * it survives `strip`, needs no symbol table, and does not pretend to be libgcc's split-stack
 * routine in profiles. The price: unwinders treat the resumer's return address as an exact pc
 * (no "-1" adjustment), so gdb may show the resumer's line as the one AFTER the call, and gdb
 * prints the trampoline's frame as "<signal handler called>".
 *
 * Tested by SwitchHarnessTest (src/test of this module): glibc backtrace() and a batch gdb run
 * inside a body, with the generator's stack above and below the resumer's. Without
 * .cfi_signal_frame, the gdb run with the generator's stack above stops at the trampoline.
 *
 * The splice is for unwinders that READ the stack. A C++ exception (or a forced unwind) that
 * escaped a body would follow it into the resumer's frames and leave the generator unable to
 * continue: bodies must not let one escape (C has none; make C++ bodies noexcept).
 *
 * ============================================================================================
 * Other design notes
 * ============================================================================================
 *
 *  - Two flavours of the same switch, for two kinds of resumer. They differ only in how they
 *    leave (the frames, registers and CFI are identical, and either side may be resumed by
 *    either flavour), that is, in what they do to the CPU's return stack buffer (RSB), which
 *    predicts every `ret` from the `call`s before it:
 *
 *    fringe_resume + fringe_suspend end in `pop %rcx; jmp *%rcx`. An indirect jmp is
 *    predicted from its own history, right every time in a steady loop, and leaves the RSB
 *    alone. But both the resumer's `call fringe_resume` and the body's `call *suspend` then
 *    leave an entry behind on every round trip, so once the resumer returns, each `ret` on its
 *    way out is predicted from a stale entry. A resumer that returns little after a resume
 *    hardly cares: a C loop (6.3 ns per round trip, Boost.Context 10.9 ns in the same run), and
 *    Java through an FFM downcall, whose stub returns straight into JIT-compiled code (20.7 ns
 *    per round trip against 38.2 ns with the ret flavour, JMH, same run). The FFM binding uses
 *    it (X86_64Arch.resumeSymbol).
 *
 *    fringe_resume_ret + fringe_suspend_ret end in `ret`. Each one pops the entry its own
 *    caller's `call` pushed and is mispredicted (its target is the other side), twice per round
 *    trip, but the RSB stays balanced, so the resumer's later returns are predicted right.
 *    Behind JNA, whose call returns through libffi, JNA's dispatcher and JVM stubs: a round
 *    trip costs 86 ns this way against 131 ns with the jmp flavour (a bare JNA call: 64 ns).
 *    fringe_resume_ret installs fringe_suspend_ret as ctl->suspend, so the body comes back the
 *    same way; the JNA binding uses it (X86_64Arch.returningResumeSymbol). (A body's suspend is
 *    an out-of-line call through the C ABI, so the two mispredicts cannot be avoided, unlike
 *    corosensei's inlined yield.)
 *  - No `xchg %rsp, mem`: xchg with a memory operand is implicitly locked (~20 cycles).
 *  - No system call anywhere on the switch path; signal masks are not switched (like
 *    libfringe, unlike swapcontext).
 *  - Nothing is ever stored below rsp, so a signal may arrive at any instruction.
 *  - Not CET-compatible: the switch never returns to the `call` that entered it, which a
 *    shadow stack would reject. The library therefore carries no SHSTK/IBT property note, and
 *    a loader asked to enforce shadow stacks will refuse or disable them for it.
 *  - Valgrind: fringe_stack_register/deregister issue Valgrind client requests written here
 *    in assembly, so no valgrind header or library is needed at build or run time.
 */

        .text

/*
 * SAVE_SIDE: push the callee-saved registers of the side that is about to stop running,
 * building the top 6 words of its switch frame (the `call` that got us here pushed the 7th,
 * rip). rbp goes first so that [rbp, rip] sit next to each other like a normal frame record.
 *
 * CFI: each push moves the CFA rule (rsp + 8 at entry) up by 8 and records where the
 * register's caller value now lives, so an unwinder stopped between any two pushes is right.
 */
.macro SAVE_SIDE
        pushq   %rbp                            /* switch frame +0x28: rbp */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbp, 0
        pushq   %rbx                            /* switch frame +0x20: rbx */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbx, 0
        pushq   %r12                            /* switch frame +0x18: r12 */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r12, 0
        pushq   %r13                            /* switch frame +0x10: r13 */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r13, 0
        pushq   %r14                            /* switch frame +0x08: r14 */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r14, 0
        pushq   %r15                            /* switch frame +0x00: r15 */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r15, 0
        /* Now rsp points at a complete switch frame; CFA = rsp + SWITCH_FRAME. */
.endm

/*
 * RESTORE_SIDE_AND_GO: rsp already points at the OTHER side's switch frame. Pop its
 * callee-saved registers, pop the address it stopped at, and jump there. rax holds the value
 * handed across; nothing below touches it.
 *
 * CFI: the other side's switch frame has exactly our own frame's shape, so the rules set up
 * by SAVE_SIDE stay true after the rsp swap: they now describe the other side (an unwinder
 * stopped here walks into the other side's caller, which is where we are going). Each pop
 * marks its register as holding the caller's value again (.cfi_restore). After `pop %rcx`,
 * the return address lives in rcx and the CFA is rsp itself.
 */
.macro RESTORE_SIDE_AND_GO leave=jmp
        popq    %r15                            /* switch frame +0x00: r15 */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r15
        popq    %r14                            /* switch frame +0x08: r14 */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r14
        popq    %r13                            /* switch frame +0x10: r13 */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r13
        popq    %r12                            /* switch frame +0x18: r12 */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r12
        popq    %rbx                            /* switch frame +0x20: rbx */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbx
        popq    %rbp                            /* switch frame +0x28: rbp */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        /* How to leave: the two flavours of "Other design notes" in the header. */
.ifc \leave,jmp
        /* pop + indirect jmp. rcx is caller-saved and carries no value on either path, so it
           is free to hold rip. */
        popq    %rcx                            /* switch frame +0x30: rip */
        .cfi_adjust_cfa_offset -8
        .cfi_register %rip, %rcx
        jmp     *%rcx
.else
        /* ret: pops switch frame +0x30 (rip) and goes there; the CFI above already says
           the return address is at CFA - 8. */
        ret
.endif
.endm


/*
 * fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env)
 *
 * Lays out the control block and the FRESH switch frame just below stack_base (see the
 * table in the header) and returns ctl. Runs nothing, touches only the top 88 bytes of the
 * stack. An ordinary leaf function: it ends in `ret` because it returns to its own caller.
 *
 * On entry:  rdi = stack_base, rsi = body, rdx = env
 * On return: rax = ctl = (stack_base & ~15) - CTL_SIZE
 */
        .globl  fringe_init
        .type   fringe_init, @function
        .p2align 4
fringe_init:
        .cfi_startproc
        /* ctl: align the base down to 16 (the contract already asks for an aligned base; this
           only makes a careless caller safe), then step down over the 4 control words. ctl is
           16-byte aligned, which is what the trampoline's `call *body` needs (see there). */
        andq    $-16, %rdi
        leaq    -CTL_SIZE(%rdi), %rax           /* rax = ctl */

        /* Control block: the yielder's suspend pointer, the fresh switch frame's address, and
           zeroed transfer/status. lea with %rip: position-independent, no relocation. */
        leaq    fringe_suspend(%rip), %rcx
        movq    %rcx, CTL_SUSPEND(%rax)         /* ctl.suspend  = fringe_suspend */
        leaq    -SWITCH_FRAME(%rax), %rcx
        movq    %rcx, CTL_SP(%rax)              /* ctl.sp       = ctl - 0x38 (fresh frame) */
        movq    $0, CTL_TRANSFER(%rax)          /* ctl.transfer = 0 */
        movq    $0, CTL_STATUS(%rax)            /* ctl.status   = 0 */

        /* The fresh switch frame, as if the generator had stopped right before the
           trampoline's first instruction. The first fringe_resume pops these into registers:
           rbx = body and r12 = env reach the trampoline without any extra loads, and rbp = 0
           terminates frame-pointer chains (nothing above the trampoline is a frame record). */
        leaq    .Ltrampoline_entry(%rip), %rcx
        movq    %rcx, -0x08(%rax)               /* switch frame +0x30: rip = trampoline entry */
        movq    $0,   -0x10(%rax)               /* switch frame +0x28: rbp = 0 */
        movq    %rsi, -0x18(%rax)               /* switch frame +0x20: rbx = body */
        movq    %rdx, -0x20(%rax)               /* switch frame +0x18: r12 = env */
        movq    $0,   -0x28(%rax)               /* switch frame +0x10: r13 = 0 */
        movq    $0,   -0x30(%rax)               /* switch frame +0x08: r14 = 0 */
        movq    $0,   -0x38(%rax)               /* switch frame +0x00: r15 = 0 */
        ret
        .cfi_endproc
        .size   fringe_init, . - fringe_init


/*
 * uintptr_t fringe_resume(fringe_ctl *ctl)
 *
 * Runs the generator until it suspends (returns the suspended value) or its body returns
 * (returns the body's return value; ctl->status is then 1). The caller stored the input in
 * ctl->transfer beforehand.
 *
 * On entry:  rdi = ctl, [rsp] = return address into the resumer, rsp + 8 is 16-aligned.
 *            The resumer's callee-saved registers are live.
 */
        .globl  fringe_resume
        .type   fringe_resume, @function
        .p2align 4
fringe_resume:
        .cfi_startproc
        /* Save the resumer: its switch frame now lies at rsp. */
        SAVE_SIDE

        /* Swap stacks. Order matters for unwinders: publish the resumer's sp in ctl->sp
           FIRST, then move onto the generator's stack, so that from the first instruction
           executed on the generator's stack, the trampoline's CFI (which reads ctl->sp)
           already leads back here. The input is loaded in between to overlap the loads. */
        movq    CTL_SP(%rdi), %rcx              /* rcx = the generator's saved sp */
        movq    %rsp, CTL_SP(%rdi)              /* ctl.sp = resumer's switch frame */
        movq    CTL_TRANSFER(%rdi), %rax        /* rax = the input, handed across */
        movq    %rcx, %rsp                      /* now on the generator's stack */

        /* Here: rsp = the generator's switch frame; rax = input; rdi = ctl.
           - suspended generator: the frame was pushed by fringe_suspend; we "return" from the
             body's `call *suspend` with rax = input, which is suspend's return value.
           - fresh generator: the frame was written by fringe_init; we land on the trampoline's
             first instruction with rbx = body, r12 = env, rdi = ctl, rax = input.
             THE TRAMPOLINE RELIES ON rdi AND rax HERE: keep this in step with it. */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_resume, . - fringe_resume


/*
 * uintptr_t fringe_suspend(fringe_yielder *self, uintptr_t value)      (local: no .globl)
 *
 * The yielder's suspend routine, reached only through ctl->suspend (an indirect call from a
 * body). Hands `value` to the resumer, whose fringe_resume returns it; returns the input of
 * the next resume (ctl->transfer at that time).
 *
 * On entry:  rdi = self = ctl, rsi = value, on the generator's stack, the body's callee-saved
 *            registers are live; ctl->sp = the resumer's switch frame.
 */
        .type   fringe_suspend, @function
        .p2align 4
fringe_suspend:
        .cfi_startproc
        /* Save the generator: its switch frame now lies at rsp. */
        SAVE_SIDE

        /* Swap stacks. The mirror image of fringe_resume's order: move onto the resumer's
           stack FIRST, then publish the generator's sp, so that while we are still on the
           generator's stack ctl->sp keeps pointing at the resumer (the trampoline's CFI is
           reachable from here until the very instruction that leaves). */
        movq    %rsp, %rcx                      /* rcx = generator's switch frame */
        movq    CTL_SP(%rdi), %rsp              /* now on the resumer's stack */
        movq    %rcx, CTL_SP(%rdi)              /* ctl.sp = generator's switch frame */
        movq    %rsi, %rax                      /* rax = value: fringe_resume's return value */

        /* Here: rsp = the resumer's switch frame (pushed by fringe_resume); rax = value.
           We "return" from the resumer's `call fringe_resume`. */
        RESTORE_SIDE_AND_GO
        .cfi_endproc
        .size   fringe_suspend, . - fringe_suspend


/*
 * uintptr_t fringe_resume_ret(fringe_ctl *ctl)
 *
 * fringe_resume in the `ret` flavour (see "Other design notes"), for resumers that return
 * through several frames after resuming (fringe-backend-jna's JNA binding). It also makes
 * fringe_suspend_ret the yielder's suspend routine, so that the body's next suspend leaves the
 * same way. Registers, frames and CFI are exactly fringe_resume's; only the last instruction
 * differs.
 */
        .globl  fringe_resume_ret
        .type   fringe_resume_ret, @function
        .p2align 4
fringe_resume_ret:
        .cfi_startproc
        SAVE_SIDE
        leaq    fringe_suspend_ret(%rip), %rcx
        movq    %rcx, CTL_SUSPEND(%rdi)         /* ctl.suspend  = fringe_suspend_ret */
        movq    CTL_SP(%rdi), %rcx              /* rcx = the generator's saved sp */
        movq    %rsp, CTL_SP(%rdi)              /* ctl.sp = resumer's switch frame */
        movq    CTL_TRANSFER(%rdi), %rax        /* rax = the input, handed across */
        movq    %rcx, %rsp                      /* now on the generator's stack */
        RESTORE_SIDE_AND_GO ret
        .cfi_endproc
        .size   fringe_resume_ret, . - fringe_resume_ret


/*
 * uintptr_t fringe_suspend_ret(fringe_yielder *self, uintptr_t value)   (local: no .globl)
 *
 * fringe_suspend in the `ret` flavour; installed by fringe_resume_ret.
 */
        .type   fringe_suspend_ret, @function
        .p2align 4
fringe_suspend_ret:
        .cfi_startproc
        SAVE_SIDE
        movq    %rsp, %rcx                      /* rcx = generator's switch frame */
        movq    CTL_SP(%rdi), %rsp              /* now on the resumer's stack */
        movq    %rcx, CTL_SP(%rdi)              /* ctl.sp = generator's switch frame */
        movq    %rsi, %rax                      /* rax = value: the resume's return value */
        RESTORE_SIDE_AND_GO ret
        .cfi_endproc
        .size   fringe_suspend_ret, . - fringe_suspend_ret


/*
 * fringe_trampoline                                                     (local: no .globl)
 *
 * The first code a generator runs: calls body(env, input, yielder), then finishes. It is the
 * outermost frame of the generator's stack and never returns.
 *
 * At .Ltrampoline_entry (reached from fringe_resume's final jmp on a fresh stack):
 *     rsp = ctl            (16-byte aligned: the 7 words of the fresh switch frame are popped)
 *     rdi = ctl            (fringe_resume's argument, untouched: must match fringe_resume)
 *     rax = input          (ctl->transfer, loaded by fringe_resume: must match fringe_resume)
 *     rbx = body, r12 = env, rbp = r13 = r14 = r15 = 0   (popped from the fresh frame)
 *
 * CFI, valid for every instruction of the trampoline (rsp == ctl throughout; a callee's
 * unwind rules restore rsp to exactly that value):
 *
 *   CFA = *(rsp + 8) + 0x38, i.e. ctl->sp + SWITCH_FRAME: the CFA of whatever switch frame
 *         ctl->sp points at. While the body runs that is the resumer's frame, pushed by
 *         fringe_resume, so the trampoline stands in for fringe_resume and its "caller" is
 *         the code that called fringe_resume.
 *   rip, rbp, rbx, r12-r15 are saved at CFA-0x08 ... CFA-0x38, the switch frame's slots.
 *
 *   The CFA needs a DWARF expression (DW_CFA_def_cfa_expression) because it involves a memory
 *   load; gas has no directive for it, hence the .cfi_escape, decoded byte by byte:
 *
 *     0x0f    DW_CFA_def_cfa_expression
 *     0x05      expression length: 5 bytes
 *     0x77      DW_OP_breg7 (rsp) + SLEB128 offset ...
 *     0x08        ... 8                       -> push rsp + 8 = &ctl->sp
 *     0x06      DW_OP_deref                   -> push ctl->sp
 *     0x23      DW_OP_plus_uconst + ULEB128 ...
 *     0x38        ... 0x38 (SWITCH_FRAME)     -> ctl->sp + 0x38 = the CFA
 *
 *   The register rules are plain DW_CFA_offset rules relative to that CFA (.cfi_offset).
 *   .cfi_signal_frame: lets gdb accept a stack that jumps "up" here; see the header.
 */
        .type   fringe_trampoline, @function
        .p2align 4
fringe_trampoline:
        .cfi_startproc
        .cfi_signal_frame
        .cfi_escape 0x0f, 0x05, 0x77, 0x08, 0x06, 0x23, SWITCH_FRAME
        .cfi_offset %rip, -0x08                 /* resumer's return address  (+0x30) */
        .cfi_offset %rbp, -0x10                 /* resumer's rbp             (+0x28) */
        .cfi_offset %rbx, -0x18                 /* resumer's rbx             (+0x20) */
        .cfi_offset %r12, -0x20                 /* resumer's r12             (+0x18) */
        .cfi_offset %r13, -0x28                 /* resumer's r13             (+0x10) */
        .cfi_offset %r14, -0x30                 /* resumer's r14             (+0x08) */
        .cfi_offset %r15, -0x38                 /* resumer's r15             (+0x00) */

        /* One byte of padding inside this FDE, before the entry point. An unwinder that meets
           a return address looks up the FDE of (address - 1), to land inside the call
           instruction. The fresh switch frame's "return address" is .Ltrampoline_entry, so
           while fringe_resume's RESTORE_SIDE_AND_GO runs on a fresh stack, (entry - 1) must
           still be covered by these rules, not by whatever precedes this function. */
        nop
.Ltrampoline_entry:
        /* body(env, input, (fringe_yielder *) ctl). rsp == ctl is 16-byte aligned here, so
           the `call` leaves (rsp + 8) % 16 == 0 at the body's first instruction, as the ABI
           demands of every function entry. The call's return address lands on ctl - 8, the
           slot that held the fresh frame's rip. */
        movq    %rdi, %rdx                      /* arg 3: yielder = ctl */
        movq    %rax, %rsi                      /* arg 2: input */
        movq    %r12, %rdi                      /* arg 1: env */
        call    *%rbx                           /* rax = body's return value */

        /* The body returned: rsp == ctl again (the ABI preserves rsp across a call). Keep the
           return value in rbx, which suspend preserves, and finish. */
        movq    %rax, %rbx
.Lfinished:
        /* status = 1, then hand the return value to the resumer with an ordinary suspend.
           A resumer that (wrongly) resumes a finished context comes back here and gets the
           same return value and status again; the body is never re-entered. */
        movq    $1, CTL_STATUS(%rsp)            /* ctl.status = 1 (rsp == ctl) */
        movq    %rsp, %rdi                      /* self  = ctl */
        movq    %rbx, %rsi                      /* value = the body's return value */
        call    fringe_suspend                  /* direct call to a local symbol: no PLT */
        jmp     .Lfinished

/*
 * fringe_overflowed                                  (hidden: only fringe_guard.c refers to it)
 *
 * Where a body that overflowed its stack continues (state OVERFLOWED in the header). It is
 * reached by no branch: fringe_guard.c's handler recognised a fault in this generator's guard
 * region, taken with rsp inside this generator's stack, rewrote the interrupted context to
 * rsp = ctl, rip = fringe_overflowed, and returned through sigreturn.
 *
 * At fringe_overflowed: rsp = ctl (16-byte aligned), every other register dead: nothing of the
 * abandoned body is restored, and nothing needs it. DF is clear (the handler cleared it in the
 * context: the body may have been inside a backwards string operation).
 *
 * Why an ordinary suspend completes the switch: ctl->sp still points at the resumer's switch
 * frame. fringe_resume published it before it left the resumer's stack, and fringe_suspend
 * replaces it only after it has left the generator's stack (see "Call stack splicing"), so a
 * fault with rsp on the generator's stack always sees the resumer's. The same holds for a
 * fault inside fringe_suspend's own SAVE_SIDE (the body's stack ran out exactly there), and
 * for a fault inside fringe_resume's SAVE_SIDE when this body was resuming a generator nested
 * in it: that one's control block is untouched, it stays suspended. Either flavour of
 * fringe_resume left the same frame, which fringe_suspend pops.
 *
 * CFI: the trampoline's, valid from the first instruction since rsp == ctl: an unwinder stopped
 * here walks into the resumer, as from a running body.
 *
 * Like .Lfinished, a loop: a C caller that resumes an overflowed context by mistake gets 0 and
 * status 2 again, and the abandoned frames are never entered. Java never resumes it again.
 */
        .globl  fringe_overflowed
        .hidden fringe_overflowed
fringe_overflowed:
        movq    $2, CTL_STATUS(%rsp)            /* ctl.status = 2: overflowed (rsp == ctl) */
        movq    %rsp, %rdi                      /* self  = ctl */
        xorl    %esi, %esi                      /* value = 0 */
        call    fringe_suspend
        jmp     fringe_overflowed
        .cfi_endproc
        .size   fringe_trampoline, . - fringe_trampoline


/*
 * Valgrind client requests, written out so that no valgrind.h is needed (at build or run time).
 *
 * A client request is a no-op sequence that Valgrind's JIT recognises: four rotations of rdi
 * by 3, 13, 61 and 51 bits (128 in total, two full turns, so rdi is unchanged; only the
 * flags are touched), then `xchg %rbx, %rbx` (also a no-op). Natively nothing happens and rdx
 * keeps its "default" value. Under Valgrind, rax must point at 6 words {request code, arg1
 * .. arg5} and the result replaces rdx. The codes come from Valgrind's public client-request
 * ABI: VG_USERREQ__STACK_REGISTER = 0x1501 (args: lowest and HIGHEST addressable byte,
 * inclusive; returns a stack id), VG_USERREQ__STACK_DEREGISTER = 0x1502 (arg: the id).
 *
 * Registering a generator stack tells Valgrind that rsp moving into it is a stack switch,
 * not a giant stack frame: without it Valgrind warns "client switching stacks?" and may
 * report bogus errors.
 *
 * VALGRIND_REQUEST: on entry rax = address of the 6-word block, rdx = default result.
 * On exit rdx = result. Clobbers the flags only.
 */
#define VG_USERREQ__STACK_REGISTER    0x1501
#define VG_USERREQ__STACK_DEREGISTER  0x1502

.macro VALGRIND_REQUEST
        rolq    $3,  %rdi                       /* the magic preamble: rdi rotated by ... */
        rolq    $13, %rdi
        rolq    $61, %rdi
        rolq    $51, %rdi                       /* ... 3 + 13 + 61 + 51 = 128 bits: unchanged */
        xchgq   %rbx, %rbx                      /* "rdx = client_request(rax)" */
.endm

/*
 * unsigned fringe_stack_register(void *limit, void *base)
 *
 * On entry: rdi = limit (lowest address), rsi = base (highest address, exclusive).
 * Returns Valgrind's stack id, or 0 when not running under Valgrind.
 */
        .globl  fringe_stack_register
        .type   fringe_stack_register, @function
        .p2align 4
fringe_stack_register:
        .cfi_startproc
        /* The 6-word request block on our own stack: 48 bytes, plus 8 to keep rsp 16-byte
           aligned (not required by a leaf, but tidy). */
        subq    $56, %rsp
        .cfi_adjust_cfa_offset 56
        movq    $VG_USERREQ__STACK_REGISTER, 0x00(%rsp)  /* request */
        movq    %rdi, 0x08(%rsp)                /* arg1: lowest addressable byte = limit */
        leaq    -1(%rsi), %rax
        movq    %rax, 0x10(%rsp)                /* arg2: HIGHEST addressable byte = base - 1 */
        movq    $0, 0x18(%rsp)                  /* arg3..5: unused */
        movq    $0, 0x20(%rsp)
        movq    $0, 0x28(%rsp)
        movq    %rsp, %rax                      /* rax = request block */
        xorl    %edx, %edx                      /* default result: id 0 outside Valgrind */
        VALGRIND_REQUEST
        movl    %edx, %eax                      /* return (unsigned) id */
        addq    $56, %rsp
        .cfi_adjust_cfa_offset -56
        ret
        .cfi_endproc
        .size   fringe_stack_register, . - fringe_stack_register

/*
 * void fringe_stack_deregister(unsigned id)
 *
 * On entry: edi = the id fringe_stack_register returned. A no-op outside Valgrind.
 */
        .globl  fringe_stack_deregister
        .type   fringe_stack_deregister, @function
        .p2align 4
fringe_stack_deregister:
        .cfi_startproc
        subq    $56, %rsp
        .cfi_adjust_cfa_offset 56
        movq    $VG_USERREQ__STACK_DEREGISTER, 0x00(%rsp) /* request */
        movl    %edi, %eax                      /* zero-extend the 32-bit id */
        movq    %rax, 0x08(%rsp)                /* arg1: id */
        movq    $0, 0x10(%rsp)                  /* arg2..5: unused */
        movq    $0, 0x18(%rsp)
        movq    $0, 0x20(%rsp)
        movq    $0, 0x28(%rsp)
        movq    %rsp, %rax                      /* rax = request block */
        xorl    %edx, %edx                      /* default result (ignored) */
        VALGRIND_REQUEST
        addq    $56, %rsp
        .cfi_adjust_cfa_offset -56
        ret
        .cfi_endproc
        .size   fringe_stack_deregister, . - fringe_stack_deregister


/* No executable stack: this object needs none (the build also passes --noexecstack). */
        .section .note.GNU-stack, "", @progbits
