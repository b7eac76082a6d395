// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.tests.support;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * libc's {@code qsort} through JNA, so that a Java callback runs inside a native frame (README
 * rule 7). Both JNA mappings are offered; they reach native code through different Java
 * frames ({@code Direct.qsort} is itself a native method, the interface mapping goes through
 * {@code Native.invoke*}).
 */
public enum Qsort {
    /** JNA direct mapping ({@code Native.register}). */
    DIRECT {
        @Override
        void call(Pointer base, NativeLong count, NativeLong size, Comparator comparator) {
            Direct.qsort(base, count, size, comparator);
        }
    },
    /** JNA interface mapping ({@code Native.load}). */
    INTERFACE {
        @Override
        void call(Pointer base, NativeLong count, NativeLong size, Comparator comparator) {
            Interface.LIBC.qsort(base, count, size, comparator);
        }
    };

    /** {@code int (*compar)(const void *, const void *)}. */
    public interface Comparator extends Callback {
        /**
         * Compares two elements.
         *
         * @param a the first element
         * @param b the second element
         * @return negative, zero or positive
         */
        int compare(Pointer a, Pointer b);
    }

    abstract void call(Pointer base, NativeLong count, NativeLong size, Comparator comparator);

    /**
     * Sorts {@code values} in place with libc's {@code qsort}, calling {@code comparator} from
     * native code. {@code size_t} is {@code unsigned long} on Linux, hence {@link NativeLong}.
     *
     * @param values     the ints to sort
     * @param comparator compares two {@code int*}
     */
    public void sort(int[] values, Comparator comparator) {
        Memory memory = new Memory((long) Integer.BYTES * Math.max(1, values.length));
        memory.write(0, values, 0, values.length);
        call(memory, new NativeLong(values.length), new NativeLong(Integer.BYTES), comparator);
        memory.read(0, values, 0, values.length);
    }

    /** The direct mapping. */
    public static final class Direct {
        static {
            Native.register(Direct.class, Platform.C_LIBRARY_NAME);
        }

        private Direct() {}

        static native void qsort(Pointer base, NativeLong count, NativeLong size, Comparator comparator);
    }

    /** The interface mapping. */
    public interface Interface extends Library {
        /** libc. */
        Interface LIBC = Native.load(Platform.C_LIBRARY_NAME, Interface.class);

        /**
         * {@code void qsort(void *base, size_t nmemb, size_t size, compar)}.
         *
         * @param base       the array
         * @param count      the number of elements
         * @param size       the size of one element
         * @param comparator the comparison callback
         */
        void qsort(Pointer base, NativeLong count, NativeLong size, Comparator comparator);
    }
}
