/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * interpreter.c - the native interpreter of the differential tests' scenario language.
 *
 * A scenario is a generator behaviour written as data (dev.fringe.tests.differential.Scenario,
 * which documents the language and encodes it). The Java interpreter (JavaInterpreter) runs it
 * as a Java body, this file runs it as a C body on a fringe stack; the properties compare the
 * two traces. Keep the two interpreters step for step alike: a difference between them is a
 * bug in the tests, not in fringe.
 *
 * Encoding: a program is a row of machine words, steps one after another; blocks are inline
 * and carry their length in words. MUST MATCH Scenario.encode() and its Javadoc:
 *
 *     SUSPEND    1 op k            v = suspend(expr(op, k, v))
 *     RETURN     2 op k            v = expr(op, k, v), then the generator returns v
 *     LOOP       3 n len <block>   run the block n times
 *     RECURSE    4 n len <block>   descend n real stack frames, run the block in the innermost
 *     YIELD_FROM 5 len <program>   run the program as a child generator on its own stack
 *
 *     expr: op 0 in, 1 k, 2 in+k, 3 in*k, 4 in^k  (in = v, the current value)
 *
 * v starts as the body's argument; a program that runs off its end returns v. Arithmetic is
 * uintptr_t arithmetic, so it wraps at the machine word: the Java side masks to match.
 *
 * A child ("yield from") is a real nested fringe generator: created with fringe_init on the
 * stack of its nesting level, resumed with fringe_resume, first with v, then with each input
 * this generator receives; each of its outputs is suspended by this generator; its return
 * value becomes v. The bodies link against nothing from fringe, so the env block carries the
 * addresses of fringe_init and fringe_resume (from the architecture library the JVM loaded)
 * and the bases of the child stacks (see NativeInterpreter.java, which fills it).
 *
 * fringe_test_interpreter_faulty is the same interpreter with a planted fault, for the test
 * that proves the properties can fail: the third value each generator suspends is off by one.
 */
#include "fringe.h"

enum { STEP_SUSPEND = 1, STEP_RETURN = 2, STEP_LOOP = 3, STEP_RECURSE = 4, STEP_YIELD_FROM = 5 };
enum { EXPR_IN = 0, EXPR_CONST = 1, EXPR_ADD = 2, EXPR_MUL = 3, EXPR_XOR = 4 };

/* The control block fringe_init lays out; must match dev.fringe.jna.spi.ArchSupport and every
 * fringe-arch-* .S file. */
typedef struct interp_ctl {
    fringe_yielder yielder; /* word 0: suspend routine */
    uintptr_t sp;           /* word 1: saved stack pointer of the side not running */
    uintptr_t transfer;     /* word 2: the next input, written before fringe_resume */
    uintptr_t status;       /* word 3: 1 once the body returned */
} interp_ctl;

typedef interp_ctl *(*init_fn)(void *stack_base, fringe_body_fn body, void *env);
typedef uintptr_t (*resume_fn)(interp_ctl *ctl);

/* The env block, one machine word per field; must match NativeInterpreter.ENV_* */
typedef struct interp_env {
    init_fn init;             /* word 0: fringe_init of the loaded architecture library */
    resume_fn resume;         /* word 1: fringe_resume */
    const uintptr_t *code;    /* word 2: the program */
    uintptr_t length;         /* word 3: its length in words */
    const uintptr_t *stacks;  /* word 4: child stack bases, nesting level 1 first */
    uintptr_t nstacks;        /* word 5: how many */
} interp_env;

typedef struct machine {
    const interp_env *env;
    fringe_body_fn self;      /* this interpreter (or its faulty copy), for child generators */
    fringe_yielder *yielder;
    uintptr_t v;              /* the current value */
    uintptr_t suspends;       /* values suspended so far, for the planted fault */
    int faulty;
} machine;

static uintptr_t eval(uintptr_t op, uintptr_t k, uintptr_t v) {
    switch (op) {
    case EXPR_IN: return v;
    case EXPR_CONST: return k;
    case EXPR_ADD: return v + k;
    case EXPR_MUL: return v * k;
    case EXPR_XOR: return v ^ k;
    default: __builtin_trap(); /* an encoding this interpreter does not know */
    }
}

static int run_block(machine *m, const uintptr_t *code, uintptr_t length);

/* One real frame per level: the store after the call keeps the compiler from turning the
 * recursion into a loop, so the block runs (and suspends) `depth` frames down. */
__attribute__((noinline)) static int descend(machine *m, uintptr_t depth, const uintptr_t *code, uintptr_t length) {
    volatile uintptr_t frame = depth;
    int returned = depth == 0 ? run_block(m, code, length) : descend(m, depth - 1, code, length);
    frame = frame + 1;
    return returned;
}

/* Runs a child program as a nested generator to completion; returns its return value. */
__attribute__((noinline)) static uintptr_t yield_from(machine *m, const uintptr_t *code, uintptr_t length) {
    const interp_env *env = m->env;
    if (env->nstacks == 0) {
        __builtin_trap(); /* NativeInterpreter allocates one stack per nesting level */
    }
    interp_env child = { env->init, env->resume, code, length, env->stacks + 1, env->nstacks - 1 };
    interp_ctl *ctl = env->init((void *) env->stacks[0], m->self, &child);
    uintptr_t input = m->v;
    for (;;) {
        ctl->transfer = input;
        uintptr_t out = env->resume(ctl);
        if (ctl->status) {
            return out;
        }
        input = m->yielder->suspend(m->yielder, out);
    }
}

/* Runs the steps of one block; returns 1 once a RETURN step ran (then v is the result). */
static int run_block(machine *m, const uintptr_t *code, uintptr_t length) {
    const uintptr_t *end = code + length;
    while (code < end) {
        switch (code[0]) {
        case STEP_SUSPEND: {
            uintptr_t out = eval(code[1], code[2], m->v);
            if (++m->suspends == 3 && m->faulty) {
                out += 1; /* the planted fault */
            }
            m->v = m->yielder->suspend(m->yielder, out);
            code += 3;
            break;
        }
        case STEP_RETURN:
            m->v = eval(code[1], code[2], m->v);
            return 1;
        case STEP_LOOP:
            for (uintptr_t i = 0; i < code[1]; i++) {
                if (run_block(m, code + 3, code[2])) {
                    return 1;
                }
            }
            code += 3 + code[2];
            break;
        case STEP_RECURSE:
            if (descend(m, code[1], code + 3, code[2])) {
                return 1;
            }
            code += 3 + code[2];
            break;
        case STEP_YIELD_FROM:
            m->v = yield_from(m, code + 2, code[1]);
            code += 2 + code[1];
            break;
        default:
            __builtin_trap(); /* an encoding this interpreter does not know */
        }
    }
    return 0;
}

static uintptr_t interpret(void *env, uintptr_t input, fringe_yielder *y, fringe_body_fn self, int faulty) {
    const interp_env *e = env;
    machine m = { e, self, y, input, 0, faulty };
    run_block(&m, e->code, e->length);
    return m.v;
}

uintptr_t fringe_test_interpreter(void *env, uintptr_t input, fringe_yielder *y) {
    return interpret(env, input, y, fringe_test_interpreter, 0);
}

uintptr_t fringe_test_interpreter_faulty(void *env, uintptr_t input, fringe_yielder *y) {
    return interpret(env, input, y, fringe_test_interpreter_faulty, 1);
}
