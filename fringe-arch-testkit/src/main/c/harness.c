/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * harness.c - drives a fringe-arch module's libfringe_<arch>.so from C, for what only C can
 * observe: registers, stack alignment, system calls, unwinding, Valgrind and guard pages. The
 * scenarios every architecture shares live here, once (fringe-arch-testkit); each module's
 * src/test/c/harness_arch.c supplies the register and alignment probes, the FP control
 * register and subcommands of its own (the hooks declared in harness.h).
 *
 * Compiled at test time by the module's SwitchHarnessTest (the architecture's gcc -O2 -rdynamic
 * -pthread, with harness_arch.c, linked against the freshly built library), run once per
 * subcommand: natively, or under qemu-user, sometimes under strace, gdb or valgrind (or qemu's
 * -strace and gdb stub). Each subcommand prints a few deterministic lines that the Java test
 * asserts on, checks what it can itself, and on a failed check prints "FAIL: ..." and exits
 * with status 1. Run without a subcommand it prints its usage and exits 2.
 *
 *   values                    in/out values, first input, return value, ctl layout, resume
 *                             after finish
 *   interleave                100 generators resumed round-robin
 *   registers                 callee-saved registers of both sides survive the switches
 *   align                     the body's stack pointer at entry satisfies the ABI's rule
 *   fpshared                  FP control state is shared with the body, as documented
 *   switchloop N              N round trips, then one line: for strace -c or qemu's -strace
 *   backtrace above|below     glibc backtrace() in a body reaches the resumer's frames; the
 *                             generator's stack lies above / below the resumer's
 *   gdb above|below           same layout, stops in gdb_break_here() for a gdb breakpoint
 *   valgrind [unregistered]   values + interleave + registers, for running under valgrind;
 *                             "unregistered" skips fringe_stack_register (a negative control)
 *   guard handler|nohandler   a body recursing forever on a stack with a 64 KiB PROT_NONE
 *                             guard; "handler" reports the fault address from a SIGSEGV handler
 *                             on an alternate signal stack and exits 42, "nohandler" just dies
 *   (and the architecture's own, arch_usage)
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

#include "harness.h"

/* ---------------------------------------------------------------------------------------------
 * Stacks
 * ------------------------------------------------------------------------------------------- */

static int register_stacks = 1;

stack stack_new(size_t usable, size_t guard) {
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

void stack_free(stack *s) {
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
 * registers: both sides' callee-saved registers survive the switches (reg_resumer and reg_body,
 * harness_arch.c's assembly, set and record them; harness.h says how).
 * ------------------------------------------------------------------------------------------- */

uintptr_t resumer_seen[HARNESS_MAX_SAVED_REGS], body_seen[HARNESS_MAX_SAVED_REGS];

static void check_registers(const char *who, const uintptr_t seen[], uintptr_t pattern) {
    for (int i = 0; i < arch_saved_regs; i++) {
        uintptr_t want = pattern + (uintptr_t) i + 1;
        if (seen[i] != want)
            FAIL("%s %s: 0x%" PRIxPTR " after the switch, want 0x%" PRIxPTR, who, arch_reg_names[i], seen[i], want);
    }
}

static void run_registers(void) {
    if (arch_saved_regs > HARNESS_MAX_SAVED_REGS) FAIL("%d saved registers: raise HARNESS_MAX_SAVED_REGS", arch_saved_regs);
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, reg_body, body_seen);

    ctl->transfer = 10;
    uintptr_t out = reg_resumer(ctl, fringe_resume, resumer_seen);
    check_registers("resumer", resumer_seen, arch_resumer_pattern);
    printf("round trip 1: value %" PRIuPTR " status %" PRIuPTR ", resumer's %s intact\n", out, ctl->status,
           arch_reg_list);

    ctl->transfer = 20;
    out = reg_resumer(ctl, fringe_resume, resumer_seen);
    check_registers("resumer", resumer_seen, arch_resumer_pattern);
    printf("round trip 2 (body returned): value %" PRIuPTR " status %" PRIuPTR ", resumer's %s intact\n", out,
           ctl->status, arch_reg_list);
    check_registers("body", body_seen, arch_body_pattern);
    printf("body's %s intact across suspend\n", arch_reg_list);
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * align: the body's stack pointer at its first instruction, as align_body returns it.
 * ------------------------------------------------------------------------------------------- */

static void run_align(void) {
    stack s = stack_new(64 * 1024, 0);
    /* The contract asks for an aligned base; fringe_init also aligns a misaligned one down. */
    static const uintptr_t misalign[] = {0, 8, 4, 15};
    for (size_t i = 0; i < sizeof misalign / sizeof misalign[0]; i++) {
        char *base = s.base - misalign[i];
        harness_ctl *ctl = fringe_init(base, align_body, NULL);
        uintptr_t sp = resume_with(ctl, 0);
        printf("base-%" PRIuPTR ": body entry %s = base-%" PRIuPTR ", %s = %" PRIuPTR ", status %" PRIuPTR "\n",
               misalign[i], arch_sp_name, (uintptr_t) base - sp, arch_align_rule, (sp + arch_align_bias) % 16,
               ctl->status);
    }
    stack_free(&s);
}

/* ---------------------------------------------------------------------------------------------
 * fpshared: fringe does not switch the FP control register (documented in fringe.h).
 * ------------------------------------------------------------------------------------------- */

static uintptr_t rounding_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) input;
    fesetround(FE_TOWARDZERO);
    y->suspend(y, arch_fp_control());
    fesetround(FE_TONEAREST);
    return arch_fp_control();
}

static void run_fpshared(void) {
    stack s = stack_new(64 * 1024, 0);
    harness_ctl *ctl = fringe_init(s.base, rounding_body, NULL);
    uintptr_t before = arch_fp_control();
    uintptr_t in_body = resume_with(ctl, 0);
    uintptr_t after = arch_fp_control();
    printf("body set round-toward-zero: resumer sees %s (%s %s the body's)\n",
           fegetround() == FE_TOWARDZERO ? "toward-zero" : "its own mode", arch_fp_control_name,
           after == in_body ? "equals" : "differs from");
    resume_with(ctl, 0);
    printf("body restored round-to-nearest: resumer sees %s (%s back to the original: %s)\n",
           fegetround() == FE_TONEAREST ? "to-nearest" : "another mode", arch_fp_control_short,
           arch_fp_control() == before ? "yes" : "no");
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
/* Where libfringe_<arch>.so is loaded. qemu-user's gdb stub does not report shared libraries,
   so under emulation the test reads this and hands the library to gdb (add-symbol-file -o). */
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

#define HEX_DIGITS (2 * (int) sizeof(uintptr_t))   /* of an address: 16 or 8 */

static void write_hex(char *out, uintptr_t v) {   /* HEX_DIGITS hex digits, async-signal-safe */
    for (int i = HEX_DIGITS - 1; i >= 0; i--, v >>= 4) out[i] = "0123456789abcdef"[v & 15];
}

static void segv_handler(int sig, siginfo_t *info, void *uc) {
    (void) sig;
    (void) uc;
    char line[] = "SIGSEGV at 0x0000000000000000\n";   /* room for 16 digits; sent with HEX_DIGITS */
    write_hex(line + 13, (uintptr_t) info->si_addr);
    line[13 + HEX_DIGITS] = '\n';
    ssize_t ignored = write(STDOUT_FILENO, line, 13 + HEX_DIGITS + 1);
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
    printf("guard [0x%0*" PRIxPTR ", 0x%0*" PRIxPTR ")\n", HEX_DIGITS, (uintptr_t) s.map, HEX_DIGITS,
           (uintptr_t) s.limit);
    fflush(stdout);
    harness_ctl *ctl = fringe_init(s.base, overflow_body, NULL);
    uintptr_t v = resume_with(ctl, 0);
    FAIL("the body returned %" PRIuPTR " instead of overflowing its stack", v);
}

/* ---------------------------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------------------------- */

/* No subcommands of the architecture's own, unless harness_arch.c defines these. */
__attribute__((weak)) const char arch_usage[] = "";

__attribute__((weak)) int arch_command(const char *cmd, const char *arg) {
    (void) cmd;
    (void) arg;
    return 0;
}

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
    } else if (cmd[0] == '\0' || !arch_command(cmd, arg)) {
        fprintf(stderr, "usage: %s values|interleave|registers|align|fpshared|switchloop N|"
                        "backtrace above|below|gdb above|below|valgrind [unregistered]|"
                        "guard handler|nohandler%s\n", argv[0], arch_usage);
        return 2;
    }
    return 0;
}
