/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_guard.h - the exports of fringe_guard.c (overflow recovery), for the Java bindings and
 * the C harness. The switch library of every architecture with a JVM exports these beside
 * fringe_init, fringe_resume and the Valgrind functions. See fringe_guard.c for how it works.
 */
#ifndef FRINGE_GUARD_H
#define FRINGE_GUARD_H

#include <stdint.h>

#ifndef FRINGE_GUARD_EXPORT
#define FRINGE_GUARD_EXPORT __attribute__((visibility("default")))
#endif

/* Resumes like fringe_resume; when the body overflows into a registered guard region, returns
   0 with the control block's status word set to 2 (FRINGE_STATUS_OVERFLOWED). The body's frames
   are abandoned and the generator must never be resumed again. Sets the calling thread up on
   its first call (fringe_guard_prepare_thread). */
FRINGE_GUARD_EXPORT uintptr_t fringe_resume_guarded(void *ctl);
#ifdef __x86_64__
FRINGE_GUARD_EXPORT uintptr_t fringe_resume_ret_guarded(void *ctl);  /* the ret flavour */
#endif

#define FRINGE_STATUS_RUNNABLE 0
#define FRINGE_STATUS_FINISHED 1
#define FRINGE_STATUS_OVERFLOWED 2

/* Registers the guard region [guard_low, limit) of a stack whose usable part is [limit, base)
   and whose control block (fringe_init's result) is ctl. Returns an id >= 0 for
   fringe_guard_deregister, or -EINVAL (bad ranges) or -ENOMEM. Deregister before the stack is
   unmapped or handed to another generator. Thread-safe. */
FRINGE_GUARD_EXPORT int fringe_guard_register(void *guard_low, void *limit, void *base, void *ctl);
FRINGE_GUARD_EXPORT void fringe_guard_deregister(int id);

/* Installs the handler (once) and gives this thread an alternate signal stack; fringe_resume_guarded
   calls it by itself. Returns 0 or an errno value. */
FRINGE_GUARD_EXPORT int fringe_guard_prepare_thread(void);

/* Diagnostics: whether the handler is installed; overflows recovered so far; alternate stacks
   fringe allocated and has not freed yet; guard regions registered now. */
FRINGE_GUARD_EXPORT int fringe_guard_installed(void);
FRINGE_GUARD_EXPORT unsigned long fringe_guard_recovered_count(void);
FRINGE_GUARD_EXPORT long fringe_guard_alternate_stacks(void);
FRINGE_GUARD_EXPORT long fringe_guard_registered(void);

#endif /* FRINGE_GUARD_H */
