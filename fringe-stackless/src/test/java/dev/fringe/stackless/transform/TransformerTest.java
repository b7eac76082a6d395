// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fringe.Yielder;
import dev.fringe.stackless.samples.Bodies;
import dev.fringe.stackless.samples.ForEachBody;
import dev.fringe.stackless.samples.Plain;
import dev.fringe.stackless.samples.Unresolvable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The transformer's safety: every class it writes verifies and runs, classes that do not
 * mention {@code Yielder} come back as the very same bytes, the same input gives the same bytes,
 * its output is left alone the second time, its failures name the class and the method, and a
 * corpus of real class files (all of {@code java.base}, fringe's API, these tests) goes through.
 * Surefire runs this module's tests with {@code -Xverify:all}.
 */
class TransformerTest {
    private static final ClassSource CLASS_PATH = ClassSource.of(TransformerTest.class.getClassLoader());

    private static Transformer transformer() {
        return new Transformer(CLASS_PATH, name -> name.startsWith("dev/fringe/stackless/samples/"));
    }

    static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private static Path samples() throws Exception {
        return Path.of(Bodies.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/fringe/stackless/samples");
    }

    /** Every sample class, transformed, by binary name. */
    static Map<String, byte[]> transformedSamples() throws Exception {
        Transformer t = transformer();
        Map<String, byte[]> out = new HashMap<>();
        try (Stream<Path> files = Files.list(samples())) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                Transformer.Result r = t.transform(Files.readAllBytes(f));
                out.put(r.className(), r.bytes());
            }
        }
        return out;
    }

    @Test
    void classWithoutYielder_isReturnedAsTheSameBytes() throws IOException {
        byte[] plain = bytesOf(Plain.class);

        Transformer.Result r = transformer().transform(plain);

        assertThat(r.changed()).isFalse();
        assertThat(r.bytes()).isSameAs(plain);
    }

    @Test
    void transformedSamples_verify_load_andRunStackless() throws Exception {
        Map<String, byte[]> classes = transformedSamples();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            assertThat(ClassFile.of().verify(e.getValue())).as("verifier errors of %s", e.getKey()).isEmpty();
        }
        ClassLoader loader = new Isolated(classes, TransformerTest.class.getClassLoader());

        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) loader.loadClass(Bodies.class.getName()).getMethod("run").invoke(null);

        assertThat(out).containsExactly(
                "Generator[stackless] t0:1 t01:3 t012:0 done 4 t012",
                "Generator[stackless] bottom deep 5",
                "Generator[stackless] first bottom caught negative -3",
                "Generator[stackless] named 1 named again");
    }

    @Test
    void yielderCapturedForAJdkInterface_refusesTheMethod_withANoteForTheBuildLog() throws IOException {
        Transformer.Result r = transformer().transform(bytesOf(ForEachBody.class));

        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("ForEachBody.eachByReference")
                .contains("captures a Yielder").contains("java.util.function.Consumer.accept"));
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("ForEachBody.eachByLambda")
                .contains("captures a Yielder"));
        assertThat(r.notes()).noneSatisfy(n -> assertThat(n).contains("ForEachBody.nested"));
        List<String> copies = ClassFile.of().parse(r.bytes()).methods().stream()
                .filter(m -> m.methodTypeSymbol().parameterList().stream().anyMatch(p -> p.displayName().equals("Strand")))
                .map(m -> m.methodName().stringValue())
                .collect(java.util.stream.Collectors.toList());
        assertThat(copies).contains("nested").doesNotContain("eachByReference", "eachByLambda");
    }

    @Test
    void untransformedSamples_runTheSameOnAnotherBackend() {
        // The same source, as javac wrote it: the dual of the test above.
        assertThat(Bodies.run()).containsExactly(
                "Generator[thread] t0:1 t01:3 t012:0 done 4 t012",
                "Generator[thread] bottom deep 5",
                "Generator[thread] first bottom caught negative -3",
                "Generator[thread] named 1 named again");
    }

    @Test
    void sameInput_givesTheSameBytes_andTheOutputIsLeftAloneTheSecondTime() throws Exception {
        Map<String, byte[]> first = transformedSamples();
        Map<String, byte[]> second = transformedSamples();

        assertThat(second.keySet()).isEqualTo(first.keySet());
        for (String name : first.keySet()) {
            assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
            Transformer.Result again = transformer().transform(first.get(name));
            assertThat(again.changed()).as(name).isFalse();
            assertThat(again.bytes()).as(name).isSameAs(first.get(name));
        }
    }

    @Test
    void copies_haveATrailingStrand_andOriginalsStayAsTheyWere() throws Exception {
        byte[] original = bytesOf(Bodies.class);
        ClassModel before = ClassFile.of().parse(original);
        ClassModel after = ClassFile.of().parse(transformedSamples().get(Bodies.class.getName()));

        MethodModel counting = method(after, "counting", "(Ldev/fringe/Yielder;Ljava/lang/Long;)V");
        MethodModel copy = method(after, "counting", "(Ldev/fringe/Yielder;Ljava/lang/Long;Ldev/fringe/stackless/Strand;)V");
        assertThat(((CodeAttribute) counting.code().orElseThrow()).codeArray())
                .isEqualTo(((CodeAttribute) method(before, "counting", "(Ldev/fringe/Yielder;Ljava/lang/Long;)V").code()
                        .orElseThrow()).codeArray());
        assertThat(copy.flags().has(java.lang.reflect.AccessFlag.SYNTHETIC)).isTrue();
        assertThat(after.methods().stream().map(m -> m.methodName().stringValue()))
                .anyMatch(n -> n.startsWith("$fringe$resume$"));
    }

    private static MethodModel method(ClassModel cm, String name, String descriptor) {
        return cm.methods().stream()
                .filter(m -> m.methodName().equalsString(name) && m.methodType().equalsString(descriptor))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + descriptor + " in " + cm.thisClass()));
    }

    @Test
    void failure_namesTheClassAndTheMethod() throws IOException {
        // The source cannot see the two classes whose common supertype the stack map needs.
        ClassSource hiding = name -> name.contains("Unresolvable$") ? Optional.empty() : CLASS_PATH.find(name);
        Transformer t = new Transformer(hiding, name -> name.startsWith("dev/fringe/stackless/samples/"));

        assertThatThrownBy(() -> t.transform(bytesOf(Unresolvable.class)))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining(Unresolvable.class.getName())
                .hasMessageContaining("pick(Ldev/fringe/Yielder;Z)V");
    }

    @Test
    void corpus_javaBase_isLeftByteForByte() throws IOException {
        Transformer t = transformer();
        int classes = 0;
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/")); // built in: never closed
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.base"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                byte[] bytes = Files.readAllBytes(f);
                Transformer.Result r = t.transform(bytes);
                assertThat(r.bytes()).as("%s", f).isSameAs(bytes);
                classes++;
            }
        }
        assertThat(classes).isGreaterThan(3000);
    }

    @Test
    void corpus_fringeApi_andTheseTests_transformVerifyAndLoad() throws Exception {
        List<Path> roots = List.of(
                Path.of(Yielder.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                Path.of(TransformerTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        Map<String, byte[]> out = new HashMap<>();
        Transformer t = new Transformer(CLASS_PATH, name -> true);
        List<String> changed = new ArrayList<>();
        for (Path root : roots) {
            try (FileSystem fs = root.toString().endsWith(".jar") ? FileSystems.newFileSystem(root) : null;
                 Stream<Path> files = Files.walk(fs == null ? root : fs.getPath("/"))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class")
                        && !p.toString().endsWith("module-info.class"))::iterator) {
                    Transformer.Result r = t.transform(Files.readAllBytes(f));
                    assertThat(ClassFile.of().verify(r.bytes())).as("%s", r.className()).isEmpty();
                    out.put(r.className(), r.bytes());
                    if (r.changed()) {
                        changed.add(r.className());
                    }
                }
            }
        }
        assertThat(out).containsKey(Yielder.class.getName());
        assertThat(changed).contains(Bodies.class.getName());
        ClassLoader loader = new Isolated(out, TransformerTest.class.getClassLoader());
        for (String name : out.keySet()) {
            // Initializing links, and so verifies, the class first; some static initializers
            // need a real environment (backends found by ServiceLoader), which this loader lacks.
            try {
                Class.forName(name, true, loader);
            } catch (ExceptionInInitializerError linkedAndVerified) {
                assertThat(linkedAndVerified.getCause()).isNotInstanceOf(LinkageError.class);
            }
        }
    }

    /** Defines the given classes itself (child first), everything else from its parent. */
    static final class Isolated extends ClassLoader {
        private final Map<String, byte[]> classes;

        Isolated(Map<String, byte[]> classes, ClassLoader parent) {
            super("isolated", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = classes.get(name);
                    c = b != null ? defineClass(name, b, 0, b.length) : super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (name.endsWith(".class")) {
                byte[] b = classes.get(name.substring(0, name.length() - 6).replace('/', '.'));
                if (b != null) {
                    return new java.io.ByteArrayInputStream(b);
                }
            }
            return super.getResourceAsStream(name);
        }
    }
}
