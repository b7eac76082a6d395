// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.conformance;

import static dev.fringe.tests.conformance.NativeSide.body;
import static dev.fringe.tests.conformance.NativeSide.mapping;
import static dev.fringe.tests.conformance.NativeSide.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.fringe.Generator;
import dev.fringe.GeneratorExit;
import dev.fringe.Stack;
import dev.fringe.State;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.NativeStack;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.OwnedStack;
import dev.fringe.jna.SliceStack;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import dev.fringe.tests.support.TestBackends;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libfringe's behaviour list ({@code docs/libfringe-behaviour.md}) as named tests:
 * every behaviour that applies to Java, on every backend it applies to. Parameterized tests run
 * on each usable Java backend of this JVM ({@code continuation}, {@code virtual-thread},
 * {@code thread} on JDK 21+; {@code thread} on JDK 17) through {@link AllBackends}, like the
 * rest of the contract suite, so the generators they create are checked afterwards
 * ({@code GeneratorInvariants}); tests ending in {@code _native} run on the native engine of
 * this architecture. Other suites check the same contract in more depth
 * ({@code nativ/}, {@code java/}, the x86_64 C harness); this is the checklist.
 *
 * <p>Deliberately not tested here, with the reason:
 * <ul>
 *   <li>{@code swap(arg, new_sp)}, a suspended context being a stack pointer: internals of the
 *       {@code .S} files, observable only through the behaviour tested below.</li>
 *   <li>"Ends with pop + indirect jmp rather than ret": a speed property, measured by
 *       {@code scripts/bench-switch.sh} and fringe-bench, not a behaviour.</li>
 *   <li>Call stack splicing for gdb and perf (the named outermost trampoline): needs a debugger;
 *       {@code SwitchHarnessTest} (fringe-arch-x86_64) runs gdb on the C harness. The unwinder
 *       half is tested here with {@code backtrace()}.</li>
 *   <li>Floating-point control state shared between contexts: kept as in libfringe by design
 *       (fringe.h documents it); the x86_64 harness's {@code fpshared} checks it.</li>
 *   <li>Valgrind registration itself: invisible from JUnit (Valgrind's client requests are
 *       no-ops outside it). What a JVM can see, that registering is harmless and answers 0
 *       outside Valgrind, is tested; the harness's {@code valgrind} mode runs the real thing.</li>
 *   <li>A native stack overflow killing the process with SIGSEGV: fixed, on every architecture
 *       with a JVM: the resume throws {@code StackOverflowError} (docs/native-overflow.md);
 *       {@code nativ.NativeOverflowTest} tests it in child JVMs. The Java counterpart is fixed and
 *       tested below.</li>
 *   <li>Body failure on the native engine: C bodies cannot throw, so "finished vs failed" and
 *       "a failed generator runs nothing" apply to Java backends only; return values apply to
 *       native bodies only (a Java {@code GeneratorBody} returns {@code void}).</li>
 *   <li>or1k/x86/riscv32 coverage and the benchmark line: the cross-architecture runs and
 *       fringe-bench, not tests.</li>
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("libfringe conformance")
class LibfringeConformanceTest {
    static final long STACK = 64 * 1024;

    @Nested
    @DisplayName("API of the original")
    class Api {

        @AllBackends
        @DisplayName("Generator::new: creating runs nothing visible")
        void creating_runsNothing(GeneratorBackend backend) {
            AtomicInteger runs = new AtomicInteger();
            Generator<Long, Long> g = backend.create((y, in) -> runs.incrementAndGet());
            assertThat(g.state()).isEqualTo(State.RUNNABLE);
            g.close();
            assertThat(runs).as("never started, then closed").hasValue(0);
        }

        @Test
        @DisplayName("Generator::new: creating runs nothing visible (native)")
        void creating_runsNothing_native() {
            Memory runs = NativeSide.word();
            NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), runs);
            assertThat(g.state()).isEqualTo(State.RUNNABLE);
            g.close();
            assertThat(read(runs)).isZero();
        }

        @AllBackends
        @DisplayName("resume(x) -> Some(v) for suspend(v); the first input is the body's argument, later ones are what suspend returns")
        void firstInputIsTheArgument_laterInputsAreWhatSuspendReturns(GeneratorBackend backend) {
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            try (Generator<Long, Long> g = backend.create((y, first) -> {
                seen.add(first);
                long second = y.suspend(first + 1);
                seen.add(second);
                y.suspend(second + 1);
            })) {
                assertThat(g.resume(5L)).contains(6L);
                assertThat(g.resume(7L)).contains(8L);
                assertThat(seen).containsExactly(5L, 7L);
            }
        }

        @Test
        @DisplayName("resume(x) -> Some(v) for suspend(v); the first input is the body's argument, later ones are what suspend returns (native)")
        void firstInputIsTheArgument_laterInputsAreWhatSuspendReturns_native() {
            Memory runs = NativeSide.word();
            try (NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), runs)) {
                assertThat(g.resume(5L)).contains(6L);
                assertThat(g.resume(7L)).contains(8L);
                assertThat(read(runs)).isEqualTo(2);
            }
        }

        @AllBackends
        @DisplayName("state() is Runnable until the body returns, then Unavailable (FINISHED)")
        void state_isRunnableUntilTheBodyReturns(GeneratorBackend backend) {
            try (Generator<Long, Long> g = backend.create((y, in) -> y.suspend(in))) {
                assertThat(g.state()).isEqualTo(State.RUNNABLE);
                assertThat(g.resume(1L)).contains(1L);
                assertThat(g.state()).isEqualTo(State.RUNNABLE);
                assertThat(g.resume(2L)).isEmpty();
                assertThat(g.state()).isEqualTo(State.FINISHED);
            }
        }

        @Test
        @DisplayName("state() is Runnable until the body returns, then Unavailable (FINISHED) (native)")
        void state_isRunnableUntilTheBodyReturns_native() {
            try (NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), NativeSide.word())) {
                assertThat(g.state()).isEqualTo(State.RUNNABLE);
                assertThat(g.resume(1L)).contains(2L);
                assertThat(g.state()).isEqualTo(State.RUNNABLE);
                assertThat(g.resume(0L)).isEmpty();
                assertThat(g.state()).isEqualTo(State.FINISHED);
            }
        }

        @AllBackends
        @DisplayName("after the body returns, every resume returns None without re-entering")
        void afterReturn_resumeReturnsNone_withoutReEntering(GeneratorBackend backend) {
            AtomicInteger runs = new AtomicInteger();
            try (Generator<Long, Long> g = backend.create((y, in) -> {
                runs.incrementAndGet();
                y.suspend(1L);
                runs.incrementAndGet();
            })) {
                assertThat(g.resume(0L)).contains(1L);
                assertThat(g.resume(0L)).isEmpty();
                for (int i = 0; i < 3; i++) {
                    assertThat(g.resume((long) i)).isEmpty();
                }
                assertThat(runs).hasValue(2);
                assertThat(g.state()).isEqualTo(State.FINISHED);
            }
        }

        @Test
        @DisplayName("after the body returns, every resume returns None without re-entering (native)")
        void afterReturn_resumeReturnsNone_withoutReEntering_native() {
            Memory runs = NativeSide.word();
            try (NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), runs)) {
                assertThat(g.resume(1L)).contains(2L);
                assertThat(g.resume(0L)).isEmpty();
                for (long i = 1; i <= 3; i++) {
                    assertThat(g.resume(i)).isEmpty();
                    assertThat(g.advance(i)).isFalse();
                }
                assertThat(read(runs)).isEqualTo(2);
                assertThat(g.state()).isEqualTo(State.FINISHED);
            }
        }

        @AllBackends
        @DisplayName("after the body panics, every resume returns None without re-entering")
        void afterFailure_resumeReturnsNone_withoutReEntering(GeneratorBackend backend) {
            AtomicInteger runs = new AtomicInteger();
            IllegalStateException panic = new IllegalStateException("panic");
            try (Generator<Long, Long> g = backend.create((y, in) -> {
                runs.incrementAndGet();
                throw panic;
            })) {
                assertThat(catchThrowable(() -> g.resume(0L))).isSameAs(panic);
                assertThat(g.resume(1L)).isEmpty();
                assertThat(g.resume(2L)).isEmpty();
                assertThat(runs).hasValue(1);
                assertThat(g.state()).isEqualTo(State.FAILED);
            }
        }

        @AllBackends
        @DisplayName("a generator whose input is () is an Iterator")
        void aGeneratorWithUnitInput_isAnIterator(GeneratorBackend backend) {
            try (Generator<Void, Integer> g = backend.create((y, in) -> {
                for (int i = 1; i <= 3; i++) {
                    y.suspend(i);
                }
            })) {
                List<Integer> out = new ArrayList<>();
                iterator(g).forEachRemaining(out::add);
                assertThat(out).containsExactly(1, 2, 3);
                assertThat(g.state()).isEqualTo(State.FINISHED);
            }
        }

        @Test
        @DisplayName("a generator whose input is () is an Iterator: Generator.stream on the selected backend")
        void aGeneratorWithUnitInput_isAStream() {
            try (Stream<Integer> s = Generator.stream((y, in) -> {
                for (int i = 1; i <= 3; i++) {
                    y.suspend(i);
                }
            })) {
                Iterator<Integer> it = s.iterator();
                List<Integer> out = new ArrayList<>();
                it.forEachRemaining(out::add);
                assertThat(out).containsExactly(1, 2, 3);
                assertThat(it.hasNext()).isFalse();
            }
        }

        /** Iterator over a ()-input generator, as a user writes it: resume(null) until empty. */
        private <O> Iterator<O> iterator(Generator<Void, O> g) {
            return new Iterator<>() {
                private Optional<O> next;

                @Override
                public boolean hasNext() {
                    if (next == null) {
                        next = g.resume(null);
                    }
                    return next.isPresent();
                }

                @Override
                public O next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    O value = next.get();
                    next = null;
                    return value;
                }
            };
        }
    }

    @Nested
    @DisplayName("Stacks (native)")
    class Stacks {

        @Test
        @DisplayName("Stack: base() is the highest address, limit() the lowest, base aligned as the ABI requires")
        void baseIsHighest_limitLowest_baseAligned_native() {
            int alignment = NativeSide.arch().stackAlignment();
            Memory memory = new Memory(32 * 1024);
            for (Stack stack : List.<Stack>of(OsStack.allocate(STACK), OwnedStack.allocate(STACK),
                    SliceStack.of(memory.share(3), 32 * 1024 - 3))) {
                try (stack) {
                    assertThat(stack.base()).as("%s", stack).isGreaterThan(stack.limit());
                    assertThat(stack.size()).isEqualTo(stack.base() - stack.limit());
                    assertThat(stack.base() % alignment).as("%s aligned to %d", stack, alignment).isZero();
                }
            }
        }

        @Test
        @DisplayName("SliceStack wraps caller memory, aligning the start up and the length down")
        void sliceStack_alignsStartUp_andLengthDown_native() {
            Memory memory = new Memory(20_000);
            long start = Pointer.nativeValue(memory) + 5;
            try (SliceStack stack = SliceStack.of(memory.share(5), 10_003)) {
                assertThat(stack.limit()).isEqualTo((start + 15) & -16L);
                assertThat(stack.base()).isEqualTo((start + 10_003) & -16L);
                assertThat(stack.guarded()).isFalse();
            }
        }

        @Test
        @DisplayName("SliceStack: too small after alignment is an error")
        void sliceStack_tooSmallAfterAlignment_isAnError_native() {
            long min = NativeStack.MINIMUM_SIZE;
            Memory memory = new Memory(min + 32);
            long misaligned = (16 - Pointer.nativeValue(memory) % 16) % 16 + 1; // 1 byte past 16-alignment
            assertThatThrownBy(() -> SliceStack.of(memory.share(misaligned), min + 14))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after alignment")
                    .hasMessageContaining(String.valueOf(min));
        }

        @Test
        @DisplayName("OwnedStack is heap memory (unguarded), and runs a body")
        void ownedStack_isHeapMemory_native() throws Exception {
            try (OwnedStack stack = OwnedStack.allocate(STACK);
                 NativeGenerator g = NativeGenerator.create(stack, body("conformance_counted"), NativeSide.word())) {
                assertThat(stack.guarded()).isFalse();
                assertThat(mapping(stack.limit())).get().asString().startsWith("rw");
                assertThat(g.resume(41L)).contains(42L);
            }
        }

        @Test
        @DisplayName("OsStack::new rounds the size up to whole pages")
        void osStack_roundsUpToWholePages_native() {
            long page;
            try (OsStack one = OsStack.allocate(NativeStack.MINIMUM_SIZE)) {
                page = one.size(); // MINIMUM_SIZE is 4096: exactly one page on every Linux fringe runs on
            }
            assertThat(Long.bitCount(page)).as("page size %d", page).isEqualTo(1);
            try (OsStack stack = OsStack.allocate(page + 1)) {
                assertThat(stack.size()).isEqualTo(2 * page);
            }
        }

        @Test
        @DisplayName("OsStack::new(0) became one page; fringe refuses sizes below the minimum instead")
        void osStack_ofZeroBytes_isRefused_native() {
            assertThatThrownBy(() -> OsStack.allocate(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(NativeStack.MINIMUM_SIZE));
        }

        @Test
        @DisplayName("OsStack has a PROT_NONE guard below limit() (64 KiB in fringe, one page in libfringe)")
        void osStack_hasAProtNoneGuardBelowLimit_native() throws Exception {
            try (OsStack stack = OsStack.allocate(STACK)) {
                assertThat(stack.guarded()).isTrue();
                assertThat(stack.limit() - stack.guardStart()).isGreaterThanOrEqualTo(OsStack.GUARD_SIZE);
                assertThat(mapping(stack.guardStart())).get().asString().startsWith("---");
                assertThat(mapping(stack.limit() - 1)).get().asString().startsWith("---");
                assertThat(mapping(stack.limit())).get().asString().startsWith("rw");
            }
        }

        @Test
        @DisplayName("OsStack is unmapped on drop (close)")
        void osStack_isUnmappedOnClose_native() throws Exception {
            OsStack stack = OsStack.allocate(STACK);
            long limit = stack.limit();
            assertThat(mapping(limit)).get().asString().startsWith("rw");
            stack.close();
            Optional<String> after = mapping(limit);
            assertThat(after.isEmpty() || !after.get().startsWith("rw")).as("mapping after close: %s", after).isTrue();
        }

        @Test
        @DisplayName("OsStack reports OS errors (mmap's errno, here ENOMEM for an impossible size)")
        void osStack_reportsOsErrors_native() {
            if (Native.SIZE_T_SIZE == 8) {
                assertThatThrownBy(() -> OsStack.allocate(1L << 56)).isInstanceOf(OutOfMemoryError.class)
                        .hasMessageContaining("mmap").hasMessageContaining("errno 12");
                return;
            }
            // 32 bits: mmap's size_t cannot even express an impossible size (refused up front), but
            // three reservations of nearly 2 GiB each cannot all fit in a 4 GiB address space.
            assertThatThrownBy(() -> OsStack.allocate(3L << 30)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit this platform's address space (32-bit)");
            List<OsStack> taken = new ArrayList<>();
            try {
                Throwable failure = null;
                for (int i = 0; i < 3 && failure == null; i++) {
                    try {
                        taken.add(OsStack.allocate(0x7FF0_0000L));
                    } catch (OutOfMemoryError e) {
                        failure = e;
                    }
                }
                assertThat(failure).as("%d of 3 reservations of 2 GiB succeeded", taken.size())
                        .isInstanceOf(OutOfMemoryError.class).hasMessageContaining("mmap").hasMessageContaining("errno 12");
            } finally {
                taken.forEach(OsStack::close);
            }
        }

        @Test
        @DisplayName("only guarded stacks with the safe constructor: NativeGenerator.create(size, ...) runs on a guarded OsStack")
        void theSafeConstructor_usesAGuardedStack_native() {
            try (NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), NativeSide.word())) {
                assertThat(g.stack()).isInstanceOf(OsStack.class);
                assertThat(g.stack().guarded()).isTrue();
            }
        }

        @Test
        @DisplayName("stacks are registered with Valgrind: registering answers 0 and changes nothing outside Valgrind")
        void valgrindRegistration_isANoOpOutsideValgrind_native() {
            NativeSide.Arch arch = NativeSide.arch();
            try (OsStack stack = OsStack.allocate(STACK)) {
                int id = arch.registerStack(stack.limit(), stack.base());
                assertThat(id).as("Valgrind's stack id outside Valgrind").isZero();
                arch.deregisterStack(id);
                try (NativeGenerator g = NativeGenerator.create(stack, body("conformance_counted"), NativeSide.word())) {
                    assertThat(g.resume(1L)).contains(2L);
                }
            }
        }
    }

    @Nested
    @DisplayName("Architecture layer")
    class ArchitectureLayer {

        @Test
        @DisplayName("first entry: the trampoline calls the body with the ABI's stack alignment")
        void firstEntry_keepsTheAbiStackAlignment_native() {
            try (NativeGenerator g = NativeGenerator.create(STACK, body("alignment"), null)) {
                assertThat(g.resume(0L)).as("misalignment at entry").contains(0L);
                assertThat(g.resume(0L)).as("misalignment after a resume").contains(0L);
            }
        }

        @Test
        @DisplayName("the switch preserves every callee-saved register of the resumer")
        void calleeSavedRegisters_surviveTheSwitch_native() {
            long local = 0x5eed;
            try (NativeGenerator g = NativeGenerator.create(STACK, body("clobber"), null)) {
                for (int i = 1; i <= 1000; i++) {
                    assertThat(g.advance(i)).isTrue();
                    local += i;
                }
                assertThat(g.advance(0)).isFalse();
                assertThat(g.returnValue()).isEqualTo(1000);
            }
            assertThat(local).isEqualTo(0x5eed + 1000L * 1001 / 2);
        }

        @AllBackends
        @DisplayName("call stack splicing: a body's exception shows the body's frames, then the resumer's")
        void callStackSplicing_stackTraceContinuesIntoTheResumer(GeneratorBackend backend) {
            try (Generator<Long, Long> g = backend.create((y, in) -> Frames.throwFromBody())) {
                Throwable t = Frames.resumeFromTheResumer(g);
                List<String> methods = Stream.of(t.getStackTrace()).map(StackTraceElement::getMethodName)
                        .collect(Collectors.toList());
                assertThat(methods).contains("throwFromBody", "resumeFromTheResumer");
                assertThat(methods.indexOf("throwFromBody")).isLessThan(methods.indexOf("resumeFromTheResumer"));
            }
        }

        @Test
        @DisplayName("call stack splicing: backtrace() inside a native body walks into the resumer's frames")
        void callStackSplicing_backtraceReachesTheResumer_native() {
            Memory env = new Memory(Native.POINTER_SIZE);
            env.setPointer(0, NativeSide.fringeInit());
            try (NativeGenerator g = NativeGenerator.create(4 * STACK, body("conformance_backtrace"), env)) {
                assertThat(g.advance(0)).isTrue();
                assertThat(g.value()).as("frames of the resumer (JNA, the JVM) in the body's backtrace")
                        .isBetween(1L, 64L);
            }
        }
    }

    @Nested
    @DisplayName("Weaknesses of the original, fixed")
    class WeaknessesFixed {

        @AllBackends
        @DisplayName("dropping an unfinished generator panicked and leaked: close() unwinds the body")
        void closingAnUnfinishedGenerator_unwindsItsBody(GeneratorBackend backend) {
            AtomicInteger finallyRan = new AtomicInteger();
            List<Throwable> seen = Collections.synchronizedList(new ArrayList<>());
            Generator<Long, Long> g = backend.create((y, in) -> {
                try {
                    y.suspend(1L);
                } catch (GeneratorExit e) {
                    seen.add(e);
                    throw e;
                } finally {
                    finallyRan.incrementAndGet();
                }
            });
            assertThat(g.resume(0L)).contains(1L);
            g.close();
            assertThat(g.state()).isEqualTo(State.CLOSED);
            assertThat(finallyRan).hasValue(1);
            assertThat(seen).hasSize(1);
        }

        @AllBackends
        @DisplayName("dropping an unfinished generator panicked and leaked: an unreachable one is unwound and collected")
        void anUnreachableUnfinishedGenerator_isUnwoundAndCollected(GeneratorBackend backend) throws Exception {
            CountDownLatch unwound = new CountDownLatch(1);
            WeakReference<Generator<Long, Long>> ref = startAndDrop(TestBackends.untracked(backend), unwound);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Polls the garbage collector: nothing else can tell when an object becomes unreachable.
            while ((ref.get() != null || unwound.getCount() > 0) && System.nanoTime() < deadline) {
                System.gc();
                unwound.await(20, TimeUnit.MILLISECONDS);
            }
            assertThat(unwound.getCount()).as("the body's finally ran").isZero();
            assertThat(ref.get()).as("the generator was collected").isNull();
        }

        private WeakReference<Generator<Long, Long>> startAndDrop(GeneratorBackend backend, CountDownLatch unwound) {
            Generator<Long, Long> g = backend.create((y, in) -> {
                try {
                    y.suspend(1L);
                } finally {
                    unwound.countDown();
                }
            });
            assertThat(g.resume(0L)).contains(1L);
            return new WeakReference<>(g);
        }

        @Test
        @DisplayName("dropping an unfinished generator panicked and leaked: close() frees a native generator's stack")
        void closingAnUnfinishedNativeGenerator_freesItsStack_native() throws Exception {
            try (OsStack stack = OsStack.allocate(STACK)) {
                NativeGenerator g = NativeGenerator.create(stack, body("conformance_counted"), NativeSide.word());
                assertThat(g.resume(1L)).contains(2L);
                assertThat(stack.inUse()).isTrue();
                g.close();
                assertThat(g.state()).isEqualTo(State.CLOSED);
                assertThat(stack.inUse()).isFalse();
            }
            NativeGenerator owning = NativeGenerator.create(STACK, body("conformance_counted"), NativeSide.word());
            assertThat(owning.resume(1L)).contains(2L);
            long limit = owning.stack().limit();
            owning.close();
            Optional<String> after = mapping(limit);
            assertThat(after.isEmpty() || !after.get().startsWith("rw")).as("its own stack unmapped: %s", after).isTrue();
        }

        @Test
        @DisplayName("dropping an unfinished generator panicked and leaked: an unreachable native generator releases its stack")
        void anUnreachableNativeGenerator_releasesItsStack_native() throws Exception {
            try (OsStack stack = OsStack.allocate(STACK)) {
                startAndDrop(stack);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                CountDownLatch never = new CountDownLatch(1);
                // Polls the garbage collector: nothing else can tell when an object becomes unreachable.
                while (stack.inUse() && System.nanoTime() < deadline) {
                    System.gc();
                    never.await(20, TimeUnit.MILLISECONDS);
                }
                assertThat(stack.inUse()).isFalse();
            }
        }

        private void startAndDrop(OsStack stack) {
            NativeGenerator g = NativeGenerator.create(stack, body("conformance_counted"), NativeSide.word());
            assertThat(g.resume(1L)).contains(2L);
        }

        @Test
        @DisplayName("the body could not return a value: a native body's return value is kept")
        void theBodysReturnValueIsKept_native() {
            try (NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), NativeSide.word())) {
                assertThat(g.resume(1L)).contains(2L);
                assertThat(g.resume(2L)).contains(3L);
                assertThat(g.resume(0L)).isEmpty();
                assertThat(g.returnValue()).isEqualTo(2);
                assertThat(g.resume(9L)).isEmpty();
                assertThat(g.returnValue()).as("still, after another resume").isEqualTo(2);
            }
        }

        @AllBackends
        @DisplayName("finished and panicked looked the same: FINISHED and FAILED are distinguished")
        void finishedAndFailed_areDistinguished(GeneratorBackend backend) {
            try (Generator<Long, Long> finishes = backend.create((y, in) -> { });
                 Generator<Long, Long> fails = backend.create((y, in) -> {
                     throw new ArithmeticException("failed");
                 })) {
                assertThat(finishes.resume(0L)).isEmpty();
                assertThat(finishes.state()).isEqualTo(State.FINISHED);
                assertThatThrownBy(() -> fails.resume(0L)).isInstanceOf(ArithmeticException.class).hasMessage("failed");
                assertThat(fails.state()).isEqualTo(State.FAILED);
            }
        }

        @AllBackends
        @DisplayName("a stack overflow killed the process: a Java body's overflow fails its generator with StackOverflowError")
        void aStackOverflowInAJavaBody_failsTheGenerator(GeneratorBackend backend) throws InterruptedException {
            try (Generator<Long, Long> g = backend.create((y, in) -> Frames.recurseForever(0))) {
                // Resumed on a thread of its own: a stackless body overflows its resumer's stack, and
                // the i386 JVM under qemu-i386 (cross runs) crashes on an overflow of the launcher's
                // main thread, where JUnit's console launcher runs the tests.
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread resumer = new Thread(() -> thrown.set(catchThrowable(() -> g.resume(0L))), "overflowing-resumer");
                resumer.start();
                resumer.join();
                assertThat(thrown.get()).isInstanceOf(StackOverflowError.class);
                assertThat(g.state()).isEqualTo(State.FAILED);
                assertThat(g.resume(0L)).isEmpty();
            }
        }

        @Test
        @DisplayName("minimum sizes were not checked: every stack, and create() on any stack, refuses one below the minimum")
        void minimumSizesAreChecked_native() {
            long min = NativeStack.MINIMUM_SIZE;
            assertThatThrownBy(() -> OsStack.allocate(min - 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> OwnedStack.allocate(min - 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SliceStack.of(new Memory(min), min - 16)).isInstanceOf(IllegalArgumentException.class);
            Stack tiny = new Stack() {
                @Override
                public long base() {
                    return 0x20000;
                }

                @Override
                public long limit() {
                    return 0x20000 - 256;
                }

                @Override
                public boolean guarded() {
                    return false;
                }

                @Override
                public void close() {}
            };
            assertThatThrownBy(() -> NativeGenerator.create(tiny, body("conformance_counted"), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum");
        }

        @AllBackends
        @DisplayName("never Send: a suspended generator moves between threads")
        void aSuspendedGenerator_movesBetweenThreads(GeneratorBackend backend) throws Exception {
            ExecutorService other = Executors.newSingleThreadExecutor();
            try (Generator<Long, Long> g = backend.create((y, in) -> {
                long total = in;
                while (true) {
                    total += y.suspend(total);
                }
            })) {
                assertThat(g.resume(1L)).contains(1L);
                assertThat(other.submit(() -> g.resume(2L)).get(30, TimeUnit.SECONDS)).contains(3L);
                assertThat(g.resume(3L)).contains(6L);
            } finally {
                other.shutdownNow();
            }
        }

        @Test
        @DisplayName("never Send: a suspended native generator moves between threads")
        void aSuspendedGenerator_movesBetweenThreads_native() throws Exception {
            ExecutorService other = Executors.newSingleThreadExecutor();
            Memory runs = NativeSide.word();
            try (NativeGenerator g = NativeGenerator.create(STACK, body("conformance_counted"), runs)) {
                assertThat(g.resume(1L)).contains(2L);
                assertThat(other.submit(() -> g.resume(2L)).get(30, TimeUnit.SECONDS)).contains(3L);
                assertThat(g.resume(3L)).contains(4L);
                assertThat(read(runs)).isEqualTo(3);
            } finally {
                other.shutdownNow();
            }
        }
    }

    /** Methods whose names the stack-trace test looks for. */
    static final class Frames {
        private Frames() {}

        static void throwFromBody() {
            throw new IllegalStateException("thrown in the body");
        }

        static Throwable resumeFromTheResumer(Generator<Long, Long> g) {
            try {
                g.resume(0L);
            } catch (IllegalStateException e) {
                return e;
            }
            throw new AssertionError("the body's exception did not come out of resume");
        }

        static int recurseForever(int depth) {
            return recurseForever(depth + 1) + 1;
        }
    }
}
