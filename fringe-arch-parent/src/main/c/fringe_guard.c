/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * fringe_guard.c - turns a native body's stack overflow into an ordinary return to its resumer.
 *
 * Linked into the switch library of every architecture that has a JVM (x86_64, x86, aarch64:
 * the modules that set fringe.arch.overflow, see fringe-arch-parent's POM), beside
 * fringe_<arch>.S. Read docs/native-overflow.md first: what is recovered and what is not.
 *
 * Exports (beside the .S's; dev.fringe.jna.spi.ArchSupport names the ones Java binds):
 *
 *   uintptr_t fringe_resume_guarded(fringe_ctl *ctl);       fringe_resume, after the thread's setup
 *   uintptr_t fringe_resume_ret_guarded(fringe_ctl *ctl);   x86_64 only: fringe_resume_ret, likewise
 *   int       fringe_guard_register(void *guard_low, void *limit, void *base, fringe_ctl *ctl);
 *   void      fringe_guard_deregister(int id);
 *   int       fringe_guard_prepare_thread(void);
 *   int       fringe_guard_installed(void);                 diagnostics and tests
 *   unsigned long fringe_guard_recovered_count(void);
 *   long      fringe_guard_alternate_stacks(void);
 *   long      fringe_guard_registered(void);
 *
 * fringe_guard_register(guard_low, limit, base, ctl) registers the guard region [guard_low,
 * limit) below a stack whose usable part is [limit, base) and whose control block is ctl
 * (fringe_init's result); it returns an id >= 0, or -EINVAL (inconsistent ranges) or -ENOMEM.
 * Deregister before the stack is unmapped or handed to another generator. After a recovered
 * overflow the resume routine returns 0 and the control block's status word is 2; the
 * generator must never be resumed again.
 *
 * ============================================================================================
 * The problem
 * ============================================================================================
 *
 * A body that recurses past the usable part of its OsStack touches the PROT_NONE guard region
 * below it and the CPU faults. The kernel must then build a signal frame, and it builds it
 * on the stack the faulting code runs on, unless the handler asked for SA_ONSTACK and the
 * thread has an alternate signal stack. The generator's stack is exhausted (its sp is at or in
 * the guard), so without both the kernel cannot deliver SIGSEGV at all and kills the process.
 * HotSpot's handler asks for no alternate stack on Linux, so the JVM dies with signal 11.
 *
 * ============================================================================================
 * What this file does
 * ============================================================================================
 *
 *  1. One handler for SIGSEGV and SIGBUS, installed once, in front of whatever was installed
 *     before (HotSpot's handler, in a JVM), with SA_SIGINFO | SA_ONSTACK.
 *  2. A lazily allocated alternate signal stack per thread, with a guard of its own, set up by
 *     the first fringe_resume_guarded() on that thread and unmapped when the thread exits.
 *  3. A registry of the guard regions of live generators (guard range, stack base, control
 *     block), written by fringe_guard_register/deregister and read by the handler without a
 *     lock.
 *  4. In the handler: a fault whose address lies in a registered guard region, taken while the
 *     thread's stack pointer lies in that same stack, is that generator's overflow. The handler
 *     rewrites the interrupted context so that, when it returns, the thread continues at
 *     fringe_overflowed in the .S on the top of the generator's stack, which stores status 2
 *     ("overflowed") in the control block and completes an ordinary suspend: the resumer's
 *     fringe_resume returns 0 with ctl->status == 2. The body's frames are abandoned.
 *  5. Every other signal goes to the handler that was installed before, exactly as the kernel
 *     would have delivered it (SA_SIGINFO or plain, SIG_DFL, SIG_IGN, SA_RESETHAND; the mask is
 *     already right because ours was installed with the same sa_mask).
 *
 * Only the rewrite (overflow_context below) and the name of the resume routine depend on the
 * architecture.
 *
 * ============================================================================================
 * Why a fault is recognised only with the stack pointer in the same stack
 * ============================================================================================
 *
 * The fault address alone would also match a wild pointer into some generator's guard, or a
 * frame on ANOTHER stack that jumped over its own guard and landed in this one. Neither is an
 * overflow of the generator whose guard was hit, and rewriting them into "that generator
 * overflowed" would resume a thread in the wrong place. With sp inside [guard low, base) of
 * the registered stack, the thread is running on that generator's stack, so that generator is
 * running on this thread, its control block's sp word points at its resumer, and the hand-back
 * is well-defined. Everything else is forwarded (HotSpot writes its hs_err report).
 *
 * ============================================================================================
 * Async-signal safety
 * ============================================================================================
 *
 * The handler calls no function that is not async-signal-safe: it reads the registry with
 * atomic loads, counts with atomic read-modify-writes, and may call sigaction and raise (both
 * safe) to emulate SIG_DFL. Writers (register, deregister, thread setup) run in ordinary
 * context under a mutex that the handler never takes. errno is preserved.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

/* The library is built with -fvisibility=hidden: only what is marked here is exported. */
#define FRINGE_GUARD_EXPORT __attribute__((visibility("default")))
#define HIDDEN __attribute__((visibility("hidden")))

/* ---------------------------------------------------------------------------------------------
 * The architecture: where the trampoline keeps its stack pointer, and the resume routine that
 * fringe_resume_guarded hands over to. Must match fringe_<arch>.S.
 * ------------------------------------------------------------------------------------------- */

/* The overflow return path, inside the trampoline of fringe_<arch>.S (a hidden symbol: the
   library's own code reaches it, nothing outside). */
HIDDEN extern const char fringe_overflowed[];

/* The resume routines of fringe_<arch>.S: every architecture has fringe_resume, x86_64 also its
   `ret` flavour (see "Other design notes" in fringe_x86_64.S). fringe_resume_guarded and
   fringe_resume_ret_guarded below lead into them. */
extern uintptr_t fringe_resume(void *ctl);

#if defined(__x86_64__)
extern uintptr_t fringe_resume_ret(void *ctl);
#define ARCH_HAS_RESUME_RET 1
#define ARCH_EFLAGS_DF 0x400u /* the direction flag */

static uintptr_t context_sp(const ucontext_t *uc) {
    return (uintptr_t) uc->uc_mcontext.gregs[REG_RSP];
}

/* Continue at fringe_overflowed with rsp == ctl, the trampoline's own rsp (fringe_x86_64.S:
   "it keeps rsp == ctl for its whole life"), so its CFI already describes the frame. DF is
   cleared because the ABI requires it clear at every call, and the code we abandon may have
   been inside a backwards string operation. Every other register is dead on that path. */
static void overflow_context(ucontext_t *uc, uintptr_t ctl) {
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t) ctl;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t) (uintptr_t) fringe_overflowed;
    uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t) ARCH_EFLAGS_DF;
}

#elif defined(__i386__)
#define ARCH_TRAMPOLINE_ARGS 16u /* ARGS in fringe_x86.S: the trampoline runs on esp = ctl - 16 */
#define ARCH_FXSR_MXCSR 24u      /* the kernel's FXSR image follows the fsave one; mxcsr at +24 */

static uintptr_t context_sp(const ucontext_t *uc) {
    return (uintptr_t) uc->uc_mcontext.gregs[REG_ESP];
}

/* i386 does not return through sigreturn: it leaves the handler with a jump, as siglongjmp
   would. The reason is qemu-i386 (where CI runs every i386 test): its sigreturn reloads %gs
   from one GDT shared by all threads, so after a handler returns, a thread's thread-local
   storage is another thread's (measured with qemu 7.2: 3 of 4 threads of a plain C program
   that takes and survives a fault each). Leaving by a jump keeps %gs, and is as valid on a
   real kernel. What sigreturn would have restored is restored here: the signal mask of the
   interrupted code (SIGSEGV is blocked in the handler), and the FP control state that the
   body shares with its resumer (x87 control word, and MXCSR when the kernel saved an FXSR
   image; the kernel runs handlers with both reset, qemu leaves them as they were). DF is
   clear: the kernel clears it for the handler. */
#define ARCH_LEAVES_BY_JUMP 1
static void overflow_jump(const ucontext_t *uc, uintptr_t ctl) __attribute__((noreturn));
static void overflow_jump(const ucontext_t *uc, uintptr_t ctl) {
    const struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;
    if (fp != NULL) {
        unsigned short cw = (unsigned short) fp->cw;
        __asm__ volatile("fldcw %0" : : "m"(cw));
        if ((fp->status >> 16) == 0) {  /* magic 0: an FXSR image follows */
            unsigned int mxcsr;
            memcpy(&mxcsr, (const char *) (fp + 1) + ARCH_FXSR_MXCSR, sizeof mxcsr);
            __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
        }
    }
    sigprocmask(SIG_SETMASK, &uc->uc_sigmask, NULL);
    __asm__ volatile("movl %0, %%esp\n\t"
                     "jmp  fringe_overflowed"
                     : : "r"(ctl - ARCH_TRAMPOLINE_ARGS) : "memory");
    __builtin_unreachable();
}

#elif defined(__aarch64__)
#define ARCH_PSTATE_BTYPE 0xc00u /* PSTATE.BTYPE, bits 11:10 */

static uintptr_t context_sp(const ucontext_t *uc) {
    return (uintptr_t) uc->uc_mcontext.sp;
}

/* sp == ctl (the trampoline's sp, fringe_aarch64.S difference 5). PSTATE.BTYPE is cleared: the
   kernel restores PSTATE from the context, and a fault on the first instruction after an
   indirect branch leaves BTYPE set, which would make the (BTI-guarded) fringe_overflowed,
   which is no landing pad, raise a branch target exception. */
static void overflow_context(ucontext_t *uc, uintptr_t ctl) {
    uc->uc_mcontext.sp = ctl;
    uc->uc_mcontext.pc = (uintptr_t) fringe_overflowed;
    uc->uc_mcontext.pstate &= ~(unsigned long long) ARCH_PSTATE_BTYPE;
}

#else
#error "fringe_guard.c: no overflow recovery for this architecture (it has no JVM; leave this file out)"
#endif

/* ---------------------------------------------------------------------------------------------
 * Counters (for tests and diagnostics; atomics, so the handler may update them)
 * ------------------------------------------------------------------------------------------- */

static atomic_ulong recovered_overflows;
static atomic_long live_alternate_stacks;

/* ---------------------------------------------------------------------------------------------
 * The registry of guard regions
 *
 * Entries live in blocks that are never freed, so a pointer to an entry stays valid for the
 * handler forever; an entry is reused after deregistration, and a seqlock lets the handler
 * notice one that changes under it. A hash index maps each 64 KiB chunk of address space that
 * a guard touches to the entry. It is open addressing with linear probing, and a slot is never
 * emptied once used: deregistering leaves a tombstone, so a probe chain, once it leads to an
 * entry, keeps leading there until the index is rebuilt. Rebuilding makes a new table and
 * publishes it with one atomic store; the handler keeps using whichever table it loaded, and
 * an old table is freed only once no handler is inside the registry (a count of readers).
 *
 * The entry a handler looks for belongs to a generator running on its own thread, so it is
 * neither written nor deregistered while the handler looks: a reader that skips a changing
 * entry or an old table never misses its own.
 * ------------------------------------------------------------------------------------------- */

#define CHUNK_SHIFT 16              /* index key: address >> 16, the 64 KiB chunk */
#define BLOCK_ENTRIES 1024u         /* entries per block */
#define MAX_BLOCKS 8192u            /* at most 8 Mi live generators with a guard */
#define MIN_TABLE_SLOTS 256u
#define SLOT_EMPTY 0u
#define SLOT_TOMBSTONE 1u
#define SLOT_OF(index) ((uint32_t) (index) + 2u)

typedef struct guard_entry {
    atomic_uint seq;                /* even: stable; odd: being written */
    _Atomic uintptr_t low;          /* lowest address of the guard region */
    _Atomic uintptr_t high;         /* one past the guard = the stack's limit */
    _Atomic uintptr_t base;         /* one past the stack's highest byte */
    _Atomic uintptr_t ctl;          /* the control block, at the top of the stack */
    uint32_t next_free;             /* writers only: free-list link, index + 1 (0 = none) */
    int live;                       /* writers only */
} guard_entry;

typedef struct guard_table {
    uint32_t mask;                  /* slots - 1 */
    uint32_t used;                  /* writers only: slots that are not SLOT_EMPTY */
    struct guard_table *retired;    /* writers only: next table waiting to be freed */
    _Atomic uint32_t slot[];
} guard_table;

static _Atomic(guard_entry *) blocks[MAX_BLOCKS];
static _Atomic(guard_table *) current_table;
static atomic_long readers;                  /* handlers inside lookup() */

static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t entries_made;               /* writers only: entries ever handed out */
static uint32_t free_list;                  /* writers only: index + 1 of a free entry, 0 = none */
static uint32_t live_entries;               /* writers only */
static uint32_t live_keys;                  /* writers only: keys of all live entries */
static guard_table *retired_tables;         /* writers only */

static guard_entry *entry_at(uint32_t index) {
    guard_entry *block = atomic_load_explicit(&blocks[index / BLOCK_ENTRIES], memory_order_acquire);
    return block == NULL ? NULL : &block[index % BLOCK_ENTRIES];
}

static uint32_t hash_key(uintptr_t key, uint32_t mask) {
    /* Fibonacci hashing: consecutive chunks (one guard's keys, neighbouring stacks) spread. */
    uint64_t h = (uint64_t) key * UINT64_C(0x9E3779B97F4A7C15);
    return (uint32_t) (h >> 32) & mask;
}

static uintptr_t first_key(uintptr_t low) { return low >> CHUNK_SHIFT; }
static uintptr_t last_key(uintptr_t high) { return (high - 1) >> CHUNK_SHIFT; }

/* The handler's side: the control block of the generator whose guard holds `address` while
   `sp` lies in its stack, or 0. Lock-free and async-signal-safe. */
static uintptr_t lookup(uintptr_t address, uintptr_t sp) {
    uintptr_t found = 0;
    atomic_fetch_add(&readers, 1);          /* seq_cst: pairs with the writer's table swap */
    guard_table *table = atomic_load(&current_table);
    if (table != NULL) {
        uint32_t i = hash_key(address >> CHUNK_SHIFT, table->mask);
        for (uint32_t probes = 0; probes <= table->mask; probes++, i = (i + 1) & table->mask) {
            uint32_t slot = atomic_load_explicit(&table->slot[i], memory_order_acquire);
            if (slot == SLOT_EMPTY) break;          /* end of the chain */
            if (slot == SLOT_TOMBSTONE) continue;
            guard_entry *e = entry_at(slot - 2u);
            if (e == NULL) continue;
            unsigned before = atomic_load_explicit(&e->seq, memory_order_acquire);
            if (before & 1u) continue;              /* being written: not the running generator's */
            uintptr_t low = atomic_load_explicit(&e->low, memory_order_relaxed);
            uintptr_t high = atomic_load_explicit(&e->high, memory_order_relaxed);
            uintptr_t base = atomic_load_explicit(&e->base, memory_order_relaxed);
            uintptr_t ctl = atomic_load_explicit(&e->ctl, memory_order_relaxed);
            atomic_thread_fence(memory_order_acquire);
            if (atomic_load_explicit(&e->seq, memory_order_relaxed) != before) continue;
            if (low <= address && address < high && low <= sp && sp < base) {
                found = ctl;
                break;
            }
        }
    }
    atomic_fetch_sub(&readers, 1);
    return found;
}

/* Frees retired tables once no handler can still be reading one: a handler increments
   `readers` before it loads the table pointer, and every retired table was replaced before
   this load of `readers` (both seq_cst), so a count of 0 means none holds an old table. */
static void free_retired_tables(void) {
    if (retired_tables != NULL && atomic_load(&readers) == 0) {
        while (retired_tables != NULL) {
            guard_table *next = retired_tables->retired;
            free(retired_tables);
            retired_tables = next;
        }
    }
}

static void table_put(guard_table *table, uintptr_t key, uint32_t slot_value) {
    uint32_t i = hash_key(key, table->mask);
    for (;;) {
        uint32_t s = atomic_load_explicit(&table->slot[i], memory_order_relaxed);
        if (s == SLOT_EMPTY || s == SLOT_TOMBSTONE) {
            if (s == SLOT_EMPTY) table->used++;
            /* release: the entry's fields (written before) are visible to whoever sees this */
            atomic_store_explicit(&table->slot[i], slot_value, memory_order_release);
            return;
        }
        i = (i + 1) & table->mask;
    }
}

/* Makes room for `more` keys: rebuilds the index (larger if needed, without tombstones) when
   it would become more than half full. Returns 0, or ENOMEM. */
static int table_reserve(uint32_t more) {
    guard_table *old = atomic_load_explicit(&current_table, memory_order_relaxed);
    if (old != NULL && (uint64_t) (old->used + more) * 2 <= (uint64_t) old->mask + 1) return 0;
    uint64_t want = (uint64_t) (live_keys + more) * 4;
    uint64_t slots = MIN_TABLE_SLOTS;
    while (slots < want) slots *= 2;
    if (slots > (UINT64_C(1) << 31)) return ENOMEM;
    guard_table *table = calloc(1, sizeof(guard_table) + (size_t) slots * sizeof(uint32_t));
    if (table == NULL) return ENOMEM;
    table->mask = (uint32_t) (slots - 1);
    for (uint32_t index = 0; index < entries_made; index++) {
        guard_entry *e = entry_at(index);
        if (!e->live) continue;
        uintptr_t low = atomic_load_explicit(&e->low, memory_order_relaxed);
        uintptr_t high = atomic_load_explicit(&e->high, memory_order_relaxed);
        for (uintptr_t key = first_key(low); key <= last_key(high); key++) table_put(table, key, SLOT_OF(index));
    }
    atomic_store(&current_table, table);    /* seq_cst: see free_retired_tables */
    if (old != NULL) {
        old->retired = retired_tables;
        retired_tables = old;
    }
    free_retired_tables();
    return 0;
}

static int entry_allocate(uint32_t *index) {
    if (free_list != 0) {
        *index = free_list - 1;
        free_list = entry_at(*index)->next_free;
        return 0;
    }
    if (entries_made == MAX_BLOCKS * BLOCK_ENTRIES) return ENOMEM;
    uint32_t block = entries_made / BLOCK_ENTRIES;
    if (atomic_load_explicit(&blocks[block], memory_order_relaxed) == NULL) {
        guard_entry *fresh = calloc(BLOCK_ENTRIES, sizeof(guard_entry));
        if (fresh == NULL) return ENOMEM;
        atomic_store_explicit(&blocks[block], fresh, memory_order_release);
    }
    *index = entries_made++;
    return 0;
}

static void entry_write(guard_entry *e, uintptr_t low, uintptr_t high, uintptr_t base, uintptr_t ctl) {
    unsigned seq = atomic_load_explicit(&e->seq, memory_order_relaxed);
    atomic_store_explicit(&e->seq, seq + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);  /* a reader that sees the new fields sees odd */
    atomic_store_explicit(&e->low, low, memory_order_relaxed);
    atomic_store_explicit(&e->high, high, memory_order_relaxed);
    atomic_store_explicit(&e->base, base, memory_order_relaxed);
    atomic_store_explicit(&e->ctl, ctl, memory_order_relaxed);
    atomic_store_explicit(&e->seq, seq + 2, memory_order_release);
}

FRINGE_GUARD_EXPORT int fringe_guard_register(void *guard_low, void *limit, void *base, void *ctl) {
    uintptr_t low = (uintptr_t) guard_low, high = (uintptr_t) limit;
    uintptr_t top = (uintptr_t) base, control = (uintptr_t) ctl;
    if (!(low < high && high < control && control < top)) return -EINVAL;
    uint64_t keys = (uint64_t) last_key(high) - first_key(low) + 1;
    if (keys > (UINT64_C(1) << 24)) return -EINVAL;  /* a guard of more than 1 TiB: not a guard */
    pthread_mutex_lock(&writer_lock);
    uint32_t index;
    int error = table_reserve((uint32_t) keys);
    if (error == 0) error = entry_allocate(&index);
    if (error != 0) {
        pthread_mutex_unlock(&writer_lock);
        return -error;
    }
    guard_entry *e = entry_at(index);
    entry_write(e, low, high, top, control);
    e->live = 1;
    live_entries++;
    live_keys += (uint32_t) keys;
    guard_table *table = atomic_load_explicit(&current_table, memory_order_relaxed);
    for (uintptr_t key = first_key(low); key <= last_key(high); key++) table_put(table, key, SLOT_OF(index));
    pthread_mutex_unlock(&writer_lock);
    return (int) index;
}

FRINGE_GUARD_EXPORT void fringe_guard_deregister(int id) {
    if (id < 0) return;
    pthread_mutex_lock(&writer_lock);
    uint32_t index = (uint32_t) id;
    guard_entry *e = index < entries_made ? entry_at(index) : NULL;
    if (e != NULL && e->live) {
        uintptr_t low = atomic_load_explicit(&e->low, memory_order_relaxed);
        uintptr_t high = atomic_load_explicit(&e->high, memory_order_relaxed);
        guard_table *table = atomic_load_explicit(&current_table, memory_order_relaxed);
        for (uintptr_t key = first_key(low); key <= last_key(high); key++) {
            uint32_t i = hash_key(key, table->mask);
            for (uint32_t probes = 0; probes <= table->mask; probes++, i = (i + 1) & table->mask) {
                if (atomic_load_explicit(&table->slot[i], memory_order_relaxed) == SLOT_OF(index)) {
                    atomic_store_explicit(&table->slot[i], SLOT_TOMBSTONE, memory_order_relaxed);
                    break;
                }
            }
            live_keys--;
        }
        entry_write(e, 0, 0, 0, 0);
        e->live = 0;
        e->next_free = free_list;
        free_list = index + 1;
        live_entries--;
        free_retired_tables();
    }
    pthread_mutex_unlock(&writer_lock);
}

/* ---------------------------------------------------------------------------------------------
 * The handler and exact forwarding
 * ------------------------------------------------------------------------------------------- */

/* glibc's sigaction under its other exported name (in every glibc's ABI list since the first:
   GLIBC_2.0 on i386, 2.2.5 on x86_64, 2.17 on aarch64). An interposer of `sigaction` such as
   libjsig (preloaded) cannot demote fringe's handler through it: after the JVM's start,
   libjsig only records a new SIGSEGV or SIGBUS handler, installs nothing, and lets HotSpot call
   it after HotSpot failed, on the exhausted stack. See docs/native-overflow.md. */
extern int __sigaction(int sig, const struct sigaction *action, struct sigaction *previous);
#define real_sigaction __sigaction

typedef struct previous_handler {
    struct sigaction action;        /* what was installed before ours; read by the handler */
    atomic_int reset;               /* SA_RESETHAND: 1 once it has been "delivered" */
} previous_handler;

static previous_handler previous_segv, previous_bus;
static atomic_int installed;          /* 1 once both handlers are in place */

static previous_handler *previous_for(int sig) {
    return sig == SIGBUS ? &previous_bus : &previous_segv;
}

/* What the kernel does with a signal whose disposition is SIG_DFL (SIGSEGV and SIGBUS:
   terminate with a core dump). The disposition becomes SIG_DFL for real. A signal sent by
   kill(), raise() or sigqueue() is sent again: it is blocked while this handler runs (unless
   the previous handler asked for SA_NODEFER), so it arrives when the handler returns. A fault
   needs nothing more: returning re-executes the faulting instruction, which faults again. */
static void default_action(int sig, const siginfo_t *info) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    real_sigaction(sig, &dfl, NULL);
    if (info->si_code <= 0) raise(sig);
}

static void forward(int sig, siginfo_t *info, void *context) {
    previous_handler *previous = previous_for(sig);
    const struct sigaction *action = &previous->action;
    int siginfo = (action->sa_flags & SA_SIGINFO) != 0;
    void (*plain)(int) = action->sa_handler;
    void (*full)(int, siginfo_t *, void *) = action->sa_sigaction;
    int is_default = siginfo ? full == NULL : plain == SIG_DFL;
    int is_ignore = !siginfo && plain == SIG_IGN;
    /* SA_RESETHAND: the kernel would have made the disposition SIG_DFL on the first delivery;
       ours stays installed (it still recovers overflows), and later signals get SIG_DFL. */
    if ((action->sa_flags & SA_RESETHAND) && atomic_exchange(&previous->reset, 1) != 0) is_default = 1;
    if (is_default) {
        default_action(sig, info);
    } else if (is_ignore) {
        /* The kernel ignores a signal that was sent, but a fault with SIGSEGV or SIGBUS ignored
           kills the process as SIG_DFL would (it cannot be ignored: the instruction would only
           fault again). */
        if (info->si_code > 0) default_action(sig, info);
    } else if (siginfo) {
        full(sig, info, context);
    } else {
        plain(sig);
    }
}

static void guard_handler(int sig, siginfo_t *info, void *context) {
    int saved_errno = errno;
    ucontext_t *uc = context;
    /* si_code > 0: the kernel reports a fault of the interrupted instruction (kill() and
       friends give SI_USER, SI_TKILL, SI_QUEUE, all <= 0, and such a signal is no overflow). */
    if (info != NULL && uc != NULL && info->si_code > 0) {
        uintptr_t ctl = lookup((uintptr_t) info->si_addr, context_sp(uc));
        if (ctl != 0) {
            atomic_fetch_add_explicit(&recovered_overflows, 1, memory_order_relaxed);
            errno = saved_errno;
#ifdef ARCH_LEAVES_BY_JUMP
            overflow_jump(uc, ctl);
#else
            overflow_context(uc, ctl);
            return;         /* the kernel resumes the thread at fringe_overflowed */
#endif
        }
    }
    forward(sig, info, context);
    errno = saved_errno;
}

static int install_for(int sig) {
    previous_handler *previous = previous_for(sig);
    struct sigaction before, ours, displaced;
    if (real_sigaction(sig, NULL, &before) != 0) return errno;
    memset(&ours, 0, sizeof ours);
    ours.sa_sigaction = guard_handler;
    /* The same mask as the previous handler, and its SA_NODEFER and SA_RESTART: then the
       kernel already sets up, for ours, the signal mask the previous handler expects, and
       forwarding is a plain call. */
    ours.sa_mask = before.sa_mask;
    ours.sa_flags = SA_SIGINFO | SA_ONSTACK | (before.sa_flags & (SA_NODEFER | SA_RESTART));
    previous->action = before;
    atomic_thread_fence(memory_order_release);
    if (real_sigaction(sig, &ours, &displaced) != 0) return errno;
    if (displaced.sa_sigaction != before.sa_sigaction || displaced.sa_flags != before.sa_flags) {
        /* Somebody installed a handler between the two calls: forward to that one instead. */
        previous->action = displaced;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Installation (once) and the alternate signal stack (once per thread)
 * ------------------------------------------------------------------------------------------- */

/* 256 KiB to run on: the handler itself needs a few hundred bytes, but every SIGSEGV of the
   thread runs here from now on, HotSpot's included, and a real crash makes HotSpot write its
   whole hs_err report on this stack (measured: docs/native-overflow.md). Memory is committed
   only where touched. The guard below catches a handler that runs past it (the kernel then
   kills the process, as it would on any exhausted stack). */
#define ALT_STACK_SIZE (256u * 1024u)
#define ALT_STACK_GUARD (64u * 1024u)

/*
 * What the library needs from libc is deliberately old, so that it loads on any glibc since
 * 2.18, although it is built on a newer one: no pthread_once, pthread_key_create, dlopen or
 * dlsym (their default versions date from glibc 2.34, when libpthread and libdl moved into
 * libc). Instead: a once flag of atomics; __cxa_thread_atexit_impl (glibc 2.18, the hook behind
 * C++ thread_local destructors) to free a thread's alternate stack when it exits; and the link
 * flag -z nodelete (fringe-arch-parent's POM) to keep the library mapped for the life of the
 * process, which it must be once the kernel calls guard_handler: JNA unloads a library it no
 * longer references.
 */
extern int __cxa_thread_atexit_impl(void (*destructor)(void *), void *argument, void *dso_symbol);

static atomic_int install_state;    /* 0: not yet; 1: being installed; 2: done */
static int install_error;
static const char dso_anchor;       /* an address inside this library, for __cxa_thread_atexit_impl */

/* Whether this thread is ready: its alternate stack is in place (ours or one it had). The
   only thing fringe_resume_guarded reads on every call, hence initial-exec TLS: one load. */
static __thread unsigned char thread_ready __attribute__((tls_model("initial-exec")));

static void release_alt_stack(void *mapping) {
    char *usable = (char *) mapping + ALT_STACK_GUARD;
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && current.ss_sp == usable) {
        if (current.ss_flags & SS_ONSTACK) return;   /* cannot happen at thread exit; leak rather than crash */
        stack_t off;
        memset(&off, 0, sizeof off);
        off.ss_flags = SS_DISABLE;
        sigaltstack(&off, NULL);
    }
    munmap(mapping, ALT_STACK_GUARD + ALT_STACK_SIZE);
    atomic_fetch_sub(&live_alternate_stacks, 1);
    thread_ready = 0;
}

/* Installs the handlers, once per process; a thread that finds another installing waits. */
static void install(void) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&install_state, &expected, 1)) {
        int error = install_for(SIGSEGV);
        if (error == 0) error = install_for(SIGBUS);
        install_error = error;
        if (error == 0) atomic_store(&installed, 1);
        atomic_store(&install_state, 2);    /* seq_cst: publishes install_error */
        return;
    }
    while (atomic_load(&install_state) != 2) sched_yield();
}

/* Sets up this thread: installs the handler (once per process) and gives the thread an
   alternate signal stack, unless it has one already (then that one is used as it is).
   Returns 0, or an errno value; on failure nothing is marked, so the next resume tries again. */
FRINGE_GUARD_EXPORT int fringe_guard_prepare_thread(void) {
    install();
    if (install_error != 0) return install_error;
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE)) {
        thread_ready = 1;
        return 0;
    }
    size_t length = ALT_STACK_GUARD + ALT_STACK_SIZE;
    char *mapping = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                         -1, 0);
    if (mapping == MAP_FAILED) return errno;
    int error = 0;
    stack_t alt;
    memset(&alt, 0, sizeof alt);
    alt.ss_sp = mapping + ALT_STACK_GUARD;
    alt.ss_size = ALT_STACK_SIZE;
    if (mprotect(mapping, ALT_STACK_GUARD, PROT_NONE) != 0 || sigaltstack(&alt, NULL) != 0) {
        error = errno;
    } else if (__cxa_thread_atexit_impl(release_alt_stack, mapping, (void *) &dso_anchor) != 0) {
        error = ENOMEM;
        alt.ss_flags = SS_DISABLE;
        sigaltstack(&alt, NULL);
    }
    if (error != 0) {
        munmap(mapping, length);
        return error;
    }
    atomic_fetch_add(&live_alternate_stacks, 1);
    thread_ready = 1;
    return 0;
}

/* A resume routine of the .S, preceded by the thread's setup: the first call on a thread
   prepares it (fringe_guard_prepare_thread); later calls cost a thread-local load and a
   predicted branch before the tail call into the switch. Java calls these only when a
   generator is resumed on another thread than last time (every time from a virtual thread,
   whose carrier may change), and the plain routine otherwise: the load costs 2-5 ns in a C
   loop of 20 ns round trips, which the common case does not pay. Both flavours exist, so that
   a generator is always switched by the flavour its binding chose. */
#define GUARDED(name, resume)                                                   \
    FRINGE_GUARD_EXPORT uintptr_t name(void *ctl) {                             \
        if (__builtin_expect(!thread_ready, 0)) fringe_guard_prepare_thread();  \
        return resume(ctl);                                                     \
    }

GUARDED(fringe_resume_guarded, fringe_resume)
#ifdef ARCH_HAS_RESUME_RET
GUARDED(fringe_resume_ret_guarded, fringe_resume_ret)
#endif

FRINGE_GUARD_EXPORT int fringe_guard_installed(void) {
    return atomic_load(&installed);
}

FRINGE_GUARD_EXPORT unsigned long fringe_guard_recovered_count(void) {
    return atomic_load(&recovered_overflows);
}

FRINGE_GUARD_EXPORT long fringe_guard_alternate_stacks(void) {
    return atomic_load(&live_alternate_stacks);
}

FRINGE_GUARD_EXPORT long fringe_guard_registered(void) {
    pthread_mutex_lock(&writer_lock);
    long n = (long) live_entries;
    pthread_mutex_unlock(&writer_lock);
    return n;
}
