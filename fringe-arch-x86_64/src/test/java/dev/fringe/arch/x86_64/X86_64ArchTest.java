// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the fringe authors
package dev.fringe.arch.x86_64;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.fringe.arch.testkit.AbstractArchSupportTest;
import dev.fringe.arch.testkit.NativeTools;
import dev.fringe.jna.NativeGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The description (its constants and discovery, the kit's checks against the library) and the
 * library driven from Java: the build JVM is an x86_64 one, so fringe-backend-jna binds this
 * module's library and runs generators on it.
 */
class X86_64ArchTest extends AbstractArchSupportTest<X86_64Arch> {

    X86_64ArchTest() {
        super(new X86_64Arch(), "libfringe_x86_64.so");
    }

    @Test
    void describesX86_64AsJnaNamesIt() {
        assertDescribes("linux-x86-64", "fringe-arch-x86_64", "fringe_x86_64", 8, 16);
        assertThat(arch.resourcePrefix()).isEqualTo(Platform.RESOURCE_PREFIX);
    }

    @Test
    void libraryIsAPositionIndependentX86_64Object_needingNoMoreThanGlibc218(@TempDir Path dir) {
        assertPositionIndependentAndSelfContained(switchLibrary(dir), "ELF64", "Advanced Micro Devices X86-64");
    }

    @Test
    void libraryExportsExactlyTheDescribedFunctions_bothFlavoursOfResume(@TempDir Path dir) {
        assertExportsExactlyTheDescribedFunctions(switchLibrary(dir));
        assertThat(arch.resumeSymbol()).as("for FFM: pop + jmp").isEqualTo("fringe_resume");
        assertThat(arch.returningResumeSymbol()).as("for JNA: ret").isEqualTo("fringe_resume_ret");
    }

    @Test
    void nativeGeneratorsRunOnThisModulesLibrary(@TempDir Path dir) {
        NativeTools.copyResource("META-INF/include/fringe.h", dir);
        Path source = NativeTools.copyResource("c/java_bodies.c", dir);
        Path bodies = dir.resolve("libbodies.so");
        NativeTools.cc("gcc", "-std=gnu11", "-O2", "-shared", "-fPIC", "-Wall", "-Werror", "-I", dir, "-o", bodies, source);
        Memory env = new Memory(8);
        env.setLong(0, 100);

        try (NativeGenerator gen = NativeGenerator.create(64 * 1024,
                NativeLibrary.getInstance(bodies.toString()).getFunction("add_env_body"), env)) {
            assertThat(NativeGenerator.diagnostics()).contains("fringe-arch-x86_64", "linux-x86-64/libfringe_x86_64.so");
            assertThat(gen.advance(5)).isTrue();
            assertThat(gen.value()).isEqualTo(105);
            assertThat(gen.resume(7L)).contains(107L);
            assertThat(gen.advance(0)).as("the body returns on input 0").isFalse();
            assertThat(gen.returnValue()).as("the return value: two values suspended").isEqualTo(2);
        }
    }
}
