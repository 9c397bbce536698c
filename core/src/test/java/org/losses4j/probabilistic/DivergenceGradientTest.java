package org.losses4j.probabilistic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.probabilistic.DivergenceData.distributions;
import static org.losses4j.probabilistic.DivergenceData.log;
import static org.losses4j.probabilistic.DivergenceData.uniform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Finite-difference checks (float64) of every returned gradient, for every loss of
 * DivergenceLosses over every option combination, on random inputs away from the domain
 * boundaries (probabilities bounded away from 0 and 1, so that the perturbed inputs stay valid).
 */
class DivergenceGradientTest {
    private static final List<String> KL_REDUCTIONS = List.of("batchmean", "mean", "sum", "none");
    private static final List<String> REDUCTIONS = List.of("mean", "sum", "none");
    private static final int[][] SHAPES = {{3, 4}, {2, 3, 2}, {1, 5}};

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** input log Q and target P (or log P) for a [N, C, *] shape, both normalised over dim 1. */
    private static Inputs divergenceInputs(Random r, int[] shape, boolean logTarget) {
        int inner = shape.length == 3 ? shape[2] : 1;
        double[] q = distributions(r, shape[0], shape[1], inner, 0.2);
        double[] p = distributions(r, shape[0], shape[1], inner, 0.2);
        return DivergenceData.pair(log(q), logTarget ? log(p) : p, shape);
    }

    private static void checkAll(Loss loss, Inputs in, String... expectedGrads) {
        LossResult res = loss.compute(in);
        assertThat(res.grads().keySet()).as(loss.toString()).containsExactly(expectedGrads);
        GradCheck.gradients(loss, in);
    }

    @Test
    void klDivEveryReductionAndLogTarget() {
        Random r = new Random(11);
        for (boolean logTarget : new boolean[] {false, true}) {
            for (String red : KL_REDUCTIONS) {
                for (int[] shape : SHAPES) {
                    Loss loss = Losses.create("kl_div", opts("log_target", logTarget, "reduction", red));
                    checkAll(loss, divergenceInputs(r, shape, logTarget), "input", "target");
                }
            }
        }
    }

    @Test
    void klDivGradientsAlsoOnUnnormalisedLogProbabilities() {
        // the loss does not assume rows sum to 1: any log Q <= 0, any P in [0, 1]
        Random r = new Random(12);
        for (boolean logTarget : new boolean[] {false, true}) {
            double[] x = uniform(r, 12, -5, -0.01);
            double[] p = uniform(r, 12, 0.01, 0.99);
            Loss loss = Losses.create("kl_div", opts("log_target", logTarget, "reduction", "sum"));
            checkAll(loss, DivergenceData.pair(x, logTarget ? log(p) : p, 4, 3), "input", "target");
        }
    }

    @Test
    void reverseKlDivEveryReductionAndLogTarget() {
        Random r = new Random(13);
        for (boolean logTarget : new boolean[] {false, true}) {
            for (String red : KL_REDUCTIONS) {
                for (int[] shape : SHAPES) {
                    Loss loss = Losses.create("reverse_kl_div", opts("log_target", logTarget, "reduction", red));
                    checkAll(loss, divergenceInputs(r, shape, logTarget), "input");
                }
            }
        }
    }

    @Test
    void jsDivEveryReduction() {
        Random r = new Random(14);
        for (String red : KL_REDUCTIONS) {
            for (int[] shape : SHAPES) {
                Loss loss = Losses.create("js_div", opts("reduction", red));
                checkAll(loss, divergenceInputs(r, shape, false), "input", "target");
            }
        }
    }

    @Test
    void jsDivGradientsOnUnnormalisedInputs() {
        Random r = new Random(15);
        double[] x = uniform(r, 12, -6, -0.01);
        double[] p = uniform(r, 12, 0.01, 0.99);
        checkAll(Losses.create("js_div", opts("reduction", "sum")), DivergenceData.pair(x, p, 3, 4), "input",
                "target");
    }

    @Test
    void perplexityEveryIgnoreIndexAndShape() {
        Random r = new Random(16);
        for (long ignore : new long[] {-100, 0, 2}) {
            // [N, C] with target [N]
            int n = 6;
            int c = 4;
            double[] x = log(distributions(r, n, c, 1, 0.2));
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 3 == 0 ? ignore : r.nextInt(c);
            }
            y[1] = ignore == 0 ? 1 : 0; // at least one kept target
            Loss loss = Losses.create("perplexity", opts("ignore_index", ignore));
            checkAll(loss, Inputs.of(Tensor.of(x, n, c), Tensor.ofLabels(y, n)), "input");
            // [N, C, T] with target [N, T]
            int t = 3;
            double[] x3 = log(distributions(r, 2, c, t, 0.2));
            long[] y3 = new long[2 * t];
            for (int i = 0; i < y3.length; i++) {
                y3[i] = i == 4 ? ignore : r.nextInt(c);
            }
            y3[0] = ignore == 0 ? 3 : 0;
            checkAll(loss, Inputs.of(Tensor.of(x3, 2, c, t), Tensor.ofLabels(y3, 2, t)), "input");
        }
    }

    @Test
    void gaussianKlEveryReduction() {
        Random r = new Random(17);
        for (String red : REDUCTIONS) {
            for (int[] shape : new int[][] {{4, 3}, {1, 5}, {3, 1}}) {
                int n = size(shape);
                Inputs in = Inputs.of("mu", Tensor.of(uniform(r, n, -2, 2), shape))
                        .with("logvar", Tensor.of(uniform(r, n, -3, 2), shape));
                checkAll(Losses.create("gaussian_kl", opts("reduction", red)), in, "mu", "logvar");
            }
        }
    }

    @Test
    void vaeEveryReconstructionReductionAndBeta() {
        Random r = new Random(18);
        int[] shape = {3, 2, 3};
        int n = size(shape);
        for (String rec : List.of("bce", "bce_with_logits", "mse")) {
            for (String red : REDUCTIONS) {
                for (double beta : new double[] {0.0, 0.5, 1.0, 4.0}) {
                    double[] x;
                    double[] y = uniform(r, n, 0, 1);
                    y[0] = 0;
                    y[1] = 1;
                    switch (rec) {
                        case "bce":
                            x = uniform(r, n, 0.05, 0.95);
                            break;
                        case "bce_with_logits":
                            x = uniform(r, n, -4, 4);
                            break;
                        default:
                            x = uniform(r, n, -2, 2);
                            y = uniform(r, n, -2, 2);
                    }
                    Inputs in = Inputs.of("recon", Tensor.of(x, shape)).with("target", Tensor.of(y, shape))
                            .with("mu", Tensor.of(uniform(r, 6, -2, 2), 3, 2))
                            .with("logvar", Tensor.of(uniform(r, 6, -2, 2), 3, 2));
                    Loss loss = Losses.create("vae", opts("reconstruction", rec, "reduction", red, "beta", beta));
                    checkAll(loss, in, "recon", "mu", "logvar");
                }
            }
        }
    }

    @Test
    void callerGradientBuffersReceiveBothKlGradients() {
        // batchmean, N = 2: ∂/∂log Q = −P/2, ∂/∂P = (log P + 1 − log Q)/2
        double[] lq = {Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5)};
        double[] p = {0.5, 0.5, 0.9, 0.1};
        Loss kl = Losses.create("kl_div");
        double[] bx = new double[4];
        double[] bt = new double[4];
        LossResult r = kl.compute(DivergenceData.pair(lq, p, 2, 2).gradInto("input", Tensor.of(bx, 2, 2))
                .gradInto("target", Tensor.of(bt, 2, 2)));
        float[] fx = new float[4];
        float[] ft = new float[4];
        LossResult r32 = kl.compute(Inputs.of(Tensor.of(DivergenceData.narrow(lq), 2, 2),
                Tensor.of(DivergenceData.narrow(p), 2, 2)).gradInto("input", Tensor.of(fx, 2, 2))
                .gradInto("target", Tensor.of(ft, 2, 2)));
        assertThat(r.grad("input").f64()).isSameAs(bx);
        assertThat(r.grad("target").f64()).isSameAs(bt);
        assertThat(r32.grad("input").f32()).isSameAs(fx);
        assertThat(r32.grad("target").f32()).isSameAs(ft);
        for (int i = 0; i < 4; i++) {
            double ex = -p[i] / 2;
            double et = (Math.log(p[i]) + 1 - lq[i]) / 2;
            assertThat(bx[i]).isCloseTo(ex, org.assertj.core.api.Assertions.within(1e-15));
            assertThat(bt[i]).isCloseTo(et, org.assertj.core.api.Assertions.within(1e-15));
            assertThat((double) fx[i]).isCloseTo(ex, org.assertj.core.api.Assertions.within(1e-6));
            assertThat((double) ft[i]).isCloseTo(et, org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void vaeWithRank1Recon() {
        // recon [N]: one reconstruction element per row
        Random r = new Random(19);
        Inputs in = Inputs.of("recon", Tensor.vector(uniform(r, 4, 0.1, 0.9)))
                .with("target", Tensor.vector(uniform(r, 4, 0, 1)))
                .with("mu", Tensor.of(uniform(r, 8, -1, 1), 4, 2))
                .with("logvar", Tensor.of(uniform(r, 8, -1, 1), 4, 2));
        checkAll(Losses.create("vae"), in, "recon", "mu", "logvar");
    }
}
