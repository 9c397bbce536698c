package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * cross_entropy at the edges: logits of ±1e4 and −∞ against closed forms, 100,000 classes,
 * NaN propagation, every target ignored, empty inputs, refusals (kind and message).
 */
class CrossEntropyExtremesTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Loss ce(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create("cross_entropy", m);
    }

    private static void assertClose(double[] got, double[] want, double tol) {
        assertThat(got).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(tol));
        }
    }

    @Test
    void hugeLogitsGiveExactValuesAndGradients() {
        double[] x = {1e4, -1e4, 0, -1e4, 1e4, 5, 1e4, 1e4, -1e4};
        LossResult r = ce("reduction", "none").compute(Inputs.of(Tensor.of(x, 3, 3), Tensor.labels(0, 0, 0)));
        // row 0: p = (1, 0, 0) to double precision → 0; row 1: −log p_0 = 2e4 + log(1 + e^(5−1e4)) = 2e4;
        // row 2: two equal maxima → log 2
        assertClose(r.terms().f64(), new double[] {0, 2e4, Math.log(2)}, 1e-12);
        assertClose(r.grad().f64(), new double[] {0, 0, 0, -1, 1, 0, -0.5, 0.5, 0}, 1e-15);
        for (double g : r.grad().f64()) {
            assertThat(g).isFinite();
        }
    }

    /**
     * z_loss at logits of ±1e4: log Z is 1e4 (or −1e4 + log 3) to double precision, so the term is
     * ce + c·(log Z)², finite, and the gradient gains 2c·log Z·p_j; float32 gives the same to float rounding.
     */
    @Test
    void zLossAtHugeLogits() {
        double c = 1e-4;
        double[] x = {1e4, -1e4, 0, -1e4, -1e4, -1e4};
        LossResult r = ce("reduction", "none", "z_loss", c).compute(Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(1, 2)));
        double lz1 = -1e4 + Math.log(3);
        assertClose(r.terms().f64(), new double[] {2e4 + c * 1e8, Math.log(3) + c * lz1 * lz1}, 1e-8);
        double g = 2 * c * lz1 / 3;
        assertClose(r.grad().f64(), new double[] {1 + 2 * c * 1e4, -1, 0, 1.0 / 3 + g, 1.0 / 3 + g, 1.0 / 3 - 1 + g},
                1e-12);
        float[] x32 = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x32[i] = (float) x[i];
        }
        LossResult r32 = ce("reduction", "none", "z_loss", c).compute(Inputs.of(Tensor.of(x32, 2, 3), Tensor.labels(1, 2)));
        org.losses4j.TestSupport.compare32(r32, r);
        refused(() -> ce("z_loss", -1e-4), ErrorKind.INVALID_OPTION, "z_loss = -1.0E-4 must be in [0, 1e15]");
        assertThat(CrossEntropy.builder().zLoss(0.5).build().options().get(CrossEntropy.Z_LOSS)).isEqualTo(0.5);
    }

    @Test
    void hugeLogitsWithSmoothingAndWeights() {
        double eps = 0.3;
        double[] w = {2, 0.5, 1};
        double[] x = {1e4, -1e4, 0};
        LossResult r = ce("reduction", "sum", "label_smoothing", eps)
                .compute(Inputs.of(Tensor.of(x, 1, 3), Tensor.labels(1)).with("weight", Tensor.vector(w)));
        // −log p = (0, 2e4, 1e4); term = (1 − ε)·w_1·2e4 + (ε/3)·(w_0·0 + w_1·2e4 + w_2·1e4)
        double expected = (1 - eps) * 0.5 * 2e4 + eps / 3 * (0.5 * 2e4 + 1e4);
        assertThat(r.value()).isCloseTo(expected, within(1e-9));
        // gradient: p·((1 − ε)w_y + (ε/C)·Σw) − (ε/C)·w − (1 − ε)w_y·onehot, with p = (1, 0, 0)
        double a = (1 - eps) * 0.5 + eps / 3 * 3.5;
        assertClose(r.grad().f64(), new double[] {a - eps / 3 * 2, -eps / 3 * 0.5 - (1 - eps) * 0.5, -eps / 3 * 1},
                1e-15);
    }

    @Test
    void minusInfinityLogits() {
        double[] x = {0, Double.NEGATIVE_INFINITY, 0};
        Tensor in = Tensor.of(x, 1, 3);
        // index target on a finite class: log 2, no NaN from the −∞ class
        LossResult r = ce().compute(Inputs.of(in, Tensor.labels(0)));
        assertThat(r.value()).isCloseTo(Math.log(2), within(1e-15));
        assertClose(r.grad().f64(), new double[] {-0.5, 0, 0.5}, 1e-15);
        // the −∞ class as the target: an infinite loss (the exact value), finite gradient p − onehot
        LossResult bad = ce().compute(Inputs.of(in, Tensor.labels(1)));
        assertThat(bad.value()).isEqualTo(INF);
        assertClose(bad.grad().f64(), new double[] {0.5, -1, 0.5}, 1e-15);
        // probability target with no mass on the −∞ class: 0·log 0 = 0
        LossResult p = ce().compute(Inputs.of(in, Tensor.of(new double[] {0.5, 0, 0.5}, 1, 3)));
        assertThat(p.value()).isCloseTo(Math.log(2), within(1e-15));
        assertClose(p.grad().f64(), new double[] {0, 0, 0}, 1e-15);
        // label smoothing puts mass on the −∞ class: infinite
        assertThat(ce("label_smoothing", 0.1).value(Inputs.of(in, Tensor.labels(0))).value()).isEqualTo(INF);
        // float32 native path agrees
        LossResult f = ce().compute(Inputs.of(Tensor.of(new float[] {0f, Float.NEGATIVE_INFINITY, 0f}, 1, 3),
                Tensor.labels(0)));
        assertThat(f.value()).isCloseTo(Math.log(2), within(1e-7));
        assertThat(f.grad().f32()).containsExactly(-0.5f, 0f, 0.5f);
    }

    @Test
    void confidentRowKeepsRelativePrecision() {
        // z = (0, 40, −40), y = 1: loss = log(1 + e^−40 + e^−80) ≈ 4.248e-18, far below ulp(1);
        // the gradient at y is −(1 − p_y) = −r/(1 + r) with r = e^−40 + e^−80
        double[] x = {0, 40, -40};
        double r = Math.exp(-40) + Math.exp(-80);
        double expected = Math.log1p(r);
        double[] want = {Math.exp(-40) / (1 + r), -r / (1 + r), Math.exp(-80) / (1 + r)};
        LossResult idx = ce().compute(Inputs.of(Tensor.of(x, 1, 3), Tensor.labels(1)));
        LossResult oneHot = ce().compute(Inputs.of(Tensor.of(x, 1, 3), Tensor.of(new double[] {0, 1, 0}, 1, 3)));
        for (LossResult res : new LossResult[] {idx, oneHot}) {
            assertThat(res.value()).isCloseTo(expected, within(1e-15 * expected));
            double[] g = res.grad().f64();
            for (int j = 0; j < 3; j++) {
                assertThat(g[j]).as("d/dx%d", j).isCloseTo(want[j], within(1e-14 * Math.abs(want[j])));
            }
        }
        // weighted and smoothed: −(1 − ε)·w_y·(1 − p_y) + (ε/C)·(W·p_y − w_y) at y
        double eps = 0.25;
        double[] w = {0.5, 2, 1.5};
        double py = 1 / (1 + r);
        double gy = -(1 - eps) * 2 * (r / (1 + r)) + eps / 3 * (4 * py - 2);
        LossResult s = ce("reduction", "sum", "label_smoothing", eps)
                .compute(Inputs.of(Tensor.of(x, 1, 3), Tensor.labels(1)).with("weight", Tensor.vector(w)));
        assertThat(s.grad().f64()[1]).isCloseTo(gy, within(1e-15 * Math.abs(gy)));
    }

    @Test
    void hundredThousandClasses() {
        int c = 100_000;
        double[] x = new double[c];
        int y = 12_345;
        x[y] = 10;
        LossResult r = ce().compute(Inputs.of(Tensor.of(x, 1, c), Tensor.labels(y)));
        double z = Math.exp(10) + (c - 1); // normaliser
        assertThat(r.value()).isCloseTo(Math.log(z) - 10, within(1e-12));
        double[] g = r.grad().f64();
        assertThat(g[y]).isCloseTo(Math.exp(10) / z - 1, within(1e-15));
        assertThat(g[0]).isCloseTo(1 / z, within(1e-18));
        assertThat(g[c - 1]).isCloseTo(1 / z, within(1e-18));
        // float32, two rows of random logits, against a naive float64 evaluation
        Random rnd = new Random(7);
        double[] xs = MulticlassReference.roundToFloat(MulticlassReference.uniform(rnd, 2 * c, -8, 8));
        long[] labels = {3, c - 2};
        double expect = MulticlassReference.crossEntropyIndex(xs, new int[] {2, c}, labels, null, -100, 0).mean();
        LossResult f = ce().compute(Inputs.of(Tensor.of(MulticlassReference.toFloat(xs), 2, c), Tensor.labels(labels)));
        assertThat(f.value()).isCloseTo(expect, within(1e-5 * expect));
        assertThat(f.grad().dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void nanPropagatesToItsRowOnly() {
        double[] x = {0.1, 0.2, 0.3, 0.4, Double.NaN, 0.6};
        for (int label : new int[] {0, 1}) { // NaN at the target class or elsewhere in the row
            LossResult r = ce("reduction", "none").compute(Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(2, label)));
            double[] t = r.terms().f64();
            assertThat(t[0]).isCloseTo(Math.log(Math.exp(0.1) + Math.exp(0.2) + Math.exp(0.3)) - 0.3, within(1e-15));
            assertThat(t[1]).isNaN();
            double[] g = r.grad().f64();
            for (int j = 0; j < 3; j++) {
                assertThat(g[j]).isFinite();
                assertThat(g[3 + j]).isNaN();
            }
            assertThat(ce().value(Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(2, label))).value()).isNaN();
        }
        // NaN in a probability target
        double[] y = {0.5, Double.NaN, 0.5};
        assertThat(ce().value(Inputs.of(Tensor.of(new double[] {1, 2, 3}, 1, 3), Tensor.of(y, 1, 3))).value()).isNaN();
        // float32
        float[] xf = {0.1f, Float.NaN, 0.3f};
        assertThat(ce().compute(Inputs.of(Tensor.of(xf, 1, 3), Tensor.labels(0))).value()).isNaN();
    }

    @Test
    void everyTargetIgnored() {
        double[] x = {1, 2, 3, 4, 5, 6};
        Inputs in = Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(-100, -100));
        LossResult mean = ce().compute(in);
        assertThat(mean.value()).isNaN(); // 0 / 0, as the catalog says
        MulticlassReference.assertAllZero(mean.grad().f64());
        assertThat(ce("reduction", "sum").compute(in).value()).isZero();
        assertThat(ce("reduction", "none").compute(in).terms().f64()).containsExactly(0.0, 0.0);
        // a single row [C] whose target is ignored
        assertThat(ce().value(Inputs.of(Tensor.vector(new double[] {1, 2}), Tensor.ofLabels(new long[] {-100})))
                .value()).isNaN();
        // float32 too
        LossResult f = ce().compute(Inputs.of(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.labels(-100, -100)));
        assertThat(f.value()).isNaN();
        assertThat(f.grad().f32()).containsOnly(0f);
    }

    @Test
    void singleRowNoneIsANumber() {
        LossResult r = ce("reduction", "none").compute(Inputs.of(Tensor.vector(new double[] {1, 2, 3}),
                Tensor.ofLabels(new long[] {2})));
        assertThat(r.isUnreduced()).isFalse();
        assertThat(r.value()).isCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, within(1e-15));
    }

    @Test
    void emptyBatch() {
        Inputs in = Inputs.of(Tensor.of(new double[0], 0, 4), Tensor.labels());
        assertThatThrownBy(() -> ce().compute(in)).isInstanceOf(LossException.class)
                .satisfies(e -> assertThat(((LossException) e).kind()).isEqualTo(ErrorKind.EMPTY_INPUT));
        assertThat(ce("reduction", "sum").compute(in).value()).isZero();
        assertThat(ce("reduction", "none").compute(in).terms().shape()).containsExactly(0);
    }

    @Test
    void refusals() {
        Tensor x = Tensor.of(new double[12], 3, 4);
        refused(() -> ce().compute(Inputs.of(x, Tensor.labels(0, 7, 1))), ErrorKind.LABEL_OUT_OF_RANGE,
                "target[1] = 7 is outside [0, 4) classes");
        refused(() -> ce("ignore_index", 1).compute(Inputs.of(x, Tensor.labels(0, -100, 1))),
                ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -100 is outside [0, 4) classes");
        refused(() -> ce().compute(Inputs.of(Tensor.of(new double[24], 2, 4, 3), Tensor.ofLabels(new long[8], 2, 4))),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 4] != [2, 3]");
        refused(() -> ce().compute(Inputs.of(x, Tensor.labels(0, 1, 2)).with("weight", Tensor.vector(new double[5]))),
                ErrorKind.SHAPE_MISMATCH, "weight shape [5] must be [4]");
        refused(() -> ce().compute(Inputs.of(x, Tensor.vector(new double[] {0, 1, 2}))), ErrorKind.SHAPE_MISMATCH,
                "must have input's shape [3, 4], got [3] (class indices must be int64)");
        double[] neg = new double[12];
        neg[6] = -0.2;
        refused(() -> ce().compute(Inputs.of(x, Tensor.of(neg, 3, 4))), ErrorKind.OUT_OF_DOMAIN,
                "target[1, 2] = -0.2 is outside [0, 1]");
        refused(() -> ce().compute(Inputs.of(Tensor.scalar(1), Tensor.labels(0))), ErrorKind.SHAPE_MISMATCH,
                "input must be [N, C]");
        refused(() -> ce().compute(Inputs.of(Tensor.of(new double[0], 3, 0), Tensor.labels(0, 0, 0))),
                ErrorKind.EMPTY_INPUT, "no classes");
        refused(() -> ce("label_smoothing", 1.5), ErrorKind.INVALID_OPTION, "label_smoothing = 1.5 must be in [0, 1]");
        refused(() -> ce("ignore_index", 0.5), ErrorKind.INVALID_OPTION, "must be an integer");
        refused(() -> ce().compute(Inputs.of(x, Tensor.labels(0, 1, 2)).with("weights", Tensor.vector(new double[4]))),
                ErrorKind.MISSING_INPUT, "has no input 'weights'");
        // a float32 gradient buffer of the wrong dtype or shape
        Tensor x32 = Tensor.of(new float[12], 3, 4);
        refused(() -> ce().compute(Inputs.of(x32, Tensor.labels(0, 1, 2)).gradInto("input", Tensor.of(new double[12], 3, 4))),
                ErrorKind.INVALID_DTYPE, "gradient buffer for input must be float32");
        refused(() -> ce().compute(Inputs.of(x32, Tensor.labels(0, 1, 2)).gradInto("input", Tensor.of(new float[12], 4, 3))),
                ErrorKind.SHAPE_MISMATCH, "gradient buffer for input has shape [4, 3]");
    }

    @Test
    void typedBuilder() {
        CrossEntropy loss = CrossEntropy.builder().set(CrossEntropy.LABEL_SMOOTHING, 0.2)
                .set(CrossEntropy.IGNORE_INDEX, -1L).reduction(Reduction.SUM).build();
        assertThat(loss.options().asText()).containsEntry("label_smoothing", "0.2").containsEntry("ignore_index", "-1")
                .containsEntry("reduction", "sum");
        double[] x = {1, 2, 3, 0, 0, 0};
        // row 0: 0.8·(−log p_2) + (0.2/3)·Σ −log p_c; row 1 ignored
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        double expected = 0.8 * (lse - 3) + 0.2 / 3 * (3 * lse - 6);
        assertThat(loss.value(Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(2, -1))).value())
                .isCloseTo(expected, within(1e-14));
        assertThat(Losses.info("cross_entropy").differentiable()).isTrue();
    }

    static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorKind kind, String message) {
        assertThatThrownBy(call).isInstanceOf(LossException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((LossException) e).kind()).isEqualTo(kind));
    }
}
