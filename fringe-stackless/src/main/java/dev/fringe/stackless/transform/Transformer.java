// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Interfaces;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Signature;
import java.lang.classfile.attribute.SignatureAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transformer's one entry point, shared by the Maven plugin and the agent: rewrites a class
 * file for the {@code stackless} engine, or leaves it exactly as it was.
 *
 * <p>A class that never mentions {@code dev.fringe.Yielder} is returned as the very same bytes,
 * without being parsed beyond its constant pool. Otherwise every method that takes a
 * {@code Yielder} (see {@link Decision}) gets a transformed copy that takes a trailing
 * {@code Strand} (see {@link CopyEmitter}), the original methods stay as they were (so the class
 * behaves as before on every other backend) except that {@code GeneratorBody} lambdas whose
 * method was transformed become {@code StacklessBody} lambdas ({@link LambdaRewriter}), and a
 * {@code GeneratorBody} class whose {@code run} was transformed implements
 * {@code StacklessBody}. Every class written is checked with the class-file API's verifier.
 * The output depends only on the input bytes and on the classes the {@link ClassSource}
 * provides: the same input gives the same bytes.
 *
 * <p><b>Thread safety.</b> Thread-safe; classes may be transformed concurrently.
 */
public final class Transformer {
    private final Catalog catalog;
    private final ClassFile cf;
    private final LambdaRewriter lambdas;

    /**
     * Creates a transformer that reads the classes a class refers to from {@code source}.
     *
     * @param source          the project's classes and its dependencies (and the JDK's, for
     *                        stack maps)
     * @param transformedHere whether a class (by internal name, e.g. {@code com/example/Main})
     *                        is transformed with this transformer too: the plugin's classes
     *                        directory, or every application class for the agent. Calls into
     *                        any other class go to a transformed copy only if that class was
     *                        transformed by its own build already.
     */
    public Transformer(ClassSource source, java.util.function.Predicate<String> transformedHere) {
        this.catalog = new Catalog(source, transformedHere);
        this.lambdas = new LambdaRewriter(catalog);
        ClassHierarchyResolver known = desc -> {
            String d = desc.descriptorString();
            if (!d.startsWith("L")) {
                return null;
            }
            return catalog.model(d.substring(1, d.length() - 1)).map(cm -> cm.flags().has(AccessFlag.INTERFACE)
                    ? ClassHierarchyResolver.ClassHierarchyInfo.ofInterface()
                    : ClassHierarchyResolver.ClassHierarchyInfo.ofClass(cm.superclass().map(ClassEntry::asSymbol).orElse(null)))
                    .orElse(null);
        };
        this.cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(known));
    }

    /**
     * What became of one class.
     *
     * @param className the class's binary name, e.g. {@code com.example.Main$1}
     * @param bytes     the class file to write: the input array itself if unchanged
     * @param changed   whether the class was rewritten
     * @param notes     what the build log should say: refused methods and why
     */
    public record Result(String className, byte[] bytes, boolean changed, List<String> notes) {}

    /**
     * Transforms one class file.
     *
     * @param classFile the class file
     * @return the result; {@code bytes} is {@code classFile} itself when nothing changed
     * @throws TransformException if the class mentions {@code Yielder} but cannot be rewritten;
     *                            the message names the class and the method
     */
    public Result transform(byte[] classFile) {
        ClassModel cm;
        try {
            cm = cf.parse(classFile);
        } catch (IllegalArgumentException e) {
            throw new TransformException("not a class file the class-file API can read: " + e.getMessage(), e);
        }
        String className = cm.thisClass().asInternalName().replace('/', '.');
        if (!mentionsYielder(cm)) {
            return new Result(className, classFile, false, List.of());
        }
        try {
            return transform(cm, className, classFile);
        } catch (TransformException e) {
            throw new TransformException("fringe-stackless cannot transform class " + className + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TransformException("fringe-stackless failed on class " + className + ": " + e, e);
        }
    }

    private static boolean mentionsYielder(ClassModel cm) {
        for (PoolEntry e : cm.constantPool()) {
            if (e instanceof Utf8Entry u && u.stringValue().contains(Names.YIELDER_INTERNAL)) {
                return true;
            }
        }
        return false;
    }

    private Result transform(ClassModel cm, String className, byte[] original) {
        catalog.register(cm);
        Decision decision = catalog.decision(cm);
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> r : decision.refused().entrySet()) {
            notes.add(className + "." + r.getKey() + " is not transformed: " + r.getValue());
        }
        if (decision.alreadyTransformed()) {
            return new Result(className, original, false, List.of());
        }
        java.util.Set<String> withLambdas = new java.util.HashSet<>();
        for (MethodModel mm : cm.methods()) {
            if (mm.code().isPresent() && hasBodyLambda(mm.code().get())) {
                withLambdas.add(Decision.key(mm.methodName().stringValue(), mm.methodTypeSymbol()));
            }
        }
        if (decision.isEmpty() && withLambdas.isEmpty()) {
            return new Result(className, original, false, notes);
        }
        boolean body = !cm.flags().has(AccessFlag.INTERFACE)
                && catalog.completelyTransformed(cm.thisClass().asInternalName(), "run", Names.RUN)
                && catalog.isSubtype(cm.thisClass().asInternalName(), Names.BODY_INTERNAL, 0);
        CopyEmitter copies = new CopyEmitter(cf, catalog, cm, lambdas);
        byte[] out = cf.transformClass(cm, new ClassTransform() {
            @Override
            public void accept(java.lang.classfile.ClassBuilder clb, ClassElement e) {
                if (e instanceof MethodModel mm
                        && withLambdas.contains(Decision.key(mm.methodName().stringValue(), mm.methodTypeSymbol()))) {
                    clb.transformMethod(mm, MethodTransform.transformingCode((b, ce) -> {
                        if (!(ce instanceof Instruction ins) || !lambdas.rewrite(b, ins)) {
                            b.with(ce);
                        }
                    }));
                } else if (body && e instanceof Interfaces is) {
                    List<ClassEntry> list = new ArrayList<>(is.interfaces());
                    list.add(clb.constantPool().classEntry(Names.STACKLESS_BODY));
                    clb.withInterfaces(list);
                } else if (body && e instanceof SignatureAttribute sa) {
                    Signature.ClassTypeSig added = Signature.ClassTypeSig.of(Names.STACKLESS_BODY);
                    var sig = sa.asClassSignature();
                    List<Signature.ClassTypeSig> ifaces = new ArrayList<>(sig.superinterfaceSignatures());
                    ifaces.add(added);
                    clb.with(SignatureAttribute.of(java.lang.classfile.ClassSignature.of(sig.typeParameters(),
                            sig.superclassSignature(), ifaces.toArray(new Signature.ClassTypeSig[0]))));
                } else {
                    clb.with(e);
                }
            }

            @Override
            public void atEnd(java.lang.classfile.ClassBuilder clb) {
                List<MethodModel> methods = cm.methods();
                for (int i = 0; i < methods.size(); i++) {
                    MethodModel mm = methods.get(i);
                    Decision.Kind kind = decision.kind(mm.methodName().stringValue(), mm.methodTypeSymbol());
                    if (kind != null) {
                        try {
                            copies.emit(clb, mm, kind, i);
                        } catch (TransformException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            throw new TransformException("method " + mm.methodName().stringValue()
                                    + mm.methodTypeSymbol().descriptorString() + ": " + e, e);
                        }
                    }
                }
            }
        });
        List<VerifyError> errors = cf.verify(out);
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("the rewritten class does not verify (a transformer bug; please report it):");
            for (VerifyError v : errors) {
                sb.append("\n  ").append(v.getMessage());
            }
            throw new TransformException(sb.toString());
        }
        return new Result(className, out, true, notes);
    }

    private boolean hasBodyLambda(CodeModel code) {
        for (CodeElement e : code) {
            if (e instanceof Instruction ins && lambdas.rewritable(ins)) {
                return true;
            }
        }
        return false;
    }
}
