// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.differential;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.fringe.jna.NativeGenerator;
import dev.fringe.jna.OsStack;
import dev.fringe.jna.spi.ArchSupport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Runs a {@link Scenario} on the native engine: the C interpreter of
 * {@code src/test/c/bodies/interpreter.c} as a {@link NativeGenerator} body, with the encoded
 * scenario, the architecture's {@code fringe_init}/{@code fringe_resume} and one stack per
 * {@code yield from} nesting level in its {@code env} block.
 */
final class NativeInterpreter {
    /** Usable bytes of every stack: recursion in scenarios stays far below this. */
    static final long STACK_SIZE = 64 * 1024;

    private static final NativeLibrary BODIES = NativeLibrary.getInstance("fringe_testbodies",
            Map.of(Library.OPTION_CLASSLOADER, NativeInterpreter.class.getClassLoader()));
    /** The interpreter. */
    static final Function CORRECT = BODIES.getFunction("fringe_test_interpreter");
    /** The same interpreter with the planted fault: the third value it suspends is off by one. */
    static final Function FAULTY = BODIES.getFunction("fringe_test_interpreter_faulty");

    // Word offsets of the env block; must match struct interp_env in interpreter.c.
    private static final int ENV_INIT = 0;
    private static final int ENV_RESUME = 1;
    private static final int ENV_CODE = 2;
    private static final int ENV_LENGTH = 3;
    private static final int ENV_STACKS = 4;
    private static final int ENV_NSTACKS = 5;
    private static final int ENV_WORDS = 6;

    /**
     * Stacks kept for the next run: mapping and unmapping a stack per run costs more than the
     * rest of a short run. A stack returns here only when no generator uses it any more.
     */
    private static final Deque<OsStack> SPARE = new ArrayDeque<>();

    private NativeInterpreter() {}

    private static OsStack takeStack() {
        synchronized (SPARE) {
            OsStack stack = SPARE.pollFirst();
            if (stack != null) {
                return stack;
            }
        }
        return OsStack.allocate(STACK_SIZE);
    }

    private static void giveBack(OsStack stack) {
        synchronized (SPARE) {
            SPARE.addFirst(stack);
        }
    }

    /**
     * The native memory one scenario runs with: its code, the env block, the generator's stack
     * and the child stacks. Keep it open while its generator runs.
     */
    static final class Run implements AutoCloseable {
        private final Function body;
        private final Memory code;
        private final Memory stackBases;
        private final Memory env;
        private final OsStack stack;                          // the generator's own
        private final List<OsStack> childStacks = new ArrayList<>(); // one per nesting level

        Run(Scenario scenario, Function body) {
            this.body = body;
            long[] words = scenario.encode();
            this.code = words(Math.max(words.length, 1));
            for (int i = 0; i < words.length; i++) {
                putWord(code, i, words[i]);
            }
            int levels = scenario.nesting();
            this.stackBases = words(Math.max(levels, 1));
            this.stack = takeStack();
            try {
                for (int i = 0; i < levels; i++) {
                    OsStack child = takeStack();
                    childStacks.add(child);
                    putWord(stackBases, i, child.base());
                }
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
            this.env = words(ENV_WORDS);
            putWord(env, ENV_INIT, Pointer.nativeValue(Arch.INIT));
            putWord(env, ENV_RESUME, Pointer.nativeValue(Arch.RESUME));
            putWord(env, ENV_CODE, Pointer.nativeValue(code));
            putWord(env, ENV_LENGTH, words.length);
            putWord(env, ENV_STACKS, Pointer.nativeValue(stackBases));
            putWord(env, ENV_NSTACKS, levels);
        }

        /**
         * Creates an unstarted generator running the scenario. One at a time: the run has one
         * stack for it, free again once the generator finished or was closed.
         */
        NativeGenerator newGenerator() {
            return NativeGenerator.create(stack, body, env);
        }

        /** Gives the stacks back for other runs; close this run's generator first. */
        @Override
        public void close() {
            if (stack.inUse()) {
                return; // the generator was left open, maybe suspended in a child: keep every stack from reuse
            }
            giveBack(stack);
            childStacks.forEach(NativeInterpreter::giveBack);
        }
    }

    private static Memory words(int n) {
        return new Memory((long) n * Native.POINTER_SIZE);
    }

    private static void putWord(Memory m, int index, long value) {
        if (Native.POINTER_SIZE == 8) {
            m.setLong(8L * index, value);
        } else {
            m.setInt(4L * index, (int) value);
        }
    }

    /**
     * {@code fringe_init} and {@code fringe_resume} of the architecture library the JVM runs
     * fringe with: the {@link ArchSupport} provider serving JNA's resource prefix, loaded through
     * its own class loader, by the name its description gives.
     */
    static final class Arch {
        private static final NativeLibrary LIBRARY = load();
        static final Function INIT = LIBRARY.getFunction("fringe_init");
        static final Function RESUME = LIBRARY.getFunction("fringe_resume");

        private Arch() {}

        private static NativeLibrary load() {
            String prefix = Platform.RESOURCE_PREFIX;
            List<String> seen = new ArrayList<>();
            Iterator<ArchSupport> it = ServiceLoader.load(ArchSupport.class, ArchSupport.class.getClassLoader()).iterator();
            while (true) {
                ArchSupport arch;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    arch = it.next();
                } catch (ServiceConfigurationError e) {
                    seen.add("unloadable (" + e.getMessage() + ")");
                    continue;
                }
                if (arch.resourcePrefix().equals(prefix)) {
                    return NativeLibrary.getInstance(arch.libraryName(),
                            Map.of(Library.OPTION_CLASSLOADER, arch.getClass().getClassLoader()));
                }
                seen.add(arch.artifactId() + " (" + arch.resourcePrefix() + ")");
            }
            throw new IllegalStateException("no fringe-arch-* module serves JNA resource prefix " + prefix
                    + " on the test class path; found: " + (seen.isEmpty() ? "none" : String.join(", ", seen)));
        }
    }
}
