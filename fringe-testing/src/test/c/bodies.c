/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/* Native bodies for fringe-testing's unit tests: small, with behaviour the tests model in Java. */
#include "fringe.h"

/* Running sum: suspends the sum of the inputs so far (the first included); returns the sum
 * when it receives 0. */
uintptr_t fringe_testing_sum(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    uintptr_t sum = input;
    for (uintptr_t next; (next = y->suspend(y, sum)) != 0;) {
        sum += next;
    }
    return sum;
}
