/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Native bodies and the baseline function for NativeRoundTripBenchmark. */
#define _POSIX_C_SOURCE 199309L
#include <time.h>

#include "fringe.h"

/* The baseline: a bare JNA direct-mapped call with the same signature as fringe_resume. */
uintptr_t fringe_bench_noop(uintptr_t x) {
    return x;
}

/* Suspends its input back, forever: one resume + suspend per JNA call. */
uintptr_t fringe_bench_echo(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (;;) {
        input = y->suspend(y, input);
    }
}

/* Computes for `input` milliseconds (no system call but the clock's vDSO read), then suspends
 * the number of spins, forever: a body that runs long between suspends, for SafepointLatency. */
uintptr_t fringe_bench_spin(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (;;) {
        struct timespec start, now;
        clock_gettime(CLOCK_MONOTONIC, &start);
        uintptr_t spins = 0;
        do {
            spins++;
            clock_gettime(CLOCK_MONOTONIC, &now);
        } while ((uintptr_t) ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000) < input);
        input = y->suspend(y, spins);
    }
}
