/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Native generator bodies for the JUnit native suite (dev.fringe.tests.nativ). Compiled by the
 * build for every architecture the suite runs on; keep them portable C11 except where marked. */
#include "fringe.h"

/* Suspends 1..input, then returns input * 100. */
uintptr_t fringe_test_count(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (uintptr_t i = 1; i <= input; i++) {
        y->suspend(y, i);
    }
    return input * 100;
}

/* Running sum: suspends the sum of all inputs so far (the first input included); returns the
 * sum when it receives 0. */
uintptr_t fringe_test_sum(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    uintptr_t sum = input;
    for (;;) {
        uintptr_t next = y->suspend(y, sum);
        if (next == 0) {
            return sum;
        }
        sum += next;
    }
}

/* Echoes each input back, unchanged, forever: for value-range tests (e.g. UINTPTR_MAX). */
uintptr_t fringe_test_echo(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (;;) {
        input = y->suspend(y, input);
    }
}

/* Adds the word env points to each input; suspends the result; returns on input 0. */
uintptr_t fringe_test_env(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t *addend = env;
    while (input != 0) {
        input = y->suspend(y, input + *addend);
    }
    return *addend;
}

/* Recurses `input` frames deep, suspends the depth from the innermost frame, then unwinds,
 * each frame adding its own depth; returns the total (depth * (depth + 1) / 2 + resumed input). */
static uintptr_t descend(uintptr_t depth, fringe_yielder *y) {
    volatile uintptr_t here = depth; /* keep a real frame per level */
    if (depth == 0) {
        return y->suspend(y, 0xdee9);
    }
    return descend(depth - 1, y) + here;
}

uintptr_t fringe_test_deep(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    return descend(input, y);
}

/* Busy-waits (bounded) until the int env points to becomes non-zero, then returns 1; returns
 * 0 if it never does. Lets a test hold a generator RUNNING while another thread resumes it. */
uintptr_t fringe_test_wait(void *env, uintptr_t input, fringe_yielder *y) {
    (void) input;
    (void) y;
    volatile int *flag = env;
    volatile int *started = flag + 1;
    *started = 1;
    for (unsigned long long spins = 0; spins < 20000000000ULL; spins++) {
        if (*flag) {
            return 1;
        }
    }
    return 0;
}

/* Recurses (practically) forever, 1 KiB a frame: dies on the stack's guard region. */
static uintptr_t sink(uintptr_t n) {
    volatile char frame[1024];
    if (n == UINTPTR_MAX) {
        return 0; /* never: stops the compiler from calling the recursion infinite */
    }
    frame[0] = (char) n;
    frame[sizeof frame - 1] = (char) n;
    return sink(n + 1) + frame[0] + frame[sizeof frame - 1];
}

uintptr_t fringe_test_overflow(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    y->suspend(y, 1);
    return sink(input);
}
