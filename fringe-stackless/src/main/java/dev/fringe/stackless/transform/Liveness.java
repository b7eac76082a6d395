// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which local variables are live (read before being written on some path) right after an
 * instruction: a frame keeps only those across a suspend, so a call that returns straight away
 * ({@code return callee(y, n - 1)}) keeps nothing but its receiver. Plain backward data flow over
 * the instructions, with an edge from every instruction in a {@code try} range to its handler
 * (a resumed callee's exception is thrown at the call site, inside those ranges).
 */
final class Liveness {
    private final List<Instruction> instructions = new ArrayList<>();
    private final BitSet[] liveIn;
    private final List<int[]> successors = new ArrayList<>();

    Liveness(CodeModel code) {
        Map<Label, Integer> position = new HashMap<>();
        List<ExceptionCatch> catches = new ArrayList<>();
        for (CodeElement e : code) {
            if (e instanceof LabelTarget lt) {
                position.put(lt.label(), instructions.size());
            } else if (e instanceof ExceptionCatch ec) {
                catches.add(ec);
            } else if (e instanceof Instruction ins) {
                instructions.add(ins);
            }
        }
        int n = instructions.size();
        List<List<Integer>> handlers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            handlers.add(new ArrayList<>());
        }
        for (ExceptionCatch ec : catches) {
            int from = position.get(ec.tryStart());
            int to = position.get(ec.tryEnd());
            int handler = position.get(ec.handler());
            for (int i = from; i < to && i < n; i++) {
                handlers.get(i).add(handler);
            }
        }
        for (int i = 0; i < n; i++) {
            List<Integer> next = new ArrayList<>(handlers.get(i));
            Instruction ins = instructions.get(i);
            switch (ins) {
                case BranchInstruction b -> {
                    next.add(position.get(b.target()));
                    if (b.opcode() != Opcode.GOTO && b.opcode() != Opcode.GOTO_W) {
                        next.add(i + 1);
                    }
                }
                case TableSwitchInstruction t -> {
                    next.add(position.get(t.defaultTarget()));
                    for (SwitchCase c : t.cases()) {
                        next.add(position.get(c.target()));
                    }
                }
                case LookupSwitchInstruction l -> {
                    next.add(position.get(l.defaultTarget()));
                    for (SwitchCase c : l.cases()) {
                        next.add(position.get(c.target()));
                    }
                }
                case ReturnInstruction r -> { }
                case ThrowInstruction t -> { }
                default -> next.add(i + 1);
            }
            successors.add(next.stream().filter(s -> s < n).mapToInt(Integer::intValue).toArray());
        }
        liveIn = new BitSet[n];
        for (int i = 0; i < n; i++) {
            liveIn[i] = new BitSet();
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                BitSet in = liveAfter(i);
                Instruction ins = instructions.get(i);
                switch (ins) {
                    case StoreInstruction s -> {
                        in.clear(s.slot());
                        if (s.typeKind().slotSize() == 2) {
                            in.clear(s.slot() + 1);
                        }
                    }
                    case LoadInstruction l -> in.set(l.slot());
                    case IncrementInstruction inc -> in.set(inc.slot());
                    default -> { }
                }
                if (!in.equals(liveIn[i])) {
                    liveIn[i] = in;
                    changed = true;
                }
            }
        }
    }

    /** The locals live right after instruction {@code i} (by index among the instructions). */
    BitSet liveAfter(int i) {
        BitSet out = new BitSet();
        for (int s : successors.get(i)) {
            out.or(liveIn[s]);
        }
        return out;
    }
}
