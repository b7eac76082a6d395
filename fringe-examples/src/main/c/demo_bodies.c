/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* The demo's native generator body: fringe.h is all it includes, nothing of fringe is linked. */
#include "fringe.h"

/* Collatz sequence from `start`, one step per resume; returns the number of steps taken. */
uintptr_t collatz(void *env, uintptr_t start, fringe_yielder *yielder) {
    (void) env;
    uintptr_t n = start, steps = 0;
    while (n != 1) {
        yielder->suspend(yielder, n);
        n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
        steps++;
    }
    yielder->suspend(yielder, 1);
    return steps;
}

/* One call level with 1 KiB of stack; the frame is used after the call, so no tail call. */
static uintptr_t dive(uintptr_t depth) __attribute__((noinline));
static uintptr_t dive(uintptr_t depth) {
    volatile char frame[1024];
    frame[0] = (char) depth;
    if (depth == UINTPTR_MAX) {
        return 0; /* never: it keeps the compiler from calling this an infinite recursion */
    }
    return dive(depth + 1) + (uintptr_t) frame[0];
}

/* Recurses until its stack runs out: on an OsStack it runs into the guard region, and fringe
 * turns that into a StackOverflowError out of resume(). */
uintptr_t runaway(void *env, uintptr_t input, fringe_yielder *yielder) {
    (void) env;
    (void) yielder;
    return dive(input);
}
