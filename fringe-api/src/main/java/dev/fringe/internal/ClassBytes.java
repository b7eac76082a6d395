// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small class file by hand: a constant pool, and methods made of straight-line
 * bytecode (no branches, so no stack map frames are needed). fringe defines a few such classes
 * at run time as hidden classes, for what {@code javac} cannot express (see
 * {@link StackReserve} and the {@code continuation} backend's {@code ContinuationClass}).
 * Not API: public only so that fringe's backend modules can use it.
 *
 * <p>Not thread-safe; one instance writes one class.
 */
public final class ClassBytes {
    /** {@code ACC_PUBLIC}. */
    public static final int PUBLIC = 0x0001;
    /** {@code ACC_PROTECTED}. */
    public static final int PROTECTED = 0x0004;
    /** {@code ACC_STATIC}. */
    public static final int STATIC = 0x0008;
    /** {@code aload_0}. */
    public static final int ALOAD_0 = 0x2a;
    /** {@code aload_1}. */
    public static final int ALOAD_1 = 0x2b;
    /** {@code aload_2}. */
    public static final int ALOAD_2 = 0x2c;
    /** {@code lload_1}. */
    public static final int LLOAD_1 = 0x1f;
    /** {@code invokevirtual}, followed by a method's {@link #hi} and {@link #lo} bytes. */
    public static final int INVOKEVIRTUAL = 0xb6;
    /** {@code invokespecial}, followed by a method's {@link #hi} and {@link #lo} bytes. */
    public static final int INVOKESPECIAL = 0xb7;
    /** {@code invokestatic}, followed by a method's {@link #hi} and {@link #lo} bytes. */
    public static final int INVOKESTATIC = 0xb8;
    /** {@code ireturn}. */
    public static final int IRETURN = 0xac;
    /** {@code return}. */
    public static final int RETURN = 0xb1;
    private static final int FINAL_SUPER = 0x0010 | 0x0020;
    /** Java 17, the oldest release fringe supports; the class needs nothing newer. */
    private static final int MAJOR_VERSION = 61;

    private final ByteArrayOutputStream pool = new ByteArrayOutputStream();
    private final DataOutputStream poolOut = new DataOutputStream(pool);
    private final Map<String, Integer> poolIndex = new HashMap<>();
    private final List<byte[]> methods = new ArrayList<>();
    private final int thisClass;
    private final int superClass;
    private final int code;
    private int poolCount = 1;

    /**
     * Starts a final class.
     *
     * @param name       its internal name, e.g. {@code dev/fringe/internal/Reserve}
     * @param superClass the internal name of its superclass
     */
    public ClassBytes(String name, String superClass) {
        this.thisClass = classRef(name);
        this.superClass = classRef(superClass);
        this.code = utf8("Code");
    }

    /**
     * Returns the constant pool index of a {@code CONSTANT_Methodref}, adding it if needed.
     *
     * @param owner      the internal name of the declaring class
     * @param name       the method name
     * @param descriptor the method descriptor
     * @return its index, for the two operand bytes of an invoke instruction
     */
    public int methodRef(String owner, String name, String descriptor) {
        int owning = classRef(owner);
        int nameAndType = constant("T" + name + descriptor, 12, utf8(name), utf8(descriptor));
        return constant("M" + owner + "." + name + descriptor, 10, owning, nameAndType);
    }

    /**
     * Adds a method.
     *
     * @param access     its access flags
     * @param name       its name
     * @param descriptor its descriptor
     * @param maxStack   the deepest operand stack the code uses
     * @param maxLocals  the local variable slots it declares (at least its parameters')
     * @param bytecode   its code, each element one byte
     */
    public void method(int access, String name, String descriptor, int maxStack, int maxLocals, int... bytecode) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeShort(access);
            out.writeShort(utf8(name));
            out.writeShort(utf8(descriptor));
            out.writeShort(1); // attributes: Code
            out.writeShort(code);
            out.writeInt(2 + 2 + 4 + bytecode.length + 2 + 2);
            out.writeShort(maxStack);
            out.writeShort(maxLocals);
            out.writeInt(bytecode.length);
            for (int b : bytecode) {
                out.writeByte(b);
            }
            out.writeShort(0); // exception table
            out.writeShort(0); // attributes of Code
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        methods.add(buffer.toByteArray());
    }

    /**
     * Returns the class file.
     *
     * @return its bytes
     */
    public byte[] toByteArray() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(MAJOR_VERSION);
            out.writeShort(poolCount);
            poolOut.flush();
            pool.writeTo(out);
            out.writeShort(FINAL_SUPER);
            out.writeShort(thisClass);
            out.writeShort(superClass);
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields
            out.writeShort(methods.size());
            for (byte[] m : methods) {
                out.write(m);
            }
            out.writeShort(0); // class attributes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * The first operand byte of an instruction that names a constant pool entry.
     *
     * @param index the entry's index
     * @return its high byte
     */
    public static int hi(int index) {
        return index >> 8;
    }

    /**
     * The second operand byte of an instruction that names a constant pool entry.
     *
     * @param index the entry's index
     * @return its low byte
     */
    public static int lo(int index) {
        return index & 0xff;
    }

    private int utf8(String s) {
        Integer known = poolIndex.get("U" + s);
        if (known != null) {
            return known;
        }
        try {
            poolOut.writeByte(1);
            poolOut.writeUTF(s); // modified UTF-8 with a two-byte length: the class file's own format
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        poolIndex.put("U" + s, poolCount);
        return poolCount++;
    }

    private int classRef(String name) {
        return constant("C" + name, 7, utf8(name), -1);
    }

    private int constant(String key, int tag, int first, int second) {
        Integer known = poolIndex.get(key);
        if (known != null) {
            return known;
        }
        try {
            poolOut.writeByte(tag);
            poolOut.writeShort(first);
            if (second >= 0) {
                poolOut.writeShort(second);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        poolIndex.put(key, poolCount);
        return poolCount++;
    }
}
