package org.losses4j.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * Extreme inputs against closed-form limits (not against losses4j): logits ±40, ±800, ±1e4,
 * probabilities exactly 0 and 1, NaN propagation, pos_weight broadcasting.
 *
 * <p>For |z| ≥ 40 the closed forms below are exact to double precision: softplus(z) =
 * max(z, 0) + e^{−|z|} (the next term, e^{−2|z|}/2, is below 1e-34 of it), σ(−L) = e^{−L},
 * σ(L) = 1 − e^{−L}.
 */
class BinaryExtremesTest {
    private static final double[] BIG = {40, 100, 800, 1e4};

    private static Inputs in(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static void close(double expected, double actual, double rtol, String what) {
        assertTrue(Double.isFinite(actual), what + ": not finite: " + actual);
        assertEquals(expected, actual, rtol * Math.abs(expected) + 1e-300, what);
    }

    @Test
    void bceWithLogitsAtExtremeLogits() {
        double[] ys = {0, 1, 0.3};
        for (double eps : new double[] {0, 0.1}) {
            for (double pw : new double[] {1, 2.5}) {
                ElementwiseLoss l = BinaryData.create("bce_with_logits", BinaryData.params("reduction", "none",
                        "label_smoothing", eps));
                for (double big : BIG) {
                    for (double sign : new double[] {1, -1}) {
                        double z = sign * big;
                        double[] x = {z, z, z};
                        Inputs inp = in(x, ys).with("pos_weight", Tensor.vector(new double[] {pw, pw, pw}));
                        LossResult r = l.computeWithHessian(inp);
                        double e = Math.exp(-big);
                        for (int i = 0; i < 3; i++) {
                            double y = ys[i] * (1 - eps) + eps / 2;
                            double term = pw * y * (Math.max(-z, 0) + e) + (1 - y) * (Math.max(z, 0) + e);
                            double sig = z > 0 ? 1 - e : e;
                            double sigNeg = z > 0 ? e : 1 - e;
                            double grad = (1 - y) * sig - pw * y * sigNeg;
                            String what = "z=" + z + " y=" + ys[i] + " eps=" + eps + " pw=" + pw;
                            close(term, r.terms().f64()[i], 1e-14, what + " term");
                            close(grad, r.grad("input").f64()[i], 1e-14, what + " grad");
                            close((pw * y + 1 - y) * e, r.hessian().f64()[i], 1e-12, what + " hessian");
                        }
                    }
                }
            }
        }
    }

    @Test
    void bceWithLogitsExtremeFloat32() {
        ElementwiseLoss l = BinaryData.create("bce_with_logits", Map.of("reduction", "none"));
        LossResult r = l.compute(Inputs.of(Tensor.vector(new float[] {1e4f, -1e4f, 1e4f, -1e4f}),
                Tensor.vector(new float[] {1, 0, 0, 1})));
        float[] t = r.terms().f32();
        float[] g = r.grad("input").f32();
        float[] et = {0, 0, 10000, 10000};
        float[] eg = {0, 0, 1, -1};
        for (int i = 0; i < 4; i++) {
            assertEquals(et[i], t[i], 0f, "term " + i);
            assertEquals(eg[i], g[i], 0f, "grad " + i);
        }
    }

    @Test
    void focalAtExtremeLogits() {
        for (Double alpha : new Double[] {null, 0.25}) {
            for (double gamma : new double[] {0, 0.5, 2}) {
                ElementwiseLoss l = BinaryData.create("focal", BinaryData.params("reduction", "none", "alpha", alpha,
                        "gamma", gamma));
                for (double big : BIG) {
                    double e = Math.exp(-big);
                    // y = 1 and y = 0, each on the right side (u = +L) and the wrong side (u = −L)
                    double[] x = {big, -big, -big, big};
                    double[] y = {1, 1, 0, 0};
                    LossResult r = l.computeWithHessian(in(x, y));
                    for (int i = 0; i < 4; i++) {
                        double s = 2 * y[i] - 1;
                        boolean right = s * x[i] > 0;
                        double at = alpha == null ? 1 : y[i] == 1 ? alpha : 1 - alpha;
                        // right: α_t·e^{−γL}·e^{−L}; wrong: α_t·(1 − e^{−L})^γ·(L + e^{−L}) = α_t·(L + (1 − γL)e^{−L})
                        double term = right ? at * Math.exp(-(gamma + 1) * big) : at * (big + (1 - gamma * big) * e);
                        double dU = right ? -(gamma + 1) * Math.exp(-(gamma + 1) * big)
                                : -(1 - gamma * e + gamma * e * big);
                        String what = "alpha=" + alpha + " gamma=" + gamma + " x=" + x[i] + " y=" + y[i];
                        close(term, r.terms().f64()[i], 1e-12, what + " term");
                        close(s * at * dU, r.grad("input").f64()[i], 1e-12, what + " grad");
                        // right: α_t(γ + 1)²e^{−(γ+1)L}; wrong: α_t·e^{−L}(1 + 2γ − γL) (negative for γL > 1 + 2γ:
                        // the focal loss is not convex)
                        double h = right ? at * (gamma + 1) * (gamma + 1) * Math.exp(-(gamma + 1) * big)
                                : at * e * (1 + 2 * gamma - gamma * big);
                        close(h, r.hessian().f64()[i], 1e-12, what + " hessian");
                    }
                }
            }
        }
    }

    @Test
    void softMarginAtExtremes() {
        ElementwiseLoss l = BinaryData.create("soft_margin", Map.of("reduction", "none"));
        for (double big : BIG) {
            double e = Math.exp(-big);
            double[] x = {big, -big, big, -big};
            double[] y = {1, 1, -1, -1};
            LossResult r = l.computeWithHessian(in(x, y));
            for (int i = 0; i < 4; i++) {
                double u = y[i] * x[i];
                double term = Math.max(-u, 0) + e;
                double grad = -y[i] * (u > 0 ? e : 1 - e);
                close(term, r.terms().f64()[i], 1e-14, "u=" + u + " term");
                close(grad, r.grad("input").f64()[i], 1e-14, "u=" + u + " grad");
                close(e, r.hessian().f64()[i], 1e-12, "u=" + u + " hessian");
            }
        }
    }

    @Test
    void marginLossesAtExtremes() {
        double[] x = {1e4, -1e4, -1e4, 1e4};
        double[] y = {1, 1, -1, -1};
        // y·x = 1e4, −1e4, 1e4, −1e4
        double[][] expectTerm = {
            {0, 10001, 0, 10001}, // hinge
            {0, 10001.0 * 10001, 0, 10001.0 * 10001}, // squared_hinge
            {0, 10000.5, 0, 10000.5}, // smooth_hinge
            {0, 2, 0, 2}, // ramp, s = −1
            {0, 10000, 0, 10000}, // perceptron
        };
        double[][] expectGrad = {
            {0, -1, 0, 1},
            {0, -2 * 10001, 0, 2 * 10001},
            {0, -1, 0, 1},
            {0, 0, 0, 0},
            {0, -1, 0, 1},
        };
        String[] names = {"hinge", "squared_hinge", "smooth_hinge", "ramp", "perceptron"};
        for (int k = 0; k < names.length; k++) {
            LossResult r = BinaryData.create(names[k], Map.of("reduction", "none")).compute(in(x, y));
            for (int i = 0; i < 4; i++) {
                assertEquals(expectTerm[k][i], r.terms().f64()[i], 0.0, names[k] + " term " + i);
                assertEquals(expectGrad[k][i], r.grad("input").f64()[i], 0.0, names[k] + " grad " + i);
            }
        }
    }

    @Test
    void bceAtProbabilitiesZeroAndOne() {
        double[] p = {0, 0, 0, 1, 1, 1, 1e-50, 1e-300};
        double[] y = {0, 1, 0.25, 0, 1, 0.25, 1, 0.5};
        // terms: the log clamp at −100 makes log 0 count as −100
        double[] term = {0, 100, 25, 100, 0, 75, 100, 50};
        // gradient (p − y)/max(p(1 − p), 1e-12), as PyTorch
        double[] grad = {0, -1e12, -0.25e12, 1e12, 0, 0.75e12, (1e-50 - 1) * 1e12, (1e-300 - 0.5) * 1e12};
        ElementwiseLoss l = BinaryData.create("bce", Map.of("reduction", "none"));
        LossResult r = l.computeWithHessian(in(p, y));
        for (int i = 0; i < p.length; i++) {
            assertEquals(term[i], r.terms().f64()[i], 1e-12, "term " + i);
            assertEquals(grad[i], r.grad("input").f64()[i], 1e-3, "grad " + i);
            // where the floor is active the gradient is (p − y)·1e12, whose derivative is 1e12
            assertEquals(1e12, r.hessian().f64()[i], 0.0, "hessian " + i);
        }
        // mean of the terms: 450 / 8
        assertEquals(450.0 / 8, BinaryData.create("bce", Map.of()).value(in(p, y)).value(), 1e-12);
        // float32 probabilities 0 and 1
        LossResult f = l.compute(Inputs.of(Tensor.vector(new float[] {0, 1}), Tensor.vector(new float[] {1, 0})));
        assertEquals("[100.0, 100.0]", java.util.Arrays.toString(f.terms().f32()));
        assertEquals("[-1.0E12, 1.0E12]", java.util.Arrays.toString(f.grad("input").f32()));
    }

    @Test
    void bceNearTheEndsMatchesClosedForm() {
        // p = 1e-8, y = 0: −log(1 − p) ≈ p; y = 1: −log p; gradient 1/(1 − p) and −1/p
        ElementwiseLoss l = BinaryData.create("bce", Map.of("reduction", "none"));
        LossResult r = l.compute(in(new double[] {1e-8, 1e-8, 0.75}, new double[] {0, 1, 1}));
        assertEquals(1e-8, r.terms().f64()[0], 1e-15);
        assertEquals(-Math.log(1e-8), r.terms().f64()[1], 1e-12);
        assertEquals(-Math.log(0.75), r.terms().f64()[2], 1e-15);
        assertEquals(1 / (1 - 1e-8), r.grad("input").f64()[0], 1e-12);
        assertEquals(-1e8, r.grad("input").f64()[1], 1e-4);
        assertEquals(-1 / 0.75, r.grad("input").f64()[2], 1e-15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bce", "bce_with_logits", "focal", "hinge", "perceptron", "squared_hinge",
        "smooth_hinge", "ramp", "soft_margin"})
    void nanInInputPropagates(String name) {
        double valid = name.equals("bce") ? 0.3 : 0.4;
        double y = BinaryData.signed(name) ? -1 : 1;
        ElementwiseLoss l = BinaryData.create(name, Map.of("reduction", "none"));
        LossResult r = l.computeWithHessian(in(new double[] {Double.NaN, valid}, new double[] {y, y}));
        assertTrue(Double.isNaN(r.terms().f64()[0]), "term");
        assertTrue(Double.isNaN(r.grad("input").f64()[0]), "grad");
        assertTrue(Double.isNaN(r.hessian().f64()[0]), "hessian");
        assertFalse(Double.isNaN(r.terms().f64()[1]), "other term");
        assertFalse(Double.isNaN(r.grad("input").f64()[1]), "other grad");
        for (String red : new String[] {"mean", "sum"}) {
            assertTrue(Double.isNaN(BinaryData.create(name, Map.of("reduction", red))
                    .value(in(new double[] {Double.NaN, valid}, new double[] {y, y})).value()), red);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bce", "bce_with_logits", "focal", "hinge", "perceptron", "squared_hinge",
        "smooth_hinge", "ramp", "soft_margin"})
    void nanInTargetPropagates(String name) {
        LossResult r = BinaryData.create(name, Map.of("reduction", "none")).compute(
                in(new double[] {0.3, 0.3}, new double[] {Double.NaN, 1}));
        assertTrue(Double.isNaN(r.terms().f64()[0]));
        assertFalse(Double.isNaN(r.terms().f64()[1]));
    }

    @Test
    void posWeightBroadcastsOverTheLastDimension() {
        // input [2, 2, 3], pos_weight [3]; target 1 everywhere: term = pw[c]·softplus(−z)
        double[] x = {0.5, -1, 2, 0, 3, -0.25, 1, 1, 1, -2, 0.1, 0.7};
        double[] pw = {0.5, 2, 3};
        ElementwiseLoss l = BinaryData.create("bce_with_logits", Map.of("reduction", "none"));
        LossResult r = l.compute(Inputs.of(Tensor.of(x, 2, 2, 3), BinaryData.constant(1, 2, 2, 3))
                .with("pos_weight", Tensor.vector(pw)));
        for (int i = 0; i < x.length; i++) {
            double c = pw[i % 3];
            assertEquals(c * Math.log(1 + Math.exp(-x[i])), r.terms().f64()[i], 1e-15, "term " + i);
            assertEquals(-c * BinaryData.sigmoid(-x[i]), r.grad("input").f64()[i], 1e-15, "grad " + i);
        }
        assertEquals(null, r.grads().get("pos_weight")); // pos_weight is not differentiated
        // a 0-dim input takes pos_weight [1]
        LossResult s = l.compute(Inputs.of(Tensor.scalar(0.0), Tensor.scalar(1.0))
                .with("pos_weight", Tensor.vector(new double[] {3})));
        assertEquals(3 * Math.log(2), s.value(), 1e-15);
        // and pos_weight of the target's full shape is refused
        assertThrows(org.losses4j.LossException.class, () -> l.compute(Inputs.of(Tensor.of(x, 4, 3),
                BinaryData.constant(1, 4, 3)).with("pos_weight", BinaryData.constant(1, 4, 3))));
    }

    @Test
    void emptyInput() {
        Inputs empty = Inputs.of(Tensor.vector(new double[0]), Tensor.vector(new double[0]));
        for (String name : BinaryData.LOSSES) {
            assertEquals(0.0, BinaryData.create(name, Map.of("reduction", "sum")).value(empty).value(), 0.0, name);
            org.losses4j.LossException e = assertThrows(org.losses4j.LossException.class,
                    () -> BinaryData.create(name, Map.of()).value(empty), name);
            assertEquals(org.losses4j.ErrorKind.EMPTY_INPUT, e.kind(), name);
        }
    }
}
