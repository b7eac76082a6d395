// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fringe.spi.GeneratorBackend;
import dev.fringe.tests.support.ChildJvm;
import dev.fringe.tests.support.DropSuspendedGenerators;
import dev.fringe.tests.support.TestBackends;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README rule 6 at scale: 200 000 suspended generators (times
 * {@code -Dfringe.test.scale}), each body holding 1 KiB, created and dropped in a child JVM
 * with {@code -Xmx256m}, on every backend; every one must be collected and unwound, and the
 * heap must not run out while the cleaner catches up (see {@link DropSuspendedGenerators}).
 *
 * <p>The slow one is {@code thread}: 200 000 platform threads are started in total, about two
 * minutes on a 2-vCPU machine, most of it the kernel creating and reaping threads (a bare
 * start/park/unpark/join loop of as many threads in batches of 1024 takes as long), the rest
 * the backend's GC valve (see {@code ThreadBackend}). No JUnit timeout here: the child is killed
 * after its own, scaled, time limit.
 */
class DropManyGeneratorsTest {
    private static final int COUNT = 200_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.fringe.tests.support.TestBackends#usable")
    void dropSuspendedGenerators_200k_inSmallHeap_allCollected(GeneratorBackend backend) {
        int scale = TestBackends.scale();
        int count = COUNT * scale;
        Duration limit = Duration.ofSeconds((backend.name().equals("thread") ? 1200 : 300) * (long) scale);

        ChildJvm.Result result = ChildJvm.withArgs()
                .jvmArgs("-Xmx256m", TestBackends.CLASS_PATH_FLAG, TestBackends.CONTINUATION_CONSENT)
                .run(limit, DropSuspendedGenerators.class, backend.name(), String.valueOf(count),
                        String.valueOf(limit.getSeconds() / 2));

        System.out.printf("dropped %d suspended generators on %s in a child JVM: %d ms (%s)%n", count, backend.name(),
                result.elapsed().toMillis(), result.output().trim());
        assertThat(result.output()).as("%s", result).contains(DropSuspendedGenerators.SUCCESS + " backend=" + backend.name());
        assertThat(result.exitCode()).as("%s", result).isZero();
    }
}
