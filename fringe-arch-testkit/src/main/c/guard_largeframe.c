/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * guard_largeframe.c - a body with one frame of 128 KiB, twice an OsStack's guard, for
 * guard_harness.c's largeframe scenario. Compiled twice into the harness, with
 * -DLARGE_FRAME_BODY=large_frame_probed -fstack-clash-protection (the compiler touches every
 * page of the frame in order as it allocates it, so the first touch below the stack's limit
 * lands in the guard) and with -DLARGE_FRAME_BODY=large_frame_unprobed
 * -fno-stack-clash-protection (the frame is allocated in one step and its lowest byte, written
 * first, lies below the guard).
 */
#include <stdint.h>

#include "fringe.h"

uintptr_t LARGE_FRAME_BODY(void *env, uintptr_t input, fringe_yielder *y);

uintptr_t LARGE_FRAME_BODY(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    (void) y;
    volatile char frame[128 * 1024];
    frame[0] = (char) (input | 1);
    frame[sizeof frame - 1] = 1;
    return (uintptr_t) frame[0] + (uintptr_t) frame[sizeof frame - 1];
}
