// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.attribute.StackMapFrameInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.VerificationTypeInfo;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the verifier's types of the locals and the operand stack just before chosen
 * instructions of a method. The class-file API has no data-flow analysis of its own to call,
 * but it computes stack maps: so the probe inserts {@code goto L; L:} before each chosen
 * instruction (a jump target gets a stack map frame; javac never jumps to the next
 * instruction), lets the API generate the method's stack maps, and reads the frames at those
 * labels back. The types are exactly those the verifier will assume when the real transform
 * jumps into the method there.
 */
final class Probe {
    /**
     * The locals and the stack (bottom first) before an instruction, as stack map types; for
     * each stack entry that is an object under construction, the index of the {@code new}
     * instruction that made it (else -1).
     */
    record State(List<VerificationTypeInfo> locals, List<VerificationTypeInfo> stack, int[] stackNews) {
        boolean constructing() {
            for (int n : stackNews) {
                if (n >= 0) {
                    return true;
                }
            }
            for (VerificationTypeInfo v : locals) {
                if (v instanceof StackMapFrameInfo.UninitializedVerificationTypeInfo) {
                    return true;
                }
            }
            return false;
        }
    }

    private Probe() {}

    /**
     * Returns the state before each chosen instruction (by index among the method's
     * instructions), in order; {@code null} where the instruction is unreachable.
     */
    static List<State> run(ClassFile cf, ClassModel cm, MethodModel mm, Set<Integer> chosen) {
        String name = mm.methodName().stringValue();
        MethodTypeDesc type = mm.methodTypeSymbol();
        byte[] probed = cf.transformClass(cm, ClassTransform.transformingMethodBodies(
                m -> m.methodName().equalsString(name) && m.methodTypeSymbol().equals(type),
                new ProbeTransform(chosen)));
        ClassModel out = cf.parse(probed);
        MethodModel pm = out.methods().stream()
                .filter(m -> m.methodName().equalsString(name) && m.methodTypeSymbol().equals(type))
                .findFirst().orElseThrow();
        CodeAttribute code = (CodeAttribute) pm.code().orElseThrow();
        Map<Integer, StackMapFrameInfo> frames = new HashMap<>();
        code.findAttribute(Attributes.stackMapTable()).ifPresent(smt -> {
            for (StackMapFrameInfo f : smt.entries()) {
                frames.put(code.labelToBci(f.target()), f);
            }
        });
        List<StackMapFrameInfo> found = new ArrayList<>();
        Map<Integer, Integer> originalIndex = new HashMap<>(); // probed bci -> original instruction index
        int bci = 0;
        int original = 0;
        for (CodeElement e : code) {
            if (e instanceof Instruction ins) {
                int next = bci + ins.sizeInBytes();
                if (ins instanceof BranchInstruction bi && (bi.opcode() == Opcode.GOTO || bi.opcode() == Opcode.GOTO_W)
                        && code.labelToBci(bi.target()) == next) {
                    found.add(frames.get(next));
                } else {
                    originalIndex.put(bci, original++);
                }
                bci = next;
            }
        }
        List<State> states = new ArrayList<>();
        for (StackMapFrameInfo f : found) {
            if (f == null) {
                states.add(null);
                continue;
            }
            int[] news = new int[f.stack().size()];
            for (int i = 0; i < news.length; i++) {
                news[i] = f.stack().get(i) instanceof StackMapFrameInfo.UninitializedVerificationTypeInfo u
                        ? originalIndex.getOrDefault(code.labelToBci(u.newTarget()), -1) : -1;
            }
            states.add(new State(f.locals(), f.stack(), news));
        }
        if (states.size() != chosen.size()) {
            throw new IllegalStateException("probe found " + states.size() + " of " + chosen.size() + " markers");
        }
        return states;
    }

    private static final class ProbeTransform implements java.lang.classfile.CodeTransform {
        private final Set<Integer> chosen;
        private int index;

        ProbeTransform(Set<Integer> chosen) {
            this.chosen = chosen;
        }

        @Override
        public void accept(java.lang.classfile.CodeBuilder b, CodeElement e) {
            if (e instanceof Instruction && chosen.contains(index++)) {
                Label here = b.newLabel();
                b.goto_(here);
                b.labelBinding(here);
            }
            b.with(e);
        }
    }
}
