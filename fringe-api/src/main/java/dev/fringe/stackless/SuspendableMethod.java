// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.stackless;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.ModuleDescriptor;

/**
 * What the engine knows about one transformed method: how to re-enter a suspended frame of it
 * ({@link #resumer}) and where each of its suspendable call sites is in the source, for stack
 * traces. One constant per method (a dynamic constant of its class, made by
 * {@link #bootstrap}); every frame captured in the method points to it. For generated code
 * only.
 *
 * <p><b>Thread safety.</b> Immutable.
 */
public final class SuspendableMethod {
    final Resumer resumer;
    private final Class<?> declaringClass;
    private final String methodName;
    private final String fileName;
    private final int[] lines;

    private SuspendableMethod(Resumer resumer, Class<?> declaringClass, String methodName, String fileName, int[] lines) {
        this.resumer = resumer;
        this.declaringClass = declaringClass;
        this.methodName = methodName;
        this.fileName = fileName;
        this.lines = lines;
    }

    /**
     * Bootstrap of the dynamic constant a transformed class holds for each transformed method.
     *
     * @param lookup the transformed class's lookup
     * @param name   the method's name
     * @param type   {@code SuspendableMethod.class}
     * @param bridge the method's resume bridge, {@code static void (Frame, Strand)}
     * @param file   the class's source file name, or an empty string
     * @param lines  the source line of each call site, comma-separated ({@code -1}: unknown)
     * @return the method's description
     * @throws Throwable if the lambda for the bridge cannot be made
     */
    public static SuspendableMethod bootstrap(MethodHandles.Lookup lookup, String name, Class<?> type,
            MethodHandle bridge, String file, String lines) throws Throwable {
        MethodType resume = MethodType.methodType(void.class, Frame.class, Strand.class);
        Resumer resumer = (Resumer) LambdaMetafactory.metafactory(lookup, "resume", MethodType.methodType(Resumer.class),
                resume, bridge, resume).getTarget().invoke();
        String[] parts = lines.isEmpty() ? new String[0] : lines.split(",");
        int[] parsed = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            parsed[i] = Integer.parseInt(parts[i]);
        }
        return new SuspendableMethod(resumer, lookup.lookupClass(), name, file.isEmpty() ? null : file, parsed);
    }

    /**
     * Describes a frame of this method suspended at call site {@code pc} the way the JVM would
     * in a stack trace.
     *
     * @param pc the call site
     * @return the stack trace element
     */
    StackTraceElement element(int pc) {
        Module module = declaringClass.getModule();
        ClassLoader loader = declaringClass.getClassLoader();
        String version = module.isNamed()
                ? module.getDescriptor().version().map(ModuleDescriptor.Version::toString).orElse(null) : null;
        return new StackTraceElement(loader == null ? null : loader.getName(), module.isNamed() ? module.getName() : null,
                version, declaringClass.getName(), methodName, fileName, pc < lines.length ? lines[pc] : -1);
    }

    @Override
    public String toString() {
        return declaringClass.getName() + "." + methodName;
    }
}
