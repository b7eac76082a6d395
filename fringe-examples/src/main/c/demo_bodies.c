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
