// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
// switch_bench.cpp - the native switch in a C loop, side by side with its peer and the kernel.
//
// One op = one round trip: resume a generator with a value, the generator adds 1 and suspends
// it back. Measured in ONE run, so the ratios compare like with like on a noisy machine:
//
//   fringe   fringe_resume() + yielder->suspend() from libfringe_x86_64.so (pop + jmp, no FP
//            control state saved)
//   boost    Boost.Context's jump_fcontext() there and back (saves MXCSR + x87 control word)
//   getuid   one getuid system call through syscall(2), so glibc cannot cache it: what a
//            "switch" costs when it needs the kernel (libfringe's own comparison)
//
// Each repetition runs every contender once, round-robin, so drift and noise hit all of them
// alike; the report gives the minimum and the median over the repetitions, and the ratio
// fringe/boost of both. Goal: fringe <= 0.6 x boost (docs/benchmarks.md).
//
// Build and run: scripts/bench-switch.sh [repetitions [round trips per repetition]]

#include <boost/context/detail/fcontext.hpp>

#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "fringe.h"

// libfringe_x86_64.so's exports. The control block layout must match fringe_x86_64.S.
extern "C" {
struct fringe_ctl {
    fringe_yielder yielder;   // word 0: suspend routine
    uintptr_t sp;             // word 1: saved sp of the side not running
    uintptr_t transfer;       // word 2: the next input
    uintptr_t status;         // word 3: 1 once the body returned
};
fringe_ctl *fringe_init(void *stack_base, fringe_body_fn body, void *env);
uintptr_t fringe_resume(fringe_ctl *ctl);
}

namespace ctx = boost::context::detail;

namespace {

constexpr std::size_t kStackSize = 64 * 1024;

[[noreturn]] void die(const char *what) {
    std::perror(what);
    std::exit(1);
}

void *map_stack() {
    void *p = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    return p;
}

// ---- fringe --------------------------------------------------------------------------------

uintptr_t fringe_increment(void *, uintptr_t input, fringe_yielder *y) {
    for (;;) input = y->suspend(y, input + 1);
}

struct Fringe {
    fringe_ctl *ctl;
    Fringe() {
        char *stack = static_cast<char *>(map_stack());
        ctl = fringe_init(stack + kStackSize, fringe_increment, nullptr);
    }
    uintptr_t run(long n, uintptr_t v) {
        for (long i = 0; i < n; i++) {
            ctl->transfer = v;
            v = fringe_resume(ctl);
        }
        return v;
    }
};

// ---- Boost.Context -------------------------------------------------------------------------

void boost_increment(ctx::transfer_t t) {
    for (;;) t = ctx::jump_fcontext(t.fctx, reinterpret_cast<void *>(reinterpret_cast<uintptr_t>(t.data) + 1));
}

struct Boost {
    ctx::fcontext_t fctx;
    Boost() {
        char *stack = static_cast<char *>(map_stack());
        fctx = ctx::make_fcontext(stack + kStackSize, kStackSize, boost_increment);
        // Start it: the first jump enters boost_increment, which jumps straight back.
        fctx = ctx::jump_fcontext(fctx, nullptr).fctx;
    }
    uintptr_t run(long n, uintptr_t v) {
        for (long i = 0; i < n; i++) {
            ctx::transfer_t t = ctx::jump_fcontext(fctx, reinterpret_cast<void *>(v));
            fctx = t.fctx;
            v = reinterpret_cast<uintptr_t>(t.data);
        }
        return v;
    }
};

// ---- the kernel ----------------------------------------------------------------------------

struct Getuid {
    uintptr_t run(long n, uintptr_t v) {
        for (long i = 0; i < n; i++) v += static_cast<uintptr_t>(syscall(SYS_getuid)) + 1;
        return v;
    }
};

// ---- measuring -----------------------------------------------------------------------------

struct Result {
    const char *name;
    long ops;                      // per repetition
    std::vector<double> ns_per_op; // one per repetition
    double min() const { return *std::min_element(ns_per_op.begin(), ns_per_op.end()); }
    double median() const {
        std::vector<double> s = ns_per_op;
        std::sort(s.begin(), s.end());
        return s.size() % 2 ? s[s.size() / 2] : (s[s.size() / 2 - 1] + s[s.size() / 2]) / 2;
    }
};

volatile uintptr_t sink;   // keeps every loop's result alive

template <typename C>
void measure(C &contender, Result &r) {
    auto start = std::chrono::steady_clock::now();
    uintptr_t v = contender.run(r.ops, 0);
    auto end = std::chrono::steady_clock::now();
    if (v < static_cast<uintptr_t>(r.ops)) {   // every op adds at least 1
        std::fprintf(stderr, "%s: wrong result %lu after %ld ops\n", r.name, static_cast<unsigned long>(v), r.ops);
        std::exit(1);
    }
    sink = v;
    r.ns_per_op.push_back(std::chrono::duration<double, std::nano>(end - start).count() / r.ops);
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

}  // namespace

int main(int argc, char **argv) {
    int reps = argc > 1 ? std::atoi(argv[1]) : 15;
    long switches = argc > 2 ? std::atol(argv[2]) : 2'000'000;
    if (reps < 1 || switches < 1) {
        std::fprintf(stderr, "usage: %s [repetitions >= 1 [round trips per repetition >= 1]]\n", argv[0]);
        return 2;
    }
    long syscalls = std::max(1L, switches / 20);   // ~20x slower: keep each repetition short

    // Stay on one CPU: a migration in the middle of a repetition is pure noise.
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);

    Fringe fringe;
    Boost boost;
    Getuid getuid;
    Result rf{"fringe", switches, {}}, rb{"boost", switches, {}}, rg{"getuid", syscalls, {}};

    // Warm-up (page faults on the stacks, branch predictors, CPU frequency), not recorded.
    fringe.run(switches / 10, 0);
    boost.run(switches / 10, 0);
    getuid.run(syscalls / 10, 0);

    for (int i = 0; i < reps; i++) {
        measure(fringe, rf);
        measure(boost, rb);
        measure(getuid, rg);
    }

    std::printf("native switch round trip (resume + suspend), %d repetitions, %s\n", reps, cpu_model().c_str());
    std::printf("%-44s %12s %10s %10s\n", "contender", "ops/rep", "min ns", "median ns");
    const char *labels[] = {"fringe   fringe_resume + suspend (pop+jmp)",
                            "boost    jump_fcontext there and back",
                            "getuid   syscall(SYS_getuid), kernel baseline"};
    const Result *results[] = {&rf, &rb, &rg};
    for (int i = 0; i < 3; i++)
        std::printf("%-44s %12ld %10.2f %10.2f\n", labels[i], results[i]->ops, results[i]->min(), results[i]->median());

    double ratio_median = rf.median() / rb.median();
    double ratio_min = rf.min() / rb.min();
    std::printf("ratio fringe/boost: median %.2f, min %.2f (goal <= 0.60: %s)\n", ratio_median, ratio_min,
                ratio_median <= 0.60 ? "met" : "NOT met");
    std::printf("ratio getuid/fringe: median %.1f\n", rg.median() / rf.median());
    return 0;
}
