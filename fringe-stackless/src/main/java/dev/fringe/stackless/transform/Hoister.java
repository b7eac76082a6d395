// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.StackInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves {@code new X; dup} past the evaluation of the constructor's arguments when an argument
 * can suspend ({@code new X(y.suspend(1))}): an object under construction cannot be kept in a
 * frame, so the copy evaluates the arguments first, keeps them in fresh locals, then makes the
 * object and calls its constructor. The only visible difference is that class {@code X} is
 * initialized after the arguments are evaluated instead of before (as in other transformers of
 * this kind).
 */
final class Hoister {
    private Hoister() {}

    /** A class model holding the rewritten method, and that method. */
    record Hoisted(ClassModel cm, MethodModel mm) {}

    /**
     * Returns the method with the constructions that are live across the given sites hoisted.
     *
     * @throws TransformException if such a construction is not javac's {@code new; dup; ...;
     *                            invokespecial <init>}
     */
    static Hoisted hoist(ClassFile cf, ClassModel cm, MethodModel mm, List<Probe.State> siteStates) {
        CodeModel code = mm.code().orElseThrow();
        Set<Integer> news = new LinkedHashSet<>();
        for (Probe.State s : siteStates) {
            if (s != null) {
                for (int n : s.stackNews()) {
                    if (n >= 0) {
                        news.add(n);
                    }
                }
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        for (CodeElement e : code) {
            if (e instanceof Instruction ins) {
                instructions.add(ins);
            }
        }
        Set<Integer> inits = new LinkedHashSet<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i) instanceof InvokeInstruction ii && ii.opcode() == Opcode.INVOKESPECIAL
                    && ii.name().equalsString("<init>")) {
                inits.add(i);
            }
        }
        List<Probe.State> initStates = Probe.run(cf, cm, mm, inits);
        Map<Integer, Integer> initOf = new HashMap<>(); // new index -> its <init> index
        int k = 0;
        for (int init : inits) {
            Probe.State s = initStates.get(k++);
            if (s == null) {
                continue;
            }
            InvokeInstruction ii = (InvokeInstruction) instructions.get(init);
            int receiver = s.stack().size() - 1 - ii.typeSymbol().parameterCount();
            if (receiver >= 1 && s.stackNews()[receiver] >= 0 && s.stackNews()[receiver - 1] == s.stackNews()[receiver]) {
                initOf.put(s.stackNews()[receiver], init);
            }
        }
        Map<Integer, ClassDesc> hoistAt = new HashMap<>(); // <init> index -> class to make there
        Set<Integer> drop = new LinkedHashSet<>();
        for (int n : news) {
            Integer init = initOf.get(n);
            if (init == null || !(instructions.get(n) instanceof NewObjectInstruction ni) || n + 1 >= instructions.size()
                    || !(instructions.get(n + 1) instanceof StackInstruction dup) || dup.opcode() != Opcode.DUP) {
                throw new TransformException("method " + mm.methodName().stringValue() + mm.methodTypeSymbol().descriptorString()
                        + ": an object under construction is live across a call that can suspend, and its construction"
                        + " is not the new/dup/<init> sequence javac writes, so it cannot be reordered");
            }
            hoistAt.put(init, ni.className().asSymbol());
            drop.add(n);
            drop.add(n + 1);
        }
        int temps = ((CodeAttribute) code).maxLocals();
        String name = mm.methodName().stringValue();
        MethodTypeDesc type = mm.methodTypeSymbol();
        byte[] bytes = cf.transformClass(cm, ClassTransform.transformingMethodBodies(
                m -> m.methodName().equalsString(name) && m.methodTypeSymbol().equals(type),
                new java.lang.classfile.CodeTransform() {
                    private int index;

                    @Override
                    public void accept(java.lang.classfile.CodeBuilder b, CodeElement e) {
                        if (!(e instanceof Instruction)) {
                            b.with(e);
                            return;
                        }
                        int i = index++;
                        if (drop.contains(i)) {
                            return;
                        }
                        ClassDesc made = hoistAt.get(i);
                        if (made != null) {
                            List<ClassDesc> params = ((InvokeInstruction) e).typeSymbol().parameterList();
                            int[] slot = new int[params.size()];
                            int next = temps;
                            for (int p = 0; p < params.size(); p++) {
                                slot[p] = next;
                                next += TypeKind.from(params.get(p)).slotSize();
                            }
                            for (int p = params.size() - 1; p >= 0; p--) {
                                b.storeLocal(TypeKind.from(params.get(p)), slot[p]);
                            }
                            b.new_(made).dup();
                            for (int p = 0; p < params.size(); p++) {
                                b.loadLocal(TypeKind.from(params.get(p)), slot[p]);
                            }
                        }
                        b.with(e);
                    }
                }));
        ClassModel out = cf.parse(bytes);
        MethodModel hoisted = out.methods().stream()
                .filter(m -> m.methodName().equalsString(name) && m.methodTypeSymbol().equals(type))
                .findFirst().orElseThrow();
        return new Hoisted(out, hoisted);
    }
}
