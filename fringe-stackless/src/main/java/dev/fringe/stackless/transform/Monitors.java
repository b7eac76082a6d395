// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds calls that can suspend inside a {@code synchronized} block. javac writes each block as
 * {@code monitorenter}, the body, {@code monitorexit}, and a catch-all handler over the body that
 * starts {@code astore t; aload lock; monitorexit}: a call inside such a handler's range runs
 * with the monitor held. Code that uses {@code monitorenter} in any other shape is assumed to
 * hold a monitor everywhere.
 */
final class Monitors {
    private Monitors() {}

    /**
     * Returns where (a line, or a description) a call that can suspend runs with a monitor held,
     * or {@code null} if none does.
     */
    static String suspendInside(ClassModel cm, CodeModel code, Set<String> held) {
        Map<Label, Integer> position = new HashMap<>(); // label -> index of the next instruction
        List<Instruction> instructions = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<ExceptionCatch> catches = new ArrayList<>();
        int line = -1;
        for (CodeElement e : code) {
            if (e instanceof LabelTarget lt) {
                position.put(lt.label(), instructions.size());
            } else if (e instanceof LineNumber ln) {
                line = ln.line();
            } else if (e instanceof ExceptionCatch ec) {
                catches.add(ec);
            } else if (e instanceof Instruction ins) {
                instructions.add(ins);
                lines.add(line);
            }
        }
        List<int[]> regions = new ArrayList<>();
        for (ExceptionCatch ec : catches) {
            Integer handler = position.get(ec.handler());
            if (ec.catchType().isEmpty() && handler != null && handler + 2 < instructions.size()
                    && instructions.get(handler) instanceof StoreInstruction
                    && instructions.get(handler + 1) instanceof LoadInstruction
                    && instructions.get(handler + 2) instanceof MonitorInstruction mi && mi.opcode() == Opcode.MONITOREXIT) {
                regions.add(new int[] {position.get(ec.tryStart()), position.get(ec.tryEnd())});
            }
        }
        boolean structured = true;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i) instanceof MonitorInstruction mi && mi.opcode() == Opcode.MONITORENTER) {
                int body = i + 1;
                structured &= regions.stream().anyMatch(r -> r[0] == body);
            }
        }
        String self = cm.thisClass().asInternalName();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i) instanceof InvokeInstruction ii && (Decision.mayCallSuspend(ii)
                    || (ii.owner().asInternalName().equals(self) && held.contains(Decision.key(ii.name().stringValue(),
                            ii.typeSymbol()))))) {
                int at = i;
                if (!structured || regions.stream().anyMatch(r -> r[0] <= at && at < r[1])) {
                    return structured ? "line " + lines.get(i) : "monitorenter in a shape javac does not write";
                }
            }
        }
        return null;
    }
}
