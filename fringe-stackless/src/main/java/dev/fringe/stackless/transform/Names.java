// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import static java.lang.constant.ConstantDescs.CD_MethodHandle;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.MethodTypeDesc;

/** The names of fringe's API and run-time support that transformed code refers to. */
final class Names {
    static final String YIELDER_INTERNAL = "dev/fringe/Yielder";
    static final String BODY_INTERNAL = "dev/fringe/GeneratorBody";
    static final String STRAND_INTERNAL = "dev/fringe/stackless/Strand";

    static final ClassDesc YIELDER = ClassDesc.ofInternalName(YIELDER_INTERNAL);
    /** The bootstrap class of javac's lambdas and method references. */
    static final ClassDesc METAFACTORY = ClassDesc.of("java.lang.invoke.LambdaMetafactory");
    static final ClassDesc BODY = ClassDesc.ofInternalName(BODY_INTERNAL);
    static final ClassDesc STRAND = ClassDesc.ofInternalName(STRAND_INTERNAL);
    static final ClassDesc FRAME = ClassDesc.ofInternalName("dev/fringe/stackless/Frame");
    static final ClassDesc STACKLESS_BODY = ClassDesc.ofInternalName("dev/fringe/stackless/StacklessBody");
    static final ClassDesc SUSPENDABLE_METHOD = ClassDesc.ofInternalName("dev/fringe/stackless/SuspendableMethod");

    /** The name prefix of resume bridges; the engine strips them from stack traces. */
    static final String BRIDGE_PREFIX = "$fringe$resume$";

    /** {@code Yielder.suspend(Object)Object}. */
    static final MethodTypeDesc SUSPEND = MethodTypeDesc.of(CD_Object, CD_Object);
    /** {@code Strand.suspend(Yielder, Object, Strand)Object}. */
    static final MethodTypeDesc STRAND_SUSPEND = MethodTypeDesc.of(CD_Object, YIELDER, CD_Object, STRAND);
    /** {@code Strand.runBody(GeneratorBody, Yielder, Object, Strand)void}. */
    static final MethodTypeDesc STRAND_RUN_BODY = MethodTypeDesc.of(CD_void, BODY, YIELDER, CD_Object, STRAND);
    /** The resume bridge: {@code static void (Frame, Strand)}. */
    static final MethodTypeDesc BRIDGE = MethodTypeDesc.of(CD_void, FRAME, STRAND);
    /** The erased {@code GeneratorBody.run}. */
    static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_void, YIELDER, CD_Object);

    static final DirectMethodHandleDesc SUSPENDABLE_METHOD_BOOTSTRAP = ConstantDescs.ofConstantBootstrap(
            SUSPENDABLE_METHOD, "bootstrap", SUSPENDABLE_METHOD, CD_MethodHandle, CD_String, CD_String);

    private Names() {}

    /**
     * Returns the descriptor of a method's transformed copy: the original one with a trailing
     * {@code Strand} parameter.
     */
    static MethodTypeDesc copyOf(MethodTypeDesc original) {
        return original.insertParameterTypes(original.parameterCount(), STRAND);
    }

    /** Whether a descriptor is that of a transformed copy. */
    static boolean isCopy(MethodTypeDesc type) {
        return type.parameterCount() > 0 && type.parameterType(type.parameterCount() - 1).equals(STRAND);
    }

    /** Whether a call is {@code GeneratorBody.run(Yielder, Object)}: a body running another body. */
    static boolean isBodyRun(java.lang.classfile.instruction.InvokeInstruction ii) {
        return ii.owner().asInternalName().equals(BODY_INTERNAL) && ii.name().equalsString("run")
                && ii.typeSymbol().equals(RUN);
    }

    /** Whether a method of this type takes a {@code Yielder}: the transformer's marker. */
    static boolean takesYielder(MethodTypeDesc type) {
        for (ClassDesc p : type.parameterList()) {
            if (p.equals(YIELDER)) {
                return true;
            }
        }
        return false;
    }
}
