package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector width of the packaged tool, chosen by {@code LOSSES4J_VECTOR_BITS} (the launcher
 * passes the environment through) or {@code -Dlosses4j.vector.bits}: reported by
 * {@code --version} with the CPU, and an unsupported value is one line and exit 2.
 */
class VectorWidthIT {
    @TempDir
    Path dir;

    record Proc(int code, String out, String err) {
    }

    Proc losses(Map<String, String> env, List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", new File(System.getProperty("losses4j.cli.jar", "target/losses4j-cli.jar"))
                .getAbsolutePath()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("LOSSES4J_VECTOR_BITS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        // less the JVM's own lines ("WARNING: Using incubator modules", which the launcher filters
        // too, and "Picked up JAVA_TOOL_OPTIONS" where the environment sets JVM options)
        String e = String.join("\n", Files.readString(err).lines()
                .filter(l -> !l.startsWith("WARNING: Using incubator modules") && !l.startsWith("Picked up "))
                .toList());
        return new Proc(p.exitValue(), Files.readString(out), e);
    }

    @Test
    void versionReportsTheChosenWidthAndTheCpu() throws Exception {
        for (String bits : new String[] {"128", "256", "512"}) {
            Proc p = losses(Map.of("LOSSES4J_VECTOR_BITS", bits), List.of(), "--version");
            assertThat(p.code()).as(p.err()).isZero();
            assertThat(p.out()).contains("kernels: vector (jdk.incubator.vector, " + bits + "-bit, "
                    + Integer.parseInt(bits) / 32 + " float lanes, chosen by losses4j.vector.bits");
            assertThat(p.out()).contains("cpu: " + Platform.cpu());
        }
        Proc auto = losses(Map.of(), List.of(), "--version");
        assertThat(auto.out()).contains("cpu: ").containsPattern("kernels: (vector .*preferred width|scalar)");
    }

    @Test
    void anUnsupportedWidthIsOneLineAndExit2() throws Exception {
        Proc env = losses(Map.of("LOSSES4J_VECTOR_BITS", "300"), List.of(), "--version");
        assertThat(env.code()).isEqualTo(2);
        assertThat(env.out()).isEmpty();
        assertThat(env.err().strip()).isEqualTo("losses: losses4j.vector.bits = 300 is not a supported vector width:"
                + " expected auto, 128, 256 or 512");
        Proc prop = losses(Map.of(), List.of("-Dlosses4j.vector.bits=wide"), "list");
        assertThat(prop.code()).isEqualTo(2);
        assertThat(prop.err().strip().lines()).hasSize(1);
        assertThat(prop.err()).contains("losses4j.vector.bits = wide is not a supported vector width");
    }
}
