// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless.agent;

import dev.fringe.stackless.transform.ClassSource;
import dev.fringe.stackless.transform.Transformer;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code -javaagent} front end: transforms classes as they are loaded, the way the Maven
 * plugin does at build time. For IDE runs, and for jars built without the plugin.
 *
 * <pre>
 * java -javaagent:fringe-stackless-VERSION.jar -cp ... Main
 * </pre>
 *
 * <p>A class that cannot be transformed is loaded unchanged (its generators then run on another
 * backend), with one line on standard error naming it and why; the agent's option
 * {@code -javaagent:...=verbose} also prints each class it transforms. The agent needs a JDK
 * with {@code java.lang.classfile} (25 or later); classes transformed at build time run on 17.
 */
public final class Agent {
    private Agent() {}

    /**
     * Installs the transformer.
     *
     * @param options {@code verbose} to log every transformed class, else nothing
     * @param inst    the JVM's instrumentation
     */
    public static void premain(String options, Instrumentation inst) {
        inst.addTransformer(new StacklessTransformer("verbose".equals(options)));
    }

    /**
     * Whether the agent transforms a class: every class but the JDK's and fringe's own API and
     * engines (they must stay as they are: the transformed code calls them).
     */
    static boolean transformable(String internalName) {
        for (String prefix : NEVER) {
            if (internalName.startsWith(prefix)) {
                return false;
            }
        }
        return !directlyIn(internalName, "dev/fringe/") && !directlyIn(internalName, "dev/fringe/stackless/");
    }

    private static boolean directlyIn(String internalName, String pkg) {
        return internalName.startsWith(pkg) && internalName.indexOf('/', pkg.length()) < 0;
    }

    private static final String[] NEVER = {"java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/fringe/spi/",
        "dev/fringe/internal/", "dev/fringe/stackless/transform/", "dev/fringe/stackless/maven/",
        "dev/fringe/stackless/agent/", "dev/fringe/loom/", "dev/fringe/jna/"};

    /** Transforms the classes of each class loader with a transformer that reads that loader's classes. */
    static final class StacklessTransformer implements ClassFileTransformer {
        private static final byte[] MARKER = "dev/fringe/Yielder".getBytes(StandardCharsets.US_ASCII);
        private final boolean verbose;
        private final Map<ClassLoader, Transformer> transformers = new WeakHashMap<>();

        StacklessTransformer(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                byte[] classFile) {
            if (loader == null || className == null || redefined != null || !transformable(className)
                    || !contains(classFile, MARKER)) {
                return null;
            }
            try {
                Transformer t;
                synchronized (transformers) {
                    t = transformers.computeIfAbsent(loader, l -> new Transformer(ClassSource.of(l), Agent::transformable));
                }
                Transformer.Result r = t.transform(classFile);
                if (verbose) {
                    for (String note : r.notes()) {
                        System.err.println("fringe-stackless agent: " + note);
                    }
                    if (r.changed()) {
                        System.err.println("fringe-stackless agent: transformed " + r.className());
                    }
                }
                return r.changed() ? r.bytes() : null;
            } catch (Throwable e) {
                System.err.println("fringe-stackless agent: " + className.replace('/', '.') + " is loaded unchanged: " + e);
                return null;
            }
        }

        static boolean contains(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0, n = haystack.length - needle.length; i <= n; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
