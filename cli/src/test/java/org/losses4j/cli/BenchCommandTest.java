package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.losses4j.Losses;
import org.losses4j.kernels.Kernels;
import org.losses4j.kernels.Parallel;

/** {@code losses bench}: its JSON lines, the workloads' data, and its refusals. */
class BenchCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void oneThread() {
        Parallel.setThreads(1);
    }

    @Test
    void jsonLinesHaveTheTorchBaselineShapePlusTheLimit() throws Exception {
        CliTest.Run r = CliTest.run("bench", "--workload", "mse_10M_f32", "--json", "--reps", "2", "--warmup", "0",
                "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode triad = JSON.readTree(lines.get(0));
        assertThat(triad.get("workload").asText()).isEqualTo("triad_f32");
        assertThat(triad.get("gb_per_s").asDouble()).isPositive();
        JsonNode mse = JSON.readTree(lines.get(1));
        assertThat(mse.get("workload").asText()).isEqualTo("mse_10M_f32");
        assertThat(mse.get("threads").asInt()).isEqualTo(2);
        assertThat(mse.get("elements").asLong()).isEqualTo(10_000_000L);
        assertThat(mse.get("bytes").asLong()).isEqualTo(120_000_000L);
        assertThat(mse.get("min_ms").asDouble()).isPositive().isLessThanOrEqualTo(mse.get("median_ms").asDouble());
        assertThat(mse.get("triad_gb_per_s").asDouble()).isPositive();
        double limit = 120e6 / (mse.get("triad_gb_per_s").asDouble() * 1e6);
        assertThat(mse.get("limit_ms").asDouble()).isCloseTo(limit, org.assertj.core.data.Percentage.withPercentage(0.5));
        assertThat(mse.get("fraction_of_limit").asDouble())
                .isCloseTo(mse.get("limit_ms").asDouble() / mse.get("median_ms").asDouble(),
                        org.assertj.core.data.Offset.offset(0.002));
        assertThat(mse.get("kernels").asText()).isEqualTo(Kernels.path());
        for (JsonNode line : List.of(triad, mse)) {
            // the machine: timings and the last bits of float32 results differ between CPUs and widths
            assertThat(line.get("vector_bits").asInt())
                    .isEqualTo(Kernels.path().equals("vector") ? 32 * Kernels.floats().lanes() : 0);
            assertThat(line.get("cpu").asText()).isEqualTo(Platform.cpu()).contains(System.getProperty("os.arch"));
            assertThat(line.get("java").asText()).isEqualTo(System.getProperty("java.version"));
        }
    }

    @Test
    void unknownWorkloadAndBadThreadsAreUserErrors() {
        CliTest.Run r = CliTest.run("bench", "--workload", "mse_1M");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown workload 'mse_1M'").contains("mse_10M_f32");
        r = CliTest.run("bench", "--threads", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--threads must be at least 1");
    }

    @Test
    void workloadsHaveTheShapesAndDistributionsOfTheTorchBaseline() {
        Workloads.Workload w = Workloads.make("bce_logits_10M_f32");
        float[] y = w.f32("target");
        long ones = 0;
        for (float v : y) {
            assertThat(v == 0f || v == 1f).isTrue();
            ones += v == 1f ? 1 : 0;
        }
        assertThat(ones / 1e7).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        float[] x = w.f32("input");
        double s = 0;
        double ss = 0;
        for (float v : x) {
            s += v;
            ss += v * v;
        }
        assertThat(s / x.length).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(ss / x.length).isCloseTo(1, org.assertj.core.data.Offset.offset(0.01));
        assertThat(w.inputs.gradBuffer("input").f32()).hasSize(10_000_000);

        Workloads.Workload ctc = Workloads.make("ctc_T200_N32_C30_S50_f32");
        assertThat(ctc.elements).isEqualTo(200L * 32 * 30);
        float[] lp = ctc.f32("log_probs");
        double p = 0;
        for (int k = 0; k < 30; k++) {
            p += Math.exp(lp[k]);
        }
        assertThat(p).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
        for (long t : ctc.i64("targets")) {
            assertThat(t).isBetween(1L, 29L);
        }
        Workloads.Workload tr = Workloads.make("triplet_4096x256_f32");
        assertThat(tr.elements).isEqualTo(3L * 4096 * 256);
        assertThat(tr.inputs.gradBuffers()).containsOnlyKeys("anchor", "positive", "negative");
        // a workload whose loss is registered computes through the public API into its buffers
        Workloads.Workload mse = Workloads.elementwise("mse_small", "mse", Map.of(), 1001,
                new java.util.SplittableRandom(1));
        double v = Losses.create("mse").compute(mse.inputs).value();
        assertThat(v).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.3));
        assertThat(mse.inputs.gradBuffer("input").f32()[5]).isNotZero();
    }
}
