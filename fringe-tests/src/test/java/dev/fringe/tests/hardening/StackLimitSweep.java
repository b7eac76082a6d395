// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.hardening;

import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorExit;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import java.util.Optional;

/**
 * Child-JVM program: uses a generator at every stack depth near the thread's stack limit, the
 * classic "catch StackOverflowError and carry on, on the way back up" pattern, and reports
 * what it saw as {@code key=value} lines. A JVM crash ends the program without its last line.
 *
 * <pre>
 * resume BACKEND BODY_DEPTH PASSES
 *   The body suspends BODY_DEPTH frames deep, counting 0, 1, 2, ...; the program recurses until
 *   the stack overflows, then calls resume() at every depth on the way back up.
 *   attempts=N overflows=N    resumes made, and how many threw StackOverflowError
 *   body-failures=N           of those, how many left the generator FAILED: the body itself
 *                             overflowed (only where it runs on the resumer's stack: stackless)
 *   stuck=N                   times the generator was left RUNNING (nobody else uses it)
 *   wrong=N                   values out of order (lost or repeated)
 *   other=N first-other=...   any other exception
 *   tail=OK|...               on a shallow stack afterwards: the next value comes, in order
 * suspend BACKEND PASSES
 *   The body recurses until the stack overflows, then calls suspend(next) at every depth on
 *   the way back up (a suspend that throws StackOverflowError suspended nothing: it is retried
 *   with the same value); the resumer checks that the values arrive in order.
 *   values=N duplicates=N gaps=N suspend-overflows=N other=N first-other=...
 *   end=FINISHED|...          how the generator ended
 * </pre>
 * Every output line is printed from a shallow stack. The last line is {@value #DONE}.
 */
public final class StackLimitSweep {
    static final String DONE = "SWEEP-DONE";

    private static GeneratorBackend backend;

    private StackLimitSweep() {}

    public static void main(String[] args) {
        backend = Backends.named(args[1]).orElseThrow();
        if (args[0].equals("resume")) {
            new ResumeSide(Integer.parseInt(args[2])).run(Integer.parseInt(args[3]));
        } else {
            new SuspendSide().run(Integer.parseInt(args[2]));
        }
        System.out.println(DONE);
        System.exit(0);
    }

    /** The resumer near the limit. Plain counters: everything runs on the main thread. */
    static final class ResumeSide {
        private final int bodyDepth;
        private Generator<Long, Long> generator;
        private long expected;
        private long attempts;
        private long overflows;
        private long bodyFailures;
        private long stuck;
        private long wrong;
        private long other;
        private Throwable firstOther;

        ResumeSide(int bodyDepth) {
            this.bodyDepth = bodyDepth;
        }

        void run(int passes) {
            fresh();
            Optional<Long> first = generator.resume(0L); // on a shallow stack: everything is initialized
            if (!first.equals(Optional.of(0L))) {
                throw new AssertionError("first resume: " + first);
            }
            expected = 1;
            for (int p = 0; p < passes; p++) {
                dive();
            }
            String tail;
            try {
                Optional<Long> next = generator.resume(0L);
                tail = next.isPresent() && next.get() == expected ? "OK" : "got " + next + ", expected " + expected;
            } catch (Throwable t) {
                tail = t.toString();
            }
            System.out.println("attempts=" + attempts);
            System.out.println("overflows=" + overflows);
            System.out.println("body-failures=" + bodyFailures);
            System.out.println("stuck=" + stuck);
            System.out.println("wrong=" + wrong);
            System.out.println("other=" + other);
            System.out.println("first-other=" + firstOther);
            System.out.println("tail=" + tail);
        }

        /** A new generator, replacing one that is RUNNING (stuck) or has ended. */
        private void fresh() {
            generator = backend.create((yielder, input) -> {
                for (long i = 0; ; i++) {
                    suspendAt(yielder, bodyDepth, i);
                }
            });
            expected = 0;
        }

        private static void suspendAt(Yielder<Long, Long> yielder, int depth, long value) {
            if (depth > 0) {
                suspendAt(yielder, depth - 1, value);
                return;
            }
            yielder.suspend(value);
        }

        private void dive() {
            try {
                dive();
            } catch (StackOverflowError bottom) {
                // the deepest point: from here on, attempt on the way back up
            }
            attempt();
        }

        private void attempt() {
            attempts++;
            try {
                State before = generator.state(); // FAILED when a body failure's replacement overflowed
                Optional<Long> value = generator.resume(0L);
                if (value.isPresent() && value.get() == expected) {
                    expected++;
                } else if (value.isPresent() || before != State.FAILED) {
                    wrong++; // a failed generator returns empty (README rule 3); anything else is wrong
                }
            } catch (StackOverflowError e) {
                overflows++;
                try {
                    if (generator.state() == State.FAILED) {
                        bodyFailures++;
                    }
                } catch (StackOverflowError tooDeep) {
                    // the state is checked again below, one frame higher up if need be
                }
            } catch (Throwable t) {
                other++;
                if (firstOther == null) {
                    firstOther = t;
                }
            }
            try {
                if (generator.state() == State.RUNNING) {
                    stuck++;
                    fresh();
                } else if (generator.state() != State.RUNNABLE) {
                    fresh();
                }
            } catch (StackOverflowError e) {
                // checked again after the next attempt, one frame higher up
            }
        }
    }

    /** The body near the limit: it runs on its own stack or on the resumer's, per backend. */
    static final class SuspendSide {
        private long next;            // the body's next value, advanced only once delivered
        private long suspendOverflows;
        private long other;
        private Throwable firstOther;

        void run(int passes) {
            Generator<Void, Long> g = backend.create((yielder, input) -> {
                yielder.suspend(-1L); // on a shallow stack: everything is initialized
                for (int p = 0; p < passes; p++) {
                    dive(yielder);
                }
            });
            long expected = -1;
            long values = 0;
            long duplicates = 0;
            long gaps = 0;
            String end;
            while (true) {
                Optional<Long> r;
                try {
                    r = g.resume(null);
                } catch (Throwable t) {
                    end = "resume threw " + t + " in state " + g.state();
                    break;
                }
                if (r.isEmpty()) {
                    end = g.state().toString();
                    break;
                }
                values++;
                long v = r.get();
                if (v < expected) {
                    duplicates++;
                } else if (v > expected) {
                    gaps++;
                }
                expected = Math.max(expected, v + 1);
            }
            System.out.println("values=" + values);
            System.out.println("duplicates=" + duplicates);
            System.out.println("gaps=" + gaps);
            System.out.println("suspend-overflows=" + suspendOverflows);
            System.out.println("other=" + other);
            System.out.println("first-other=" + firstOther);
            System.out.println("end=" + end);
        }

        private void dive(Yielder<Void, Long> yielder) {
            try {
                dive(yielder);
            } catch (StackOverflowError bottom) {
                // the deepest point
            }
            try {
                yielder.suspend(next);
                next++; // only once suspend returned: the value was delivered
            } catch (StackOverflowError e) {
                suspendOverflows++; // suspended nothing: the same value is offered again
            } catch (GeneratorExit e) {
                throw e;
            } catch (Throwable t) {
                other++;
                if (firstOther == null) {
                    firstOther = t;
                }
            }
        }
    }
}
