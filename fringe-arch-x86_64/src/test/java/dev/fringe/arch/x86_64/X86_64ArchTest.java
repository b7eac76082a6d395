// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.fringe.arch.testkit.AbstractArchSupportTest;
import dev.fringe.arch.testkit.NativeTools;
import java.lang.ref.Reference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider class: its constants, its discovery (the kit's tests), and the JNA binding of the
 * library, which the build JVM can load.
 */
class X86_64ArchTest extends AbstractArchSupportTest<X86_64Arch> {

    // Control block offsets in bytes: must match CTL_* in fringe_x86_64.S and ArchSupport.
    private static final long CTL_SUSPEND = 0;
    private static final long CTL_TRANSFER = 16;
    private static final long CTL_STATUS = 24;

    X86_64ArchTest() {
        super(new X86_64Arch(), "libfringe_x86_64.so");
    }

    @Test
    void describesX86_64AsJnaNamesIt() {
        assertDescribes("linux-x86-64", "fringe-arch-x86_64", 8, 16);
        assertThat(arch.resourcePrefix()).isEqualTo(Platform.RESOURCE_PREFIX);
    }

    @Test
    void libraryExportsTheSpiFunctionsAndTheRetFlavourOfResume(@TempDir Path dir) {
        assertExportsTheSpiFunctions(switchLibrary(dir), "fringe_resume_ret");
    }

    @Test
    void loadIsIdempotent() {
        arch.load();
        arch.load();
        new X86_64Arch().load();
    }

    @Test
    void stackRegistrationIsANoOpOutsideValgrind() {
        arch.load();
        int id = arch.registerStack(0x10000, 0x20000);
        arch.deregisterStack(id);

        assertThat(id).isZero();
    }

    @Test
    void roundTripsThroughJna(@TempDir Path dir) {
        NativeTools.copyResource("META-INF/include/fringe.h", dir);
        Path source = NativeTools.copyResource("c/java_bodies.c", dir);
        Path bodies = dir.resolve("libbodies.so");
        NativeTools.cc("gcc", "-std=gnu11", "-O2", "-shared", "-fPIC", "-Wall", "-Werror", "-I", dir, "-o", bodies, source);
        long body = Pointer.nativeValue(NativeLibrary.getInstance(bodies.toString()).getFunction("add_env_body"));
        Memory env = new Memory(8);
        env.setLong(0, 100);
        Memory stack = new Memory(64 * 1024);
        long base = (Pointer.nativeValue(stack) + stack.size()) & -16L;
        arch.load();

        long ctl = arch.init(base, body, Pointer.nativeValue(env));
        Pointer control = new Pointer(ctl);

        assertThat(base - ctl).as("the control block's distance from the base").isEqualTo(32);
        long initialSuspend = control.getLong(CTL_SUSPEND);
        assertThat(initialSuspend).as("suspend routine").isNotZero();
        assertThat(control.getLong(CTL_STATUS)).isZero();
        assertThat(resume(control, 5)).isEqualTo(105);
        // resume() uses the ret flavour (fringe_resume_ret), which installs its own suspend
        // routine so that the body comes back the same way (see "Other design notes" in the .S).
        assertThat(control.getLong(CTL_SUSPEND)).as("suspend routine after fringe_resume_ret")
                .isNotEqualTo(initialSuspend).isBetween(initialSuspend - 4096, initialSuspend + 4096);
        assertThat(resume(control, 7)).isEqualTo(107);
        assertThat(control.getLong(CTL_STATUS)).isZero();
        assertThat(resume(control, 0)).as("the return value: two values suspended").isEqualTo(2);
        assertThat(control.getLong(CTL_STATUS)).isEqualTo(1);
        Reference.reachabilityFence(env);
        Reference.reachabilityFence(stack);
    }

    private long resume(Pointer control, long input) {
        control.setLong(CTL_TRANSFER, input);
        return arch.resume(Pointer.nativeValue(control));
    }

    @Test
    void loadErrorSaysWhereItLookedAndHowToSeeMore() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("Unable to load library 'fringe_x86_64'");

        UnsatisfiedLinkError error = X86_64Arch.LIBRARY.loadError(cause);

        assertThat(error).hasCause(cause);
        assertThat(error.getMessage())
                .contains("linux-x86-64/libfringe_x86_64.so")
                .contains("java.class.path=" + System.getProperty("java.class.path"))
                .contains("-Djna.debug_load=true")
                .contains("Unable to load library 'fringe_x86_64'");
    }
}
