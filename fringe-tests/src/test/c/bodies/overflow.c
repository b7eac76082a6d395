/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Bodies for NativeOverflowTest: bodies that overflow their stack in different ways, one that
 * crashes for another reason, and one that resumes a generator nested in it from C. */
#include <stddef.h>
#include <stdint.h>

#include "fringe.h"

static volatile uintptr_t never = UINTPTR_MAX; /* hides from the compiler that recursions never end */

/* 32 bytes of locals a frame, touched, so that the stack pointer moves in small steps. */
__attribute__((noinline)) static uintptr_t descend(uintptr_t n) {
    volatile uintptr_t frame[4];
    frame[0] = n;
    if (n == never) {
        return 0;
    }
    return descend(n + 1) + frame[0];
}

/* Counts its runs in *env (a machine word): one on entry, one after its only suspend, which
   hands back input + 1; then recurses until the stack is exhausted. A test sees from the count
   that nothing of the body runs again after the overflow. */
uintptr_t fringe_test_overflow_counting(void *env, uintptr_t input, fringe_yielder *y) {
    volatile uintptr_t *runs = env;
    (*runs)++;
    uintptr_t next = y->suspend(y, input + 1);
    (*runs)++;
    return descend(next);
}

/* Recurses `depth` frames, then moves the stack pointer down by `pad` more bytes and suspends
   from there (value 0); returns when resumed. */
__attribute__((noinline)) static uintptr_t suspend_from(uintptr_t depth, uintptr_t pad, fringe_yielder *y) {
    if (depth == 0) {
        volatile char *gap = __builtin_alloca(pad + 1);
        gap[0] = 0;
        uintptr_t got = y->suspend(y, (uintptr_t) gap[0]);
        return got + gap[0];
    }
    volatile uintptr_t frame[2];
    frame[0] = depth;
    return suspend_from(depth - 1, pad, y) + frame[0];
}

/* Suspends 0 from `input` frames deep and *env (a word) more bytes below, then returns `input`.
   Swept over depth and pad, the suspend call (its own push, or the switch's saving of registers)
   meets the guard at every word. */
uintptr_t fringe_test_suspend_deep(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t pad = *(volatile uintptr_t *) env;
    volatile uintptr_t sink = suspend_from(input, pad, y);
    (void) sink;
    return input;
}

/* Writes to address 0: a real crash, not an overflow. */
uintptr_t fringe_test_null_write(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    *(volatile uintptr_t *) (input - input) = input;
    return 0;
}

/* A generator nested in C: the outer body creates one on a stack the test hands over, through the
   architecture library's own functions (addresses in env; their signatures as in fringe_guard.c
   and the .S), resumes it until it overflows, suspends what it saw, and then overflows itself. */
typedef struct nest_env {
    void *(*init)(void *base, fringe_body_fn body, void *env);
    uintptr_t (*resume)(void *ctl);
    int (*guard_register)(void *guard_low, void *limit, void *base, void *ctl);
    void (*guard_deregister)(int id);
    char *guard_low, *limit, *base;     /* the inner generator's OsStack */
    uintptr_t inner_runs;               /* the inner body's run count (fringe_test_overflow_counting) */
    uintptr_t inner_status;             /* out: the inner control block's status word at the end */
} nest_env;

uintptr_t fringe_test_nest_outer(void *env, uintptr_t input, fringe_yielder *y) {
    nest_env *n = env;
    uintptr_t *ctl = n->init(n->base, fringe_test_overflow_counting, &n->inner_runs);
    int id = n->guard_register(n->guard_low, n->limit, n->base, ctl);
    ctl[2] = input;                                 /* transfer: the inner body suspends input + 1 */
    uintptr_t first = n->resume(ctl);
    ctl[2] = 0;
    uintptr_t second = n->resume(ctl);              /* the inner body overflows: 0, status 2 */
    n->inner_status = ctl[3];
    n->guard_deregister(id);
    y->suspend(y, first * 10 + second);             /* the outer body goes on */
    return descend(0);                              /* and overflows itself */
}
