/* Basic native generator bodies for the JUnit native suite. */
#include "fringe.h"

/* Suspends 1..input, then returns input * 100. */
uintptr_t fringe_test_count(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (uintptr_t i = 1; i <= input; i++) {
        y->suspend(y, i);
    }
    return input * 100;
}
