// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Instruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;

/**
 * Rewrites the {@code invokedynamic} that makes a {@code GeneratorBody} lambda (or method
 * reference) whose implementation method was transformed: the lambda becomes a
 * {@code StacklessBody} whose single abstract method is the resumable
 * {@code run(Yielder, Object, Strand)}, implemented by the transformed copy. So the backend
 * knows at {@code create} time that the body was transformed, and the class the JDK spins for
 * the lambda forwards straight to the copy. On other backends the interface's default
 * {@code run(Yielder, Object)} runs the copy with {@code Strand.PASSTHROUGH}, which behaves as
 * the original. Bodies made by {@code altMetafactory} (serializable lambdas) stay as they are
 * and run on another backend.
 */
final class LambdaRewriter {
    private final Catalog catalog;

    LambdaRewriter(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Whether the instruction makes a body lambda this rewriter would change. */
    boolean rewritable(Instruction ins) {
        return target(ins) != null;
    }

    /** Emits the rewritten instruction and returns {@code true}, or returns {@code false}. */
    boolean rewrite(CodeBuilder b, Instruction ins) {
        DirectMethodHandleDesc impl = target(ins);
        if (impl == null) {
            return false;
        }
        InvokeDynamicInstruction idi = (InvokeDynamicInstruction) ins;
        MethodTypeDesc implType = MethodTypeDesc.ofDescriptor(impl.lookupDescriptor());
        DirectMethodHandleDesc copy = MethodHandleDesc.ofMethod(impl.kind(), impl.owner(), impl.methodName(),
                Names.copyOf(implType));
        MethodTypeDesc instantiated = (MethodTypeDesc) idi.bootstrapArgs().get(2);
        b.invokedynamic(DynamicCallSiteDesc.of(idi.bootstrapMethod(), "run",
                idi.typeSymbol().changeReturnType(Names.STACKLESS_BODY),
                Names.copyOf(Names.RUN), copy, Names.copyOf(instantiated)));
        return true;
    }

    private DirectMethodHandleDesc target(Instruction ins) {
        if (!(ins instanceof InvokeDynamicInstruction idi)) {
            return null;
        }
        DirectMethodHandleDesc bsm = idi.bootstrapMethod();
        if (!bsm.owner().equals(Names.METAFACTORY) || !bsm.methodName().equals("metafactory")
                || !idi.name().equalsString("run") || !idi.typeSymbol().returnType().equals(Names.BODY)) {
            return null;
        }
        List<ConstantDesc> args = idi.bootstrapArgs();
        if (args.size() != 3 || !Names.RUN.equals(args.get(0)) || !(args.get(1) instanceof DirectMethodHandleDesc impl)
                || !(args.get(2) instanceof MethodTypeDesc)) {
            return null;
        }
        switch (impl.kind()) {
            case STATIC, INTERFACE_STATIC, VIRTUAL, INTERFACE_VIRTUAL, SPECIAL, INTERFACE_SPECIAL -> { }
            default -> {
                return null;
            }
        }
        String owner = impl.owner().descriptorString();
        owner = owner.substring(1, owner.length() - 1);
        return catalog.completelyTransformed(owner, impl.methodName(), MethodTypeDesc.ofDescriptor(impl.lookupDescriptor()))
                ? impl : null;
    }
}
