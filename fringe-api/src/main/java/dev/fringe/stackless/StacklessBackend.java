// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

import com.google.auto.service.AutoService;
import dev.fringe.Backends;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.internal.JavaGenerator;
import dev.fringe.spi.GeneratorBackend;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code stackless} backend: bodies rewritten by the {@code fringe-stackless} transformer
 * (its Maven plugin at build time, or its {@code -javaagent} at load time) run as ordinary
 * frames on the resumer's thread and suspend by returning; a round trip costs a small fraction
 * of a JVM continuation's, on any JDK 17+, with no JVM flag. The highest priority.
 *
 * <p>A body that was not transformed (no plugin or agent, a class the transformer refused, a
 * lambda it could not rewrite) runs on the best other usable backend instead, and that
 * generator's {@code toString()} names the backend that really runs it. A body that was
 * transformed but suspends through code that was not (a call through an untransformed
 * interface, reflection, a third-party class) gets an {@link IllegalStateException} from that
 * {@code suspend} naming the frame; nothing is suspended. See {@code docs/stackless.md}.
 *
 * <p><b>Thread safety.</b> Thread-safe.
 */
// "exports": AutoService is a compile-time annotation (see module-info); users of this exported
// class need nothing from it.
@SuppressWarnings("exports")
@AutoService(GeneratorBackend.class)
public final class StacklessBackend implements GeneratorBackend {
    /** The backend's name. */
    public static final String NAME = "stackless";

    private static final ClassValue<Boolean> TRANSFORMED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return runsTransformed(type);
        }
    };

    /** Creates the backend; called by {@link java.util.ServiceLoader}. */
    public StacklessBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 400;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Creates a generator: on this backend if {@code body} was transformed, else on the best
     * other usable backend.
     *
     * @param body the body
     * @param <I>  the input type
     * @param <O>  the output type
     * @return a new generator, whose {@code toString()} names the backend that runs it
     * @throws NullPointerException if {@code body} is {@code null}
     */
    @Override
    public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        Objects.requireNonNull(body, "body");
        if (isTransformed(body)) {
            @SuppressWarnings("unchecked") // isTransformed: the body is a StacklessBody of the same types
            StacklessBody<I, O> transformed = (StacklessBody<I, O>) body;
            return new JavaGenerator<>(new StacklessCore<>(transformed), NAME);
        }
        return Fallback.BACKEND.create(body);
    }

    /**
     * Returns whether a body will run on this backend: the transformer rewrote its class, and
     * no untransformed subclass overrides its {@code run}.
     *
     * @param body a generator body
     * @return {@code true} if {@link #create} runs it stackless
     */
    public static boolean isTransformed(GeneratorBody<?, ?> body) {
        return body instanceof StacklessBody && TRANSFORMED.get(body.getClass());
    }

    private static boolean runsTransformed(Class<?> type) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            if (Strand.declares(k, "run", "(Ldev/fringe/Yielder;Ljava/lang/Object;Ldev/fringe/stackless/Strand;)V")) {
                return true;
            }
            if (Strand.declares(k, "run", "(Ldev/fringe/Yielder;Ljava/lang/Object;)V")) {
                return false; // an override of the original run without its transformed form
            }
        }
        return false;
    }

    /** The best other usable backend, for bodies that were not transformed. */
    private static final class Fallback {
        static final GeneratorBackend BACKEND = Backends.all().stream()
                .filter(b -> !b.name().equals(NAME) && b.unavailableReason().isEmpty())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no backend to run untransformed bodies on:\n"
                        + Backends.describe()));
    }
}
