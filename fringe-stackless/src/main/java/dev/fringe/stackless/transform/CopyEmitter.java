// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import static java.lang.constant.ConstantDescs.CD_Class;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.attribute.StackMapFrameInfo.VerificationTypeInfo;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.LocalVariable;
import java.lang.classfile.instruction.LocalVariableType;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Writes the transformed copy of one method, and its resume bridge.
 *
 * <pre>
 * Copy of  R m(P...)  is  R m(P..., Strand s), locals at or above s's slot moved up by one:
 *   entry:     F = s.resumeFrame(); if (F != null) goto RESUME
 *              [overridable method: if the receiver's class overrides m without a copy,
 *               return this.m(P...)  (Strand.redirected)]
 *   site k:    the original call, to the callee's copy (or Strand.suspend for Yielder.suspend)
 *              goto AFTER_k
 *   RS_k:      push s.resumeX()            inside the same try ranges as the call: a resumed
 *                                          callee's exception is rethrown at the call site
 *   AFTER_k:   if (s.isSuspending()) goto CAP_k
 *   ... at the end of the method:
 *   RESUME:    switch (F.pc()) { case k: restore the locals and the stack below the call's
 *                                         arguments from F; goto RS_k }
 *   CAP_k:     pop the dummy result; F = s.frame(F, longs, refs); spill the stack below the
 *              arguments and the locals into F; s.capture(F, METHOD, k); return a dummy
 * Bridge:      static void $fringe$resume$N(Frame f, Strand s): calls the copy (invokespecial:
 *              exactly this method) on f.refs()[0] with dummy arguments (the prologue restores
 *              every local), hands the result to s (Strand.returnX).
 * METHOD is a dynamic constant (SuspendableMethod.bootstrap): the bridge as a Resumer, and the
 * source line of each site for stack traces.
 * </pre>
 */
final class CopyEmitter {
    private static final ClassDesc ISE = ClassDesc.of("java.lang.IllegalStateException");

    private final ClassFile cf;
    private final Catalog catalog;
    private final ClassModel cm;
    private final ClassDesc thisClass;
    private final boolean isInterface;
    private final String sourceFile;
    private final LambdaRewriter lambdas;

    CopyEmitter(ClassFile cf, Catalog catalog, ClassModel cm, LambdaRewriter lambdas) {
        this.cf = cf;
        this.catalog = catalog;
        this.cm = cm;
        this.thisClass = cm.thisClass().asSymbol();
        this.isInterface = cm.flags().has(AccessFlag.INTERFACE);
        this.sourceFile = cm.findAttribute(java.lang.classfile.Attributes.sourceFile())
                .map(sf -> sf.sourceFile().stringValue()).orElse("");
        this.lambdas = lambdas;
    }

    /** One call that can suspend. */
    private static final class Site {
        final int instruction;   // index among the method's instructions
        final boolean suspend;   // Yielder.suspend, else a call to a copy
        final boolean body;      // GeneratorBody.run: through Strand.runBody
        final InvokeInstruction call;
        final int line;
        int pc = -1;             // index among live sites, -1 if unreachable
        List<Slot> locals;
        List<Slot> stack;        // below the call's arguments, bottom first
        final Label resume;
        final Label after;
        final Label capture;
        final Label restore;

        Site(int instruction, boolean suspend, boolean body, InvokeInstruction call, int line) {
            this.instruction = instruction;
            this.suspend = suspend;
            this.body = body;
            this.call = call;
            this.line = line;
            this.resume = null;
            this.after = null;
            this.capture = null;
            this.restore = null;
        }

        /** The same site with labels of the builder that writes the copy. */
        Site(Site s, CodeBuilder b) {
            this.instruction = s.instruction;
            this.suspend = s.suspend;
            this.body = s.body;
            this.call = s.call;
            this.line = s.line;
            this.pc = s.pc;
            this.locals = s.locals;
            this.stack = s.stack;
            this.resume = b.newLabel();
            this.after = b.newLabel();
            this.capture = b.newLabel();
            this.restore = b.newLabel();
        }

        ClassDesc returnType() {
            return suspend ? CD_Object : call.typeSymbol().returnType();
        }
    }

    /** Adds the copy (or, for an abstract method, a forwarding copy) of {@code mm}. */
    void emit(ClassBuilder clb, MethodModel mm, Decision.Kind kind, int methodIndex) {
        String name = mm.methodName().stringValue();
        MethodTypeDesc type = mm.methodTypeSymbol();
        MethodTypeDesc copyType = Names.copyOf(type);
        int flags = (mm.flags().flagsMask() | ClassFile.ACC_SYNTHETIC) & ~ClassFile.ACC_VARARGS;
        boolean isStatic = mm.flags().has(AccessFlag.STATIC);
        if (kind == Decision.Kind.FORWARDER) {
            clb.withMethodBody(name, copyType, flags & ~ClassFile.ACC_ABSTRACT, b -> {
                callOriginal(b, name, type, isStatic);
            });
            return;
        }
        ClassModel owner = cm;
        MethodModel body = mm;
        CodeModel code = mm.code().orElseThrow();
        List<Site> sites = findSites(code);
        int params = paramSlots(type, isStatic);
        if (!sites.isEmpty()) {
            Set<Integer> chosen = new LinkedHashSet<>();
            for (Site s : sites) {
                chosen.add(s.instruction);
            }
            List<Probe.State> states = Probe.run(cf, owner, body, chosen);
            if (states.stream().anyMatch(st -> st != null && st.constructing())) {
                Hoister.Hoisted h = Hoister.hoist(cf, owner, body, states);
                owner = h.cm();
                body = h.mm();
                code = body.code().orElseThrow();
                sites = findSites(code);
                chosen.clear();
                for (Site s : sites) {
                    chosen.add(s.instruction);
                }
                states = Probe.run(cf, owner, body, chosen);
            }
            Liveness liveness = new Liveness(code);
            int pc = 0;
            for (int i = 0; i < sites.size(); i++) {
                Site s = sites.get(i);
                Probe.State state = states.get(i);
                int args = s.call.typeSymbol().parameterCount() + (s.call.opcode() == Opcode.INVOKESTATIC ? 0 : 1);
                if (state == null || state.stack().size() < args) {
                    continue; // unreachable: the API patched it away
                }
                layout(s, state, args, isStatic, name, liveness.liveAfter(s.instruction));
                s.pc = pc++;
            }
        }
        List<Site> live = sites.stream().filter(s -> s.pc >= 0).toList();
        int longs = 0;
        int refs = isStatic ? 0 : 1;
        StringJoiner lines = new StringJoiner(",");
        for (Site s : live) {
            longs = Math.max(longs, count(s, true));
            refs = Math.max(refs, count(s, false));
            lines.add(Integer.toString(s.line));
        }
        String bridgeName = Names.BRIDGE_PREFIX + methodIndex;
        DirectMethodHandleDesc bridge = MethodHandleDesc.ofMethod(
                isInterface ? DirectMethodHandleDesc.Kind.INTERFACE_STATIC : DirectMethodHandleDesc.Kind.STATIC,
                thisClass, bridgeName, Names.BRIDGE);
        DynamicConstantDesc<?> method = DynamicConstantDesc.ofNamed(Names.SUSPENDABLE_METHOD_BOOTSTRAP,
                name, Names.SUSPENDABLE_METHOD, bridge, sourceFile, lines.toString());
        boolean redirect = needsRedirect(mm);
        int maxLongs = longs;
        int maxRefs = refs;
        CodeModel finalCode = code;
        List<Site> finalSites = sites;
        clb.withMethod(name, copyType, flags, mb -> mb.transformCode(finalCode,
                new Transform(finalSites, params, ((java.lang.classfile.attribute.CodeAttribute) finalCode).maxLocals() + 1, maxLongs, maxRefs, method, redirect, name, type,
                        isStatic)));
        if (!live.isEmpty()) {
            emitBridge(clb, bridgeName, name, copyType, isStatic);
        }
    }

    private static int count(Site s, boolean primitive) {
        int n = 0;
        for (Slot slot : s.locals) {
            if (slot.kind() != Slot.Kind.NULL && slot.primitive() == primitive) {
                n = Math.max(n, slot.index() + 1);
            }
        }
        for (Slot slot : s.stack) {
            if (slot.kind() != Slot.Kind.NULL && slot.primitive() == primitive) {
                n = Math.max(n, slot.index() + 1);
            }
        }
        return n;
    }

    private static int paramSlots(MethodTypeDesc type, boolean isStatic) {
        int n = isStatic ? 0 : 1;
        for (ClassDesc p : type.parameterList()) {
            n += TypeKind.from(p).slotSize();
        }
        return n;
    }

    private boolean needsRedirect(MethodModel mm) {
        return !mm.flags().has(AccessFlag.STATIC) && !mm.flags().has(AccessFlag.PRIVATE)
                && !mm.flags().has(AccessFlag.FINAL) && !cm.flags().has(AccessFlag.FINAL)
                && !mm.methodName().stringValue().startsWith("lambda$");
    }

    private List<Site> findSites(CodeModel code) {
        List<Site> sites = new ArrayList<>();
        int index = 0;
        int line = -1;
        for (CodeElement e : code) {
            if (e instanceof LineNumber ln) {
                line = ln.line();
            } else if (e instanceof Instruction ins) {
                if (ins instanceof InvokeInstruction ii) {
                    boolean suspend = ii.owner().asInternalName().equals(Names.YIELDER_INTERNAL)
                            && ii.name().equalsString("suspend") && ii.typeSymbol().equals(Names.SUSPEND);
                    boolean body = Names.isBodyRun(ii);
                    if (suspend || body || (!ii.name().equalsString("<init>")
                            && catalog.hasCopy(ii.owner().asInternalName(), ii.name().stringValue(), ii.typeSymbol()))) {
                        sites.add(new Site(index, suspend, body, ii, line));
                    }
                }
                index++;
            }
        }
        return sites;
    }

    private void layout(Site s, Probe.State state, int args, boolean isStatic, String method, java.util.BitSet live) {
        int[] counters = new int[2]; // longs, refs
        List<Slot> locals = new ArrayList<>();
        int slot = 0;
        for (VerificationTypeInfo v : state.locals()) {
            Slot.Kind kind = kindAt(v, method, s.line);
            // Dead locals are not kept; "this" always is (the resume bridge calls on it).
            if (kind != null && (live.get(slot) || (slot == 0 && !isStatic))) {
                locals.add(new Slot(slot, kind, Slot.typeOf(v), next(kind, counters)));
            }
            slot += Slot.width(v);
        }
        if (!isStatic && (locals.isEmpty() || locals.get(0).local() != 0 || locals.get(0).index() != 0)) {
            throw new TransformException("method " + method + ": 'this' is not in local 0 at line " + s.line);
        }
        List<Slot> stack = new ArrayList<>();
        List<VerificationTypeInfo> below = state.stack().subList(0, state.stack().size() - args);
        for (VerificationTypeInfo v : below) {
            Slot.Kind kind = kindAt(v, method, s.line);
            stack.add(new Slot(-1, kind, Slot.typeOf(v), next(kind, counters)));
        }
        s.locals = locals;
        s.stack = stack;
    }

    private Slot.Kind kindAt(VerificationTypeInfo v, String method, int line) {
        try {
            return Slot.kindOf(v);
        } catch (IllegalStateException uninitialized) {
            throw new TransformException("method " + method + " (line " + line + "): an object under construction"
                    + " is live across a call that can suspend (new X(...) with a suspending argument that could not be"
                    + " reordered)");
        }
    }

    private static int next(Slot.Kind kind, int[] counters) {
        if (kind == Slot.Kind.NULL) {
            return -1;
        }
        int which = kind == Slot.Kind.REF ? 1 : 0;
        return counters[which]++;
    }

    private void callOriginal(CodeBuilder b, String name, MethodTypeDesc type, boolean isStatic) {
        int slot = 0;
        if (!isStatic) {
            b.aload(0);
            slot = 1;
        }
        for (ClassDesc p : type.parameterList()) {
            TypeKind k = TypeKind.from(p);
            b.loadLocal(k, slot);
            slot += k.slotSize();
        }
        if (isStatic) {
            b.invokestatic(thisClass, name, type, isInterface);
        } else if (isInterface) {
            b.invokeinterface(thisClass, name, type);
        } else {
            b.invokevirtual(thisClass, name, type);
        }
        b.return_(TypeKind.from(type.returnType()));
    }

    private void emitBridge(ClassBuilder clb, String bridgeName, String name, MethodTypeDesc copyType, boolean isStatic) {
        clb.withMethodBody(bridgeName, Names.BRIDGE, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_SYNTHETIC, b -> {
            if (!isStatic) {
                b.aload(0).invokevirtual(Names.FRAME, "refs", MethodTypeDesc.of(CD_Object.arrayType()))
                        .iconst_0().aaload().checkcast(thisClass);
            }
            for (int i = 0; i < copyType.parameterCount() - 1; i++) {
                pushDefault(b, TypeKind.from(copyType.parameterType(i)));
            }
            b.aload(1);
            if (isStatic) {
                b.invokestatic(thisClass, name, copyType, isInterface);
            } else {
                b.invokespecial(thisClass, name, copyType, isInterface);
            }
            ClassDesc ret = copyType.returnType();
            TypeKind rk = TypeKind.from(ret);
            if (rk != TypeKind.VOID) {
                b.aload(1);
                switch (rk) {
                    case LONG -> b.invokestatic(Names.STRAND, "returnLong", MethodTypeDesc.of(CD_void, CD_long, Names.STRAND));
                    case FLOAT -> b.invokestatic(Names.STRAND, "returnFloat", MethodTypeDesc.of(CD_void, CD_float, Names.STRAND));
                    case DOUBLE -> b.invokestatic(Names.STRAND, "returnDouble", MethodTypeDesc.of(CD_void, CD_double, Names.STRAND));
                    case REFERENCE -> b.invokestatic(Names.STRAND, "returnObject", MethodTypeDesc.of(CD_void, CD_Object, Names.STRAND));
                    default -> b.invokestatic(Names.STRAND, "returnInt", MethodTypeDesc.of(CD_void, CD_int, Names.STRAND));
                }
            }
            b.return_();
        });
    }

    static void pushDefault(CodeBuilder b, TypeKind k) {
        switch (k) {
            case LONG -> b.lconst_0();
            case FLOAT -> b.fconst_0();
            case DOUBLE -> b.dconst_0();
            case REFERENCE -> b.aconst_null();
            case VOID -> { }
            default -> b.iconst_0();
        }
    }

    /** The code transform that turns the original body into the copy's. */
    private final class Transform implements CodeTransform {
        private final List<Site> templates;
        private final List<Site> sites = new ArrayList<>();
        private final List<Site> live = new ArrayList<>();
        private final int strand;       // the Strand parameter's slot = the original parameters' slots
        private final int frame;        // F
        private final int longsArray;   // F.longs()
        private final int refsArray;    // F.refs()
        private final int temps;        // first temporary for operand stack values
        private final int maxLongs;
        private final int maxRefs;
        private final DynamicConstantDesc<?> method;
        private final boolean redirect;
        private final String name;
        private final MethodTypeDesc type;
        private final boolean isStatic;
        private Label resume;
        private int index;
        private int next;               // next site (by order)

        Transform(List<Site> sites, int params, int firstFree, int maxLongs, int maxRefs,
                DynamicConstantDesc<?> method, boolean redirect, String name, MethodTypeDesc type, boolean isStatic) {
            this.templates = sites;
            this.strand = params;
            this.frame = firstFree;
            this.longsArray = firstFree + 1;
            this.refsArray = firstFree + 2;
            this.temps = firstFree + 3;
            this.maxLongs = maxLongs;
            this.maxRefs = maxRefs;
            this.method = method;
            this.redirect = redirect;
            this.name = name;
            this.type = type;
            this.isStatic = isStatic;
        }

        @Override
        public void atStart(CodeBuilder b) {
            for (Site t : templates) {
                Site s = new Site(t, b);
                sites.add(s);
                if (s.pc >= 0) {
                    live.add(s);
                }
            }
            if (!live.isEmpty()) {
                resume = b.newLabel();
                b.aload(strand).invokevirtual(Names.STRAND, "resumeFrame", MethodTypeDesc.of(Names.FRAME))
                        .dup().astore(frame).ifnonnull(resume);
            } else {
                // No code refers to the strand here; a transformed method's max_locals is not
                // recomputed from its new descriptor, so make the parameter's slot count.
                b.aload(strand).pop();
            }
            if (redirect) {
                Label go = b.newLabel();
                b.aload(0).invokevirtual(CD_Object, "getClass", MethodTypeDesc.of(CD_Class)).ldc(thisClass).if_acmpeq(go);
                b.aload(0).ldc(thisClass).ldc(name).ldc(type.descriptorString())
                        .invokestatic(Names.STRAND, "redirected",
                                MethodTypeDesc.of(CD_boolean, CD_Object, CD_Class, CD_String, CD_String))
                        .ifeq(go);
                callOriginal(b, name, type, isStatic);
                b.labelBinding(go);
            }
        }

        private int shift(int slot) {
            return slot >= strand ? slot + 1 : slot;
        }

        @Override
        public void accept(CodeBuilder b, CodeElement e) {
            if (e instanceof Instruction ins) {
                int i = index++;
                if (next < sites.size() && sites.get(next).instruction == i) {
                    site(b, sites.get(next++));
                    return;
                }
                switch (ins) {
                    case LoadInstruction li -> b.loadLocal(li.typeKind(), shift(li.slot()));
                    case StoreInstruction si -> b.storeLocal(si.typeKind(), shift(si.slot()));
                    case IncrementInstruction ii -> b.iinc(shift(ii.slot()), ii.constant());
                    default -> {
                        if (!lambdas.rewrite(b, ins)) {
                            b.with(ins);
                        }
                    }
                }
                return;
            }
            switch (e) {
                case LocalVariable lv -> b.localVariable(shift(lv.slot()), lv.name(), lv.type(), lv.startScope(), lv.endScope());
                case LocalVariableType lv -> b.localVariableType(shift(lv.slot()), lv.name(), lv.signature(), lv.startScope(),
                        lv.endScope());
                default -> b.with(e);
            }
        }

        private void site(CodeBuilder b, Site s) {
            InvokeInstruction call = s.call;
            b.aload(strand);
            if (s.suspend) {
                b.invokestatic(Names.STRAND, "suspend", Names.STRAND_SUSPEND);
            } else if (s.body) {
                b.invokestatic(Names.STRAND, "runBody", Names.STRAND_RUN_BODY);
            } else {
                b.invoke(call.opcode(), call.owner().asSymbol(), call.name().stringValue(),
                        Names.copyOf(call.typeSymbol()), call.isInterface());
            }
            if (s.pc < 0) {
                return;
            }
            ClassDesc ret = s.returnType();
            b.goto_(s.after);
            b.labelBinding(s.resume);
            b.aload(strand);
            switch (TypeKind.from(ret)) {
                case VOID -> b.invokevirtual(Names.STRAND, "resumeVoid", MethodTypeDesc.of(CD_void));
                case LONG -> b.invokevirtual(Names.STRAND, "resumeLong", MethodTypeDesc.of(CD_long));
                case FLOAT -> b.invokevirtual(Names.STRAND, "resumeFloat", MethodTypeDesc.of(CD_float));
                case DOUBLE -> b.invokevirtual(Names.STRAND, "resumeDouble", MethodTypeDesc.of(CD_double));
                case REFERENCE -> {
                    b.invokevirtual(Names.STRAND, "resumeObject", MethodTypeDesc.of(CD_Object));
                    if (!ret.equals(CD_Object)) {
                        b.checkcast(ret);
                    }
                }
                default -> b.invokevirtual(Names.STRAND, "resumeInt", MethodTypeDesc.of(CD_int));
            }
            b.labelBinding(s.after);
            b.aload(strand).invokevirtual(Names.STRAND, "isSuspending", MethodTypeDesc.of(CD_boolean)).ifne(s.capture);
        }

        @Override
        public void atEnd(CodeBuilder b) {
            if (live.isEmpty()) {
                return;
            }
            // RESUME: restore the frame of the site it suspended at.
            b.labelBinding(resume);
            Label corrupt = b.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            for (Site s : live) {
                cases.add(SwitchCase.of(s.pc, s.restore));
            }
            b.aload(frame).invokevirtual(Names.FRAME, "pc", MethodTypeDesc.of(CD_int));
            b.tableswitch(0, live.size() - 1, corrupt, cases);
            for (Site s : live) {
                b.labelBinding(s.restore);
                loadArrays(b, s);
                for (Slot slot : s.locals) {
                    if (isStatic || slot.local() != 0) {
                        load(b, slot);
                        b.storeLocal(slot.typeKind(), shift(slot.local()));
                    }
                }
                for (Slot slot : s.stack) {
                    load(b, slot);
                }
                b.goto_(s.resume);
            }
            b.labelBinding(corrupt);
            b.new_(ISE).dup().ldc("fringe: a stackless frame of " + name + " names no call site of it")
                    .invokespecial(ISE, "<init>", MethodTypeDesc.of(CD_void, CD_String)).athrow();
            // CAP_k: capture the frame and return.
            for (Site s : live) {
                b.labelBinding(s.capture);
                TypeKind ret = TypeKind.from(s.returnType());
                if (ret.slotSize() == 2) {
                    b.pop2();
                } else if (ret != TypeKind.VOID) {
                    b.pop();
                }
                int temp = temps;
                int[] tempOf = new int[s.stack.size()];
                for (int i = 0; i < s.stack.size(); i++) {
                    tempOf[i] = temp;
                    temp += 2;
                }
                for (int i = s.stack.size() - 1; i >= 0; i--) {
                    b.storeLocal(s.stack.get(i).typeKind(), tempOf[i]);
                }
                b.aload(strand).aload(frame).loadConstant(maxLongs).loadConstant(maxRefs)
                        .invokevirtual(Names.STRAND, "frame", MethodTypeDesc.of(Names.FRAME, Names.FRAME, CD_int, CD_int))
                        .astore(frame);
                loadArrays(b, s);
                for (Slot slot : s.locals) {
                    store(b, slot, shift(slot.local()));
                }
                for (int i = 0; i < s.stack.size(); i++) {
                    store(b, s.stack.get(i), tempOf[i]);
                }
                b.aload(strand).aload(frame).ldc(method).loadConstant(s.pc)
                        .invokevirtual(Names.STRAND, "capture",
                                MethodTypeDesc.of(CD_void, Names.FRAME, Names.SUSPENDABLE_METHOD, CD_int));
                TypeKind mret = TypeKind.from(type.returnType());
                pushDefault(b, mret);
                b.return_(mret);
            }
        }

        /** Loads the frame's arrays that site {@code s} uses into their locals. */
        private void loadArrays(CodeBuilder b, Site s) {
            boolean longs = false;
            boolean refs = false;
            for (List<Slot> slots : List.of(s.locals, s.stack)) {
                for (Slot slot : slots) {
                    longs |= slot.primitive();
                    refs |= slot.kind() == Slot.Kind.REF;
                }
            }
            if (longs) {
                b.aload(frame).invokevirtual(Names.FRAME, "longs", MethodTypeDesc.of(CD_long.arrayType())).astore(longsArray);
            }
            if (refs) {
                b.aload(frame).invokevirtual(Names.FRAME, "refs", MethodTypeDesc.of(CD_Object.arrayType())).astore(refsArray);
            }
        }

        private void load(CodeBuilder b, Slot slot) {
            if (slot.kind() == Slot.Kind.NULL) {
                b.aconst_null();
                return;
            }
            if (slot.primitive()) {
                b.aload(longsArray).loadConstant(slot.index()).laload();
            } else {
                b.aload(refsArray).loadConstant(slot.index()).aaload();
            }
            slot.fromArrayElement(b);
        }

        private void store(CodeBuilder b, Slot slot, int local) {
            if (slot.kind() == Slot.Kind.NULL) {
                return;
            }
            if (slot.primitive()) {
                b.aload(longsArray).loadConstant(slot.index());
                b.loadLocal(slot.typeKind(), local);
                slot.toArrayElement(b);
                b.lastore();
            } else {
                b.aload(refsArray).loadConstant(slot.index()).aload(local).aastore();
            }
        }
    }
}
