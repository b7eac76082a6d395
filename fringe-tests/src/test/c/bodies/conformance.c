/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Native bodies for the libfringe conformance tests (dev.fringe.tests.conformance). Portable
 * C11 plus glibc's backtrace() and dladdr() (GNU extensions). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdint.h>

#include "fringe.h"

/* Counts in the word env points to every time the body runs: on entry and on each return from
 * suspend. Suspends its input plus one until it receives 0, then returns how many values it
 * suspended. A test sees from the count whether a resume entered the body. */
uintptr_t fringe_test_conformance_counted(void *env, uintptr_t input, fringe_yielder *y) {
    volatile uintptr_t *runs = env;
    uintptr_t suspended = 0;
    *runs += 1;
    while (input != 0) {
        input = y->suspend(y, input + 1);
        *runs += 1;
        suspended++;
    }
    return suspended;
}

/* Takes a backtrace() inside the body, from a frame below the body's own, and counts the frames
 * that belong to the resumer: frames outside this library and the architecture library (the one
 * the resumer really loaded: it holds the yielder's suspend routine), whether in a loaded object (JNA's dispatch library,
 * the JVM) or in code no object holds (the JVM's generated code, such as an FFM downcall stub,
 * where the unwinder then stops: it has no unwind tables). Without fringe's call stack splicing
 * the unwinder would stop at the trampoline, the outermost frame of the generator's stack, and
 * the count would be 0. Suspends the count, returns the number of frames. */
__attribute__((noinline)) static int count_resumer_frames(const void *arch_symbol, int *total) {
    void *frames[64];
    int n = backtrace(frames, 64);
    Dl_info self, arch, info;
    int resumer = 0;
    if (dladdr((void *) count_resumer_frames, &self) == 0 || dladdr(arch_symbol, &arch) == 0) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (dladdr(frames[i], &info) == 0 || (info.dli_fbase != self.dli_fbase && info.dli_fbase != arch.dli_fbase)) {
            resumer++;
        }
    }
    *total = n;
    __asm__ volatile("" ::: "memory"); /* no tail call: keep this frame on the stack */
    return resumer;
}

uintptr_t fringe_test_conformance_backtrace(void *env, uintptr_t input, fringe_yielder *y) {
    (void) input;
    int total = 0;
    (void) env;
    int resumer = count_resumer_frames((const void *) y->suspend, &total);
    y->suspend(y, (uintptr_t) (intptr_t) resumer);
    return (uintptr_t) total;
}
