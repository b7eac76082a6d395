// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import dev.fringe.Yielder;

/**
 * A Java model of a native generator body: the same shape as a C {@code fringe_body_fn}
 * ({@code uintptr_t body(void *env, uintptr_t input, fringe_yielder *y)}), so that a model
 * can be written line by line beside the C it specifies.
 *
 * <pre>{@code
 * // uintptr_t running_sum(void *env, uintptr_t input, fringe_yielder *y) {
 * //     uintptr_t sum = input;
 * //     for (uintptr_t next; (next = y->suspend(y, sum)) != 0; ) sum += next;
 * //     return sum;
 * // }
 * ModelBody runningSum = (yielder, input) -> {
 *     long sum = input;
 *     for (long next; (next = yielder.suspend(sum)) != 0; ) sum += next;
 *     return sum;
 * };
 * }</pre>
 *
 * <p>Native values are machine words, seen from Java zero-extended: on a 32-bit platform a model
 * must compute modulo 2<sup>32</sup> (mask with {@code 0xFFFF_FFFFL}) to agree with C's
 * {@code uintptr_t} arithmetic; on a 64-bit platform Java's {@code long} arithmetic already
 * wraps as {@code uintptr_t} does, for addition, subtraction, multiplication and bit operations
 * (use {@link Long#divideUnsigned}, {@link Long#compareUnsigned} and {@code >>>} for the
 * others).
 */
@FunctionalInterface
public interface ModelBody {

    /**
     * Runs the model: called once, by the first resume, on a generator of a Java backend.
     *
     * @param yielder suspends the model: {@code suspend(v)} makes that resume return {@code v}
     *                and returns the next resume's input; never pass {@code null}
     * @param input   the first resume's input
     * @return the return value, compared with the native body's
     * @throws Exception anything; the model's generator fails, and the trace records it at the
     *                   resume that was running (a native body cannot fail, so this is always a
     *                   divergence)
     */
    long run(Yielder<Long, Long> yielder, long input) throws Exception;
}
