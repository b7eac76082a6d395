/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Native bodies and the baseline function for NativeRoundTripBenchmark. */
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
