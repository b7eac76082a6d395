// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import static java.lang.constant.ConstantDescs.CD_Double;
import static java.lang.constant.ConstantDescs.CD_Float;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.StackMapFrameInfo.ObjectVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.SimpleVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.VerificationTypeInfo;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * One value a frame keeps across a suspend: a local variable or an operand stack entry, its
 * verifier type, and where it lives in the {@code Frame}'s arrays. Primitive values are kept as
 * raw bits in {@code longs}, references in {@code refs}; a value the verifier knows to be
 * {@code null} is not kept at all.
 */
record Slot(int local, Kind kind, ClassDesc type, int index) {
    enum Kind { INT, FLOAT, LONG, DOUBLE, REF, NULL }

    /** The kind of a verifier type, or {@code null} for TOP (nothing to keep). */
    static Kind kindOf(VerificationTypeInfo v) {
        if (v instanceof SimpleVerificationTypeInfo s) {
            return switch (s) {
                case TOP -> null;
                case INTEGER -> Kind.INT;
                case FLOAT -> Kind.FLOAT;
                case LONG -> Kind.LONG;
                case DOUBLE -> Kind.DOUBLE;
                case NULL -> Kind.NULL;
                case UNINITIALIZED_THIS -> throw new IllegalStateException("uninitializedThis");
            };
        }
        if (v instanceof ObjectVerificationTypeInfo) {
            return Kind.REF;
        }
        throw new IllegalStateException("uninitialized");
    }

    static ClassDesc typeOf(VerificationTypeInfo v) {
        return v instanceof ObjectVerificationTypeInfo o ? o.classSymbol() : CD_Object;
    }

    static int width(VerificationTypeInfo v) {
        return v == SimpleVerificationTypeInfo.LONG || v == SimpleVerificationTypeInfo.DOUBLE ? 2 : 1;
    }

    boolean primitive() {
        return kind == Kind.INT || kind == Kind.FLOAT || kind == Kind.LONG || kind == Kind.DOUBLE;
    }

    TypeKind typeKind() {
        return switch (kind) {
            case INT -> TypeKind.INT;
            case FLOAT -> TypeKind.FLOAT;
            case LONG -> TypeKind.LONG;
            case DOUBLE -> TypeKind.DOUBLE;
            case REF, NULL -> TypeKind.REFERENCE;
        };
    }

    /** With the array and index pushed and the value on top: converts it to the array's element type. */
    void toArrayElement(CodeBuilder b) {
        switch (kind) {
            case INT -> b.i2l();
            case FLOAT -> b.invokestatic(CD_Float, "floatToRawIntBits", MethodTypeDesc.of(CD_int, CD_float)).i2l();
            case DOUBLE -> b.invokestatic(CD_Double, "doubleToRawLongBits", MethodTypeDesc.of(CD_long, CD_double));
            default -> { }
        }
    }

    /** With the array element on top: converts it back to the value's own type. */
    void fromArrayElement(CodeBuilder b) {
        switch (kind) {
            case INT -> b.l2i();
            case FLOAT -> b.l2i().invokestatic(CD_Float, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int));
            case DOUBLE -> b.invokestatic(CD_Double, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long));
            case REF -> {
                if (!type.equals(CD_Object)) {
                    b.checkcast(type);
                }
            }
            default -> { }
        }
    }
}
