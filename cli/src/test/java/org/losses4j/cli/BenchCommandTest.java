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
    void aPeerIsTimedBesideLosses4jWithTheRatioAndTheLimit() throws Exception {
        CliTest.Run r = CliTest.run("bench", "--peer", "fake", "--workload", "ce_65536x10_f32,ctc_T200_N32_C30_S50_f32",
                "--json", "--reps", "3", "--warmup", "0", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(FakeBenchPeer.threads).isEqualTo(2);
        List<String> lines = r.out().lines().toList();
        // the triad, then losses4j and the peer on ce, then losses4j alone on ctc (the peer refused it)
        assertThat(lines).hasSize(4);
        assertThat(r.err()).contains("fake skipped ctc_T200_N32_C30_S50_f32: no ctc here");
        JsonNode mine = JSON.readTree(lines.get(1));
        JsonNode theirs = JSON.readTree(lines.get(2));
        for (JsonNode line : List.of(mine, theirs)) {
            assertThat(line.get("workload").asText()).isEqualTo("ce_65536x10_f32");
            assertThat(line.get("threads").asInt()).isEqualTo(2);
            assertThat(line.get("elements").asLong()).isEqualTo(655_360L);
            assertThat(line.get("bytes").asLong()).isEqualTo(8L * 655_360);
            assertThat(line.get("min_ms").asDouble()).isPositive().isLessThanOrEqualTo(line.get("median_ms").asDouble());
            // the same triad, interleaved with both, gives both their limit
            assertThat(line.get("triad_gb_per_s").asDouble()).isEqualTo(mine.get("triad_gb_per_s").asDouble()).isPositive();
            assertThat(line.get("limit_ms").asDouble()).isEqualTo(mine.get("limit_ms").asDouble());
            assertThat(line.get("fraction_of_limit").asDouble())
                    .isCloseTo(line.get("limit_ms").asDouble() / line.get("median_ms").asDouble(),
                            org.assertj.core.data.Offset.offset(0.002));
            assertThat(line.get("cpu").asText()).isEqualTo(Platform.cpu());
        }
        assertThat(mine.get("impl").asText()).isEqualTo("losses4j");
        assertThat(mine.get("peer").asText()).isEqualTo("fake");
        assertThat(mine.get("peer_median_ms").asDouble()).isEqualTo(theirs.get("median_ms").asDouble());
        assertThat(mine.get("ratio").asDouble()).isCloseTo(
                mine.get("median_ms").asDouble() / theirs.get("median_ms").asDouble(),
                org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(theirs.get("impl").asText()).isEqualTo("fake");
        assertThat(theirs.get("version").asText()).isEqualTo("0.0");
        JsonNode ctc = JSON.readTree(lines.get(3));
        assertThat(ctc.get("workload").asText()).isEqualTo("ctc_T200_N32_C30_S50_f32");
        assertThat(ctc.has("ratio")).isFalse();
    }

    @Test
    void anUnknownPeerIsAUserErrorNamingThePeersFound() {
        CliTest.Run r = CliTest.run("bench", "--peer", "libtorch", "--workload", "mse_10M_f32");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no bench peer 'libtorch'").contains("found: fake").contains("./losses bench --peer");
    }

    @Test
    void smallWorkloadsKeepTheLossAndOptions() {
        // the small forms of the workloads that are quick to make at full size
        for (String name : List.of("ce_65536x10_f32", "ctc_T200_N32_C30_S50_f32", "dice_8x4x256x256_f32",
                "triplet_4096x256_f32")) {
            Workloads.Workload big = Workloads.make(name);
            Workloads.Workload small = Workloads.small(name);
            assertThat(small.loss).isEqualTo(big.loss);
            assertThat(small.options).isEqualTo(big.options);
            assertThat(small.elements).isLessThan(big.elements);
            assertThat(small.inputs.tensors().keySet()).isEqualTo(big.inputs.tensors().keySet());
        }
        for (String name : Workloads.NAMES) {
            assertThat(Workloads.small(name).elements).isLessThanOrEqualTo(30_000L);
        }
        Workloads.Workload ce = Workloads.small("ce_2048x131072_f32");
        assertThat(ce.loss).isEqualTo("cross_entropy");
        assertThat(ce.bytes).isEqualTo(8L * ce.elements);
        Workloads.Workload focal = Workloads.make("focal_10M_f32");
        assertThat(focal.options).containsEntry("alpha", 0.25).containsEntry("gamma", 2.0);
        // the data of bce_logits_10M_f32
        assertThat(focal.f32("target")).isEqualTo(Workloads.make("bce_logits_10M_f32").f32("target"));
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
