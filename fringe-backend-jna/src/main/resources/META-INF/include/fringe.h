/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe.h - the C ABI of a fringe native generator body.
 *
 * A body is an ordinary C function (or Rust `extern "C"`, Zig `callconv(.C)`, ...) that links
 * against nothing from fringe. fringe calls it on a stack of its own the first time the
 * generator is resumed; the body suspends by calling yielder->suspend, from any depth of calls.
 *
 *     #include "fringe.h"
 *
 *     uintptr_t count_to(void *env, uintptr_t limit, fringe_yielder *y) {
 *         for (uintptr_t i = 1; i <= limit; i++)
 *             y->suspend(y, i);          // hand i to the resumer; returns the next input
 *         return limit;                  // finishes; kept as the generator's return value
 *     }
 *
 * Values are machine words (uintptr_t): pointers, integers, handles. Java sees them as long
 * (zero-extended on 32-bit platforms).
 *
 * Rules for bodies:
 *  - Call yielder->suspend only on the body's own stack (the thread that resumed it), never
 *    from a signal handler or another thread.
 *  - There is no unwinding in C: closing a suspended generator from Java releases its stack and
 *    never runs the body again. Free what you own before returning, or keep it in env.
 *  - The body runs on the stack the generator was given: deep recursion or large local arrays
 *    need a big enough stack. An OsStack has a 64 KiB guard region below it: on x86_64, x86 and
 *    aarch64, a body that runs into it is stopped there, the Java resume throws
 *    StackOverflowError and the generator is FAILED. The body's frames are abandoned, not
 *    unwound: locks they hold stay held, and nothing they allocated is freed. Compile bodies with
 *    -fstack-clash-protection, so that no frame larger than the guard jumps over it (see
 *    docs/native-overflow.md). Other stacks have no guard.
 *  - Floating-point control state (x86 MXCSR and x87 control word, aarch64 FPCR) is shared with
 *    the resumer, as in libfringe and corosensei: a body that changes rounding modes must
 *    restore them before it suspends.
 *
 * Java side: dev.fringe.jna.NativeGenerator.create(stack, body, env).
 */
#ifndef FRINGE_H
#define FRINGE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fringe_yielder {
    /* Suspends the calling body: the resumer's resume returns `value`. Returns the input of the
       next resume. `self` is the yielder the body was given. */
    uintptr_t (*suspend)(struct fringe_yielder *self, uintptr_t value);
} fringe_yielder;

/* A generator body. `env` is the pointer given at creation, `input` the first resume's input.
   Returning finishes the generator; the returned value is kept as its return value. */
typedef uintptr_t (*fringe_body_fn)(void *env, uintptr_t input, fringe_yielder *yielder);

#ifdef __cplusplus
}
#endif

#endif /* FRINGE_H */
