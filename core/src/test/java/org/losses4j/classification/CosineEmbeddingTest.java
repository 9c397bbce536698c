package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.assertRefused;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * cosine_embedding: finite differences over margins and reductions away from the kink, the naive
 * cosine with PyTorch's ε, scale invariance, the similar-pair term against cosine_similarity, zero
 * vectors, rows of 1e200 (finite, as the scaled-down rows), NaN, float32, refusals.
 */
class CosineEmbeddingTest {
    static Inputs data(Random r, int n, int d, double margin) {
        double[] a = new double[n * d];
        double[] b = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            do {
                for (int k = 0; k < d; k++) {
                    a[i * d + k] = r.nextGaussian();
                    b[i * d + k] = r.nextGaussian();
                }
            } while (Math.abs(naiveCos(a, b, i * d, d) - margin) < 0.05);
            y[i] = r.nextBoolean() ? 1 : -1;
        }
        return Inputs.of("input1", Tensor.of(a, n, d)).with("input2", Tensor.of(b, n, d)).with("target",
                Tensor.vector(y));
    }

    /** PyTorch's cosine, naively: Σ ab / sqrt((Σ a² + ε)(Σ b² + ε)), ε the float 1e-12. */
    static double naiveCos(double[] a, double[] b, int o, int d) {
        double p = 0;
        double aa = 0;
        double bb = 0;
        for (int k = o; k < o + d; k++) {
            p += a[k] * b[k];
            aa += a[k] * a[k];
            bb += b[k] * b[k];
        }
        double eps = 1e-12f;
        return p / Math.sqrt((aa + eps) * (bb + eps));
    }

    @Test
    void gradientIsTheFiniteDifference() {
        Random r = new Random(15);
        for (double m : new double[] {-1, -0.5, 0, 0.3, 0.9}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                GradCheck.gradients(Losses.create("cosine_embedding", Map.of("margin", m, "reduction", red)),
                        data(r, 5, 3, m), 1e-6, 1e-7);
            }
        }
    }

    @Property(tries = 40)
    void naiveFormulaAndScaleInvariance(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 6) int d, @ForAll @DoubleRange(min = -1, max = 1) double m,
            @ForAll @DoubleRange(min = 0.5, max = 100) double s) {
        Inputs in = data(new Random(seed), n, d, m);
        double[] a = in.get("input1").f64();
        double[] b = in.get("input2").f64();
        double[] y = in.get("target").f64();
        var loss = Losses.create("cosine_embedding", Map.of("margin", m, "reduction", "none"));
        double[] t = loss.value(in).terms().f64();
        double[] as = a.clone();
        for (int i = 0; i < as.length; i++) {
            as[i] *= s;
        }
        double[] ts = loss.value(Inputs.of("input1", Tensor.of(as, n, d)).with("input2", in.get("input2"))
                .with("target", in.get("target"))).terms().f64();
        for (int i = 0; i < n; i++) {
            double c = naiveCos(a, b, i * d, d);
            assertClose(t[i], y[i] == 1 ? 1 - c : Math.max(0, c - m), 1e-14);
            assertThat(ts[i]).isCloseTo(t[i], within(1e-6)); // ε is far below these squared norms
        }
    }

    /** A similar pair costs 1 + cosine_similarity's term (−cos) where the norms are far above both floors. */
    @Property(tries = 30)
    void similarPairsAreOnePlusCosineSimilarity(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n) {
        Inputs in = data(new Random(seed), n, 4, 0);
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        double[] t = Losses.create("cosine_embedding", Map.of("reduction", "none")).value(Inputs.of("input1",
                in.get("input1")).with("input2", in.get("input2")).with("target", Tensor.vector(ones))).terms().f64();
        double[] c = Losses.create("cosine_similarity", Map.of("reduction", "none"))
                .value(Inputs.of(in.get("input1"), in.get("input2"))).terms().f64();
        for (int i = 0; i < n; i++) {
            assertThat(t[i]).isCloseTo(1 + c[i], within(1e-8)); // the two ε differ by ε/‖x‖²
        }
    }

    @Test
    void zeroHugeAndNaNRows() {
        var loss = CosineEmbedding.builder().margin(-0.5).reduction(org.losses4j.Reduction.NONE).build();
        // a zero vector: cos 0, finite gradient x2/sqrt(εB) for the similar pair
        LossResult z = loss.compute(Inputs.of("input1", Tensor.of(new double[] {0, 0, 0, 0}, 2, 2))
                .with("input2", Tensor.of(new double[] {3, 4, 3, 4}, 2, 2)).with("target", Tensor.vector(
                        new double[] {1, -1})));
        assertThat(z.terms().f64()).containsExactly(1.0, 0.5);
        double eps = 1e-12f;
        assertThat(z.grad("input1").f64()[0]).isCloseTo(-3 / Math.sqrt(eps * (25 + eps)), within(1e-3));
        // components of 1e200 (whose squares overflow): finite, the value of the rows scaled down
        double[] a = {1e200, -2e200, 3e200};
        double[] b = {2e200, 1e200, -1e200};
        LossResult h = loss.compute(Inputs.of("input1", Tensor.of(a, 1, 3)).with("input2", Tensor.of(b, 1, 3))
                .with("target", Tensor.vector(new double[] {1})));
        // the same rows at 1e6, where ε is 1e-25 of the squared norms
        LossResult s = loss.compute(Inputs.of("input1", Tensor.of(new double[] {1e6, -2e6, 3e6}, 1, 3))
                .with("input2", Tensor.of(new double[] {2e6, 1e6, -1e6}, 1, 3)).with("target", Tensor.vector(
                        new double[] {1})));
        assertThat(h.value()).isCloseTo(s.value(), within(1e-15));
        for (int k = 0; k < 3; k++) {
            assertThat(h.grad("input1").f64()[k] * 1e194).isCloseTo(s.grad("input1").f64()[k], within(1e-20));
        }
        LossResult nan = loss.compute(Inputs.of("input1", Tensor.of(new double[] {Double.NaN, 1, 0.5, 2}, 2, 2))
                .with("input2", Tensor.of(new double[] {1, 1, 1, -1}, 2, 2)).with("target", Tensor.vector(
                        new double[] {1, -1})));
        assertThat(nan.terms().f64()[0]).isNaN();
        assertThat(nan.terms().f64()[1]).isFinite();
        assertThat(nan.grad("input2").f64()[1]).isNaN();
        assertThat(nan.grad("input2").f64()[2]).isFinite();
    }

    @Test
    void float32AndRefusals() {
        Inputs in = data(new Random(10), 5, 4, 0.2);
        Inputs d = Inputs.of("input1", Tensor.of(MulticlassReference.roundToFloat(in.get("input1").f64()), 5, 4))
                .with("input2", Tensor.of(MulticlassReference.roundToFloat(in.get("input2").f64()), 5, 4))
                .with("target", in.get("target"));
        Inputs f = Inputs.of("input1", Tensor.of(MulticlassReference.toFloat(d.get("input1").f64()), 5, 4))
                .with("input2", Tensor.of(MulticlassReference.toFloat(d.get("input2").f64()), 5, 4))
                .with("target", Tensor.vector(MulticlassReference.toFloat(d.get("target").f64())));
        var loss = Losses.create("cosine_embedding", Map.of("margin", 0.2));
        TestSupport.compare32(loss.compute(f), loss.compute(d));
        Tensor x = Tensor.of(new double[6], 2, 3);
        assertRefused(() -> loss.compute(Inputs.of("input1", x).with("input2", x).with("target",
                Tensor.vector(new double[] {1, 0}))), ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.0 is not one of {-1, 1}");
        assertRefused(() -> loss.compute(Inputs.of("input1", x).with("input2", x).with("target",
                Tensor.vector(new double[] {1, 1, 1}))), ErrorKind.SHAPE_MISMATCH, "target shape [3] must be [2]");
        assertRefused(() -> loss.compute(Inputs.of("input1", x).with("input2", Tensor.of(new double[6], 3, 2))
                .with("target", Tensor.vector(new double[] {1, 1}))), ErrorKind.SHAPE_MISMATCH,
                "input2 shape [3, 2] != input1 shape [2, 3]");
        assertRefused(() -> loss.compute(Inputs.of("input1", Tensor.vector(new double[3])).with("input2",
                Tensor.vector(new double[3])).with("target", Tensor.vector(new double[] {1}))), ErrorKind.SHAPE_MISMATCH,
                "input1 must have rank 2");
        assertRefused(() -> Losses.create("cosine_embedding", Map.of("margin", 1.5)), ErrorKind.INVALID_OPTION,
                "option margin = 1.5 must be in [-1, 1]");
    }
}
