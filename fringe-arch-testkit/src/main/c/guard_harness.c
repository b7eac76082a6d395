/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * guard_harness.c - drives fringe_guard.c (overflow recovery) from C, on the real switch
 * library of an architecture, for what Java cannot set up: the exact stack pointer at which a
 * body calls into the switch, a previous SIGSEGV handler of every kind, mapping counts.
 *
 * Compiled with the module's harness_arch.c (the register probes; fringe-arch-testkit's
 * harness.h) and linked against the switch library. One subcommand per run; each prints a few
 * deterministic lines and exits 0, or prints "FAIL: ..." and exits 1, or (where the scenario
 * is a crash) dies by the signal the test expects.
 *
 *   recover N           N overflows in a row: fresh and reused stacks, registers of the
 *                       resumer intact after each, the stack never entered again
 *   everywhere          the body calls suspend, or resume of a nested generator, with its stack
 *                       pointer at every word from 256 bytes above its limit down into the
 *                       guard: each call either completes or is an overflow, the nested
 *                       generator stays intact; the faults land inside the switch itself
 *   nested              a generator's body resumes another that overflows, then overflows
 *                       itself
 *   threads T N         T threads, N overflows each, while another thread registers and
 *                       deregisters guards (the index is rebuilt under the faults) and another
 *                       takes faults that the previous handler answers
 *   threadexit N        N short-lived threads, each with an alternate stack: all unmapped after
 *   forward KIND        a previous handler of kind siginfo|plain|default|default-raise|ignore|
 *                       ignore-fault|resethand, installed before fringe's; a fault it must see
 *   fpcontrol           the FP control state the body set before it overflowed reaches the
 *                       resumer, as a suspend would have left it (it is shared, fringe.h)
 *   crash               a null write in a body: not an overflow; dies by SIGSEGV
 *   largeframe probed|unprobed
 *                       a body whose frame is larger than the guard, built with or without
 *                       -fstack-clash-protection (guard_largeframe.c); writable memory lies
 *                       below the guard, and the run says whether it was written
 *   badargs             fringe_guard_register refuses inconsistent ranges
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* The exports of fringe_guard.c (fringe-arch-parent), which the library of every architecture
   with a JVM contains; they must match it. */
uintptr_t fringe_resume_guarded(void *ctl);
int fringe_guard_register(void *guard_low, void *limit, void *base, void *ctl);
void fringe_guard_deregister(int id);
int fringe_guard_prepare_thread(void);
unsigned long fringe_guard_recovered_count(void);
long fringe_guard_alternate_stacks(void);
long fringe_guard_registered(void);

#define GUARD (64 * 1024)
#define OVERFLOWED 2    /* the control block's status word after an overflow */

/* ---------------------------------------------------------------------------------------------
 * Stacks as OsStack makes them: a PROT_NONE guard, then the usable part; registered with
 * fringe_guard for one generator at a time. stack_new/stack_free are harness.h's (also used by
 * harness_arch.c).
 * ------------------------------------------------------------------------------------------- */

stack stack_new(size_t usable, size_t guard) {
    stack s;
    s.map_len = usable + guard;
    s.map = mmap(NULL, s.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s.map == MAP_FAILED) FAIL("mmap of %zu bytes: %s", s.map_len, strerror(errno));
    if (guard != 0 && mprotect(s.map, guard, PROT_NONE) != 0) FAIL("mprotect: %s", strerror(errno));
    s.limit = s.map + guard;
    s.base = s.map + s.map_len;
    s.vg_id = 0;
    return s;
}

void stack_free(stack *s) {
    munmap(s->map, s->map_len);
}

typedef struct guarded {
    stack s;
    harness_ctl *ctl;
    int id;
} guarded;

static void guarded_start(guarded *g, fringe_body_fn body, void *env) {
    g->ctl = fringe_init(g->s.base, body, env);
    g->id = fringe_guard_register(g->s.map, g->s.limit, g->s.base, g->ctl);
    if (g->id < 0) FAIL("fringe_guard_register: %s", strerror(-g->id));
}

static guarded guarded_new(size_t usable, fringe_body_fn body, void *env) {
    guarded g;
    g.s = stack_new(usable, GUARD);
    guarded_start(&g, body, env);
    return g;
}

static void guarded_end(guarded *g) {
    fringe_guard_deregister(g->id);
}

static uintptr_t resume(harness_ctl *ctl, uintptr_t input) {
    ctl->transfer = input;
    return fringe_resume_guarded(ctl);
}

/* ---------------------------------------------------------------------------------------------
 * Bodies
 * ------------------------------------------------------------------------------------------- */

static volatile uintptr_t never = UINTPTR_MAX;   /* hides the endless recursion from gcc */
static atomic_ulong deepest_frames;              /* depth reached by recurse, for the output */

uintptr_t recurse(uintptr_t depth) __attribute__((noinline));
uintptr_t recurse(uintptr_t depth) {
    volatile char frame[256];
    frame[0] = (char) depth;
    if (depth > atomic_load_explicit(&deepest_frames, memory_order_relaxed))
        atomic_store_explicit(&deepest_frames, depth, memory_order_relaxed);
    if (depth == never) return 0;
    return recurse(depth + 1) + (uintptr_t) frame[0];
}

/* Suspends `input` once, then recurses until the stack is exhausted. */
static uintptr_t suspend_then_overflow(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    uintptr_t next = y->suspend(y, input + 1);
    return recurse(next);
}

/* ---------------------------------------------------------------------------------------------
 * recover N
 * ------------------------------------------------------------------------------------------- */

static void check_registers(const uintptr_t seen[], uintptr_t pattern, int overflow) {
    for (int i = 0; i < arch_saved_regs; i++) {
        if (seen[i] != pattern + (uintptr_t) i + 1)
            FAIL("overflow %d: resumer's %s is 0x%" PRIxPTR " after the overflow, want 0x%" PRIxPTR, overflow,
                 arch_reg_names[i], seen[i], pattern + (uintptr_t) i + 1);
    }
}

static void run_recover(long n) {
    guarded reused = {.s = stack_new(64 * 1024, GUARD)};
    uintptr_t seen[HARNESS_MAX_SAVED_REGS];
    for (long i = 0; i < n; i++) {
        /* Every other overflow on a fresh mapping, the others on one stack used again and again. */
        guarded fresh, *g = &reused;
        if (i % 2 == 1) {
            fresh = guarded_new(16 * 1024 + (size_t) (i % 7) * 4096, suspend_then_overflow, NULL);
            g = &fresh;
        } else {
            guarded_start(g, suspend_then_overflow, NULL);
        }
        uintptr_t first = resume(g->ctl, (uintptr_t) i);
        if (first != (uintptr_t) i + 1 || g->ctl->status != 0)
            FAIL("overflow %ld: first resume gave %" PRIuPTR " status %" PRIuPTR, i, first, g->ctl->status);
        /* The overflowing resume goes through the register probe: every callee-saved register
           of the resumer must come back although the body never suspended. */
        g->ctl->transfer = 0;
        uintptr_t out = reg_resumer(g->ctl, (uintptr_t (*)(harness_ctl *)) fringe_resume_guarded, seen);
        if (out != 0 || g->ctl->status != OVERFLOWED)
            FAIL("overflow %ld: resume gave %" PRIuPTR " status %" PRIuPTR ", want 0 status %d", i, out,
                 g->ctl->status, OVERFLOWED);
        check_registers(seen, arch_resumer_pattern, (int) i);
        guarded_end(g);
        if (g == &fresh) stack_free(&fresh.s);
    }
    stack_free(&reused.s);
    printf("%ld overflows recovered (handler count %lu), resumer's %s intact after each\n", n,
           fringe_guard_recovered_count(), arch_reg_list);
    printf("registered guards left: %ld\n", fringe_guard_registered());
}

/* ---------------------------------------------------------------------------------------------
 * everywhere: the body's stack pointer at each word near the limit when it calls the switch.
 * sp_suspend and sp_resume (below, per architecture) move sp to env->sp, call suspend or
 * fringe_resume(env->inner) from there, store the result in env->out and return.
 * ------------------------------------------------------------------------------------------- */

typedef struct sp_env {
    uintptr_t sp;                   /* the stack pointer to make the call with */
    harness_ctl *inner;             /* sp_resume: the generator to resume */
    uintptr_t (*resume)(harness_ctl *);
    uintptr_t out;                  /* what the call returned */
} sp_env;

uintptr_t sp_suspend(void *env, uintptr_t input, fringe_yielder *y);
uintptr_t sp_resume(void *env, uintptr_t input, fringe_yielder *y);

#if defined(__x86_64__)
#define SP_STEP 8
__asm__(
    "        .text\n"
    "        .globl sp_suspend\n"
    "        .type  sp_suspend, @function\n"
    "sp_suspend:\n"                                  /* rdi = env, rsi = input, rdx = y */
    "        pushq  %r12\n"
    "        pushq  %r13\n"
    "        pushq  %r14\n"
    "        movq   %rdi, %r13\n"
    "        movq   %rsp, %r12\n"
    "        movq   0(%r13), %rsp\n"                  /* sp = env->sp */
    "        movq   %rdx, %rdi\n"
    "        call   *(%rdi)\n"                        /* y->suspend(y, input) */
    "        movq   %r12, %rsp\n"
    "        movq   %rax, 24(%r13)\n"
    "        popq   %r14\n"
    "        popq   %r13\n"
    "        popq   %r12\n"
    "        xorl   %eax, %eax\n"
    "        ret\n"
    "        .size  sp_suspend, . - sp_suspend\n"
    "        .globl sp_resume\n"
    "        .type  sp_resume, @function\n"
    "sp_resume:\n"
    "        pushq  %r12\n"
    "        pushq  %r13\n"
    "        pushq  %r14\n"
    "        movq   %rdi, %r13\n"
    "        movq   %rsp, %r12\n"
    "        movq   0(%r13), %rsp\n"
    "        movq   8(%r13), %rdi\n"                  /* env->inner */
    "        call   *16(%r13)\n"                      /* env->resume(inner) */
    "        movq   %r12, %rsp\n"
    "        movq   %rax, 24(%r13)\n"
    "        popq   %r14\n"
    "        popq   %r13\n"
    "        popq   %r12\n"
    "        xorl   %eax, %eax\n"
    "        ret\n"
    "        .size  sp_resume, . - sp_resume\n");
#elif defined(__i386__)
#define SP_STEP 4
__asm__(
    "        .text\n"
    "        .globl sp_suspend\n"
    "        .type  sp_suspend, @function\n"
    "sp_suspend:\n"                                  /* [esp+4] env, [esp+8] input, [esp+12] y */
    "        pushl  %ebx\n"
    "        pushl  %esi\n"
    "        movl   12(%esp), %ebx\n"                 /* env */
    "        movl   16(%esp), %ecx\n"                 /* input */
    "        movl   20(%esp), %edx\n"                 /* y */
    "        movl   %esp, %esi\n"
    "        movl   0(%ebx), %esp\n"                  /* esp = env->sp, then two argument words */
    "        pushl  %ecx\n"
    "        pushl  %edx\n"
    "        call   *(%edx)\n"
    "        movl   %esi, %esp\n"
    "        movl   %eax, 12(%ebx)\n"
    "        popl   %esi\n"
    "        popl   %ebx\n"
    "        xorl   %eax, %eax\n"
    "        ret\n"
    "        .size  sp_suspend, . - sp_suspend\n"
    "        .globl sp_resume\n"
    "        .type  sp_resume, @function\n"
    "sp_resume:\n"
    "        pushl  %ebx\n"
    "        pushl  %esi\n"
    "        movl   12(%esp), %ebx\n"
    "        movl   %esp, %esi\n"
    "        movl   0(%ebx), %esp\n"
    "        pushl  4(%ebx)\n"                        /* env->inner */
    "        call   *8(%ebx)\n"
    "        movl   %esi, %esp\n"
    "        movl   %eax, 12(%ebx)\n"
    "        popl   %esi\n"
    "        popl   %ebx\n"
    "        xorl   %eax, %eax\n"
    "        ret\n"
    "        .size  sp_resume, . - sp_resume\n");
#elif defined(__aarch64__)
#define SP_STEP 16   /* sp must stay 16-byte aligned: the kernel checks every access through it */
__asm__(
    "        .text\n"
    "        .globl sp_suspend\n"
    "        .type  sp_suspend, @function\n"
    "sp_suspend:\n"                                  /* x0 = env, x1 = input, x2 = y */
    "        hint   #34\n"                            /* bti c */
    "        stp    x29, x30, [sp, #-32]!\n"
    "        stp    x19, x20, [sp, #16]\n"
    "        mov    x19, x0\n"
    "        mov    x20, sp\n"
    "        ldr    x9, [x19, #0]\n"
    "        mov    sp, x9\n"                          /* sp = env->sp */
    "        mov    x0, x2\n"
    "        ldr    x9, [x2]\n"
    "        blr    x9\n"                              /* y->suspend(y, input) */
    "        mov    sp, x20\n"
    "        str    x0, [x19, #24]\n"
    "        ldp    x19, x20, [sp, #16]\n"
    "        ldp    x29, x30, [sp], #32\n"
    "        mov    x0, #0\n"
    "        ret\n"
    "        .size  sp_suspend, . - sp_suspend\n"
    "        .globl sp_resume\n"
    "        .type  sp_resume, @function\n"
    "sp_resume:\n"
    "        hint   #34\n"
    "        stp    x29, x30, [sp, #-32]!\n"
    "        stp    x19, x20, [sp, #16]\n"
    "        mov    x19, x0\n"
    "        mov    x20, sp\n"
    "        ldr    x9, [x19, #0]\n"
    "        mov    sp, x9\n"
    "        ldr    x0, [x19, #8]\n"                   /* env->inner */
    "        ldr    x9, [x19, #16]\n"
    "        blr    x9\n"                              /* env->resume(inner) */
    "        mov    sp, x20\n"
    "        str    x0, [x19, #24]\n"
    "        ldp    x19, x20, [sp, #16]\n"
    "        ldp    x29, x30, [sp], #32\n"
    "        mov    x0, #0\n"
    "        ret\n"
    "        .size  sp_resume, . - sp_resume\n");
#endif

static uintptr_t echo_body(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t *count = env;
    while (input != UINTPTR_MAX) {
        (*count)++;
        input = y->suspend(y, input + 1000);
    }
    return 0;
}

/* One call of `body` (sp_suspend or sp_resume) with sp = limit + offset. Returns 1 if it
   overflowed, 0 if the call went through. */
static int call_at(guarded *g, fringe_body_fn body, long offset, harness_ctl *inner, uintptr_t *inner_count) {
    sp_env env = {.sp = (uintptr_t) g->s.limit + (uintptr_t) offset, .inner = inner,
                  .resume = (uintptr_t (*)(harness_ctl *)) fringe_resume_guarded};
    guarded_start(g, body, &env);
    uintptr_t before = inner_count ? *inner_count : 0;
    if (inner) inner->transfer = 5;
    uintptr_t out = resume(g->ctl, 77);
    int overflowed = g->ctl->status == OVERFLOWED;
    if (overflowed) {
        if (out != 0) FAIL("offset %ld: overflow returned %" PRIuPTR, offset, out);
        if (inner && *inner_count != before)
            FAIL("offset %ld: the nested generator ran although its resumer overflowed first", offset);
    } else if (inner == NULL) {
        /* suspend went through: the body suspended 77 */
        if (out != 77 || g->ctl->status != 0) FAIL("offset %ld: suspend gave %" PRIuPTR, offset, out);
        out = resume(g->ctl, 9);
        if (g->ctl->status != 1 || env.out != 9) FAIL("offset %ld: after suspend: status %" PRIuPTR, offset, g->ctl->status);
    } else {
        /* resume went through: the nested generator ran once, and its value came back */
        if (g->ctl->status != 1 || env.out != 1005 || *inner_count != before + 1)
            FAIL("offset %ld: nested resume: status %" PRIuPTR " value %" PRIuPTR, offset, g->ctl->status, env.out);
    }
    guarded_end(g);
    return overflowed;
}

static void run_everywhere(void) {
    guarded g = {.s = stack_new(16 * 1024, GUARD)};
    for (int nested = 0; nested < 2; nested++) {
        uintptr_t inner_count = 0;
        guarded inner = guarded_new(16 * 1024, echo_body, &inner_count);
        long first_ok = -1, calls = 0, overflows = 0;
        for (long offset = -64; offset <= 256; offset += SP_STEP) {
            int overflowed = call_at(&g, nested ? sp_resume : sp_suspend, offset, nested ? inner.ctl : NULL, &inner_count);
            calls++;
            overflows += overflowed;
            if (overflowed && first_ok >= 0) FAIL("offset %ld overflowed above offset %ld, which fit", offset, first_ok);
            if (!overflowed && first_ok < 0) first_ok = offset;
        }
        /* The nested generator was never harmed: it still answers. */
        uintptr_t v = resume(inner.ctl, 1);
        if (v != 1001 || inner.ctl->status != 0) FAIL("nested generator after the sweep: %" PRIuPTR, v);
        printf("%s with sp from limit-64 to limit+256: %ld calls, %ld overflows, first call that fits at limit+%ld\n",
               nested ? "resume of a nested generator" : "suspend", calls, overflows, first_ok);
        guarded_end(&inner);
        stack_free(&inner.s);
    }
    stack_free(&g.s);
}

/* ---------------------------------------------------------------------------------------------
 * nested: A's body resumes B, B overflows (A goes on), then A overflows.
 * ------------------------------------------------------------------------------------------- */

static uintptr_t outer_body(void *env, uintptr_t input, fringe_yielder *y) {
    harness_ctl *inner = env;
    (void) input;
    uintptr_t first = resume(inner, 10);               /* B suspends 11 */
    uintptr_t second = resume(inner, 0);               /* B overflows */
    y->suspend(y, first * 1000 + second * 10 + inner->status);
    return recurse(0);                                 /* now A overflows */
}

static void run_nested(void) {
    guarded b = guarded_new(32 * 1024, suspend_then_overflow, NULL);
    guarded a = guarded_new(32 * 1024, outer_body, b.ctl);
    uintptr_t v = resume(a.ctl, 0);
    printf("outer suspended %" PRIuPTR " (inner: first value 11, then 0 with status 2)\n", v);
    v = resume(a.ctl, 0);
    printf("outer resumed again: %" PRIuPTR " status %" PRIuPTR "\n", v, a.ctl->status);
    guarded_end(&a);
    guarded_end(&b);
    stack_free(&a.s);
    stack_free(&b.s);
}

/* ---------------------------------------------------------------------------------------------
 * threads T N
 * ------------------------------------------------------------------------------------------- */

static atomic_int stop_background;
static atomic_long answered_faults;
static __thread sigjmp_buf *fault_jump;

/* The "previous" handler of this test: answers faults of the prober thread by jumping out. */
static void previous_segv(int sig, siginfo_t *info, void *uc) {
    (void) uc;
    if (fault_jump != NULL && sig == SIGSEGV && info->si_addr == NULL) siglongjmp(*fault_jump, 1);
    static const char msg[] = "FAIL: unexpected SIGSEGV reached the previous handler\n";
    ssize_t ignored = write(STDOUT_FILENO, msg, sizeof msg - 1);
    (void) ignored;
    _exit(1);
}

static void install_previous(void (*handler)(int, siginfo_t *, void *), int flags, int masked) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (masked) sigaddset(&sa.sa_mask, SIGUSR1);
    if (sigaction(SIGSEGV, &sa, NULL) != 0) FAIL("sigaction: %s", strerror(errno));
}

static void *overflow_thread(void *arg) {
    long n = (long) (intptr_t) arg;
    for (long i = 0; i < n; i++) {
        guarded g = guarded_new(8 * 1024 + (size_t) (i % 5) * 4096, suspend_then_overflow, NULL);
        if (resume(g.ctl, 1) != 2) FAIL("thread: first resume");
        if (resume(g.ctl, 0) != 0 || g.ctl->status != OVERFLOWED) FAIL("thread: overflow %ld not recovered", i);
        guarded_end(&g);
        stack_free(&g.s);
    }
    return NULL;
}

#define CHURN 512
static void *churn_thread(void *arg) {
    (void) arg;
    /* Registrations of ranges inside a reservation nobody can run on (PROT_NONE): they grow
       and rebuild the index while the other threads' handlers read it. */
    size_t span = 2 * GUARD;
    char *reserved = mmap(NULL, CHURN * span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (reserved == MAP_FAILED) FAIL("mmap of the churn reservation");
    static int ids[CHURN];
    long rounds = 0;
    while (!atomic_load(&stop_background)) {
        for (int i = 0; i < CHURN; i++) {
            char *low = reserved + (size_t) i * span;
            ids[i] = fringe_guard_register(low, low + GUARD, low + span, low + span - 64);
            if (ids[i] < 0) FAIL("churn register: %s", strerror(-ids[i]));
        }
        for (int i = 0; i < CHURN; i++) fringe_guard_deregister(ids[i]);
        rounds++;
    }
    munmap(reserved, CHURN * span);
    return (void *) rounds;
}

static void *fault_thread(void *arg) {
    (void) arg;
    sigjmp_buf here;
    fault_jump = &here;
    fringe_guard_prepare_thread();   /* the previous handler runs on the alternate stack too */
    while (!atomic_load(&stop_background)) {
        if (sigsetjmp(here, 1) == 0) {
            *(volatile int *) NULL = 1;
        }
        atomic_fetch_add(&answered_faults, 1);
    }
    return NULL;
}

static void run_threads(int threads, long n) {
    install_previous(previous_segv, 0, 0);
    pthread_t overflowers[64], churn, prober;
    if (threads > 64) threads = 64;
    pthread_create(&churn, NULL, churn_thread, NULL);
    pthread_create(&prober, NULL, fault_thread, NULL);
    for (int t = 0; t < threads; t++) pthread_create(&overflowers[t], NULL, overflow_thread, (void *) (intptr_t) n);
    for (int t = 0; t < threads; t++) pthread_join(overflowers[t], NULL);
    atomic_store(&stop_background, 1);
    void *rounds;
    pthread_join(churn, &rounds);
    pthread_join(prober, NULL);
    printf("%d threads x %ld overflows recovered: %lu in all\n", threads, n, fringe_guard_recovered_count());
    printf("meanwhile: %s rounds of 512 registrations, %s faults answered by the previous handler\n",
           (long) (intptr_t) rounds > 0 ? "some" : "NO", atomic_load(&answered_faults) > 0 ? "some" : "NO");
    printf("registered guards left: %ld\n", fringe_guard_registered());
}

/* ---------------------------------------------------------------------------------------------
 * threadexit N
 * ------------------------------------------------------------------------------------------- */

static long count_mappings(void) {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL) FAIL("/proc/self/maps: %s", strerror(errno));
    long lines = 0;
    for (int c; (c = fgetc(maps)) != EOF;) lines += c == '\n';
    fclose(maps);
    return lines;
}

static pthread_barrier_t all_alive, counted;

static void *idle_thread(void *arg) {
    (void) arg;
    void *volatile block = malloc(64);  /* the thread's malloc arena: glibc keeps it, mapped once */
    free(block);
    pthread_barrier_wait(&all_alive);
    return NULL;
}

static void *short_lived(void *arg) {
    uintptr_t count = 0;
    guarded *g = arg;
    g->ctl = fringe_init(g->s.base, echo_body, &count);
    if (resume(g->ctl, 1) != 1001) FAIL("short-lived thread: resume");
    pthread_barrier_wait(&all_alive);
    pthread_barrier_wait(&counted);     /* exit only after main has counted the live stacks */
    return NULL;
}

static void run_threadexit(long n) {
    enum { BATCH = 20 };
    long peak = 0;
    /* A first batch without generators: glibc keeps the stacks and malloc arenas of exited
       threads for reuse (fringe allocates a little at thread setup), so the count "before"
       includes them. */
    pthread_t idle[BATCH];
    pthread_barrier_init(&all_alive, NULL, BATCH + 1);
    for (int i = 0; i < BATCH; i++) pthread_create(&idle[i], NULL, idle_thread, NULL);
    pthread_barrier_wait(&all_alive);
    for (int i = 0; i < BATCH; i++) pthread_join(idle[i], NULL);
    pthread_barrier_destroy(&all_alive);
    guarded stacks[BATCH];
    for (int i = 0; i < BATCH; i++) stacks[i].s = stack_new(16 * 1024, 0);
    long before = count_mappings();
    for (long done = 0; done < n; done += BATCH) {
        pthread_t t[BATCH];
        pthread_barrier_init(&all_alive, NULL, BATCH + 1);
        pthread_barrier_init(&counted, NULL, BATCH + 1);
        for (int i = 0; i < BATCH; i++) pthread_create(&t[i], NULL, short_lived, &stacks[i]);
        pthread_barrier_wait(&all_alive);          /* all BATCH threads alive, each with its stack */
        long alive = fringe_guard_alternate_stacks();
        if (alive > peak) peak = alive;
        pthread_barrier_wait(&counted);
        for (int i = 0; i < BATCH; i++) pthread_join(t[i], NULL);
        pthread_barrier_destroy(&all_alive);
        pthread_barrier_destroy(&counted);
    }
    long after = count_mappings();
    for (int i = 0; i < BATCH; i++) stack_free(&stacks[i].s);
    printf("%ld threads, %d at a time: %ld alternate stacks at the peak, %ld left after they exited\n", n, BATCH,
           peak, fringe_guard_alternate_stacks());
    printf("mappings: %s\n", after - before <= 4 ? "as many as before" : "MORE than before");
    if (after - before > 4) FAIL("%ld mappings before, %ld after", before, after);
}

/* ---------------------------------------------------------------------------------------------
 * forward KIND: the handler installed before fringe's gets every signal that is no overflow,
 * exactly as the kernel would have delivered it.
 * ------------------------------------------------------------------------------------------- */

static sigjmp_buf forward_jump;
static volatile int previous_calls;

static void previous_with_info(int sig, siginfo_t *info, void *uc) {
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    stack_t alt;
    sigaltstack(NULL, &alt);
    printf("previous handler: sig %s, %s, context %s, SIGUSR1 %s, SIGSEGV %s, %s\n",
           sig == SIGSEGV ? "SIGSEGV" : "other", info->si_code <= 0 ? "sent by raise()" : info->si_addr == NULL ? "fault at NULL" : "fault elsewhere",
           uc != NULL ? "passed" : "NULL",
           sigismember(&now, SIGUSR1) ? "blocked" : "unblocked", sigismember(&now, SIGSEGV) ? "blocked" : "unblocked",
           alt.ss_flags & SS_ONSTACK ? "on the alternate stack" : "on the thread's stack");
    previous_calls++;
    siglongjmp(forward_jump, 1);
}

static void previous_plain(int sig) {
    printf("previous plain handler: sig %s\n", sig == SIGSEGV ? "SIGSEGV" : "other");
    previous_calls++;
    siglongjmp(forward_jump, 1);
}

static void overflow_once(const char *when) {
    guarded g = guarded_new(16 * 1024, suspend_then_overflow, NULL);
    resume(g.ctl, 1);
    uintptr_t v = resume(g.ctl, 0);
    printf("overflow %s: value %" PRIuPTR " status %" PRIuPTR "\n", when, v, g.ctl->status);
    guarded_end(&g);
    stack_free(&g.s);
}

static void null_write(const char *what) {
    printf("%s\n", what);
    fflush(stdout);
    if (sigsetjmp(forward_jump, 1) == 0) {
        *(volatile int *) NULL = 1;
        printf("FAIL: the null write went through\n");
        exit(1);
    }
}

static void send_segv(const char *what) {
    printf("%s\n", what);
    fflush(stdout);
    if (sigsetjmp(forward_jump, 1) == 0) {
        raise(SIGSEGV);
        printf("raise(SIGSEGV) returned\n");
    }
}

static void no_core(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0);
}

static void run_forward(const char *kind) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    no_core();
    if (strcmp(kind, "siginfo") == 0) {
        install_previous(previous_with_info, 0, 1);
    } else if (strcmp(kind, "plain") == 0) {
        sa.sa_handler = previous_plain;
        sigaction(SIGSEGV, &sa, NULL);
    } else if (strcmp(kind, "resethand") == 0) {
        install_previous(previous_with_info, SA_RESETHAND, 0);
    } else if (strcmp(kind, "ignore") == 0 || strcmp(kind, "ignore-fault") == 0) {
        sa.sa_handler = SIG_IGN;
        sigaction(SIGSEGV, &sa, NULL);
    } else if (strcmp(kind, "default") != 0 && strcmp(kind, "default-raise") != 0) {
        FAIL("forward: unknown kind %s", kind);
    }
    if (fringe_guard_prepare_thread() != 0) FAIL("fringe_guard_prepare_thread");
    overflow_once("before");
    if (strcmp(kind, "siginfo") == 0) {
        null_write("null write:");
        send_segv("raise(SIGSEGV):");
    } else if (strcmp(kind, "plain") == 0) {
        null_write("null write:");
    } else if (strcmp(kind, "resethand") == 0) {
        null_write("null write:");
        overflow_once("after the reset");
        null_write("null write again (SIG_DFL now: dies):");
    } else if (strcmp(kind, "ignore") == 0) {
        send_segv("raise(SIGSEGV) (ignored):");
        null_write("null write (a fault cannot be ignored: dies):");
    } else if (strcmp(kind, "ignore-fault") == 0) {
        null_write("null write (a fault cannot be ignored: dies):");
    } else if (strcmp(kind, "default") == 0) {
        null_write("null write (SIG_DFL: dies):");
    } else {
        send_segv("raise(SIGSEGV) (SIG_DFL: dies):");
    }
    printf("previous handler called %d times\n", previous_calls);
}

/* ---------------------------------------------------------------------------------------------
 * fpcontrol
 * ------------------------------------------------------------------------------------------- */

static uintptr_t rounding_then_overflow(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    fesetround(FE_TOWARDZERO);
    return recurse(input);
}

static const char *rounding(void) {
    int mode = fegetround();
    return mode == FE_TOWARDZERO ? "toward-zero" : mode == FE_TONEAREST ? "to-nearest" : "another mode";
}

static void run_fpcontrol(void) {
    uintptr_t before = arch_fp_control();
    guarded g = guarded_new(16 * 1024, rounding_then_overflow, NULL);
    printf("before: %s\n", rounding());
    resume(g.ctl, 0);
    printf("after the body set toward-zero and overflowed: status %" PRIuPTR ", resumer sees %s (%s %s)\n",
           g.ctl->status, rounding(), arch_fp_control_name, arch_fp_control() == before ? "unchanged" : "changed");
    fesetround(FE_TONEAREST);
    printf("restored: %s, %s back to the original: %s\n", rounding(), arch_fp_control_short,
           arch_fp_control() == before ? "yes" : "no");
    guarded_end(&g);
    stack_free(&g.s);
}

/* ---------------------------------------------------------------------------------------------
 * crash, largeframe, badargs
 * ------------------------------------------------------------------------------------------- */

static uintptr_t null_write_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    *(volatile uintptr_t *) (input - input) = 1;
    return 0;
}

static void run_crash(void) {
    no_core();
    guarded g = guarded_new(16 * 1024, null_write_body, NULL);
    printf("a body writes to NULL: the process must die by SIGSEGV\n");
    fflush(stdout);
    resume(g.ctl, 0);
    FAIL("the null write came back as status %" PRIuPTR, g.ctl->status);
}

/* guard_largeframe.c, built with and without -fstack-clash-protection: one frame of 128 KiB,
   twice the guard. */
uintptr_t large_frame_probed(void *env, uintptr_t input, fringe_yielder *y);
uintptr_t large_frame_unprobed(void *env, uintptr_t input, fringe_yielder *y);

static void run_largeframe(const char *build) {
    int probed = strcmp(build, "probed") == 0;
    if (!probed && strcmp(build, "unprobed") != 0) FAIL("largeframe: want probed or unprobed, got %s", build);
    no_core();
    /* A victim mapping right below the guard, where a frame that jumps the guard lands. */
    size_t usable = 64 * 1024, victim_len = 256 * 1024;
    char *all = mmap(NULL, victim_len + GUARD + usable, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (all == MAP_FAILED) FAIL("mmap");
    guarded g;
    g.s.map = all + victim_len;
    g.s.map_len = GUARD + usable;
    if (mprotect(g.s.map, GUARD, PROT_NONE) != 0) FAIL("mprotect");
    g.s.limit = g.s.map + GUARD;
    g.s.base = g.s.limit + usable;
    printf("a body with a 128 KiB frame, built %s -fstack-clash-protection\n", probed ? "with" : "without");
    guarded_start(&g, probed ? large_frame_probed : large_frame_unprobed, NULL);
    uintptr_t v = resume(g.ctl, 0);
    uintptr_t nonzero = 0;
    for (size_t i = 0; i < victim_len; i++) nonzero += all[i] != 0;
    printf("status %" PRIuPTR " (value %" PRIuPTR "), %" PRIuPTR " bytes below the guard overwritten\n",
           g.ctl->status, v, nonzero);
    guarded_end(&g);
}

static void run_badargs(void) {
    char buf[64];
    char *p = buf;
    printf("limit below guard: %s\n", fringe_guard_register(p + 16, p + 8, p + 64, p + 32) == -EINVAL ? "EINVAL" : "accepted");
    printf("ctl outside the stack: %s\n", fringe_guard_register(p, p + 8, p + 32, p + 40) == -EINVAL ? "EINVAL" : "accepted");
    printf("ctl in the guard: %s\n", fringe_guard_register(p, p + 8, p + 32, p + 4) == -EINVAL ? "EINVAL" : "accepted");
    fringe_guard_deregister(-1);
    fringe_guard_deregister(1 << 30);
    printf("deregistering unknown ids: ignored; registered guards: %ld\n", fringe_guard_registered());
}

/* ---------------------------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *cmd = argc > 1 ? argv[1] : "";
    const char *arg = argc > 2 ? argv[2] : "";
    const char *arg2 = argc > 3 ? argv[3] : "";
    if (strcmp(cmd, "recover") == 0) {
        run_recover(strtol(arg, NULL, 10));
    } else if (strcmp(cmd, "everywhere") == 0) {
        run_everywhere();
    } else if (strcmp(cmd, "nested") == 0) {
        run_nested();
    } else if (strcmp(cmd, "threads") == 0) {
        run_threads((int) strtol(arg, NULL, 10), strtol(arg2, NULL, 10));
    } else if (strcmp(cmd, "threadexit") == 0) {
        run_threadexit(strtol(arg, NULL, 10));
    } else if (strcmp(cmd, "forward") == 0) {
        run_forward(arg);
    } else if (strcmp(cmd, "fpcontrol") == 0) {
        run_fpcontrol();
    } else if (strcmp(cmd, "crash") == 0) {
        run_crash();
    } else if (strcmp(cmd, "largeframe") == 0) {
        run_largeframe(arg);
    } else if (strcmp(cmd, "badargs") == 0) {
        run_badargs();
    } else {
        fprintf(stderr, "usage: %s recover N|everywhere|nested|threads T N|threadexit N|forward KIND|fpcontrol|crash|"
                        "largeframe probed|unprobed|badargs\n", argv[0]);
        return 2;
    }
    return 0;
}
