package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * The vector width as a setting: {@code losses4j.vector.bits} (or {@code LOSSES4J_VECTOR_BITS})
 * chooses it, unsupported values are refused in one line naming the setting, and the losses
 * agree across 128, 256 and 512 bits within the kernels' documented bounds (each width in its
 * own JVM, since the width is fixed when the kernels are loaded). The surefire executions
 * {@code vector-128/256/512} run this and the kernel tests at each width on any CPU.
 */
class VectorWidthTest {
    /** Bound of the cross-width comparison: the float32 paths are each within ~1e-6 of float64. */
    static final double ACROSS_WIDTHS = 1e-5;

    @Test
    void theChosenWidthIsTheActiveOne() {
        String bits = System.getProperty("losses4j.vector.bits");
        if (bits == null || bits.isBlank() || bits.equals("auto")) {
            if (Kernels.path().equals("vector")) {
                assertTrue(Kernels.description().contains("the CPU's preferred width"), Kernels.description());
            }
            return;
        }
        assertEquals("vector", Kernels.path(), Kernels.description());
        assertEquals(Integer.parseInt(bits), 32 * Kernels.floats().lanes(), Kernels.description());
        assertTrue(Kernels.description().contains(bits + "-bit"), Kernels.description());
        assertTrue(Kernels.description().contains("chosen by losses4j.vector.bits"), Kernels.description());
    }

    @Test
    void unsupportedSettingsAreRefusedInOneLine() throws Exception {
        assertRefused(List.of("-Dlosses4j.vector.bits=300"), Map.of(),
                "losses4j.vector.bits = 300 is not a supported vector width: expected auto, 128, 256 or 512");
        assertRefused(List.of("-Dlosses4j.vector.bits=64"), Map.of(), "losses4j.vector.bits = 64 is not");
        assertRefused(List.of("-Dlosses4j.kernels=fast"), Map.of(),
                "losses4j.kernels = fast is not a kernel path: expected auto, scalar or vector");
        assertRefused(List.of(), Map.of("LOSSES4J_VECTOR_BITS", "1024"), "losses4j.vector.bits = 1024 is not");
        // a width where the vector kernels cannot be loaded (no incubator module) is an error, not scalar
        Result r = probe(false, List.of("-Dlosses4j.vector.bits=256"), Map.of());
        assertEquals(3, r.exit, r.out);
        assertTrue(r.out.startsWith("INVALID_OPTION: losses4j.vector.bits = 256 needs the vector kernels"), r.out);
        assertTrue(r.out.contains("--add-modules jdk.incubator.vector"), r.out);
    }

    @Test
    void theEnvironmentVariableChoosesTheWidthAndThePropertyWins() throws Exception {
        Result env = probe(true, List.of(), Map.of("LOSSES4J_VECTOR_BITS", "128"));
        assertEquals(0, env.exit, env.out);
        assertTrue(env.out.startsWith("vector (jdk.incubator.vector, 128-bit, 4 float lanes"), env.out);
        Result both = probe(true, List.of("-Dlosses4j.vector.bits=256"), Map.of("LOSSES4J_VECTOR_BITS", "128"));
        assertEquals(0, both.exit, both.out);
        assertTrue(both.out.startsWith("vector (jdk.incubator.vector, 256-bit, 8 float lanes"), both.out);
    }

    /** The same inputs at 128, 256 and 512 bits and on the scalar path: values agree within the bound. */
    @Test
    void lossesAgreeAcrossWidthsWithinTheDocumentedBound() throws Exception {
        List<String> runs = new ArrayList<>();
        for (String w : new String[] {"-Dlosses4j.kernels=scalar", "-Dlosses4j.vector.bits=128",
            "-Dlosses4j.vector.bits=256", "-Dlosses4j.vector.bits=512"}) {
            Result r = probe(true, List.of(w), Map.of(), "values");
            assertEquals(0, r.exit, w + ": " + r.out);
            runs.add(r.out);
        }
        String[] reference = runs.get(0).split("\n")[1].split(" ");
        for (String run : runs) {
            String[] lines = run.split("\n");
            String[] v = lines[1].split(" ");
            assertEquals(reference.length, v.length, lines[0]);
            for (int i = 0; i < v.length; i++) {
                double want = Double.parseDouble(reference[i]);
                double got = Double.parseDouble(v[i]);
                assertEquals(want, got, ACROSS_WIDTHS * Math.abs(want), lines[0] + ": value " + i);
            }
        }
    }

    static void assertRefused(List<String> props, Map<String, String> env, String message) throws Exception {
        Result r = probe(true, props, env);
        assertEquals(3, r.exit, props + " " + env + ": " + r.out);
        assertEquals(1, r.out.lines().count(), r.out);
        assertTrue(r.out.startsWith("INVALID_OPTION: " + message), r.out);
    }

    record Result(int exit, String out) {
    }

    static Result probe(boolean vectorModule, List<String> props, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (vectorModule) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.addAll(props);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Probe.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("LOSSES4J_VECTOR_BITS");
        pb.environment().remove("LOSSES4J_KERNELS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not finish");
        return new Result(p.exitValue(), out);
    }

    /**
     * Prints the kernel description, or with "values" also a line of loss values over fixed
     * float32 inputs; a refused configuration prints "KIND: message" and exits 3.
     */
    static final class Probe {
        public static void main(String[] args) {
            try {
                Kernels.checkConfiguration();
                System.out.println(Kernels.description());
                if (args.length > 0) {
                    System.out.println(values());
                }
            } catch (LossException e) {
                System.out.println(e.kind() + ": " + e.getMessage());
                System.exit(3);
            }
        }

        static String values() {
            SplittableRandom r = new SplittableRandom(11);
            int n = 3 * FloatKernels.MAX_SUB_BLOCK + 37;
            float[] x = new float[n];
            float[] y = new float[n];
            float[] p = new float[n];
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (r.nextGaussian() * 3);
                y[i] = (float) r.nextGaussian();
                p[i] = (float) r.nextDouble();
                b[i] = r.nextInt(2);
            }
            int c = 100;
            int rows = n / c;
            long[] labels = new long[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(c);
            }
            int c10 = 10;
            long[] labels10 = new long[n / c10];
            for (int i = 0; i < labels10.length; i++) {
                labels10[i] = r.nextInt(c10);
            }
            StringBuilder sb = new StringBuilder();
            Tensor tx = Tensor.vector(x);
            for (String name : new String[] {"mse", "huber"}) {
                sb.append(Losses.create(name, Map.of()).compute(Inputs.of(tx, Tensor.vector(y))).value()).append(' ');
            }
            sb.append(Losses.create("bce_with_logits", Map.of()).compute(Inputs.of(tx, Tensor.vector(b))).value())
                    .append(' ');
            sb.append(Losses.create("dice", Map.of()).compute(Inputs.of(Tensor.of(p, 1, 1, n),
                    Tensor.of(b, 1, 1, n))).value()).append(' ');
            sb.append(Losses.create("cross_entropy", Map.of()).compute(Inputs.of("input",
                    Tensor.of(java.util.Arrays.copyOf(x, rows * c), rows, c)).with("target", Tensor.labels(labels)))
                    .value()).append(' ');
            sb.append(Losses.create("cross_entropy", Map.of("label_smoothing", 0.1)).compute(Inputs.of("input",
                    Tensor.of(java.util.Arrays.copyOf(x, labels10.length * c10), labels10.length, c10))
                    .with("target", Tensor.labels(labels10))).value());
            return sb.toString();
        }
    }
}
