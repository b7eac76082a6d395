package dev.fringe.loom;

import com.google.auto.service.AutoService;
import dev.fringe.Generator;
import dev.fringe.GeneratorBody;
import dev.fringe.internal.JavaGenerator;
import dev.fringe.spi.GeneratorBackend;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code continuation} backend: generator bodies run on the JVM's own continuations
 * ({@code jdk.internal.vm.Continuation}, the engine under virtual threads), mounted on the
 * resumer's thread. The fastest Java engine (about the cost of one continuation run/yield per
 * round trip, no allocation) and the highest priority when usable.
 *
 * <p>Usable on JDK 21+ when {@code java.base} exports {@code jdk.internal.vm} to fringe:
 * {@value Loom#CLASS_PATH_FLAG} on the class path, {@value Loom#MODULE_PATH_FLAG} on the module
 * path. Without it, {@link #unavailableReason()} names the flag and selection falls back to
 * {@code virtual-thread}.
 */
@AutoService(GeneratorBackend.class)
public final class ContinuationBackend implements GeneratorBackend {
    /** The backend's name. */
    public static final String NAME = "continuation";

    /** Creates the backend; called by {@link java.util.ServiceLoader}. */
    public ContinuationBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(Loom.UNAVAILABLE);
    }

    @Override
    public <I, O> Generator<I, O> create(GeneratorBody<I, O> body) {
        Objects.requireNonNull(body, "body");
        if (Loom.UNAVAILABLE != null) {
            throw new IllegalStateException("the continuation backend is unavailable: " + Loom.UNAVAILABLE);
        }
        return new JavaGenerator<>(new ContinuationCore<>(body), NAME);
    }
}
