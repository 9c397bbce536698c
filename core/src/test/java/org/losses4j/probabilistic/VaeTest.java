package org.losses4j.probabilistic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.probabilistic.DivergenceData.uniform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** vae against its definition evaluated independently here, and at the BCE clamp and logits ±1e4. */
class VaeTest {
    private static Loss vae(String rec, double beta, String red) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reconstruction", rec);
        m.put("beta", beta);
        m.put("reduction", red);
        return Losses.create("vae", m);
    }

    private static Inputs inputs(double[] x, double[] y, int[] shape, double[] mu, double[] lv, int d) {
        int n = shape[0];
        return Inputs.of("recon", Tensor.of(x, shape)).with("target", Tensor.of(y, shape))
                .with("mu", Tensor.of(mu, n, d)).with("logvar", Tensor.of(lv, n, d));
    }

    /** The catalog's definition, written out naively (no shared code with the implementation). */
    private static double[] rowTerms(String rec, double beta, double[] x, double[] y, int n, double[] mu, double[] lv) {
        int len = x.length / n;
        int d = mu.length / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double r = 0;
            for (int k = i * len; k < (i + 1) * len; k++) {
                switch (rec) {
                    case "bce":
                        r += -(y[k] * Math.max(Math.log(x[k]), -100) + (1 - y[k]) * Math.max(Math.log(1 - x[k]), -100));
                        break;
                    case "bce_with_logits": {
                        double sig = 1 / (1 + Math.exp(-x[k]));
                        r += -(y[k] * Math.log(sig) + (1 - y[k]) * Math.log(1 - sig));
                        break;
                    }
                    default:
                        r += (x[k] - y[k]) * (x[k] - y[k]);
                }
            }
            double kl = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                kl += 1 + lv[k] - mu[k] * mu[k] - Math.exp(lv[k]);
            }
            out[i] = r + beta * (-0.5 * kl);
        }
        return out;
    }

    @Property(tries = 100)
    void vaeIsReconstructionPlusBetaKl(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 4) int d,
            @ForAll @DoubleRange(min = 0, max = 5) double beta, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = {n, 2, 3};
        int m = n * 6;
        double[] mu = uniform(r, n * d, -2, 2);
        double[] lv = uniform(r, n * d, -2, 2);
        for (String rec : List.of("bce", "bce_with_logits", "mse")) {
            double[] x = rec.equals("bce") ? uniform(r, m, 0.01, 0.99) : uniform(r, m, -5, 5);
            double[] y = rec.equals("mse") ? uniform(r, m, -5, 5) : uniform(r, m, 0, 1);
            double[] expect = rowTerms(rec, beta, x, y, n, mu, lv);
            double total = DivergenceData.sum(expect);
            Inputs in = inputs(x, y, shape, mu, lv, d);
            double tol = 1e-12 * (1 + Math.abs(total));
            assertThat(vae(rec, beta, "sum").value(in).value()).isCloseTo(total, within(tol));
            assertThat(vae(rec, beta, "mean").value(in).value()).isCloseTo(total / n, within(tol));
            assertThat(vae(rec, beta, "none").value(in).terms().f64()).containsExactly(expect, within(tol));
        }
    }

    @Test
    void bceReconstructionAtExactZeroAndOneClampsAt100WithPyTorchGradients() {
        // recon (0, 1, 0, 1, 0, 1) vs target (0, 1, 1, 0, 0.5, 0.5):
        // terms 0, 0, 100 (log 0 clamped), 100, ½·100 + ½·0 = 50, 50  → row sum 300
        double[] x = {0, 1, 0, 1, 0, 1};
        double[] y = {0, 1, 1, 0, 0.5, 0.5};
        LossResult r = vae("bce", 1, "sum").compute(inputs(x, y, new int[] {1, 6}, new double[] {0}, new double[] {0}, 1));
        assertThat(r.value()).isEqualTo(300.0);
        // PyTorch BCELoss: (x − y)/max(x(1 − x), 1e-12)
        assertThat(r.grad("recon").f64()).containsExactly(0, 0, -1e12, 1e12, -0.5e12, 0.5e12);
        // the KL part is 0 at the prior, with zero gradients
        assertThat(r.grad("mu").f64()).containsExactly(0);
        assertThat(r.grad("logvar").f64()).containsExactly(0);
    }

    @Test
    void logitReconstructionAtPlusMinus1e4IsExactAndFinite() {
        // z = 1e4, y = 0: 1e4; z = −1e4, y = 1: 1e4; right answers: 0; y = ½ at z = 1e4: ½·1e4
        double[] x = {1e4, -1e4, 1e4, -1e4, 1e4};
        double[] y = {0, 1, 1, 0, 0.5};
        LossResult r = vae("bce_with_logits", 1, "none")
                .compute(inputs(x, y, new int[] {1, 5}, new double[] {0}, new double[] {0}, 1));
        assertThat(r.terms().f64()).containsExactly(2.5e4);
        // σ(z) − y
        assertThat(r.grad("recon").f64()).containsExactly(1, -1, 0, 0, 0.5);
    }

    @Test
    void betaScalesOnlyTheKlGradients() {
        Random r = new Random(3);
        double[] x = uniform(r, 8, 0.1, 0.9);
        double[] y = uniform(r, 8, 0, 1);
        double[] mu = uniform(r, 4, -1, 1);
        double[] lv = uniform(r, 4, -1, 1);
        Inputs in = inputs(x, y, new int[] {2, 4}, mu, lv, 2);
        LossResult b0 = vae("bce", 0, "sum").compute(in);
        LossResult b3 = vae("bce", 3, "sum").compute(in);
        // β = 0: the KL gradients vanish (±0.0)
        assertThat(b0.grad("mu").f64()).containsExactly(new double[4], within(0.0));
        assertThat(b0.grad("logvar").f64()).containsExactly(new double[4], within(0.0));
        assertThat(b3.grad("recon").f64()).containsExactly(b0.grad("recon").f64());
        for (int i = 0; i < 4; i++) {
            // β·μ and β·½(e^lv − 1)
            assertThat(b3.grad("mu").f64()[i]).isCloseTo(3 * mu[i], within(1e-15));
            assertThat(b3.grad("logvar").f64()[i]).isCloseTo(1.5 * (Math.exp(lv[i]) - 1), within(1e-14));
        }
    }

    @Test
    void nanPropagatesToItsRowOnly() {
        double[] x = {Double.NaN, 0.5, 0.5, 0.5};
        double[] y = {0.5, 0.5, 0.5, 0.5};
        for (String rec : List.of("bce", "bce_with_logits", "mse")) {
            LossResult r = vae(rec, 1, "none").compute(inputs(x, y, new int[] {2, 2}, new double[] {0, 0},
                    new double[] {0, 0}, 1));
            assertThat(r.terms().f64()[0]).as(rec).isNaN();
            assertThat(r.terms().f64()[1]).as(rec).isFinite();
        }
        LossResult kl = vae("mse", 1, "none").compute(inputs(new double[] {1, 1}, new double[] {1, 1}, new int[] {2, 1},
                new double[] {Double.NaN, 0}, new double[] {0, 0}, 1));
        assertThat(kl.terms().f64()[0]).isNaN();
        assertThat(kl.terms().f64()[1]).isEqualTo(0.0);
    }

    @Test
    void mseReconstructionOfHugeValuesStaysFinite() {
        // (1e150 − (−1e150))² = 4e300
        LossResult r = vae("mse", 1, "sum").compute(inputs(new double[] {1e150}, new double[] {-1e150}, new int[] {1, 1},
                new double[] {0}, new double[] {0}, 1));
        assertThat(r.value()).isCloseTo(4e300, within(1e286));
        assertThat(r.grad("recon").f64()[0]).isCloseTo(4e150, within(1e136));
    }
}
