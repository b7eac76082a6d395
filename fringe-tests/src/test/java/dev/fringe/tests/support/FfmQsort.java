// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.util.function.Consumer;

/**
 * libc's {@code qsort} through FFM (JDK 22+), with a Java comparator as its upcall, so that Java
 * code runs inside a native frame that leaves no native <em>method</em> frame on the stack
 * (README rule 7). The test classes are compiled for release 17, so {@code java.lang.foreign}
 * is reached through method handles; the calls are the ones a JDK 22 program would write:
 * {@code Linker.nativeLinker().downcallHandle(qsort, ...)} and {@code upcallStub(...)}.
 *
 * <p>An exception that leaves an FFM upcall ends the JVM, so the comparator's exceptions are
 * caught here and handed to the caller's sink instead.
 */
public final class FfmQsort {
    /** Compares two ints read from the array being sorted. */
    public interface IntComparator {
        /**
         * Compares two elements.
         *
         * @param a the first element
         * @param b the second element
         * @return negative, zero or positive
         */
        int compare(int a, int b);
    }

    // A full-privilege lookup: the restricted methods (downcallHandle, upcallStub) are caller-sensitive.
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private FfmQsort() {}

    /** Whether this JDK has the final FFM API. */
    public static boolean available() {
        return Runtime.version().feature() >= 22;
    }

    /**
     * Sorts {@code values} in place with libc's {@code qsort} through FFM.
     *
     * @param values     the ints to sort
     * @param comparator called by {@code qsort}, inside the native frame
     * @param failures   receives whatever {@code comparator} throws (the comparison then says 0)
     */
    public static void sort(int[] values, IntComparator comparator, Consumer<Throwable> failures) {
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> intLayoutType = Class.forName("java.lang.foreign.ValueLayout$OfInt");
            Class<?> addressLayoutType = Class.forName("java.lang.foreign.AddressLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Object optionArray = Array.newInstance(optionType, 0);
            Object layoutArray0 = Array.newInstance(layoutType, 0);

            Object linker = LOOKUP.findStatic(linkerType, "nativeLinker", methodType(linkerType)).invoke();
            Object intLayout = LOOKUP.findStaticGetter(valueLayoutType, "JAVA_INT", intLayoutType).invoke();
            Object longLayout = LOOKUP.findStaticGetter(valueLayoutType, "JAVA_LONG",
                    Class.forName("java.lang.foreign.ValueLayout$OfLong")).invoke();
            Object address = LOOKUP.findStaticGetter(valueLayoutType, "ADDRESS", addressLayoutType).invoke();
            Object intPointer = LOOKUP.findVirtual(addressLayoutType, "withTargetLayout",
                    methodType(addressLayoutType, layoutType)).invoke(address, intLayout);

            MethodHandle descriptorOf = LOOKUP.findStatic(descriptorType, "of",
                    methodType(descriptorType, layoutType, layoutArray0.getClass())).asFixedArity();
            MethodHandle voidDescriptorOf = LOOKUP.findStatic(descriptorType, "ofVoid",
                    methodType(descriptorType, layoutArray0.getClass())).asFixedArity();
            Object qsortDescriptor = voidDescriptorOf.invoke(layouts(layoutType, address, longLayout, longLayout, address));
            Object compareDescriptor = descriptorOf.invoke(intLayout, layouts(layoutType, intPointer, intPointer));

            Object defaultLookup = LOOKUP.findVirtual(linkerType, "defaultLookup", methodType(lookupType)).invoke(linker);
            Object qsortSymbol = ((java.util.Optional<?>) LOOKUP.findVirtual(lookupType, "find",
                    methodType(java.util.Optional.class, String.class)).invoke(defaultLookup, "qsort")).orElseThrow();
            MethodHandle qsort = (MethodHandle) LOOKUP.findVirtual(linkerType, "downcallHandle",
                    methodType(MethodHandle.class, segmentType, descriptorType, optionArray.getClass()))
                    .asFixedArity().invoke(linker, qsortSymbol, qsortDescriptor, optionArray);

            // The varargs handles above take their arrays as they are (asFixedArity).
            // (MemorySegment a, MemorySegment b) -> compare(a.get(JAVA_INT, 0), b.get(JAVA_INT, 0))
            MethodHandle readInt = MethodHandles.insertArguments(
                    LOOKUP.findVirtual(segmentType, "get", methodType(int.class, intLayoutType, long.class)),
                    1, intLayout, 0L);
            MethodHandle target = MethodHandles.lookup().findStatic(FfmQsort.class, "compare",
                    methodType(int.class, IntComparator.class, Consumer.class, int.class, int.class));
            target = MethodHandles.insertArguments(target, 0, comparator, failures);
            target = MethodHandles.filterArguments(target, 0, readInt, readInt);

            Object arena = LOOKUP.findStatic(arenaType, "ofShared", methodType(arenaType)).invoke();
            try {
                Object stub = LOOKUP.findVirtual(linkerType, "upcallStub",
                        methodType(segmentType, MethodHandle.class, descriptorType, arenaType, optionArray.getClass()))
                        .asFixedArity().invoke(linker, target, compareDescriptor, arena, optionArray);
                Object memory = LOOKUP.findVirtual(arenaType, "allocate", methodType(segmentType, long.class, long.class))
                        .invoke(arena, (long) Integer.BYTES * Math.max(1, values.length), (long) Integer.BYTES);
                MethodHandle setInt = LOOKUP.findVirtual(segmentType, "setAtIndex",
                        methodType(void.class, intLayoutType, long.class, int.class));
                MethodHandle getInt = LOOKUP.findVirtual(segmentType, "getAtIndex",
                        methodType(int.class, intLayoutType, long.class));
                for (int i = 0; i < values.length; i++) {
                    setInt.invoke(memory, intLayout, (long) i, values[i]);
                }
                qsort.invoke(memory, (long) values.length, (long) Integer.BYTES, stub);
                for (int i = 0; i < values.length; i++) {
                    values[i] = (int) getInt.invoke(memory, intLayout, (long) i);
                }
            } finally {
                LOOKUP.findVirtual(arenaType, "close", methodType(void.class)).invoke(arena);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("FFM qsort failed", e);
        }
    }

    private static Object layouts(Class<?> layoutType, Object... layouts) {
        Object array = Array.newInstance(layoutType, layouts.length);
        for (int i = 0; i < layouts.length; i++) {
            Array.set(array, i, layouts[i]);
        }
        return array;
    }

    /** The upcall's target: never lets an exception reach native code. */
    private static int compare(IntComparator comparator, Consumer<Throwable> failures, int a, int b) {
        try {
            return comparator.compare(a, b);
        } catch (Throwable t) {
            failures.accept(t);
            return 0;
        }
    }
}
