/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * guard_largeframe.c - a body with one frame of 128 KiB, twice an OsStack's guard, for
 * guard_harness.c's largeframe scenario. Built twice: with -fstack-clash-protection (the
 * compiler probes every page as it allocates the frame, so the first touch below the limit
 * lands in the guard) and without (the frame is allocated in one step and its lowest byte,
 * written first, lies below the guard).
 */
#include <stdint.h>

#include "fringe.h"

uintptr_t large_frame_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    volatile char frame[128 * 1024];
    frame[0] = (char) (input | 1);
    frame[sizeof frame - 1] = 1;
    return (uintptr_t) frame[0] + (uintptr_t) frame[sizeof frame - 1];
}
