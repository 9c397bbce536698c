package org.losses4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.losses4j.Loss;
import org.losses4j.Tensor;
import org.losses4j.cli.BenchPeer;
import org.losses4j.cli.Workloads;

/**
 * libtorch 2.7 (through DJL) and losses4j compute the same value and gradient on every workload
 * (at {@link Workloads#small} sizes, same loss, options and data): an independent check that the
 * benchmark compares like with like. No timing here.
 */
class LibtorchPeerTest {
    static final java.util.List<String> NAMES = Workloads.NAMES;

    @ParameterizedTest
    @FieldSource("NAMES")
    void sameValueAndGradientAsLosses4j(String name) {
        Workloads.Workload w = Workloads.small(name);
        Loss loss = w.create();
        double mine = loss.compute(w.inputs).value();
        LibtorchPeer peer = new LibtorchPeer();
        try (BenchPeer.Step step = peer.prepare(w)) {
            double theirs = step.run();
            assertThat(theirs).as("value").isCloseTo(mine, org.assertj.core.data.Offset.offset(2e-6 * Math.max(1, Math.abs(mine))));
            step.run(); // a second step makes a new gradient, not twice the first
            for (Map.Entry<String, Tensor> e : w.inputs.gradBuffers().entrySet()) {
                float[] g = e.getValue().f32();
                if (w.loss.equals("ctc")) {
                    g = torchCtcGradient(w, g);
                }
                float[] t = step.gradient(e.getKey());
                assertThat(t).hasSameSizeAs(g);
                double scale = 0;
                for (float v : g) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertThat(scale).as("a gradient that is not all zeros").isPositive();
                for (int i = 0; i < g.length; i++) {
                    assertThat((double) t[i]).as("%s d/d%s[%d]", name, e.getKey(), i)
                            .isCloseTo(g[i], org.assertj.core.data.Offset.offset(1e-4 * scale + 1e-5 * Math.abs(g[i])));
                }
            }
        }
    }

    /**
     * PyTorch's ctc_loss backward returns exp(log_probs) minus the posterior occupancy (the
     * gradient through a log_softmax: the Ctc javadoc), each sample weighted like its term
     * (1 / (target_length · N) under mean); losses4j's is the exact derivative, minus the
     * posterior. So libtorch's = losses4j's + exp(log_probs) · weight on the frames a sample has.
     */
    static float[] torchCtcGradient(Workloads.Workload w, float[] g) {
        int[] shape = w.inputs.get("log_probs").shape();
        int n = shape[1];
        int c = shape[2];
        float[] lp = w.f32("log_probs");
        long[] il = w.i64("input_lengths");
        long[] tl = w.i64("target_lengths");
        float[] out = g.clone();
        for (int t = 0; t < shape[0]; t++) {
            for (int s = 0; s < n; s++) {
                if (t >= il[s]) {
                    continue;
                }
                double weight = 1.0 / (Math.max(tl[s], 1) * (double) n);
                for (int k = 0; k < c; k++) {
                    int i = (t * n + s) * c + k;
                    out[i] = (float) (g[i] + Math.exp(lp[i]) * weight);
                }
            }
        }
        return out;
    }

    @org.junit.jupiter.api.Test
    void threadsAreSetAndTheVersionIs27() {
        LibtorchPeer peer = new LibtorchPeer();
        assertThat(peer.version()).startsWith("2.7");
        peer.setThreads(1);
        assertThat(LibtorchPeer.threads()).isEqualTo(1);
        peer.setThreads(2);
        assertThat(LibtorchPeer.threads()).isEqualTo(2);
        peer.setThreads(1);
    }
}
