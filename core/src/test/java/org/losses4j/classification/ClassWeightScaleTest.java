package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * The weighted mean Σ w_y·ℓ / Σ w_y of cross_entropy and nll does not depend on the size of the
 * weights: equal weights of any positive finite size, from the smallest subnormal to the largest
 * double, give the unweighted mean and its gradient (1e-310 once gave Infinity: Σ w_y = 3e-310,
 * whose reciprocal overflows; 1e300 gave NaN: Σ w_y overflows). Expected values from the
 * catalog's unweighted formulas (MulticlassReference and the softmax gradient written out here).
 */
class ClassWeightScaleTest {
    static final double[] SIZES = {Double.MIN_VALUE, 1e-320, 1e-310, 1e-200, 1, 1e200, 1e300, Double.MAX_VALUE};
    static final double[] X = {2, 0.5, -1, 0.1, 0.2, 3, -0.7, 1.3, 0.4, 5, -2, 0};
    static final int[] SHAPE = {4, 3};
    static final long[] Y = {0, 2, -100, 1}; // one ignored row: the mean is over the other three

    @Test
    void crossEntropyWithEqualWeightsOfAnySizeIsTheUnweightedMean() {
        for (double eps : new double[] {0, 0.2}) {
            double want = MulticlassReference.crossEntropyIndex(X, SHAPE, Y, null, -100, eps).mean();
            double[] wantGrad = softmaxGradient(eps);
            for (double w : SIZES) {
                String at = "w = " + w + ", label_smoothing = " + eps;
                Inputs in = Inputs.of(Tensor.of(X, SHAPE), Tensor.labels(Y)).with("weight", Tensor.vector(new double[] {w, w, w}));
                LossResult r = Losses.create("cross_entropy", Map.of("label_smoothing", eps)).compute(in);
                assertThat(r.value()).as(at).isCloseTo(want, within(1e-14));
                assertClose(r.grad().f64(), wantGrad, 1e-15, at);
                assertThat(r.divisor()).as(at + ": divisor is Σ w_y as given").isEqualTo(3 * w);
                // float32 logits, the same values
                float[] x32 = MulticlassReference.toFloat(X);
                LossResult r32 = Losses.create("cross_entropy", Map.of("label_smoothing", eps)).compute(
                        Inputs.of(Tensor.of(x32, SHAPE), Tensor.labels(Y)).with("weight", Tensor.vector(new double[] {w, w, w})));
                assertThat(r32.value()).as(at + " float32").isCloseTo(want, within(1e-6));
                double[] g32 = r32.grad().toDoubleArray();
                assertClose(g32, wantGrad, 1e-7, at + " float32");
            }
        }
    }

    @Test
    void nllWithEqualWeightsOfAnySizeIsTheUnweightedMean() {
        double[] lp = MulticlassReference.logSoftmax(X, SHAPE);
        double want = MulticlassReference.nll(lp, SHAPE, Y, null, -100).mean();
        for (double w : SIZES) {
            LossResult r = Losses.create("nll").compute(Inputs.of(Tensor.of(lp, SHAPE), Tensor.labels(Y))
                    .with("weight", Tensor.vector(new double[] {w, w, w})));
            assertThat(r.value()).as("w = %s", w).isCloseTo(want, within(1e-14));
            double[] g = new double[X.length];
            for (int row = 0; row < Y.length; row++) {
                if (Y[row] != -100) {
                    g[row * 3 + (int) Y[row]] = -1.0 / 3; // d(mean)/d lp_y: −1/K over K = 3 kept rows
                }
            }
            assertClose(r.grad().f64(), g, 0, "nll w = " + w);
        }
    }

    @Test
    void unequalWeightsStillWeightAndSumKeepsTheWeightsUnits() {
        // weights (1e-310, 2e-310, 4e-310): the mean is the (1, 2, 4)-weighted mean
        double[] w = {1e-310, 2e-310, 4e-310};
        double want = MulticlassReference.crossEntropyIndex(X, SHAPE, Y, new double[] {1, 2, 4}, -100, 0).mean();
        LossResult r = Losses.create("cross_entropy").compute(Inputs.of(Tensor.of(X, SHAPE), Tensor.labels(Y))
                .with("weight", Tensor.vector(w)));
        assertThat(r.value()).isCloseTo(want, within(1e-14));
        // reduction sum is Σ w_y·ℓ in the weights' own units (subnormal here: 44 significant bits)
        double sum = MulticlassReference.crossEntropyIndex(X, SHAPE, Y, w, -100, 0).sum();
        double got = Losses.create("cross_entropy", Map.of("reduction", "sum")).compute(
                Inputs.of(Tensor.of(X, SHAPE), Tensor.labels(Y)).with("weight", Tensor.vector(w))).value();
        assertThat(got).isCloseTo(sum, within(Math.abs(sum) * 1e-12));
    }

    /** d(mean CE)/dx = (softmax(x) − ((1 − ε)·onehot(y) + ε/C)) / K per kept row, 0 for the ignored one. */
    private static double[] softmaxGradient(double eps) {
        double[] lp = MulticlassReference.logSoftmax(X, SHAPE);
        double[] g = new double[X.length];
        for (int row = 0; row < Y.length; row++) {
            if (Y[row] == -100) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                double target = (k == Y[row] ? 1 - eps : 0) + eps / 3;
                g[row * 3 + k] = (Math.exp(lp[row * 3 + k]) - target) / 3;
            }
        }
        return g;
    }

    private static void assertClose(double[] got, double[] want, double tol, String at) {
        assertThat(got).as(at).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("%s: element %d", at, i).isCloseTo(want[i], within(tol));
        }
    }
}
