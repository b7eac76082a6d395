// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.GeneratorException;
import dev.fringe.GeneratorExit;
import dev.fringe.State;
import dev.fringe.Yielder;
import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.AllBackends;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;

/**
 * README rule 3: a body's exception fails the generator and leaves that {@code resume}
 * as the same object (unchecked) or wrapped in {@link GeneratorException} (checked); its stack
 * trace shows the body's frames followed by the frames of the code that called {@code resume},
 * with only a few engine frames between, on every backend (thread-based ones splice traces).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BodyExceptionTest {
    /** How many fringe and JDK frames may separate the body's entry frame from the resumer. */
    private static final int MAX_ENGINE_FRAMES = 6;

    @AllBackends
    void resume_bodyThrowsUnchecked_rethrowsSameObjectAndFails(GeneratorBackend backend) {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            throw boom;
        });

        assertThat(catchThrowable(() -> g.resume(0))).isSameAs(boom);
        assertThat(g.state()).isEqualTo(State.FAILED);
    }

    @AllBackends
    void resume_bodyThrowsError_rethrowsSameObject(GeneratorBackend backend) {
        Error error = new TestError("an error, not an exception");
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            yielder.suspend(1);
            throw error;
        });
        assertThat(g.resume(0)).contains(1);

        assertThat(catchThrowable(() -> g.resume(0))).isSameAs(error);
        assertThat(g.state()).isEqualTo(State.FAILED);
    }

    @AllBackends
    void resume_bodyThrowsChecked_wrapsItInGeneratorException(GeneratorBackend backend) {
        IOException checked = new IOException("disk on fire");
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            throw checked;
        });

        Throwable thrown = catchThrowable(() -> g.resume(0));
        assertThat(thrown).isExactlyInstanceOf(GeneratorException.class);
        assertThat(thrown.getCause()).isSameAs(checked);
        assertThat(g.state()).isEqualTo(State.FAILED);
    }

    @AllBackends
    void resume_afterFailure_returnsEmptyAndRunsNothing(GeneratorBackend backend) {
        AtomicInteger steps = new AtomicInteger();
        Generator<Integer, Integer> g = backend.create((yielder, input) -> {
            steps.incrementAndGet();
            yielder.suspend(1);
            steps.incrementAndGet();
            throw new IllegalStateException("fails on the second resume");
        });
        assertThat(g.resume(0)).contains(1);
        assertThatThrownBy(() -> g.resume(0)).hasMessage("fails on the second resume");

        for (int i = 0; i < 3; i++) {
            assertThat(g.resume(i)).isEmpty();
        }
        assertThat(steps).hasValue(2);
        assertThat(g.state()).isEqualTo(State.FAILED);
    }

    // ------------------------------------------------------------------ stack traces

    @AllBackends
    void stackTrace_ofUncheckedException_showsBodyThenResumer(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create(new ThrowingBody(() -> new IllegalStateException("unchecked")));

        Throwable thrown = null;
        try {
            g.resume(0); // called right here: this method's frame must follow the body's
        } catch (RuntimeException e) {
            thrown = e;
        }

        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertBodyThenResumer(thrown, "stackTrace_ofUncheckedException_showsBodyThenResumer");
    }

    @AllBackends
    void stackTrace_ofCheckedException_showsBodyThenResumer(GeneratorBackend backend) {
        Generator<Integer, Integer> g = backend.create(new ThrowingBody(() -> new IOException("checked")));

        Throwable thrown = null;
        try {
            g.resume(0);
        } catch (RuntimeException e) {
            thrown = e;
        }

        assertThat(thrown).isInstanceOf(GeneratorException.class).hasCauseInstanceOf(IOException.class);
        assertBodyThenResumer(thrown.getCause(), "stackTrace_ofCheckedException_showsBodyThenResumer");
    }

    @AllBackends
    void stackTrace_afterSuspendingAndMovingThreads_showsTheLastResumer(GeneratorBackend backend) throws Exception {
        ThrowingBody body = new ThrowingBody(() -> new IllegalStateException("on the second resume"));
        body.suspendFirst = true;
        Generator<Integer, Integer> g = backend.create(body);
        assertThat(g.resume(0)).contains(0);

        // The failing resume is called from another thread, by a method with a telling name.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Throwable thrown = other.submit(() -> resumeOnAnotherThread(g)).get(10, TimeUnit.SECONDS);
            assertThat(thrown).hasMessage("on the second resume");
            assertBodyThenResumer(thrown, "resumeOnAnotherThread");
            assertThat(Arrays.stream(thrown.getStackTrace()).map(StackTraceElement::getMethodName))
                    .as("frames of the first resume's caller must not appear")
                    .doesNotContain("stackTrace_afterSuspendingAndMovingThreads_showsTheLastResumer");
        } finally {
            other.shutdownNow();
        }
    }

    private static Throwable resumeOnAnotherThread(Generator<Integer, Integer> g) {
        try {
            g.resume(1);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @AllBackends
    void stackTrace_ofExceptionWhileClosing_showsBodyThenCloser(GeneratorBackend backend) {
        ThrowingBody body = new ThrowingBody(() -> new IllegalStateException("while closing"));
        body.suspendFirst = true;
        body.throwOnlyWhenClosed = true;
        Generator<Integer, Integer> g = backend.create(body);
        assertThat(g.resume(0)).contains(0);

        Throwable thrown = null;
        try {
            g.close();
        } catch (RuntimeException e) {
            thrown = e;
        }

        assertThat(thrown).hasMessage("while closing");
        assertBodyThenResumer(thrown, "stackTrace_ofExceptionWhileClosing_showsBodyThenCloser");
        assertThat(g.state()).isEqualTo(State.CLOSED);
    }

    /**
     * Asserts the trace reads: {@link ThrowingBody#fail} (the body's helper), the body's
     * {@code run} (and its bridge method), at most {@value #MAX_ENGINE_FRAMES} fringe or JDK frames, then
     * {@code resumerMethod} of this class.
     */
    private static void assertBodyThenResumer(Throwable t, String resumerMethod) {
        List<StackTraceElement> frames = Arrays.asList(t.getStackTrace());
        String trace = render(frames);
        int helper = indexOf(frames, ThrowingBody.class.getName(), "fail");
        int entry = lastIndexOf(frames, ThrowingBody.class.getName(), "run");
        int resumer = indexOf(frames, BodyExceptionTest.class.getName(), resumerMethod);

        assertThat(helper).as("the body's helper frame in\n%s", trace).isGreaterThanOrEqualTo(0);
        assertThat(entry).as("the body's entry frame after its helper in\n%s", trace).isGreaterThan(helper);
        assertThat(frames.subList(helper, entry)).as("the body's own frames in\n%s", trace)
                .allMatch(f -> f.getClassName().equals(ThrowingBody.class.getName()));
        assertThat(resumer).as("the resumer's frame %s after the body's in\n%s", resumerMethod, trace).isGreaterThan(entry);
        List<StackTraceElement> engine = frames.subList(entry + 1, resumer);
        assertThat(engine).as("engine frames between body and resumer in\n%s", trace)
                .hasSizeLessThanOrEqualTo(MAX_ENGINE_FRAMES)
                .allMatch(f -> f.getClassName().startsWith("dev.fringe.") || f.getClassName().startsWith("java.")
                        || f.getClassName().startsWith("jdk."));
    }

    private static int indexOf(List<StackTraceElement> frames, String className, String method) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).getClassName().equals(className) && frames.get(i).getMethodName().equals(method)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<StackTraceElement> frames, String className, String method) {
        int last = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).getClassName().equals(className) && frames.get(i).getMethodName().equals(method)) {
                last = i;
            }
        }
        return last;
    }

    private static String render(List<StackTraceElement> frames) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement f : frames) {
            sb.append("\tat ").append(f).append('\n');
        }
        return sb.toString();
    }

    /**
     * A named body (not a lambda) so that its frames are easy to find: {@code run} recurses
     * through {@code fail} a few frames deep and throws there.
     */
    private static final class ThrowingBody implements GeneratorBody<Integer, Integer> {
        private final Supplier<Exception> exception;
        boolean suspendFirst;
        boolean throwOnlyWhenClosed;

        ThrowingBody(Supplier<Exception> exception) {
            this.exception = exception;
        }

        @Override
        public void run(Yielder<Integer, Integer> yielder, Integer input) throws Exception {
            if (suspendFirst) {
                try {
                    yielder.suspend(input);
                } catch (GeneratorExit closing) {
                    if (!throwOnlyWhenClosed) {
                        throw closing;
                    }
                }
            }
            fail(3);
        }

        private void fail(int depth) throws Exception {
            if (depth > 0) {
                fail(depth - 1);
                return;
            }
            throw exception.get();
        }
    }

    /** An {@link Error} of the test's own, so that nothing else could have thrown it. */
    private static final class TestError extends Error {
        private static final long serialVersionUID = 1L;

        TestError(String message) {
            super(message);
        }
    }
}
