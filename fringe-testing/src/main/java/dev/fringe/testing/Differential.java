// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.testing;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.State;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.spi.GeneratorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Differential testing of a native generator against a Java model: runs both on the same
 * inputs, one resume per input, and compares what each resume returned, the return value and
 * the state after every resume.
 *
 * <pre>{@code
 * ModelBody model = (yielder, input) -> {          // what running_sum.c should do
 *     long sum = input;
 *     for (long next; (next = yielder.suspend(sum)) != 0; ) sum += next;
 *     return sum;
 * };
 * Differential.compare(model,
 *         () -> NativeGenerator.create(64 * 1024, lib.getFunction("running_sum"), null),
 *         1, 2, 3, 0, 7)
 *     .assertSameTraces();   // AssertionError with both traces side by side if they differ
 * }</pre>
 *
 * <p>Both generators are created by the call and closed before it returns, whatever happens:
 * the native one through the {@code Supplier} (so a property test can call {@code compare}
 * many times), the model on a Java backend. Inputs past the end of a body still resume it, so
 * the traces also show that a finished generator returns empty and keeps its return value.
 *
 * <p>{@link #explore(ModelBody, Supplier) explore} does the same with random rows of inputs
 * and throws the first divergence as a {@link Counterexample}: shrunk to a minimal row, with
 * the seed that replays it and both traces side by side.
 *
 * <pre>{@code
 * Differential.explore(model, () -> NativeGenerator.create(64 * 1024, lib.getFunction("running_sum"), null));
 * }</pre>
 *
 * When the body itself is random too (a program, a configuration), draw both from one
 * {@link Gen} and call {@code compare} in {@link Explore#forAll}.
 * {@link #compare(GeneratorBackend, ModelBody, GeneratorBackend, ModelBody, long...)
 * compare(modelBackend, model, subjectBackend, subject, inputs)} compares two Java bodies, each
 * on its backend: a backend under test against an oracle backend.
 *
 * <p><b>Thread safety.</b> Stateless: any thread may call it, concurrently. Each call runs both
 * generators on the calling thread.
 */
public final class Differential {
    private Differential() {}

    /**
     * Runs {@code model} on the {@linkplain Backends#selected() best available Java backend}
     * (or the one {@code -Dfringe.backend} names) and a native generator from {@code subject}
     * on the same inputs, and compares them.
     *
     * @param model   the Java model of the native body
     * @param subject creates the native generator, unstarted; called once; the generator is
     *                closed before this method returns (its stack too, if it owns one)
     * @param inputs  one resume per input, in order; on a 32-bit platform each must fit a
     *                machine word
     * @return both traces and their first divergence
     * @throws NullPointerException  if an argument is {@code null}, or {@code subject} returns
     *                               {@code null}
     * @throws IllegalStateException if {@code -Dfringe.backend} names an unusable backend
     * @throws RuntimeException      what closing the model's generator threw: a model that
     *                               catches {@link dev.fringe.GeneratorExit} and suspends again,
     *                               or throws while unwinding (see {@link Generator#close()})
     */
    public static Comparison compare(ModelBody model, Supplier<? extends NativeGenerator> subject, long... inputs) {
        return compare(Backends.selected(), model, subject, inputs);
    }

    /**
     * Runs {@code model} on the given Java backend and a native generator from
     * {@code subject} on the same inputs, and compares them.
     *
     * @param backend the Java backend to run the model on, e.g. from {@link Backends#named}
     * @param model   the Java model of the native body
     * @param subject creates the native generator, unstarted; called once; the generator is
     *                closed before this method returns
     * @param inputs  one resume per input, in order
     * @return both traces and their first divergence
     * @throws NullPointerException     if an argument is {@code null}, or {@code subject}
     *                                  returns {@code null}
     * @throws IllegalArgumentException if {@code backend} is not usable in this JVM (the
     *                                  message gives its reason)
     * @throws RuntimeException         what closing the model's generator threw (see
     *                                  {@link Generator#close()})
     */
    public static Comparison compare(GeneratorBackend backend, ModelBody model,
            Supplier<? extends NativeGenerator> subject, long... inputs) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(subject, "subject");
        long[] in = Objects.requireNonNull(inputs, "inputs").clone();
        requireUsable(backend);
        Trace modelTrace = runJava("Java model on ", backend, model, in);
        Trace nativeTrace = runNative(subject, in);
        return new Comparison(modelTrace, nativeTrace);
    }

    /**
     * Runs a Java model and a Java subject, each on its own Java backend, on the same inputs,
     * and compares them: whether a backend runs a body exactly as an oracle backend does (give
     * both the same body, or one instance each), or whether two Java bodies agree.
     *
     * <pre>{@code
     * Differential.compare(Backends.named("continuation").orElseThrow(), body,
     *         Backends.named("thread").orElseThrow(), body, 1, 2, 3, 0).assertSameTraces();
     * }</pre>
     *
     * @param modelBackend   the backend the model runs on, e.g. {@code continuation}
     * @param model          the body whose trace is trusted
     * @param subjectBackend the backend the subject runs on
     * @param subject        the body under test
     * @param inputs         one resume per input, in order
     * @return both traces and their first divergence; the subject's trace is named
     *         {@code "Java subject on <backend>"}
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if a backend is not usable in this JVM (the message
     *                                  gives its reason)
     * @throws RuntimeException         what closing a generator threw (see
     *                                  {@link Generator#close()})
     */
    public static Comparison compare(GeneratorBackend modelBackend, ModelBody model, GeneratorBackend subjectBackend,
            ModelBody subject, long... inputs) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(subject, "subject");
        long[] in = Objects.requireNonNull(inputs, "inputs").clone();
        requireUsable(Objects.requireNonNull(modelBackend, "modelBackend"));
        requireUsable(Objects.requireNonNull(subjectBackend, "subjectBackend"));
        return new Comparison(runJava("Java model on ", modelBackend, model, in),
                runJava("Java subject on ", subjectBackend, subject, in));
    }

    /**
     * Explores {@code model} against native generators from {@code subject} with
     * {@value Explore#DEFAULT_TRIES} random rows of 0 to 64 {@linkplain Gen#words() machine
     * words}, on the Java backend {@link #compare(ModelBody, Supplier, long...)} uses, and
     * throws the first divergence, shrunk to a minimal row of inputs.
     *
     * <pre>{@code
     * @Test
     * void runningSum_behavesLikeItsModel() {
     *     Differential.explore(model, () -> NativeGenerator.create(64 * 1024, runningSum, null));
     * }
     * }</pre>
     *
     * @param model   the Java model of the native body
     * @param subject creates a native generator, unstarted; called once per case, and each
     *                generator is closed after its case
     * @throws Counterexample        if a row of inputs made the traces differ: its message
     *                               gives the seed, the shrunk row and both traces side by side
     * @throws NullPointerException  if an argument is {@code null}
     * @throws IllegalStateException if {@code -Dfringe.backend} names an unusable backend
     */
    public static void explore(ModelBody model, Supplier<? extends NativeGenerator> subject) {
        explore(Explore.tries(Explore.DEFAULT_TRIES), model, subject, Gen.words().list(0, 64));
    }

    /**
     * Explores {@code model} against native generators from {@code subject} with rows of
     * inputs from {@code inputs}, as many and from the seed that {@code exploration} says, and
     * throws the first divergence, shrunk to a minimal row of inputs.
     *
     * <pre>{@code
     * Differential.explore(Explore.tries(300),
     *         model, () -> NativeGenerator.create(64 * 1024, runningSum, null),
     *         Gen.longs(0, 9).list(1, 20));      // small inputs: the body ends on a 0
     * }</pre>
     *
     * @param exploration how many rows, from which seed
     * @param model       the Java model of the native body
     * @param subject     creates a native generator, unstarted; called once per case, and
     *                    each generator is closed after its case
     * @param inputs      the rows of inputs, one resume per element; on a 32-bit platform each
     *                    must fit a machine word
     * @throws Counterexample        if a row made the traces differ: its message gives the
     *                               seed, the shrunk row and both traces side by side; its
     *                               {@link Counterexample#value() value} is the row
     * @throws NullPointerException  if an argument is {@code null}
     * @throws IllegalStateException if {@code -Dfringe.backend} names an unusable backend
     */
    public static void explore(Explore exploration, ModelBody model, Supplier<? extends NativeGenerator> subject,
            Gen<List<Long>> inputs) {
        Objects.requireNonNull(exploration, "exploration");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(inputs, "inputs");
        GeneratorBackend backend = Backends.selected();
        requireUsable(backend);
        exploration.forAll(inputs, row -> compare(backend, model, subject,
                row.stream().mapToLong(Long::longValue).toArray()).assertSameTraces());
    }

    private static void requireUsable(GeneratorBackend backend) {
        Optional<String> unusable = backend.unavailableReason();
        if (unusable.isPresent()) {
            throw new IllegalArgumentException("backend " + backend.name() + " is unavailable: " + unusable.get());
        }
    }

    private static Trace runJava(String label, GeneratorBackend backend, ModelBody model, long[] inputs) {
        ReturnSlot slot = new ReturnSlot();
        List<Trace.Step> steps = new ArrayList<>(inputs.length);
        try (Generator<Long, Long> generator = backend.create((yielder, input) -> slot.set(model.run(yielder, input)))) {
            for (long input : inputs) {
                Optional<Long> out;
                try {
                    out = generator.resume(input);
                } catch (RuntimeException | Error e) {
                    rethrowIfFatal(e);
                    steps.add(new Trace.Step(input, OptionalLong.empty(), OptionalLong.empty(), e, generator.state()));
                    continue;
                }
                State state = generator.state();
                steps.add(new Trace.Step(input, out.map(OptionalLong::of).orElse(OptionalLong.empty()),
                        state == State.FINISHED ? OptionalLong.of(slot.get()) : OptionalLong.empty(), null, state));
            }
        }
        return new Trace(label + backend.name(), steps);
    }

    private static Trace runNative(Supplier<? extends NativeGenerator> subject, long[] inputs) {
        List<Trace.Step> steps = new ArrayList<>(inputs.length);
        try (NativeGenerator generator = Objects.requireNonNull(subject.get(), "the subject supplier returned null")) {
            for (long input : inputs) {
                boolean suspended;
                try {
                    suspended = generator.advance(input);
                } catch (RuntimeException e) {
                    steps.add(new Trace.Step(input, OptionalLong.empty(), OptionalLong.empty(), e, generator.state()));
                    continue;
                }
                State state = generator.state();
                steps.add(new Trace.Step(input, suspended ? OptionalLong.of(generator.value()) : OptionalLong.empty(),
                        state == State.FINISHED ? OptionalLong.of(generator.returnValue()) : OptionalLong.empty(), null,
                        state));
            }
        }
        return new Trace("native generator", steps);
    }

    /** A model's exceptions belong in its trace, but not the JVM's own distress signals. */
    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    /** The model's return value, written by the body and read by the resumer after it finished. */
    private static final class ReturnSlot {
        // volatile: the body may run on another thread (thread-based backends); the contract's
        // happens-before already covers this, volatile keeps the helper independent of it.
        private volatile long value;

        void set(long v) {
            value = v;
        }

        long get() {
            return value;
        }
    }
}
