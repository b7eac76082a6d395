/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * java_bodies.c - generator bodies for X86_64ArchTest, which runs them as native generators
 * from Java (fringe-backend-jna bound to this module's library). Compiled at test time into a
 * shared library; the test looks the bodies up by name.
 */
#include "fringe.h"

/* Suspends input + *env for every input until an input of 0, then returns how many values
   it suspended with. */
uintptr_t add_env_body(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t offset = *(const uintptr_t *) env;
    uintptr_t count = 0;
    while (input != 0) {
        input = y->suspend(y, input + offset);
        count++;
    }
    return count;
}
