/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the fringe authors */
/*
 * selftest.c - fringe's switch library checked where no JVM runs, under qemu-user.
 *
 * A static, freestanding program (no libc, no dynamic loader: its own _start, raw Linux system
 * calls) that embeds the very libfringe_<arch>.so the build put into the jar (.incbin of the
 * file the jar is packed from), loads it with the small ELF loader below and calls its exported
 * functions, running the scenarios the JVM suites run on x86_64:
 *
 *   library     the file itself: ELF class, machine, ABI flags, exactly the four exports, no
 *               dynamic relocations, no DT_NEEDED, no executable stack
 *   layout      fringe_init's control block and fresh frame, and that it writes nothing else
 *   values      first input, suspended values out, inputs in, full-width words, env, yielder
 *   return      the return value ends the generator with status 1; resuming again returns it
 *               again and never re-enters the body
 *   interleave  100 generators resumed round-robin, 50 rounds
 *   registers   every callee-saved register of the resumer and of two bodies survives each
 *               round trip (patterns differ per side and per round)
 *   alignment   the body's stack pointer at entry has the ABI's alignment, whatever the base
 *   recursion   a body suspends at every level of a deep recursion, on the way down and up,
 *               interleaved with a second such body
 *   nested      a body that creates and drives a generator of its own
 *   unwind      the DWARF CFI of the trampoline, interpreted from the library's .eh_frame,
 *               leads from a running body to the resumer's pc, sp and callee-saved registers
 *   valgrind    the stack (de)registration entry points are harmless no-ops returning 0
 *
 * Output: one line per scenario ("ok   <name>: <what was seen>" or "FAIL <name>: <why>"), then
 * "<n> passed, <n> failed". Exit status 0 only if every scenario passed.
 *
 * Portable C; everything architecture-specific (system calls, _start, the assembly probes
 * that set and check callee-saved registers, ELF and DWARF numbers) is in selftest_arch.h,
 * which each module that runs this program keeps in its src/test/c (fringe-arch-riscv32,
 * fringe-arch-or1k). This file lives once, in fringe-arch-testkit, for all of them.
 *
 * Compiled by the module's JUnit test (EmulatedSelfTest, built on the testkit's
 * AbstractEmulatedSelfTest) with the cross compiler:
 *   -ffreestanding -nostdlib -static -DFRINGE_LIBRARY='"<path of the .so>"'
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "selftest_arch.h"

/* What selftest_arch.h provides in assembly, besides _start (which calls selftest_main and
   exits with its result). ARCH_SAVED_REGS, arch_saved_names and arch_saved_dwarf name the
   callee-saved registers the probes cover, in the order they store them. */
struct fringe_yielder;

/* uintptr_t call_with_pattern(fn, a, b, pattern, seen[ARCH_SAVED_REGS]): the callee-saved
   registers = pattern + 1 .. + ARCH_SAVED_REGS, then fn(a, b); afterwards seen[i] = register
   i. Records its stack pointer at the call (call_with_pattern_sp); call_with_pattern_ret is the
   return address of that call. */
uintptr_t call_with_pattern(uintptr_t fn, uintptr_t a, uintptr_t b, uintptr_t pattern, uintptr_t *seen);
extern const char call_with_pattern_ret[];
uintptr_t call_with_pattern_sp;

/* A body that returns its stack pointer at entry. */
uintptr_t align_probe(void *env, uintptr_t input, struct fringe_yielder *y);

/* A body that records its stack pointer and return address at entry, then continues in
   unwind_body without a call of its own (so its return address still leads into the
   trampoline). */
uintptr_t unwind_probe(void *env, uintptr_t input, struct fringe_yielder *y);
extern uintptr_t unwind_entry_sp, unwind_entry_ra;

#ifndef FRINGE_LIBRARY
#error "compile with -DFRINGE_LIBRARY='\"<path of libfringe_<arch>.so>\"'"
#endif

/* ============================================================================================
 * The embedded library: the bytes of the .so, exactly as they are in the jar.
 * ========================================================================================== */

extern const uint8_t library_start[], library_end[];
__asm__(
    "        .section .rodata.fringe_library, \"a\"\n"
    "        .balign 64\n"
    "library_start:\n"
    "        .incbin \"" FRINGE_LIBRARY "\"\n"
    "library_end:\n"
    "        .previous\n");

/* ============================================================================================
 * The freestanding runtime: memory functions the compiler may call, system calls, output.
 * ========================================================================================== */

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    while (n--) *d++ = (uint8_t) c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

static size_t str_len(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static int str_eq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* Linux system calls: both riscv32 and or1k use the asm-generic numbers. */
#define PROT_READ      1
#define PROT_WRITE     2
#define PROT_EXEC      4
#define MAP_PRIVATE    0x02
#define MAP_ANONYMOUS  0x20

static long sys_write(int fd, const void *buf, size_t len) {
    return arch_syscall(SYS_WRITE, fd, (long) buf, (long) len, 0, 0, 0);
}

static void *sys_mmap(size_t len, int prot) {   /* anonymous, private, anywhere */
    long r = arch_syscall(SYS_MMAP2, 0, (long) len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return r < 0 && r > -4096 ? NULL : (void *) r;
}

static long sys_mprotect(void *addr, size_t len, int prot) {
    return arch_syscall(SYS_MPROTECT, (long) addr, (long) len, prot, 0, 0, 0);
}

/* A small formatter: %s %c %u %d %x (with an optional zero-pad width) and %%. Words only. */
typedef struct text {
    char *buf;
    size_t cap, len;
} text;

static void put_char(text *t, char c) {
    if (t->len + 1 < t->cap) t->buf[t->len++] = c;
    t->buf[t->len] = 0;
}

static void put_str(text *t, const char *s) {
    while (*s) put_char(t, *s++);
}

static void put_uint(text *t, uint32_t v, unsigned base, int width) {
    char digits[32];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width > n) put_char(t, '0'), width--;
    while (n) put_char(t, digits[--n]);
}

static void vformat(text *t, const char *fmt, va_list ap) {
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put_char(t, *fmt);
            continue;
        }
        int width = 0;
        fmt++;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 's': put_str(t, va_arg(ap, const char *)); break;
        case 'c': put_char(t, (char) va_arg(ap, int)); break;
        case 'u': put_uint(t, va_arg(ap, uint32_t), 10, width); break;
        case 'x': put_uint(t, va_arg(ap, uint32_t), 16, width); break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            if (v < 0) put_char(t, '-');
            put_uint(t, v < 0 ? (uint32_t) -(v + 1) + 1u : (uint32_t) v, 10, width);
            break;
        }
        case '%': put_char(t, '%'); break;
        default: put_char(t, '?'); break;
        }
    }
}

static void print(const char *fmt, ...) {
    char buf[512];
    text t = {buf, sizeof buf, 0};
    buf[0] = 0;
    va_list ap;
    va_start(ap, fmt);
    vformat(&t, fmt, ap);
    va_end(ap);
    sys_write(1, buf, t.len);
}

/* ============================================================================================
 * Scenario bookkeeping: each scenario returns 1 and fills `seen`, or returns 0 via FAIL(...)
 * after filling `why`.
 * ========================================================================================== */

static char seen_buf[400], why_buf[400];
static text seen = {seen_buf, sizeof seen_buf, 0}, why = {why_buf, sizeof why_buf, 0};
static int passed, failed;

static void note(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vformat(t, fmt, ap);
    va_end(ap);
}

#define SEEN(...) note(&seen, __VA_ARGS__)
#define FAIL(...)                  \
    do {                           \
        note(&why, __VA_ARGS__);   \
        return 0;                  \
    } while (0)
#define CHECK(cond, ...)                  \
    do {                                  \
        if (!(cond)) FAIL(__VA_ARGS__);   \
    } while (0)

static void scenario(const char *name, int (*run)(void)) {
    seen.len = why.len = 0;
    seen_buf[0] = why_buf[0] = 0;
    if (run()) {
        passed++;
        print("ok   %s: %s\n", name, seen_buf);
    } else {
        failed++;
        print("FAIL %s: %s\n", name, why_buf);
    }
}

/* ============================================================================================
 * The ELF loader: ELF32, the host's byte order, ET_DYN. Maps the PT_LOAD segments at their
 * vaddr offsets in one anonymous mapping (read-write while copying, then each page gets its
 * segment's protection, so qemu-user executes the code from a read+exec page as the kernel
 * would), applies R_<arch>_RELATIVE relocations if there are any (there should be none) and
 * finds symbols through DT_SYMTAB / DT_STRTAB and DT_HASH or DT_GNU_HASH, like ld.so.
 * ========================================================================================== */

typedef struct {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

typedef struct {
    int32_t d_tag;
    uint32_t d_val;
} Elf32_Dyn;

typedef struct {
    uint32_t st_name, st_value, st_size;
    uint8_t st_info, st_other;
    uint16_t st_shndx;
} Elf32_Sym;

typedef struct {
    uint32_t r_offset, r_info;
    int32_t r_addend;
} Elf32_Rela;

typedef struct {
    uint32_t r_offset, r_info;
} Elf32_Rel;

#define PT_LOAD          1
#define PT_DYNAMIC       2
#define PT_GNU_EH_FRAME  0x6474e550
#define PT_GNU_STACK     0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define DT_NULL      0
#define DT_NEEDED    1
#define DT_PLTRELSZ  2
#define DT_HASH      4
#define DT_STRTAB    5
#define DT_SYMTAB    6
#define DT_RELA      7
#define DT_RELASZ    8
#define DT_RELAENT   9
#define DT_REL       17
#define DT_RELSZ     18
#define DT_RELENT    19
#define DT_TEXTREL   22
#define DT_JMPREL    23
#define DT_FLAGS     30
#define DF_TEXTREL   4
#define DT_GNU_HASH  0x6ffffef5
#define STB_GLOBAL   1
#define STT_FUNC     2

typedef struct library {
    uint8_t *base;           /* where vaddr 0 is mapped */
    uint32_t span;           /* bytes mapped */
    uint32_t text_lo, text_hi; /* the executable segment, as offsets from base */
    const Elf32_Sym *symtab;
    const char *strtab;
    uint32_t nsyms;
    uint32_t relocations;    /* RELATIVE relocations applied */
    const uint8_t *eh_frame_hdr;
    int needed, textrel, exec_stack;
    uint32_t e_flags;
} library;

static library lib;
static uint32_t page_size = 4096;   /* replaced by AT_PAGESZ from the auxiliary vector */

/* The exports, resolved by name. */
typedef struct fringe_yielder {
    uintptr_t (*suspend)(struct fringe_yielder *self, uintptr_t value);
} fringe_yielder;
typedef uintptr_t (*fringe_body_fn)(void *env, uintptr_t input, fringe_yielder *yielder);
typedef struct fringe_ctl {      /* must match CTL_* in fringe_<arch>.S and ArchSupport */
    fringe_yielder yielder;      /* word 0 */
    uintptr_t sp;                /* word 1 */
    uintptr_t transfer;          /* word 2 */
    uintptr_t status;            /* word 3 */
} fringe_ctl;

static fringe_ctl *(*fringe_init)(void *stack_base, fringe_body_fn body, void *env);
static uintptr_t (*fringe_resume)(fringe_ctl *ctl);
static unsigned (*fringe_stack_register)(void *limit, void *base);
static void (*fringe_stack_deregister)(unsigned id);

static const char *load_error;

static int load(const uint8_t *file, uint32_t size) {
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *) file;
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint8_t data = 1;   /* ELFDATA2LSB */
#else
    const uint8_t data = 2;   /* ELFDATA2MSB */
#endif
    if (size < sizeof *eh || memcmp(eh->e_ident, magic, 4) != 0) return load_error = "not an ELF file", 0;
    if (eh->e_ident[4] != 1) return load_error = "not ELFCLASS32", 0;
    if (eh->e_ident[5] != data) return load_error = "not the host's byte order", 0;
    if (eh->e_type != 3) return load_error = "not ET_DYN (a shared object)", 0;
    if (eh->e_machine != ARCH_EM) return load_error = "e_machine is not " ARCH_NAME, 0;
    if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phoff + eh->e_phnum * sizeof(Elf32_Phdr) > size)
        return load_error = "bad program headers", 0;
    lib.e_flags = eh->e_flags;

    /* The address span of all PT_LOAD segments, in whole pages. */
    const Elf32_Phdr *ph = (const Elf32_Phdr *) (file + eh->e_phoff);
    uint32_t hi = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD) continue;
        if (ph[i].p_offset + ph[i].p_filesz > size || ph[i].p_filesz > ph[i].p_memsz)
            return load_error = "a PT_LOAD segment lies outside the file", 0;
        if (ph[i].p_vaddr + ph[i].p_memsz > hi) hi = ph[i].p_vaddr + ph[i].p_memsz;
    }
    lib.span = (hi + page_size - 1) & ~(page_size - 1);
    if (lib.span == 0 || lib.span > 64 * page_size) return load_error = "no (or huge) PT_LOAD segments", 0;
    lib.base = sys_mmap(lib.span, PROT_READ | PROT_WRITE);
    if (!lib.base) return load_error = "mmap failed", 0;

    /* Copy; the rest of each segment (.bss) is already zero. Collect each page's protection:
       the union of the segments that touch it. */
    uint8_t prot[64] = {0};
    const Elf32_Dyn *dynamic = NULL;
    for (int i = 0; i < eh->e_phnum; i++) {
        const Elf32_Phdr *p = &ph[i];
        if (p->p_type == PT_LOAD) {
            memcpy(lib.base + p->p_vaddr, file + p->p_offset, p->p_filesz);
            int pr = (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
                     (p->p_flags & PF_X ? PROT_EXEC : 0);
            for (uint32_t pg = p->p_vaddr / page_size; pg * page_size < p->p_vaddr + p->p_memsz; pg++)
                prot[pg] |= (uint8_t) pr;
            if (p->p_flags & PF_X) {
                lib.text_lo = p->p_vaddr;
                lib.text_hi = p->p_vaddr + p->p_memsz;
            }
        } else if (p->p_type == PT_DYNAMIC) {
            dynamic = (const Elf32_Dyn *) (lib.base + p->p_vaddr);
        } else if (p->p_type == PT_GNU_EH_FRAME) {
            lib.eh_frame_hdr = lib.base + p->p_vaddr;
        } else if (p->p_type == PT_GNU_STACK) {
            lib.exec_stack = (p->p_flags & PF_X) != 0;
        }
    }
    if (!dynamic) return load_error = "no PT_DYNAMIC", 0;

    /* The dynamic section: where the symbols are, which relocations there are. */
    uint32_t rela = 0, relasz = 0, rel = 0, relsz = 0, jmprel = 0, pltrelsz = 0;
    const uint32_t *hash = NULL, *gnu_hash = NULL;
    for (const Elf32_Dyn *d = dynamic; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_NEEDED: lib.needed++; break;
        case DT_SYMTAB: lib.symtab = (const Elf32_Sym *) (lib.base + d->d_val); break;
        case DT_STRTAB: lib.strtab = (const char *) (lib.base + d->d_val); break;
        case DT_HASH: hash = (const uint32_t *) (lib.base + d->d_val); break;
        case DT_GNU_HASH: gnu_hash = (const uint32_t *) (lib.base + d->d_val); break;
        case DT_RELA: rela = d->d_val; break;
        case DT_RELASZ: relasz = d->d_val; break;
        case DT_REL: rel = d->d_val; break;
        case DT_RELSZ: relsz = d->d_val; break;
        case DT_JMPREL: jmprel = d->d_val; break;
        case DT_PLTRELSZ: pltrelsz = d->d_val; break;
        case DT_TEXTREL: lib.textrel = 1; break;
        case DT_FLAGS: lib.textrel |= (d->d_val & DF_TEXTREL) != 0; break;
        default: break;
        }
    }
    if (!lib.symtab || !lib.strtab || (!hash && !gnu_hash)) return load_error = "no symbol table or hash table", 0;
    if (jmprel && pltrelsz) return load_error = "PLT relocations (the library should call nothing)", 0;

    /* Symbol count: DT_HASH says it (nchain); with DT_GNU_HASH it is one past the highest
       index reachable through the buckets and chains. */
    if (hash) {
        lib.nsyms = hash[1];
    } else {
        uint32_t nbuckets = gnu_hash[0], symoffset = gnu_hash[1], bloom = gnu_hash[2];
        const uint32_t *buckets = gnu_hash + 4 + bloom, *chain = buckets + nbuckets;
        uint32_t last = 0;
        for (uint32_t b = 0; b < nbuckets; b++)
            if (buckets[b] > last) last = buckets[b];
        if (last < symoffset) {
            lib.nsyms = symoffset;
        } else {
            while (!(chain[last - symoffset] & 1)) last++;
            lib.nsyms = last + 1;
        }
    }

    /* Relocations: RELATIVE only (base + addend); anything else would need a symbol lookup
       that a library without imports can never need. */
    for (uint32_t off = 0; rela && off < relasz; off += sizeof(Elf32_Rela)) {
        const Elf32_Rela *r = (const Elf32_Rela *) (lib.base + rela + off);
        if ((r->r_info & 0xff) != ARCH_R_RELATIVE) return load_error = "a RELA relocation other than RELATIVE", 0;
        *(uint32_t *) (lib.base + r->r_offset) = (uint32_t) (uintptr_t) lib.base + (uint32_t) r->r_addend;
        lib.relocations++;
    }
    for (uint32_t off = 0; rel && off < relsz; off += sizeof(Elf32_Rel)) {
        const Elf32_Rel *r = (const Elf32_Rel *) (lib.base + rel + off);
        if ((r->r_info & 0xff) != ARCH_R_RELATIVE) return load_error = "a REL relocation other than RELATIVE", 0;
        *(uint32_t *) (lib.base + r->r_offset) += (uint32_t) (uintptr_t) lib.base;
        lib.relocations++;
    }

    /* Final protections, page run by page run. */
    for (uint32_t pg = 0; pg * page_size < lib.span; pg++) {
        if (sys_mprotect(lib.base + pg * page_size, page_size, prot[pg]) != 0)
            return load_error = "mprotect failed", 0;
    }
    return 1;
}

static const Elf32_Sym *find_symbol(const char *name) {
    for (uint32_t i = 1; i < lib.nsyms; i++) {
        const Elf32_Sym *s = &lib.symtab[i];
        if (s->st_shndx != 0 && str_eq(lib.strtab + s->st_name, name)) return s;
    }
    return NULL;
}

static void *find_function(const char *name) {
    const Elf32_Sym *s = find_symbol(name);
    return s ? lib.base + s->st_value : NULL;
}

static int in_text(uintptr_t address) {
    uintptr_t base = (uintptr_t) lib.base;
    return address >= base + lib.text_lo && address < base + lib.text_hi;
}

/* ============================================================================================
 * library
 * ========================================================================================== */

static const char *const exports[] = {"fringe_init", "fringe_resume", "fringe_stack_register",
                                      "fringe_stack_deregister"};

static int run_library(void) {
    CHECK(load(library_start, (uint32_t) (library_end - library_start)), "cannot load the library: %s", load_error);
    const char *abi = arch_check_flags(lib.e_flags);
    CHECK(abi != NULL, "e_flags 0x%x are not the ABI this port implements", lib.e_flags);
    fringe_init = find_function("fringe_init");
    fringe_resume = find_function("fringe_resume");
    fringe_stack_register = find_function("fringe_stack_register");
    fringe_stack_deregister = find_function("fringe_stack_deregister");
    CHECK(fringe_init && fringe_resume && fringe_stack_register && fringe_stack_deregister,
          "an export is missing from .dynsym");
    /* Exactly these four global functions, nothing else global (fringe_suspend stays local). */
    uint32_t globals = 0;
    for (uint32_t i = 1; i < lib.nsyms; i++) {
        const Elf32_Sym *s = &lib.symtab[i];
        if (s->st_shndx == 0 || (s->st_info >> 4) != STB_GLOBAL) continue;
        const char *name = lib.strtab + s->st_name;
        int known = 0;
        for (int k = 0; k < 4; k++) known |= str_eq(name, exports[k]);
        CHECK(known && (s->st_info & 0xf) == STT_FUNC, "unexpected global symbol %s", name);
        CHECK(in_text((uintptr_t) lib.base + s->st_value), "%s lies outside the executable segment", name);
        globals++;
    }
    CHECK(globals == 4, "%u global symbols, want 4", globals);
    CHECK(lib.needed == 0, "%u DT_NEEDED entries: the library must need nothing", lib.needed);
    CHECK(!lib.textrel, "text relocations");
    CHECK(lib.relocations == 0, "%u RELATIVE relocations: the code should be position-independent without any",
          lib.relocations);
    CHECK(!lib.exec_stack, "PT_GNU_STACK asks for an executable stack");
    CHECK(lib.eh_frame_hdr != NULL, "no PT_GNU_EH_FRAME (.eh_frame_hdr)");
    SEEN("ELF32 %s %s; exports fringe_init fringe_resume fringe_stack_register "
         "fringe_stack_deregister and nothing else; 0 dynamic relocations, no DT_NEEDED, "
         "non-executable stack, .eh_frame_hdr present", ARCH_NAME, abi);
    return 1;
}

/* ============================================================================================
 * Stacks: static, aligned, one per generator.
 * ========================================================================================== */

#define STACK_SIZE (64 * 1024)
#define STACKS 104
static uint8_t stacks[STACKS][STACK_SIZE] __attribute__((aligned(64)));

static uint8_t *stack_base(int i) {
    return stacks[i] + STACK_SIZE;
}

static uintptr_t resume_with(fringe_ctl *ctl, uintptr_t input) {
    ctl->transfer = input;
    return fringe_resume(ctl);
}

/* ============================================================================================
 * layout
 * ========================================================================================== */

#define CTL_BYTES (4 * sizeof(uintptr_t))

static uintptr_t never_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env, (void) y;
    return input;
}

static int run_layout(void) {
    uint8_t *s = stacks[0];
    memset(s, 0xA5, STACK_SIZE);
    uint8_t *base = stack_base(0) - 2 * ARCH_STACK_ALIGN;   /* canaries above the base, too */
    fringe_ctl *ctl = fringe_init(base, never_body, (void *) 0x1234);
    uintptr_t b = (uintptr_t) base;
    CHECK((uintptr_t) ctl == b - CTL_BYTES, "ctl at base-%u, want base-%u", (uint32_t) (b - (uintptr_t) ctl),
          (uint32_t) CTL_BYTES);
    CHECK(ctl->sp == (uintptr_t) ctl - ARCH_SWITCH_FRAME, "ctl->sp = base-%u, want ctl-%u",
          (uint32_t) (b - ctl->sp), (uint32_t) ARCH_SWITCH_FRAME);
    CHECK(ctl->transfer == 0 && ctl->status == 0, "transfer %u status %u, want 0 0", (uint32_t) ctl->transfer,
          (uint32_t) ctl->status);
    uintptr_t suspend = (uintptr_t) ctl->yielder.suspend;
    CHECK(in_text(suspend), "ctl->suspend 0x%x is not in the library's code", (uint32_t) suspend);
    int exported = 0;
    for (int k = 0; k < 4; k++) exported |= suspend == (uintptr_t) find_function(exports[k]);
    CHECK(!exported, "ctl->suspend is an exported function; it should be the local fringe_suspend");
    /* fringe_init wrote exactly [ctl->sp, base): everything else still holds the canary. */
    uint32_t written_lo = STACK_SIZE, written_hi = 0;
    for (uint32_t i = 0; i < STACK_SIZE; i++) {
        if (s[i] != 0xA5 && i < written_lo) written_lo = i;
        if (s[i] != 0xA5) written_hi = i + 1;
    }
    uint32_t frame_lo = (uint32_t) (ctl->sp - (uintptr_t) s), base_off = (uint32_t) (b - (uintptr_t) s);
    CHECK(written_lo >= frame_lo && written_hi <= base_off,
          "fringe_init wrote bytes [base-%u, base-%u), outside [ctl->sp, base)", base_off - written_lo,
          base_off - written_hi);
    SEEN("ctl at base-%u, ctl->sp = ctl-%u (fresh switch frame), transfer 0, status 0, suspend = a local "
         "function of the library; nothing written outside [ctl->sp, base)",
         (uint32_t) CTL_BYTES, (uint32_t) ARCH_SWITCH_FRAME);
    return 1;
}

/* ============================================================================================
 * values / return
 * ========================================================================================== */

static fringe_ctl *values_ctl;
static uintptr_t values_env_seen, values_first_input, values_yielder_is_ctl, values_entries;

static uintptr_t echo_body(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t offset = *(uintptr_t *) env;
    values_entries++;
    values_env_seen = offset;
    values_first_input = input;
    values_yielder_is_ctl = (void *) y == (void *) values_ctl;
    uintptr_t total = 0;
    while (input != 0) {
        total += input;
        input = y->suspend(y, input * 2 + offset);
    }
    return total + offset;
}

static int run_values(void) {
    uintptr_t env = 1000;
    fringe_ctl *ctl = values_ctl = fringe_init(stack_base(1), echo_body, &env);
    uintptr_t out = resume_with(ctl, 5);
    CHECK(values_entries == 1, "the body did not start");
    CHECK(values_env_seen == 1000, "env: body saw %u, want 1000", (uint32_t) values_env_seen);
    CHECK(values_first_input == 5, "first input: body saw %u, want 5", (uint32_t) values_first_input);
    CHECK(values_yielder_is_ctl, "the body's yielder is not the control block");
    CHECK(out == 1010 && ctl->status == 0, "resume(5) = %u status %u, want 1010 status 0", (uint32_t) out,
          (uint32_t) ctl->status);
    out = resume_with(ctl, 7);
    CHECK(out == 1014 && ctl->status == 0, "resume(7) = %u status %u, want 1014 status 0", (uint32_t) out,
          (uint32_t) ctl->status);
    /* Full-width words: the top bit and all ones survive both directions. */
    out = resume_with(ctl, 0x40000001u);
    CHECK(out == 0x800003eau, "resume(0x40000001) = 0x%x, want 0x800003ea (2 * input + 1000)", (uint32_t) out);
    out = resume_with(ctl, 0xffffffffu);
    CHECK(out == 0x3e6u, "resume(0xffffffff) = 0x%x, want 0x3e6 (2 * input + 1000, wrapped)", (uint32_t) out);
    SEEN("body got env 1000 and first input 5, yielder == ctl; resume(5) = 1010, resume(7) = 1014, "
         "resume(0x40000001) = 0x800003ea, resume(0xffffffff) = 0x3e6, status 0");
    return 1;
}

static int run_return(void) {
    fringe_ctl *ctl = values_ctl;   /* the generator of run_values, still suspended */
    CHECK(ctl != NULL && ctl->status == 0, "run after values: no suspended generator");
    uintptr_t want = (uintptr_t) (5u + 7u + 0x40000001u + 0xffffffffu + 1000u);   /* wraps */
    uintptr_t out = resume_with(ctl, 0);
    CHECK(out == want && ctl->status == 1, "resume(0) = 0x%x status %u, want the return value 0x%x status 1",
          (uint32_t) out, (uint32_t) ctl->status, (uint32_t) want);
    out = resume_with(ctl, 9);
    CHECK(out == want && ctl->status == 1, "resume(9) after finish = 0x%x status %u, want 0x%x status 1",
          (uint32_t) out, (uint32_t) ctl->status, (uint32_t) want);
    CHECK(values_entries == 1, "the body was entered %u times", (uint32_t) values_entries);
    SEEN("resume(0) = 0x%x (the body's return value) with status 1; resume(9) after that returns it "
         "again with status 1 and never re-enters the body", (uint32_t) want);
    return 1;
}

/* ============================================================================================
 * interleave
 * ========================================================================================== */

#define GENERATORS 100
#define ROUNDS 50

static uintptr_t counter_body(void *env, uintptr_t input, fringe_yielder *y) {
    uintptr_t id = (uintptr_t) env;
    for (uintptr_t k = 0; k < ROUNDS; k++) input = y->suspend(y, id * 1000000 + k * 1000 + input);
    return id + 7;
}

static int run_interleave(void) {
    static fringe_ctl *ctls[GENERATORS];
    for (uintptr_t i = 0; i < GENERATORS; i++) ctls[i] = fringe_init(stack_base((int) i + 2), counter_body, (void *) i);
    uint32_t checksum = 0;
    for (uintptr_t r = 0; r < ROUNDS; r++) {
        for (uintptr_t i = 0; i < GENERATORS; i++) {
            uintptr_t input = 3 * r + i;
            uintptr_t out = resume_with(ctls[i], input);
            uintptr_t want = i * 1000000 + r * 1000 + input;
            CHECK(out == want && ctls[i]->status == 0, "generator %u round %u: got %u status %u, want %u status 0",
                  (uint32_t) i, (uint32_t) r, (uint32_t) out, (uint32_t) ctls[i]->status, (uint32_t) want);
            checksum += (uint32_t) out;
        }
    }
    for (uintptr_t i = 0; i < GENERATORS; i++) {
        uintptr_t out = resume_with(ctls[i], 0);
        CHECK(out == i + 7 && ctls[i]->status == 1, "generator %u finish: got %u status %u, want %u status 1",
              (uint32_t) i, (uint32_t) out, (uint32_t) ctls[i]->status, (uint32_t) (i + 7));
        checksum += (uint32_t) out;
    }
    SEEN("%u generators x %u round trips, each value as expected, then each returned; checksum %u", GENERATORS,
         ROUNDS, checksum);
    return 1;
}

/* ============================================================================================
 * registers
 *
 * call_with_pattern (selftest_arch.h, assembly) sets EVERY callee-saved register to
 * pattern + 1, pattern + 2, ... right before it calls fn(a, b), and stores what the registers
 * hold right after fn returns. The resumer calls fringe_resume through it; the bodies call
 * their yielder's suspend through it. Between those two points the other side ran with its
 * own patterns, so every register that was not saved and restored shows the wrong value.
 * ========================================================================================== */

typedef struct pattern_body_env {
    uintptr_t pattern;                        /* this body's patterns: pattern + round * 0x100 */
    uintptr_t seen[ROUNDS][ARCH_SAVED_REGS];  /* what it found after each suspend */
} pattern_body_env;

static uintptr_t pattern_body(void *env, uintptr_t input, fringe_yielder *y) {
    pattern_body_env *e = env;
    for (uintptr_t round = 0; round < 3; round++)
        input = call_with_pattern((uintptr_t) y->suspend, (uintptr_t) y, input + 1, e->pattern + round * 0x100,
                                  e->seen[round]);
    return input + 1;
}

static int check_pattern(const char *who, const uintptr_t seen_regs[], uintptr_t pattern) {
    for (int i = 0; i < ARCH_SAVED_REGS; i++) {
        uintptr_t want = pattern + (uintptr_t) i + 1;
        CHECK(seen_regs[i] == want, "%s %s: 0x%08x after the round trip, want 0x%08x", who, arch_saved_names[i],
              (uint32_t) seen_regs[i], (uint32_t) want);
    }
    return 1;
}

static int run_registers(void) {
    static pattern_body_env envs[2];
    fringe_ctl *ctls[2];
    uintptr_t seen_regs[ARCH_SAVED_REGS];
    for (int g = 0; g < 2; g++) {
        envs[g].pattern = g == 0 ? 0xB1B10000u : 0xC2C20000u;
        ctls[g] = fringe_init(stack_base(2 + g), pattern_body, &envs[g]);
    }
    /* 4 round trips per generator, interleaved: 3 suspends, then the return. */
    for (uintptr_t round = 0; round < 4; round++) {
        for (int g = 0; g < 2; g++) {
            uintptr_t pattern = 0xA1A10000u + (uintptr_t) g * 0x1000 + round * 0x100;
            uintptr_t out = call_with_pattern((uintptr_t) fringe_resume, (uintptr_t) ctls[g], 0, pattern, seen_regs);
            if (!check_pattern("resumer's", seen_regs, pattern)) return 0;
            uintptr_t want_status = round == 3;
            CHECK(ctls[g]->status == want_status, "generator %d round %u: status %u", g, (uint32_t) round,
                  (uint32_t) ctls[g]->status);
            (void) out;
        }
    }
    for (int g = 0; g < 2; g++)
        for (uintptr_t round = 0; round < 3; round++)
            if (!check_pattern("body's", envs[g].seen[round], envs[g].pattern + round * 0x100)) return 0;
    SEEN("resumer's %s intact after 8 round trips (2 generators, 4 each, last one the return); "
         "both bodies' %s intact after each of their 3 suspends", arch_saved_list, arch_saved_list);
    return 1;
}

/* ============================================================================================
 * alignment: align_probe (assembly) returns its stack pointer at entry
 * ========================================================================================== */

static int run_alignment(void) {
    uint8_t *top = stack_base(4);
    uint32_t offsets_seen = 0;
    for (uint32_t mis = 0; mis < 2 * ARCH_STACK_ALIGN; mis++) {
        uint8_t *base = top - mis;
        fringe_ctl *ctl = fringe_init(base, align_probe, NULL);
        uintptr_t sp = resume_with(ctl, 0);
        CHECK(sp % ARCH_STACK_ALIGN == 0, "base-%u: entry sp %% %u = %u", mis, (uint32_t) ARCH_STACK_ALIGN,
              (uint32_t) (sp % ARCH_STACK_ALIGN));
        uintptr_t aligned = (uintptr_t) base & ~(uintptr_t) (ARCH_STACK_ALIGN - 1);
        CHECK(sp == aligned - ARCH_ENTRY_SP_BELOW_BASE, "base-%u: entry sp = aligned base-%u, want -%u", mis,
              (uint32_t) (aligned - sp), (uint32_t) ARCH_ENTRY_SP_BELOW_BASE);
        CHECK(ctl->status == 1, "base-%u: status %u after the probe returned", mis, (uint32_t) ctl->status);
        offsets_seen++;
    }
    SEEN("%u bases (aligned, and misaligned by 1..%u bytes): the body's sp at entry is always the base "
         "aligned down to %u, minus %u, so sp %% %u == 0",
         offsets_seen, (uint32_t) (2 * ARCH_STACK_ALIGN - 1), (uint32_t) ARCH_STACK_ALIGN,
         (uint32_t) ARCH_ENTRY_SP_BELOW_BASE, (uint32_t) ARCH_STACK_ALIGN);
    return 1;
}

/* ============================================================================================
 * recursion: suspend at every level, down and up; locals of every level must survive
 * ========================================================================================== */

#define DEPTH 300

/* Every suspend must return what it suspended with: the resumer echoes each value back. */
__attribute__((noinline)) static uintptr_t descend(fringe_yielder *y, uintptr_t level, uintptr_t tag) {
    volatile uintptr_t local[6];
    int echoed = 1;
    for (int i = 0; i < 6; i++) local[i] = tag ^ (level * 6 + (uintptr_t) i);
    echoed &= y->suspend(y, tag + level) == tag + level;         /* on the way down */
    uintptr_t below = 0;
    if (level + 1 < DEPTH)
        below = descend(y, level + 1, tag);
    else
        echoed &= y->suspend(y, tag + DEPTH) == tag + DEPTH;     /* at the bottom */
    for (int i = 0; i < 6; i++)
        if (local[i] != (tag ^ (level * 6 + (uintptr_t) i))) return 0xdead;   /* a corrupted frame */
    echoed &= y->suspend(y, tag + level) == tag + level;         /* on the way up */
    return below == 0xdead || !echoed ? 0xdead : below + 1;
}

static uintptr_t recursion_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) input;
    return descend(y, 0, (uintptr_t) env);
}

static int run_recursion(void) {
    static const uintptr_t tags[2] = {0x100000, 0x200000};
    fringe_ctl *ctls[2];
    uintptr_t last[2] = {0, 0};
    for (int g = 0; g < 2; g++) ctls[g] = fringe_init(stack_base(5 + g), recursion_body, (void *) tags[g]);
    /* Expected sequence: 0..DEPTH-1 (down), DEPTH (bottom), DEPTH-1..0 (up), then the return. */
    uint32_t steps = 0;
    for (uintptr_t k = 0; k < 2 * DEPTH + 1; k++) {
        uintptr_t want = k < DEPTH ? k : k == DEPTH ? DEPTH : 2 * DEPTH - k;
        for (int g = 0; g < 2; g++) {
            uintptr_t out = resume_with(ctls[g], last[g]);
            CHECK(out == tags[g] + want && ctls[g]->status == 0, "generator %d step %u: got 0x%x status %u, want 0x%x",
                  g, (uint32_t) k, (uint32_t) out, (uint32_t) ctls[g]->status, (uint32_t) (tags[g] + want));
            last[g] = out;
            steps++;
        }
    }
    for (int g = 0; g < 2; g++) {
        uintptr_t out = resume_with(ctls[g], last[g]);
        CHECK(out == DEPTH && ctls[g]->status == 1, "generator %d: returned %u status %u, want %u status 1"
              " (0xdead = a frame's locals or an echoed value were wrong)", g,
              (uint32_t) out, (uint32_t) ctls[g]->status, (uint32_t) DEPTH);
    }
    SEEN("2 interleaved bodies recursed %u levels deep, suspending on the way down, at the bottom and on "
         "the way up (%u suspends, each value echoed back); every frame's locals intact; each returned %u",
         (uint32_t) DEPTH, steps, (uint32_t) DEPTH);
    return 1;
}

/* ============================================================================================
 * nested: a body that runs a generator of its own
 * ========================================================================================== */

static uintptr_t inner_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    for (int i = 0; i < 3; i++) input = y->suspend(y, input * 10);
    return 7;
}

static uintptr_t outer_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env;
    fringe_ctl *inner = fringe_init(stack_base(8), inner_body, NULL);
    uintptr_t sum = 0;
    while (1) {
        uintptr_t v = resume_with(inner, input);
        if (inner->status) {
            sum += v;
            break;
        }
        sum += v;
        input = y->suspend(y, v + 1);
    }
    return sum;
}

static int run_nested(void) {
    fringe_ctl *outer = fringe_init(stack_base(7), outer_body, NULL);
    uintptr_t a = resume_with(outer, 1), b = resume_with(outer, 2), c = resume_with(outer, 3);
    CHECK(a == 11 && b == 21 && c == 31 && outer->status == 0, "outer yielded %u %u %u, want 11 21 31", (uint32_t) a,
          (uint32_t) b, (uint32_t) c);
    uintptr_t r = resume_with(outer, 4);
    CHECK(r == 10 + 20 + 30 + 7 && outer->status == 1, "outer returned %u status %u, want 67 status 1",
          (uint32_t) r, (uint32_t) outer->status);
    SEEN("outer body drove an inner generator on another stack: 11 21 31, then returned 67");
    return 1;
}

/* ============================================================================================
 * unwind: interpret the trampoline's DWARF CFI from the library's .eh_frame
 *
 * unwind_probe (assembly) records its stack pointer and return address at entry (the body's
 * CFA and its return address into fringe's trampoline) and continues in unwind_body. There,
 * with the resumer suspended inside call_with_pattern -> fringe_resume, we look up the FDE that
 * covers (return address - 1), run its CFA program up to that address and evaluate the rules
 * with sp = the recorded entry sp. A debugger would do exactly this; the result must be the
 * resumer's frame: pc = call_with_pattern's return address, CFA = its sp at the call, and the
 * resumer's callee-saved registers (the pattern).
 * ========================================================================================== */

#define DW_EH_PE_omit    0xff
#define DW_EH_PE_absptr  0x00
#define DW_EH_PE_udata4  0x03
#define DW_EH_PE_sdata4  0x0b
#define DW_EH_PE_pcrel   0x10
#define DW_EH_PE_datarel 0x30

static uint32_t read_uleb(const uint8_t **p) {
    uint32_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        if (shift < 32) v |= (uint32_t) (b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    return v;
}

static int32_t read_sleb(const uint8_t **p) {
    uint32_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        if (shift < 32) v |= (uint32_t) (b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) v |= ~0u << shift;
    return (int32_t) v;
}

static uint32_t read_u32(const uint8_t *p) {   /* unaligned, host byte order */
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static int read_encoded(const uint8_t **p, uint8_t enc, uintptr_t datarel, uintptr_t *out) {
    const uint8_t *at = *p;
    uint32_t v;
    switch (enc & 0x0f) {
    case DW_EH_PE_absptr:
    case DW_EH_PE_udata4:
    case DW_EH_PE_sdata4: v = read_u32(at); *p += 4; break;
    default: return 0;
    }
    switch (enc & 0x70) {
    case 0: break;
    case DW_EH_PE_pcrel: v += (uint32_t) (uintptr_t) at; break;
    case DW_EH_PE_datarel: v += (uint32_t) datarel; break;
    default: return 0;
    }
    if (enc & 0x80) return 0;   /* indirect: not used by this library */
    *out = v;
    return 1;
}

enum rule_kind { RULE_SAME, RULE_UNDEFINED, RULE_OFFSET, RULE_REGISTER };
typedef struct rule {
    uint8_t kind;
    int32_t value;   /* offset from the CFA, or a register number */
} rule;
typedef struct cfa_row {
    int expression;              /* CFA from a DWARF expression (expr, expr_len) */
    const uint8_t *expr;
    uint32_t expr_len;
    uint32_t reg;                /* else CFA = reg + offset */
    int32_t offset;
    rule regs[32];
} cfa_row;

typedef struct unwound {
    int signal_frame;            /* the CIE's augmentation has 'S' */
    uint32_t return_column;
    uintptr_t cfa;
    uintptr_t regs[32];          /* callee-visible values after the step */
    uint8_t known[32];
    char cfa_rule[96];           /* the CFA rule, for the report */
} unwound;

static const char *cfi_error;

/* Runs CFA instructions [p, end) with code alignment caf and data alignment daf, stopping
   before the first row that starts above `target`. */
static int run_cfa_program(const uint8_t *p, const uint8_t *end, uint32_t caf, int32_t daf, uintptr_t *loc,
                           uintptr_t target, cfa_row *row, const cfa_row *initial) {
    cfa_row stack[4];
    int depth = 0;
    while (p < end) {
        uint8_t op = *p++, low = op & 0x3f;
        uint32_t delta = 0, reg;
        switch (op >> 6) {
        case 1: delta = low; goto advance;
        case 2:
            if (low >= 32) return cfi_error = "register out of range", 0;
            row->regs[low].kind = RULE_OFFSET;
            row->regs[low].value = (int32_t) read_uleb(&p) * daf;
            continue;
        case 3:
            if (low >= 32) return cfi_error = "register out of range", 0;
            row->regs[low] = initial->regs[low];
            continue;
        default: break;
        }
        switch (op) {
        case 0x00: continue;                                     /* DW_CFA_nop */
        case 0x02: delta = *p++; goto advance;                   /* DW_CFA_advance_loc1 */
        case 0x03: {                                             /* DW_CFA_advance_loc2 */
            uint16_t d16;
            memcpy(&d16, p, 2);                                  /* host (= file) byte order */
            delta = d16;
            p += 2;
            goto advance;
        }
        case 0x04: delta = read_u32(p); p += 4; goto advance;    /* DW_CFA_advance_loc4 */
        case 0x05:                                               /* DW_CFA_offset_extended */
            reg = read_uleb(&p);
            if (reg >= 32) return cfi_error = "register out of range", 0;
            row->regs[reg].kind = RULE_OFFSET;
            row->regs[reg].value = (int32_t) read_uleb(&p) * daf;
            continue;
        case 0x06:                                               /* DW_CFA_restore_extended */
            reg = read_uleb(&p);
            if (reg >= 32) return cfi_error = "register out of range", 0;
            row->regs[reg] = initial->regs[reg];
            continue;
        case 0x07:                                               /* DW_CFA_undefined */
        case 0x08:                                               /* DW_CFA_same_value */
            reg = read_uleb(&p);
            if (reg >= 32) return cfi_error = "register out of range", 0;
            row->regs[reg].kind = op == 0x07 ? RULE_UNDEFINED : RULE_SAME;
            continue;
        case 0x09:                                               /* DW_CFA_register */
            reg = read_uleb(&p);
            if (reg >= 32) return cfi_error = "register out of range", 0;
            row->regs[reg].kind = RULE_REGISTER;
            row->regs[reg].value = (int32_t) read_uleb(&p);
            continue;
        case 0x0a:                                               /* DW_CFA_remember_state */
            if (depth == 4) return cfi_error = "remember_state nested too deep", 0;
            stack[depth++] = *row;
            continue;
        case 0x0b:                                               /* DW_CFA_restore_state */
            if (depth == 0) return cfi_error = "restore_state without remember_state", 0;
            *row = stack[--depth];
            continue;
        case 0x0c:                                               /* DW_CFA_def_cfa */
            row->expression = 0;
            row->reg = read_uleb(&p);
            row->offset = (int32_t) read_uleb(&p);
            continue;
        case 0x0d: row->expression = 0; row->reg = read_uleb(&p); continue;      /* def_cfa_register */
        case 0x0e: row->offset = (int32_t) read_uleb(&p); continue;              /* def_cfa_offset */
        case 0x0f:                                               /* DW_CFA_def_cfa_expression */
            row->expression = 1;
            row->expr_len = read_uleb(&p);
            row->expr = p;
            p += row->expr_len;
            continue;
        case 0x11:                                               /* DW_CFA_offset_extended_sf */
            reg = read_uleb(&p);
            if (reg >= 32) return cfi_error = "register out of range", 0;
            row->regs[reg].kind = RULE_OFFSET;
            row->regs[reg].value = read_sleb(&p) * daf;
            continue;
        case 0x12:                                               /* DW_CFA_def_cfa_sf */
            row->expression = 0;
            row->reg = read_uleb(&p);
            row->offset = read_sleb(&p) * daf;
            continue;
        case 0x13: row->offset = read_sleb(&p) * daf; continue;  /* DW_CFA_def_cfa_offset_sf */
        case 0x2e: read_uleb(&p); continue;                      /* DW_CFA_GNU_args_size */
        default: return cfi_error = "a CFA instruction this interpreter does not know", 0;
        }
    advance:
        if (*loc + delta * caf > target) return 1;
        *loc += delta * caf;
    }
    return 1;
}

/* Evaluates the subset of DWARF expressions a CFA splice needs: bregN, deref, plus_uconst. */
static int eval_expression(const uint8_t *p, uint32_t len, const unwound *u, uintptr_t *out, text *describe) {
    const uint8_t *end = p + len;
    uintptr_t stack[8];
    int n = 0;
    while (p < end) {
        uint8_t op = *p++;
        if (op >= 0x70 && op <= 0x8f) {                          /* DW_OP_breg0..31 */
            uint32_t reg = op - 0x70u;
            int32_t off = read_sleb(&p);
            if (!u->known[reg]) return cfi_error = "the CFA expression reads a register we do not know", 0;
            if (n == 8) return cfi_error = "expression stack overflow", 0;
            stack[n++] = u->regs[reg] + (uintptr_t) off;
            note(describe, "breg%u%s%d ", reg, off < 0 ? "" : "+", off);
        } else if (op == 0x06) {                                 /* DW_OP_deref */
            if (n == 0) return cfi_error = "deref of an empty stack", 0;
            stack[n - 1] = *(const uintptr_t *) stack[n - 1];
            note(describe, "deref ");
        } else if (op == 0x23) {                                 /* DW_OP_plus_uconst */
            if (n == 0) return cfi_error = "plus_uconst on an empty stack", 0;
            uint32_t c = read_uleb(&p);
            stack[n - 1] += c;
            note(describe, "plus_uconst %u", c);
        } else {
            return cfi_error = "a DWARF operation this interpreter does not know", 0;
        }
    }
    if (n != 1) return cfi_error = "the CFA expression left no single value", 0;
    *out = stack[0];
    return 1;
}

/* One unwind step from the frame whose code contains `pc` (a return address: looked up at
   pc - 1), given the values of the registers in `u` that are known. */
static int unwind_step(uintptr_t pc, unwound *u) {
    const uint8_t *hdr = lib.eh_frame_hdr, *p = hdr + 4;
    uintptr_t target = pc - 1;
    if (!hdr || hdr[0] != 1) return cfi_error = "no .eh_frame_hdr version 1", 0;
    uintptr_t eh_frame, count;
    if (!read_encoded(&p, hdr[1], (uintptr_t) hdr, &eh_frame) || !read_encoded(&p, hdr[2], (uintptr_t) hdr, &count))
        return cfi_error = ".eh_frame_hdr encoding not supported", 0;
    /* The sorted table: (initial location, FDE address) pairs; find the last location <= target. */
    const uint8_t *fde = NULL;
    for (uintptr_t i = 0; i < count; i++) {
        uintptr_t start, address;
        if (!read_encoded(&p, hdr[3], (uintptr_t) hdr, &start) || !read_encoded(&p, hdr[3], (uintptr_t) hdr, &address))
            return cfi_error = ".eh_frame_hdr table encoding not supported", 0;
        if (start <= target) fde = (const uint8_t *) address;
    }
    if (!fde) return cfi_error = "no FDE covers the return address", 0;

    /* The FDE's CIE. */
    uint32_t fde_len = read_u32(fde);
    const uint8_t *fde_end = fde + 4 + fde_len;
    const uint8_t *cie = fde + 4 - read_u32(fde + 4);
    const uint8_t *cie_end = cie + 4 + read_u32(cie);
    const uint8_t *c = cie + 8;
    uint8_t version = *c++;
    const char *aug = (const char *) c;
    c += str_len(aug) + 1;
    uint32_t caf = read_uleb(&c);
    int32_t daf = read_sleb(&c);
    u->return_column = version == 1 ? *c++ : read_uleb(&c);
    uint8_t fde_enc = DW_EH_PE_absptr;
    u->signal_frame = 0;
    if (aug[0] == 'z') {
        uint32_t aug_len = read_uleb(&c);
        const uint8_t *aug_data = c;
        for (const char *a = aug + 1; *a; a++) {
            if (*a == 'R') fde_enc = *aug_data++;
            else if (*a == 'S') u->signal_frame = 1;
            else return cfi_error = "CIE augmentation other than z, R, S", 0;
        }
        c += aug_len;
    } else if (aug[0]) {
        return cfi_error = "CIE augmentation without z", 0;
    }

    /* The FDE's range. */
    const uint8_t *f = fde + 8;
    uintptr_t pc_begin, pc_range;
    if (!read_encoded(&f, fde_enc, 0, &pc_begin) || !read_encoded(&f, fde_enc & 0x0f, 0, &pc_range))
        return cfi_error = "FDE pointer encoding not supported", 0;
    if (target < pc_begin || target >= pc_begin + pc_range) return cfi_error = "the FDE found does not cover pc", 0;
    if (aug[0] == 'z') {
        uint32_t aug_len = read_uleb(&f);
        f += aug_len;
    }

    /* CIE initial instructions, then the FDE's, up to the target. */
    cfa_row row, initial;
    memset(&row, 0, sizeof row);
    for (int r = 0; r < 32; r++) row.regs[r].kind = RULE_SAME;
    uintptr_t loc = pc_begin;
    if (!run_cfa_program(c, cie_end, caf, daf, &loc, (uintptr_t) -1, &row, &row)) return 0;
    initial = row;
    if (!run_cfa_program(f, fde_end, caf, daf, &loc, target, &row, &initial)) return 0;

    /* Evaluate. */
    text describe = {u->cfa_rule, sizeof u->cfa_rule, 0};
    u->cfa_rule[0] = 0;
    if (row.expression) {
        if (!eval_expression(row.expr, row.expr_len, u, &u->cfa, &describe)) return 0;
    } else {
        if (row.reg >= 32 || !u->known[row.reg]) return cfi_error = "the CFA register is unknown", 0;
        u->cfa = u->regs[row.reg] + (uintptr_t) row.offset;
        note(&describe, "r%u+%d", row.reg, row.offset);
    }
    uintptr_t next[32];
    uint8_t next_known[32];
    for (int r = 0; r < 32; r++) {
        rule ru = row.regs[r];
        next[r] = u->regs[r];
        next_known[r] = u->known[r];
        if (ru.kind == RULE_OFFSET) {
            next[r] = *(const uintptr_t *) (u->cfa + (uintptr_t) ru.value);
            next_known[r] = 1;
        } else if (ru.kind == RULE_REGISTER) {
            next[r] = u->regs[ru.value & 31];
            next_known[r] = u->known[ru.value & 31];
        } else if (ru.kind == RULE_UNDEFINED) {
            next_known[r] = 0;
        }
    }
    for (int r = 0; r < 32; r++) u->regs[r] = next[r], u->known[r] = next_known[r];
    u->regs[ARCH_DWARF_SP] = u->cfa;   /* the caller's sp is the CFA */
    u->known[ARCH_DWARF_SP] = 1;
    return 1;
}

uintptr_t unwind_entry_sp, unwind_entry_ra;   /* written by unwind_probe */
static unwound unwind_result;
static int unwind_ok;

uintptr_t unwind_body(void *env, uintptr_t input, fringe_yielder *y);
uintptr_t unwind_body(void *env, uintptr_t input, fringe_yielder *y) {
    (void) env, (void) y;
    memset(&unwind_result, 0, sizeof unwind_result);
    unwind_result.regs[ARCH_DWARF_SP] = unwind_entry_sp;
    unwind_result.known[ARCH_DWARF_SP] = 1;
    unwind_ok = unwind_step(unwind_entry_ra, &unwind_result);
    return input;
}

static int run_unwind(void) {
    uintptr_t seen_regs[ARCH_SAVED_REGS];
    uintptr_t pattern = 0xE5E50000u;
    fringe_ctl *ctl = fringe_init(stack_base(9), unwind_probe, NULL);
    uintptr_t out = call_with_pattern((uintptr_t) fringe_resume, (uintptr_t) ctl, 0, pattern, seen_regs);
    CHECK(out == 0 && ctl->status == 1, "the probe body did not return normally");
    CHECK(in_text(unwind_entry_ra), "the body's return address 0x%x is not in the library", (uint32_t) unwind_entry_ra);
    CHECK(unwind_ok, "unwinding from the body failed: %s", cfi_error);
    unwound *u = &unwind_result;
    CHECK(u->signal_frame, "the trampoline's CIE is not marked as a signal frame ('S')");
    CHECK(u->known[u->return_column] && u->regs[u->return_column] == (uintptr_t) call_with_pattern_ret,
          "return address after the trampoline's frame: 0x%x, want call_with_pattern's 0x%x",
          (uint32_t) u->regs[u->return_column], (uint32_t) (uintptr_t) call_with_pattern_ret);
    CHECK(u->cfa == call_with_pattern_sp, "CFA after the trampoline's frame: 0x%x, want the resumer's sp 0x%x",
          (uint32_t) u->cfa, (uint32_t) call_with_pattern_sp);
    for (int i = 0; i < ARCH_SAVED_REGS; i++) {
        uint32_t reg = arch_saved_dwarf[i];
        CHECK(u->known[reg] && u->regs[reg] == pattern + (uintptr_t) i + 1,
              "%s after the trampoline's frame: 0x%08x, want the resumer's 0x%08x", arch_saved_names[i],
              (uint32_t) u->regs[reg], (uint32_t) (pattern + (uintptr_t) i + 1));
    }
    SEEN("from the running body, the trampoline's FDE (signal frame, CFA = %s) gives the resumer's "
         "return address, its sp at the call and its %s", u->cfa_rule, arch_saved_list);
    return 1;
}

/* ============================================================================================
 * valgrind
 * ========================================================================================== */

static int run_valgrind(void) {
    unsigned id = fringe_stack_register(stacks[10], stack_base(10));
    CHECK(id == 0, "fringe_stack_register returned %u, want 0 (no Valgrind on " ARCH_NAME ")", id);
    fringe_stack_deregister(id);
    fringe_stack_deregister(12345);
    SEEN("fringe_stack_register returns 0 and fringe_stack_deregister returns: no Valgrind for " ARCH_NAME);
    return 1;
}

/* ============================================================================================
 * main, called by _start with the initial stack pointer (argc, argv, envp, auxv)
 * ========================================================================================== */

#define AT_NULL   0
#define AT_PAGESZ 6

int selftest_main(uintptr_t *initial_sp);
int selftest_main(uintptr_t *initial_sp) {
    uintptr_t argc = initial_sp[0];
    uintptr_t *envp = initial_sp + 1 + argc + 1;
    while (*envp) envp++;
    for (uintptr_t *aux = envp + 1; aux[0] != AT_NULL; aux += 2)
        if (aux[0] == AT_PAGESZ) page_size = (uint32_t) aux[1];

    print("fringe self-test for %s: %s\n", ARCH_NAME, FRINGE_LIBRARY_NAME);
    scenario("library", run_library);
    if (failed) {   /* nothing else can run without the library */
        print("0 passed, 1 failed\n");
        return 1;
    }
    scenario("layout", run_layout);
    scenario("values", run_values);
    scenario("return", run_return);
    scenario("interleave", run_interleave);
    scenario("registers", run_registers);
    scenario("alignment", run_alignment);
    scenario("recursion", run_recursion);
    scenario("nested", run_nested);
    scenario("unwind", run_unwind);
    scenario("valgrind", run_valgrind);
    print("%u passed, %u failed\n", (uint32_t) passed, (uint32_t) failed);
    return failed != 0;
}
