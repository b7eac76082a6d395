// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.constant.MethodTypeDesc;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes the transformer has seen and their {@link Decision}s: answers whether a call can
 * go to a transformed copy, by resolving it the way the JVM would (the named class, then its
 * superclasses, then its interfaces) and asking the decision of the class that declares it.
 *
 * <p><b>Thread safety.</b> Thread-safe (the agent transforms on many threads).
 */
final class Catalog {
    private final ClassSource source;
    private final java.util.function.Predicate<String> transformedHere;
    private final Map<String, Optional<ClassModel>> models = new ConcurrentHashMap<>();
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();

    /**
     * @param source          where classes are read from
     * @param transformedHere whether a class (by internal name) is transformed by this run (the
     *                        plugin's directory, or everything the agent sees); any other class
     *                        has copies only if it was transformed already, by its own build
     */
    Catalog(ClassSource source, java.util.function.Predicate<String> transformedHere) {
        this.source = source;
        this.transformedHere = transformedHere;
    }

    /** Makes the class being transformed known as it is now (its bytes may not be in the source). */
    void register(ClassModel cm) {
        models.put(cm.thisClass().asInternalName(), Optional.of(cm));
    }

    Optional<ClassModel> model(String internalName) {
        Optional<ClassModel> known = models.get(internalName);
        if (known != null) {
            return known;
        }
        Optional<ClassModel> found;
        try {
            found = source.find(internalName).map(bytes -> ClassFile.of().parse(bytes));
        } catch (IllegalArgumentException unreadable) {
            found = Optional.empty(); // a class file this JDK cannot parse: treated as unknown
        }
        Optional<ClassModel> raced = models.putIfAbsent(internalName, found);
        return raced != null ? raced : found;
    }

    Decision decision(ClassModel cm) {
        return decisions.computeIfAbsent(cm.thisClass().asInternalName(),
                n -> transformedHere.test(n) ? Decision.of(cm) : Decision.existing(cm));
    }

    /**
     * Returns whether a call to {@code owner.name(type)} resolves to a method that has a
     * transformed copy.
     */
    boolean hasCopy(String owner, String name, MethodTypeDesc type) {
        return declaringClass(owner, name, type, 0).map(cm -> decision(cm).hasCopy(name, type)).orElse(false);
    }

    private Optional<ClassModel> declaringClass(String owner, String name, MethodTypeDesc type, int depth) {
        if (depth > 64 || owner.startsWith("[")) {
            return Optional.empty();
        }
        Optional<ClassModel> model = model(owner);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        ClassModel cm = model.get();
        for (MethodModel mm : cm.methods()) {
            if (mm.methodName().equalsString(name) && mm.methodTypeSymbol().equals(type)) {
                return model;
            }
        }
        Optional<ClassEntry> superclass = cm.superclass();
        if (superclass.isPresent()) {
            Optional<ClassModel> found = declaringClass(superclass.get().asInternalName(), name, type, depth + 1);
            if (found.isPresent()) {
                return found;
            }
        }
        for (ClassEntry i : cm.interfaces()) {
            Optional<ClassModel> found = declaringClass(i.asInternalName(), name, type, depth + 1);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private final Map<String, Boolean> complete = new ConcurrentHashMap<>();

    /**
     * Returns whether the method a call to {@code owner.name(type)} resolves to has a copy, and
     * so, transitively, has every method it calls with a {@code Yielder} argument: only then can
     * a body that starts there run stackless without meeting a refused or untransformed method
     * that suspends. A generator whose body fails this falls back to another backend as a whole.
     * Recursion is assumed to be complete while it is being checked; virtual calls are judged by
     * the method they resolve to.
     */
    boolean completelyTransformed(String owner, String name, MethodTypeDesc type) {
        return complete.computeIfAbsent(owner + '.' + Decision.key(name, type),
                k -> completelyTransformed(owner, name, type, new java.util.HashSet<>()));
    }

    private boolean completelyTransformed(String owner, String name, MethodTypeDesc type, java.util.Set<String> seen) {
        Optional<ClassModel> declaring = declaringClass(owner, name, type, 0);
        if (declaring.isEmpty() || !decision(declaring.get()).hasCopy(name, type)) {
            return false;
        }
        if (!seen.add(declaring.get().thisClass().asInternalName() + '.' + Decision.key(name, type))) {
            return true; // being checked further up: its other calls decide
        }
        for (MethodModel mm : declaring.get().methods()) {
            if (mm.methodName().equalsString(name) && mm.methodTypeSymbol().equals(type) && mm.code().isPresent()) {
                for (java.lang.classfile.CodeElement e : mm.code().get()) {
                    if (e instanceof java.lang.classfile.instruction.InvokeInstruction ii && Decision.mayCallSuspend(ii)
                            && !ii.owner().asInternalName().equals(Names.YIELDER_INTERNAL) && !Names.isBodyRun(ii)
                            && !completelyTransformed(ii.owner().asInternalName(), ii.name().stringValue(), ii.typeSymbol(),
                                    seen)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Whether {@code type} is {@code target} or one of its subtypes, as far as the source can tell. */
    boolean isSubtype(String type, String target, int depth) {
        if (type.equals(target)) {
            return true;
        }
        if (depth > 64) {
            return false;
        }
        Optional<ClassModel> model = model(type);
        if (model.isEmpty()) {
            return false;
        }
        ClassModel cm = model.get();
        if (cm.superclass().isPresent() && isSubtype(cm.superclass().get().asInternalName(), target, depth + 1)) {
            return true;
        }
        for (ClassEntry i : cm.interfaces()) {
            if (isSubtype(i.asInternalName(), target, depth + 1)) {
                return true;
            }
        }
        return false;
    }
}
