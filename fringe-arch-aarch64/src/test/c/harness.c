/*
 * harness.c - drives libfringe_aarch64.so from C, for what only C can observe: registers,
 * stack alignment, system calls, unwinding, BTI, pointer authentication and guard pages. The
 * aarch64 counterpart of fringe-arch-x86_64's harness: same subcommands and output lines where
 * the architecture does not show through; the register and alignment probes are AArch64
 * assembly, and bti/pac are aarch64's own.
 *
 * Compiled at test time by SwitchHarnessTest with aarch64-linux-gnu-gcc, linked against the
 * freshly built library and against libbti_side.so (bti_side.c, built for BTI), and run under
 * qemu-aarch64, whose default CPU has BTI and PAC. On a failed check it prints "FAIL: ..." and
 * exits 1.
 *
 *   values                    in/out values, first input, return value, ctl layout, resume
 *                             after finish
 *   interleave                100 generators resumed round-robin
 *   registers                 x19-x29 and d8-d15 of both sides survive the switches
 *   align                     the body's sp at entry is 16-byte aligned
 *   fpshared                  FPCR (rounding mode) is shared with the body, as documented
 *   switchloop N              N round trips, then one line: for qemu's -strace
 *   backtrace above|below     glibc backtrace() in a body reaches the resumer's frames
 *   bti                       which objects are BTI-guarded (SIGILL probes), then a generator
 *                             whose body and resumer both live in a guarded object
 *   pac                       the return addresses in switch frames are signed
 *   pac-forged                resumes a generator whose saved return address was replaced by
 *                             the same address unsigned: must die, not continue
 *   guard handler|nohandler   a body recursing forever on a stack with a 64 KiB guard
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fenv.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fringe.h"   /* the header shipped in fringe-backend-jna's jar */

#if !defined(__aarch64__)
#error "this harness is for aarch64"
#endif

/* ---------------------------------------------------------------------------------------------
 * The library's ABI. The control block layout must match fringe_aarch64.S (CTL_*) and
 * dev.fringe.jna.spi.ArchSupport; SWITCH_FRAME_X30 is the slot of x30 in its switch frame.
 * ------------------------------------------------------------------------------------------- */

typedef struct harness_ctl {
    fringe_yielder yielder;   /* word 0: suspend routine; a ctl pointer is a yielder pointer */
    uintptr_t sp;             /* word 1: saved sp of the side not running */
    uintptr_t transfer;       /* word 2: the next input, written before fringe_resume */
    uintptr_t status;         /* word 3: 1 once the body returned */
} harness_ctl;

#define SWITCH_FRAME_X30 0x08

harness_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env);
uintptr_t fringe_resume(harness_ctl *ctl);
unsigned fringe_stack_register(void *limit, void *base);
void fringe_stack_deregister(unsigned id);

#define FAIL(...)                                               \
    do {                                                        \
        printf("FAIL: " __VA_ARGS__);                           \
        printf("\n");                                           \
        fflush(stdout);                                         \
        exit(1);                                                \
    } while (0)

static uintptr_t resume_with(harness_ctl *ctl, uintptr_t input) {
    ctl->transfer = input;
    return fringe_resume(ctl);
}

/* ---------------------------------------------------------------------------------------------
 * Stacks: mmap'ed, optionally with a PROT_NONE guard below.
 * ------------------------------------------------------------------------------------------- */

typedef struct stack {
    char *map;        /* whole mapping, guard included */
    size_t map_len;
    char *limit;      /* lowest usable byte */
    char *base;       /* one past the highest usable byte */
    unsigned vg_id;   /* Valgrind's id, 0 outside Valgrind */
} stack;

static stack stack_new(size_t usable, size_t guard) {
    stack s;
    s.map_len = usable + guard;
    s.map = mmap(NULL, s.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s.map == MAP_FAILED) FAIL("mmap of %zu bytes: %s", s.map_len, strerror(errno));
    if (guard != 0 && mprotect(s.map, guard, PROT_NONE) != 0)
        FAIL("mprotect of the guard: %s", strerror(errno));
    s.limit = s.map + guard;
    s.base = s.map + s.map_len;
    s.vg_id = fringe_stack_register(s.limit, s.base);
    return s;
}

static void stack_free(stack *s) {
    fringe_stack_deregister(s->vg_id);
    munmap(s->map, s->map_len);
}

/* ---------------------------------------------------------------------------------------------
 * values: first input, suspended values, return value, status, ctl layout, resume after finish
 * ------------------------------------------------------------------------------------------- */

static harness_ctl *values_ctl;

static uintptr_t echo_body(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t offset = *(uintptr_t *) env;
    printf("body: env=%" PRIuPTR " first-input=%" PRIuPTR " yielder==ctl: %s\n", offset, input,
           (void *) y == (void *) values_ctl ? "yes" : "no");
    uintptr_t total = 0;
    while (input != 0) {
        total += input;
        input = y->suspend(y, input * 2 + offset);
    }
    printf("body: returning %" PRIuPTR "\n", total + offset);
    return total + offset;
}

static void run_values(void) {
    stack s = stack_new(256 * 1024, 0);
    uintptr_t env = 1000;
    uintptr_t base = (uintptr_t) s.base;
    harness_ctl *ctl = values_ctl = fringe_init(s.base, echo_body, &env);
    printf("ctl: at base-%" PRIuPTR " sp=base-%" PRIuPTR " transfer=%" PRIuPTR " status=%" PRIuPTR
           " suspend=%s\n",
           base - (uintptr_t) ctl, base - ctl->sp, ctl->transfer, ctl->status,
           ctl->yielder.suspend != NULL ? "set" : "null");
    static const uintptr_t inputs[] = {5, 7, 0};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        uintptr_t out = resume_with(ctl, inputs[i]);
        printf("resume(%" PRIuPTR ") = %" PRIuPTR " status=%" PRIuPTR "\n", inputs[i], out, ctl->status);
    }
    uintptr_t again = resume_with(ctl, 9);
    printf("resume(9) after finish = %" PRIuPTR " status=%" PRIuPTR "\n", again, ctl->status);
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * interleave: 100 generators, each with its own stack, resumed round-robin
 * ------------------------------------------------------------------------------------------- */

#define GENERATORS 100
#define ROUNDS 50

static uintptr_t counter_body(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t id = (uintptr_t) env;
    for (uintptr_t k = 0; k < ROUNDS; k++)
        input = y->suspend(y, id * 1000000 + k * 1000 + input);
    return id + 7;
}

static void run_interleave(void) {
    static stack stacks[GENERATORS];
    static harness_ctl *ctls[GENERATORS];
    for (uintptr_t i = 0; i < GENERATORS; i++) {
        stacks[i] = stack_new(64 * 1024, 0);
        ctls[i] = fringe_init(stacks[i].base, counter_body, (void *) i);
    }
    uint64_t checksum = 0;
    for (uintptr_t r = 0; r < ROUNDS; r++) {
        for (uintptr_t i = 0; i < GENERATORS; i++) {
            uintptr_t input = 3 * r + i;
            uintptr_t out = resume_with(ctls[i], input);
            uintptr_t want = i * 1000000 + r * 1000 + input;
            if (out != want || ctls[i]->status != 0)
                FAIL("generator %" PRIuPTR " round %" PRIuPTR ": got %" PRIuPTR " status %" PRIuPTR
                     ", want %" PRIuPTR " status 0", i, r, out, ctls[i]->status, want);
            checksum += out;
        }
    }
    for (uintptr_t i = 0; i < GENERATORS; i++) {
        uintptr_t out = resume_with(ctls[i], 0);
        if (out != i + 7 || ctls[i]->status != 1)
            FAIL("generator %" PRIuPTR " finish: got %" PRIuPTR " status %" PRIuPTR ", want %" PRIuPTR
                 " status 1", i, out, ctls[i]->status, i + 7);
        checksum += out;
        stack_free(&stacks[i]);
    }
    printf("interleaved %d generators x %d round trips: checksum %" PRIu64 "\n", GENERATORS, ROUNDS, checksum);
}

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

#define SAVED_REGS 19
uintptr_t resumer_seen[SAVED_REGS], body_seen[SAVED_REGS];
uintptr_t reg_resumer(harness_ctl *ctl, uintptr_t (*resume)(harness_ctl *), uintptr_t *seen);
uintptr_t reg_body(void *env, uintptr_t input, fringe_yielder *y);

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

static const char *const reg_names[SAVED_REGS] = {
    "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
    "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15"};

static void check_registers(const char *who, const uintptr_t seen[SAVED_REGS], uint64_t pattern) {
    for (int i = 0; i < SAVED_REGS; i++) {
        uintptr_t want = pattern + (uintptr_t) i + 1;
        if (seen[i] != want)
            FAIL("%s %s: 0x%" PRIxPTR " after the switch, want 0x%" PRIxPTR, who, reg_names[i], seen[i], want);
    }
}

static void run_registers(void) {
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, reg_body, body_seen);

    ctl->transfer = 10;
    uintptr_t out = reg_resumer(ctl, fringe_resume, resumer_seen);
    check_registers("resumer", resumer_seen, 0xA1A1A1A1A1A10000u);
    printf("round trip 1: value %" PRIuPTR " status %" PRIuPTR ", resumer's x19-x29 d8-d15 intact\n",
           out, ctl->status);

    ctl->transfer = 20;
    out = reg_resumer(ctl, fringe_resume, resumer_seen);
    check_registers("resumer", resumer_seen, 0xA1A1A1A1A1A10000u);
    printf("round trip 2 (body returned): value %" PRIuPTR " status %" PRIuPTR
           ", resumer's x19-x29 d8-d15 intact\n", out, ctl->status);
    check_registers("body", body_seen, 0xB2B2B2B2B2B20000u);
    printf("body's x19-x29 d8-d15 intact across suspend\n");
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * align: the body's sp at its first instruction. align_body returns it.
 * ------------------------------------------------------------------------------------------- */

uintptr_t align_body(void *env, uintptr_t input, fringe_yielder *y);
__asm__(
    "        .text\n"
    "        .globl  align_body\n"
    "        .type   align_body, %function\n"
    "align_body:\n"
    "        hint  #34\n"
    "        mov   x0, sp\n"                         /* the sp the trampoline's blr left us */
    "        ret\n"
    "        .size   align_body, . - align_body\n");

static void run_align(void) {
    stack s = stack_new(64 * 1024, 0);
    /* The contract asks for an aligned base; fringe_init also aligns a misaligned one down. */
    static const uintptr_t misalign[] = {0, 8, 4, 15};
    for (size_t i = 0; i < sizeof misalign / sizeof misalign[0]; i++) {
        char *base = s.base - misalign[i];
        harness_ctl *ctl = fringe_init(base, align_body, NULL);
        uintptr_t sp = resume_with(ctl, 0);
        printf("base-%" PRIuPTR ": body entry sp = base-%" PRIuPTR ", sp %% 16 = %" PRIuPTR ", status %" PRIuPTR "\n",
               misalign[i], (uintptr_t) base - sp, sp % 16, ctl->status);
    }
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * fpshared: fringe does not switch FPCR (documented in fringe.h).
 * ------------------------------------------------------------------------------------------- */

static uint64_t fpcr(void) {
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}

static uintptr_t rounding_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) input;
    fesetround(FE_TOWARDZERO);
    y->suspend(y, fpcr());
    fesetround(FE_TONEAREST);
    return fpcr();
}

static void run_fpshared(void) {
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, rounding_body, NULL);
    uint64_t before = fpcr();
    uintptr_t in_body = resume_with(ctl, 0);
    printf("body set round-toward-zero: resumer sees %s (FPCR %s the body's)\n",
           fegetround() == FE_TOWARDZERO ? "toward-zero" : "its own mode",
           fpcr() == in_body ? "equals" : "differs from");
    resume_with(ctl, 0);
    printf("body restored round-to-nearest: resumer sees %s (FPCR back to the original: %s)\n",
           fegetround() == FE_TONEAREST ? "to-nearest" : "another mode", fpcr() == before ? "yes" : "no");
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * switchloop N: N round trips and nothing else, for qemu-aarch64 -strace
 * ------------------------------------------------------------------------------------------- */

static uintptr_t increment_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (;;) input = y->suspend(y, input + 1);
    return 0;   /* never reached: the harness never finishes this generator */
}

static void run_switchloop(long n) {
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, increment_body, NULL);
    uintptr_t v = 0;
    for (long i = 0; i < n; i++) v = resume_with(ctl, v);
    if (v != (uintptr_t) n) FAIL("after %ld round trips the counter is %" PRIuPTR, n, v);
    stack_free(&s);
    printf("switched %ld round trips\n", n);   /* one write, whatever n is */
}

/* ---------------------------------------------------------------------------------------------
 * backtrace: the resumer runs on a thread whose stack we place, so that the generator's stack
 * is deterministically above or below it. Global (not static) names: -rdynamic puts them in
 * the dynamic symbol table where dladdr() finds them.
 * ------------------------------------------------------------------------------------------- */

static uintptr_t resumer_sp; /* an address inside the resumer's frame */

void bt_body_inner(void) __attribute__((noinline));
void bt_body_inner(void) {
    void *frames[64];
    int n = backtrace(frames, 64);
    for (int i = 0; i < n; i++) {
        Dl_info info;
        int found = dladdr(frames[i], &info) != 0;
        const char *name = found && info.dli_sname ? info.dli_sname : "?";
        const char *object = found && info.dli_fname ? strrchr(info.dli_fname, '/') : NULL;
        printf("frame %d: %s in %s\n", i, name, object ? object + 1 : found && info.dli_fname ? info.dli_fname : "?");
    }
    __asm__ volatile("" ::: "memory");   /* no tail call: keep this frame on the stack */
}

uintptr_t bt_body(void *env, uintptr_t input, fringe_yielder *y) __attribute__((noinline));
uintptr_t bt_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    bt_body_inner();
    __asm__ volatile("" ::: "memory");
    return input + 1;
}

uintptr_t bt_resumer(harness_ctl *ctl) __attribute__((noinline));
uintptr_t bt_resumer(harness_ctl *ctl) {
    volatile char here = 0;
    resumer_sp = (uintptr_t) &here;
    ctl->transfer = 41;
    uintptr_t v = fringe_resume(ctl);
    __asm__ volatile("" : "+r"(v));      /* use the result after the call: no tail call */
    return v;
}

void *bt_thread_main(void *arg) __attribute__((noinline));
void *bt_thread_main(void *arg) {
    uintptr_t v = bt_resumer(arg);
    __asm__ volatile("" : "+r"(v));
    return (void *) v;
}

static void run_backtrace(const char *where) {
    int above = strcmp(where, "above") == 0;
    if (!above && strcmp(where, "below") != 0) FAIL("backtrace: want above or below, got %s", where);
    /* Two 1 MiB regions; the generator gets the higher one when it must lie above. */
    stack a = stack_new(1024 * 1024, 0), b = stack_new(1024 * 1024, 0);
    stack *lo = a.map < b.map ? &a : &b, *hi = a.map < b.map ? &b : &a;
    stack *gen = above ? hi : lo, *thr = above ? lo : hi;

    harness_ctl *ctl = fringe_init(gen->base, bt_body, NULL);
    pthread_attr_t attr;
    pthread_t thread;
    void *result;
    pthread_attr_init(&attr);
    if (pthread_attr_setstack(&attr, thr->limit, (size_t) (thr->base - thr->limit)) != 0)
        FAIL("pthread_attr_setstack");
    if (pthread_create(&thread, &attr, bt_thread_main, ctl) != 0) FAIL("pthread_create");
    pthread_join(thread, &result);
    pthread_attr_destroy(&attr);

    int gen_above = (uintptr_t) gen->limit > resumer_sp;
    printf("generator stack is %s the resumer's stack\n", gen_above ? "above" : "below");
    printf("result %" PRIuPTR " status %" PRIuPTR "\n", (uintptr_t) result, ctl->status);
    stack_free(&a);
    stack_free(&b);
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
 * guard: overflow into a 64 KiB PROT_NONE guard region
 * ------------------------------------------------------------------------------------------- */

#define GUARD (64 * 1024)

static volatile uintptr_t recursion_stop = UINTPTR_MAX;   /* never reached; hides the recursion */

uintptr_t recurse(uintptr_t depth) __attribute__((noinline));
uintptr_t recurse(uintptr_t depth) {
    volatile char frame[512];
    frame[0] = (char) depth;
    if (depth == recursion_stop) return 0;
    uintptr_t r = recurse(depth + 1);
    return r + (uintptr_t) frame[0];
}

static uintptr_t overflow_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    return recurse(input);
}

static void write_hex(char *out, uintptr_t v) {   /* 16 hex digits, async-signal-safe */
    for (int i = 15; i >= 0; i--, v >>= 4) out[i] = "0123456789abcdef"[v & 15];
}

static void segv_handler(int sig, siginfo_t *info, void *uc) {
    (void) sig;
    (void) uc;
    char line[] = "SIGSEGV at 0x0000000000000000\n";
    write_hex(line + 13, (uintptr_t) info->si_addr);
    ssize_t ignored = write(STDOUT_FILENO, line, sizeof line - 1);
    (void) ignored;
    _exit(42);
}

static void run_guard(const char *mode) {
    int handler = strcmp(mode, "handler") == 0;
    if (!handler && strcmp(mode, "nohandler") != 0) FAIL("guard: want handler or nohandler, got %s", mode);
    /* The process is meant to die: no core file. */
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    prctl(PR_SET_DUMPABLE, 0);
    if (handler) {
        static char altstack[64 * 1024];
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
        if (sigaltstack(&ss, NULL) != 0) FAIL("sigaltstack: %s", strerror(errno));
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = segv_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGSEGV, &sa, NULL) != 0) FAIL("sigaction: %s", strerror(errno));
    }
    stack s = stack_new(256 * 1024, GUARD);
    printf("guard [0x%016" PRIxPTR ", 0x%016" PRIxPTR ")\n", (uintptr_t) s.map, (uintptr_t) s.limit);
    fflush(stdout);
    harness_ctl *ctl = fringe_init(s.base, overflow_body, NULL);
    uintptr_t v = resume_with(ctl, 0);
    FAIL("the body returned %" PRIuPTR " instead of overflowing its stack", v);
}

/* ---------------------------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    const char *cmd = argc > 1 ? argv[1] : "";
    const char *arg = argc > 2 ? argv[2] : "";
    if (strcmp(cmd, "values") == 0) {
        run_values();
    } else if (strcmp(cmd, "interleave") == 0) {
        run_interleave();
    } else if (strcmp(cmd, "registers") == 0) {
        run_registers();
    } else if (strcmp(cmd, "align") == 0) {
        run_align();
    } else if (strcmp(cmd, "fpshared") == 0) {
        run_fpshared();
    } else if (strcmp(cmd, "switchloop") == 0) {
        run_switchloop(strtol(arg, NULL, 10));
    } else if (strcmp(cmd, "backtrace") == 0) {
        run_backtrace(arg);
    } else if (strcmp(cmd, "bti") == 0) {
        run_bti();
    } else if (strcmp(cmd, "pac") == 0) {
        run_pac(0);
    } else if (strcmp(cmd, "pac-forged") == 0) {
        run_pac(1);
    } else if (strcmp(cmd, "guard") == 0) {
        run_guard(arg);
    } else {
        fprintf(stderr, "usage: %s values|interleave|registers|align|fpshared|switchloop N|"
                        "backtrace above|below|bti|pac|pac-forged|guard handler|nohandler\n", argv[0]);
        return 2;
    }
    return 0;
}
