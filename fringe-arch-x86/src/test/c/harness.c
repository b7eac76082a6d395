/*
 * harness.c - drives libfringe_x86.so from C, for what only C can observe: registers, stack
 * alignment, system calls, unwinding, Valgrind and guard pages. The i386 counterpart of
 * fringe-arch-x86_64's harness: same subcommands, same output lines where the architecture
 * does not show through; the register and alignment probes are i386 assembly.
 *
 * Compiled at test time by SwitchHarnessTest (i686-linux-gnu-gcc -O2 -rdynamic -pthread,
 * linked against the freshly built library) and run natively where the kernel runs i386
 * programs, under qemu-i386 where it does not; sometimes under strace, gdb or valgrind (or
 * qemu's -strace and gdb stub). On a failed check it prints "FAIL: ..." and exits 1.
 *
 *   values                    in/out values, first input, return value, ctl layout, resume
 *                             after finish
 *   interleave                100 generators resumed round-robin
 *   registers                 ebx, esi, edi, ebp of both sides survive the switches
 *   align                     the body's esp at entry satisfies (esp + 4) % 16 == 0
 *   fpshared                  the rounding mode is shared with the body, as documented
 *   switchloop N              N round trips, then one line: for strace -c
 *   backtrace above|below     glibc backtrace() in a body reaches the resumer's frames
 *   gdb above|below           same layout, stops in gdb_break_here() for a gdb breakpoint
 *   valgrind [unregistered]   values + interleave + registers, for running under valgrind
 *   guard handler|nohandler   a body recursing forever on a stack with a 64 KiB guard
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fenv.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fringe.h"   /* the header shipped in fringe-backend-jna's jar */

#if !defined(__i386__)
#error "this harness is for i386"
#endif

/* ---------------------------------------------------------------------------------------------
 * The library's ABI. The control block layout must match fringe_x86.S (CTL_*) and
 * dev.fringe.jna.spi.ArchSupport.
 * ------------------------------------------------------------------------------------------- */

typedef struct harness_ctl {
    fringe_yielder yielder;   /* word 0: suspend routine; a ctl pointer is a yielder pointer */
    uintptr_t sp;             /* word 1: saved sp of the side not running */
    uintptr_t transfer;       /* word 2: the next input, written before fringe_resume */
    uintptr_t status;         /* word 3: 1 once the body returned */
} harness_ctl;

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
 * Stacks: mmap'ed, optionally with a PROT_NONE guard below, registered with Valgrind.
 * ------------------------------------------------------------------------------------------- */

typedef struct stack {
    char *map;        /* whole mapping, guard included */
    size_t map_len;
    char *limit;      /* lowest usable byte */
    char *base;       /* one past the highest usable byte */
    unsigned vg_id;   /* Valgrind's id, 0 natively or when not registered */
} stack;

static int register_stacks = 1;

static stack stack_new(size_t usable, size_t guard) {
    stack s;
    s.map_len = usable + guard;
    s.map = mmap(NULL, s.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s.map == MAP_FAILED) FAIL("mmap of %zu bytes: %s", s.map_len, strerror(errno));
    if (guard != 0 && mprotect(s.map, guard, PROT_NONE) != 0)
        FAIL("mprotect of the guard: %s", strerror(errno));
    s.limit = s.map + guard;
    s.base = s.map + s.map_len;
    s.vg_id = register_stacks ? fringe_stack_register(s.limit, s.base) : 0;
    return s;
}

static void stack_free(stack *s) {
    if (register_stacks) fringe_stack_deregister(s->vg_id);
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
 * Both sides are assembly, so that all four callee-saved registers hold known patterns across
 * the switch. reg_resumer(ctl, resume, seen) loads pattern A into ebx, ebp, esi, edi, calls
 * resume(ctl) and stores what it finds afterwards into seen[0..3]; reg_body loads pattern B,
 * calls suspend, stores what it finds after suspend returned into env[0..3], then returns.
 * Position-independent without a GOT: fringe_resume's address and the output arrays come in
 * as arguments (a PLT call from PIE code would need ebx = GOT, and ebx carries a pattern).
 * ------------------------------------------------------------------------------------------- */

uintptr_t resumer_seen[4], body_seen[4];
uintptr_t reg_resumer(harness_ctl *ctl, uintptr_t (*resume)(harness_ctl *), uintptr_t *seen);
uintptr_t reg_body(void *env, uintptr_t input, fringe_yielder *y);

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

static const char *const reg_names[4] = {"ebx", "ebp", "esi", "edi"};

static void check_registers(const char *who, const uintptr_t seen[4], uint32_t pattern) {
    for (int i = 0; i < 4; i++) {
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
    check_registers("resumer", resumer_seen, 0xA1A10000u);
    printf("round trip 1: value %" PRIuPTR " status %" PRIuPTR ", resumer's ebx ebp esi edi intact\n",
           out, ctl->status);

    ctl->transfer = 20;
    out = reg_resumer(ctl, fringe_resume, resumer_seen);
    check_registers("resumer", resumer_seen, 0xA1A10000u);
    printf("round trip 2 (body returned): value %" PRIuPTR " status %" PRIuPTR
           ", resumer's ebx ebp esi edi intact\n", out, ctl->status);
    check_registers("body", body_seen, 0xB2B20000u);
    printf("body's ebx ebp esi edi intact across suspend\n");
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * align: the body's esp at its first instruction. align_body returns it.
 * ------------------------------------------------------------------------------------------- */

uintptr_t align_body(void *env, uintptr_t input, fringe_yielder *y);
__asm__(
    "        .text\n"
    "        .globl  align_body\n"
    "        .type   align_body, @function\n"
    "align_body:\n"
    "        movl  %esp, %eax\n"                     /* the esp the `call` left us */
    "        ret\n"
    "        .size   align_body, . - align_body\n");

static void run_align(void) {
    stack s = stack_new(64 * 1024, 0);
    /* The contract asks for an aligned base; fringe_init also aligns a misaligned one down. */
    static const uintptr_t misalign[] = {0, 8, 4, 15};
    for (size_t i = 0; i < sizeof misalign / sizeof misalign[0]; i++) {
        char *base = s.base - misalign[i];
        harness_ctl *ctl = fringe_init(base, align_body, NULL);
        uintptr_t esp = resume_with(ctl, 0);
        printf("base-%" PRIuPTR ": body entry esp = base-%" PRIuPTR ", (esp + 4) %% 16 = %" PRIuPTR
               ", status %" PRIuPTR "\n", misalign[i], (uintptr_t) base - esp, (esp + 4) % 16, ctl->status);
    }
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * fpshared: fringe does not switch the x87 control word or MXCSR (documented in fringe.h).
 * ------------------------------------------------------------------------------------------- */

static uint16_t x87_control_word(void) {
    uint16_t cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static uintptr_t rounding_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) input;
    fesetround(FE_TOWARDZERO);
    y->suspend(y, x87_control_word());
    fesetround(FE_TONEAREST);
    return x87_control_word();
}

static void run_fpshared(void) {
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, rounding_body, NULL);
    uint16_t before = x87_control_word();
    uintptr_t in_body = resume_with(ctl, 0);
    printf("body set round-toward-zero: resumer sees %s (x87 control word %s the body's)\n",
           fegetround() == FE_TOWARDZERO ? "toward-zero" : "its own mode",
           x87_control_word() == in_body ? "equals" : "differs from");
    resume_with(ctl, 0);
    printf("body restored round-to-nearest: resumer sees %s (control word back to the original: %s)\n",
           fegetround() == FE_TONEAREST ? "to-nearest" : "another mode", x87_control_word() == before ? "yes" : "no");
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * switchloop N: N round trips and nothing else, for strace -c
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
 * backtrace / gdb: the resumer runs on a thread whose stack we place, so that the generator's
 * stack is deterministically above or below it. Global (not static) names: -rdynamic puts them
 * in the dynamic symbol table where dladdr() finds them.
 * ------------------------------------------------------------------------------------------- */

static int use_gdb;          /* gdb mode: stop in gdb_break_here() instead of backtrace() */
static uintptr_t resumer_sp; /* an address inside the resumer's frame */
/* Where libfringe_x86.so is loaded. qemu-i386's gdb stub does not report shared libraries, so
   under emulation the test reads this and hands the library to gdb (add-symbol-file -o). */
uintptr_t fringe_lib_base;

void gdb_break_here(void) __attribute__((noinline));
void gdb_break_here(void) {
    __asm__ volatile("" ::: "memory");   /* keep the call (and this function) in place */
}

void bt_body_inner(void) __attribute__((noinline));
void bt_body_inner(void) {
    if (use_gdb) {
        gdb_break_here();
    } else {
        void *frames[64];
        int n = backtrace(frames, 64);
        for (int i = 0; i < n; i++) {
            Dl_info info;
            int found = dladdr(frames[i], &info) != 0;
            const char *name = found && info.dli_sname ? info.dli_sname : "?";
            const char *object = found && info.dli_fname ? strrchr(info.dli_fname, '/') : NULL;
            printf("frame %d: %s in %s\n", i, name,
                   object ? object + 1 : found && info.dli_fname ? info.dli_fname : "?");
        }
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

static void run_backtrace(const char *where, int gdb) {
    int above = strcmp(where, "above") == 0;
    if (!above && strcmp(where, "below") != 0) FAIL("backtrace: want above or below, got %s", where);
    use_gdb = gdb;
    Dl_info library;
    if (dladdr((void *) fringe_resume, &library) == 0) FAIL("dladdr(fringe_resume)");
    fringe_lib_base = (uintptr_t) library.dli_fbase;
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

static void write_hex(char *out, uintptr_t v) {   /* 2 * sizeof v hex digits, async-signal-safe */
    for (int i = (int) (2 * sizeof v) - 1; i >= 0; i--, v >>= 4) out[i] = "0123456789abcdef"[v & 15];
}

static void segv_handler(int sig, siginfo_t *info, void *uc) {
    (void) sig;
    (void) uc;
    char line[] = "SIGSEGV at 0x00000000\n";
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
    printf("guard [0x%08" PRIxPTR ", 0x%08" PRIxPTR ")\n", (uintptr_t) s.map, (uintptr_t) s.limit);
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
        run_backtrace(arg, 0);
    } else if (strcmp(cmd, "gdb") == 0) {
        run_backtrace(arg, 1);
    } else if (strcmp(cmd, "valgrind") == 0) {
        register_stacks = strcmp(arg, "unregistered") != 0;
        stack probe = stack_new(64 * 1024, 0);
        printf("valgrind stack id of a registered stack: %u\n", probe.vg_id);
        stack_free(&probe);
        run_values();
        run_interleave();
        run_registers();
    } else if (strcmp(cmd, "guard") == 0) {
        run_guard(arg);
    } else {
        fprintf(stderr, "usage: %s values|interleave|registers|align|fpshared|switchloop N|"
                        "backtrace above|below|gdb above|below|valgrind [unregistered]|"
                        "guard handler|nohandler\n", argv[0]);
        return 2;
    }
    return 0;
}
