// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.AccessFlags;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.DiscontinuedInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which methods of one class get a transformed copy, decided from that class's own bytes only,
 * so that every caller (in this build, a later build or the agent) reaches the same answer.
 *
 * <p>A method is transformed if it takes a {@code Yielder} (which covers lambdas capturing one:
 * the captured yielder is a parameter of the lambda's method), or if its class holds a
 * {@code Yielder} in an instance field (local and anonymous classes capturing one, or a class
 * the body keeps it in) and it can suspend through it (see {@link #heldSuspenders}), unless it
 * is refused; an abstract one gets a copy that calls the original. Refused (with the
 * reason kept for the build log): constructors and static initializers (an object under
 * construction cannot be suspended), native methods, methods that hold a monitor around a call
 * that can suspend (a stackless generator cannot keep a monitor while suspended), methods that
 * capture a {@code Yielder} in a lambda or method reference for an interface method that takes
 * none (its callers, such as {@code forEach}, cannot be rewritten), methods that assign
 * {@code this}, and classes older than Java 11 (the transformed code uses dynamic constants).
 */
final class Decision {
    /** What a transformed class gets for one of its methods. */
    enum Kind { COPY, FORWARDER }

    /** The oldest class file version transformed: Java 11, for dynamic constants. */
    static final int MIN_MAJOR = 55;

    private final Map<String, Kind> methods;
    private final Map<String, String> refused;
    private final boolean transformed;

    private Decision(Map<String, Kind> methods, Map<String, String> refused, boolean transformed) {
        this.methods = Collections.unmodifiableMap(methods);
        this.refused = Collections.unmodifiableMap(refused);
        this.transformed = transformed;
    }

    static String key(String name, MethodTypeDesc type) {
        return name + type.descriptorString();
    }

    /** The decision for a class this run does not transform: the copies it already has, if any. */
    static Decision existing(ClassModel cm) {
        Decision d = of(cm);
        return d.transformed ? d : new Decision(Map.of(), Map.of(), false);
    }

    static Decision of(ClassModel cm) {
        Map<String, Kind> methods = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        boolean transformed = false;
        for (MethodModel mm : cm.methods()) {
            if (Names.isCopy(mm.methodTypeSymbol())) {
                transformed = true;
            }
        }
        if (transformed) {
            // Already transformed (an incremental build, or a library built with the plugin): the
            // copies it has are the answer.
            for (MethodModel mm : cm.methods()) {
                MethodTypeDesc type = mm.methodTypeSymbol();
                if (Names.isCopy(type)) {
                    MethodTypeDesc original = type.dropParameterTypes(type.parameterCount() - 1, type.parameterCount());
                    methods.put(key(mm.methodName().stringValue(), original), Kind.COPY);
                }
            }
            return new Decision(methods, refused, true);
        }
        java.util.Set<String> held = heldSuspenders(cm);
        for (MethodModel mm : cm.methods()) {
            MethodTypeDesc type = mm.methodTypeSymbol();
            String name = mm.methodName().stringValue();
            if (!Names.takesYielder(type) && !held.contains(key(name, type))) {
                continue;
            }
            String why = refusal(cm, mm, held);
            if (why != null) {
                refused.put(key(name, type), why);
            } else {
                methods.put(key(name, type), mm.code().isPresent() ? Kind.COPY : Kind.FORWARDER);
            }
        }
        return new Decision(methods, refused, false);
    }

    /**
     * The instance methods of a class that holds a {@code Yielder} in an instance field (a local
     * or anonymous class capturing one, or a class the body stores it in) which can suspend
     * through it: those that call {@code suspend} or a method taking a {@code Yielder}, and,
     * transitively, those that call such a method of the same class.
     */
    private static java.util.Set<String> heldSuspenders(ClassModel cm) {
        java.util.Set<String> set = new java.util.HashSet<>();
        boolean holder = cm.fields().stream().anyMatch(f -> !f.flags().has(AccessFlag.STATIC)
                && f.fieldType().equalsString("L" + Names.YIELDER_INTERNAL + ";"));
        if (!holder) {
            return set;
        }
        String self = cm.thisClass().asInternalName();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (MethodModel mm : cm.methods()) {
                String k = key(mm.methodName().stringValue(), mm.methodTypeSymbol());
                if (set.contains(k) || mm.flags().has(AccessFlag.STATIC) || mm.methodName().stringValue().startsWith("<")
                        || mm.code().isEmpty()) {
                    continue;
                }
                for (CodeElement e : mm.code().get()) {
                    if (e instanceof InvokeInstruction ii && (mayCallSuspend(ii) || (ii.owner().asInternalName().equals(self)
                            && set.contains(key(ii.name().stringValue(), ii.typeSymbol()))))) {
                        set.add(k);
                        grew = true;
                        break;
                    }
                }
            }
        }
        return set;
    }

    private static String refusal(ClassModel cm, MethodModel mm, java.util.Set<String> held) {
        String name = mm.methodName().stringValue();
        AccessFlags flags = mm.flags();
        if (name.equals("<init>") || name.equals("<clinit>")) {
            return "it is a constructor: an object under construction cannot be suspended (suspend in a method it"
                    + " calls after construction instead)";
        }
        if (flags.has(AccessFlag.NATIVE)) {
            return "it is native";
        }
        if (cm.majorVersion() < MIN_MAJOR) {
            return "its class file version is " + cm.majorVersion() + " (Java " + (cm.majorVersion() - 44)
                    + "); the stackless engine needs Java 11 class files or later: compile with --release 11 or later";
        }
        Optional<CodeModel> code = mm.code();
        if (code.isEmpty()) {
            return null; // abstract: a forwarding copy
        }
        boolean suspends = false;
        boolean storesThis = false;
        boolean subroutine = false;
        String foreignLambda = null;
        boolean isStatic = flags.has(AccessFlag.STATIC);
        for (CodeElement e : code.get()) {
            if (e instanceof InvokeDynamicInstruction idi && foreignLambda == null) {
                foreignLambda = foreignLambda(idi);
            } else if (e instanceof InvokeInstruction ii) {
                suspends |= mayCallSuspend(ii) || (ii.owner().asInternalName().equals(cm.thisClass().asInternalName())
                        && held.contains(key(ii.name().stringValue(), ii.typeSymbol())));
            } else if (e instanceof StoreInstruction si && si.slot() == 0 && !isStatic) {
                storesThis = true;
            } else if (e instanceof DiscontinuedInstruction) {
                subroutine = true;
            }
        }
        if (subroutine) {
            return "it uses jsr/ret subroutines";
        }
        if (storesThis) {
            return "it assigns local variable 0 (this)";
        }
        if (foreignLambda != null) {
            return "it captures a Yielder in a lambda or method reference for " + foreignLambda + ", which code the"
                    + " transformer cannot rewrite calls (JDK code such as forEach, or any caller of that interface): a"
                    + " suspend there could not be resumed stackless, so a generator whose body reaches this method runs"
                    + " on the next backend, where it works";
        }
        if (suspends && flags.has(AccessFlag.SYNCHRONIZED)) {
            return "it is synchronized and calls a method that can suspend: a stackless generator cannot keep a monitor"
                    + " while it is suspended (the virtual-thread backend can)";
        }
        if (suspends) {
            String line = Monitors.suspendInside(cm, code.get(), held);
            if (line != null) {
                return "it calls a method that can suspend inside a synchronized block (" + line + "): a stackless"
                        + " generator cannot keep a monitor while it is suspended (the virtual-thread backend can)";
            }
        }
        return null;
    }

    /**
     * For a lambda or method reference that captures a {@code Yielder} for an interface method
     * that takes none (a {@code Consumer} given to {@code forEach}, a {@code Runnable}), that
     * interface method, as {@code Interface.method}; otherwise {@code null}. Its callers cannot
     * hand it a strand, so a suspend inside it could only be refused at run time. Interface
     * methods that take a {@code Yielder} (a nested generator's body, the project's own
     * functional interfaces) are transformed like any method and are fine.
     */
    private static String foreignLambda(InvokeDynamicInstruction idi) {
        DirectMethodHandleDesc bsm = idi.bootstrapMethod();
        if (!bsm.owner().equals(Names.METAFACTORY) || !Names.takesYielder(idi.typeSymbol())
                || idi.bootstrapArgs().isEmpty() || !(idi.bootstrapArgs().get(0) instanceof MethodTypeDesc sam)
                || Names.takesYielder(sam)) {
            return null;
        }
        String descriptor = idi.typeSymbol().returnType().descriptorString(); // Lpkg/Interface;
        return descriptor.substring(1, descriptor.length() - 1).replace('/', '.') + "." + idi.name().stringValue();
    }

    /** A call that may suspend, judged by its name alone (so that the decision stays local). */
    static boolean mayCallSuspend(InvokeInstruction ii) {
        String owner = ii.owner().asInternalName();
        if (owner.equals(Names.YIELDER_INTERNAL) && ii.name().equalsString("suspend")) {
            return true;
        }
        return !ii.name().equalsString("<init>") && Names.takesYielder(ii.typeSymbol());
    }

    boolean alreadyTransformed() {
        return transformed;
    }

    Kind kind(String name, MethodTypeDesc type) {
        return methods.get(key(name, type));
    }

    boolean hasCopy(String name, MethodTypeDesc type) {
        return methods.containsKey(key(name, type));
    }

    boolean isEmpty() {
        return methods.isEmpty();
    }

    /** Refused methods (name and descriptor) and why. */
    Map<String, String> refused() {
        return refused;
    }
}
