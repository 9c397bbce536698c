package org.losses4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Numerical stress battery: every loss at extreme inputs (logits ±1e4 and ±1e30, ±1e300 where
 * finite math allows, probabilities exactly 0 and 1, subnormals, ±∞, NaN, C = 1,000,000
 * classes, CTC with T = 10,000). Expected values and gradients are closed-form limits
 * derived by hand from CATALOG.md and evaluated here with {@link Math}; none come from
 * losses4j. The generic sweeps check the catalog's rules on every catalog loss: NaN in a
 * valid floating input propagates; finite inputs never give NaN; a finite value never comes
 * with a NaN gradient; nothing but a domain refusal is ever thrown.
 */
class StressTest {
    static final double MIN = Double.MIN_VALUE;
    static final double INF = Double.POSITIVE_INFINITY;
    static final double LN2 = Math.log(2);

    // ================================================================ generic sweeps over the catalog

    /** NaN filling a whole floating input makes the value NaN (float64 and float32). */
    @TestFactory
    Stream<DynamicTest> nanInAnyFloatingInputPropagates() {
        List<DynamicTest> out = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            String name = info.name();
            Map<String, Object> opts = Fixtures.baseOptions(name);
            Inputs base = Fixtures.valid(name, opts, new Random(11), 3);
            for (String in : base.tensors().keySet()) {
                Tensor t = base.get(in);
                if (t.dtype() == DType.INT64) {
                    continue;
                }
                out.add(DynamicTest.dynamicTest(name + ": NaN in " + in, () -> {
                    double[] nan = new double[t.size()];
                    java.util.Arrays.fill(nan, Double.NaN);
                    Inputs bad = Fixtures.replace(base, in, Tensor.of(nan, t.shape()));
                    Loss l = Losses.create(name, opts);
                    assertTrue(Double.isNaN(l.compute(bad).value()), name + " with NaN " + in + " gave "
                            + l.compute(bad).value());
                    assertTrue(Double.isNaN(l.compute(Fixtures.toFloat32(bad)).value()), name + " float32");
                    assertTrue(Double.isNaN(l.value(bad).value()), name + " value()");
                }));
            }
        }
        return out.stream();
    }

    /** Elementwise losses with reduction none: a NaN in one element makes exactly that term NaN. */
    @TestFactory
    Stream<DynamicTest> nanStaysInItsOwnTerm() {
        List<DynamicTest> out = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            if (!info.hessian() || !info.reducible()) {
                continue;
            }
            out.add(DynamicTest.dynamicTest(info.name(), () -> {
                Map<String, Object> opts = Fixtures.options(info.name(), Map.of("reduction", "none"));
                Inputs base = Fixtures.valid(info.name(), opts, new Random(5), 3);
                for (String in : List.of("input", "target")) {
                    Inputs bad = Fixtures.replace(base, in, Fixtures.withElement(base.get(in), 4, Double.NaN));
                    LossResult r = Losses.create(info.name(), opts).compute(bad);
                    for (int i = 0; i < r.terms().size(); i++) {
                        double v = r.terms().getDouble(i);
                        assertEquals(i == 4, Double.isNaN(v), info.name() + " " + in + ": term " + i + " = " + v);
                    }
                    double[] g = r.grad().f64();
                    for (int i = 0; i < g.length; i++) {
                        if (i != 4) {
                            assertTrue(Double.isFinite(g[i]), info.name() + ": grad " + i + " = " + g[i]);
                        }
                    }
                }
            }));
        }
        return out.stream();
    }

    static final double[] FINITE_EXTREMES = {1e30, -1e30, 1e300, -1e300, MIN, -MIN, 1e-310, -0.0, 1e4, -1e4};
    static final double[] NON_FINITE = {INF, -INF, Double.NaN};

    /**
     * Every catalog loss, every floating input, one element and then all elements set to each
     * extreme: either a refusal of kind out_of_domain, or a result; finite inputs never give a
     * NaN value, and a finite value never comes with a NaN gradient. ±∞ and NaN: only that
     * nothing else is thrown (their limits are checked loss by loss below).
     */
    @TestFactory
    Stream<DynamicTest> extremesGiveAResultOrADomainRefusal() {
        List<DynamicTest> out = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            String name = info.name();
            out.add(DynamicTest.dynamicTest(name, () -> {
                Map<String, Object> opts = Fixtures.baseOptions(name);
                Loss l = Losses.create(name, opts);
                Inputs base = Fixtures.valid(name, opts, new Random(3), 2);
                for (String in : base.tensors().keySet()) {
                    Tensor t = base.get(in);
                    if (t.dtype() == DType.INT64) {
                        continue;
                    }
                    for (boolean all : new boolean[] {false, true}) {
                        for (double v : concat(FINITE_EXTREMES, NON_FINITE)) {
                            Tensor bad = all ? filled(t, v) : Fixtures.withElement(t, 0, v);
                            String what = name + ": " + in + (all ? " all " : "[0] ") + v;
                            for (Inputs call : List.of(Fixtures.replace(base, in, bad),
                                    Fixtures.toFloat32(Fixtures.replace(base, in, bad)))) {
                                LossResult r;
                                try {
                                    r = l.compute(call);
                                } catch (LossException e) {
                                    assertEquals(ErrorKind.OUT_OF_DOMAIN, e.kind(), what + ": " + e.getMessage());
                                    continue;
                                }
                                if (!Double.isFinite(v) || !finiteData(call)) {
                                    continue;
                                }
                                boolean float32 = call.get(in).dtype() == DType.FLOAT32;
                                if (all && in.equals("weight") && Math.abs(v) < Double.MIN_NORMAL
                                        && (name.equals("cross_entropy") || name.equals("nll"))) {
                                    // mean divides by Σ w_y: 0 for zero weights (NaN, as with every target
                                    // ignored); for subnormal weights 1/Σ w_y overflows (a known limit)
                                    continue;
                                }
                                if (Math.abs(v) > info.inputBound()) {
                                    continue; // beyond the loss's documented limit (SSIM's moments ~x²)
                                }
                                assertTrue(!Double.isNaN(r.value()), what + (float32 ? " (float32)" : "")
                                        + ": finite inputs gave NaN");
                                if (Double.isFinite(r.value())) {
                                    for (Map.Entry<String, Tensor> g : r.grads().entrySet()) {
                                        for (int i = 0; i < g.getValue().size(); i++) {
                                            assertTrue(!Double.isNaN(g.getValue().getDouble(i)), what
                                                    + (float32 ? " (float32)" : "") + ": finite value "
                                                    + r.value() + " with NaN gradient " + g.getKey() + "[" + i + "]");
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }));
        }
        return out.stream();
    }

    /**
     * SSIM's ratios (2μxμy + C1)/(μx² + μy² + C1) and (2σxy + C2)/(σx² + σy² + C2) hold second
     * moments ~ x²: pixel values beyond about 1e154 overflow them (NaN). A known limit, far outside
     * any image's range (it was 1e75 while the two ratios were one quotient of products ~ x⁴).
     */
    static final double SSIM_MAX = 1e150;

    private static boolean finiteData(Inputs in) {
        for (Tensor t : in.tensors().values()) {
            for (int i = 0; i < t.size(); i++) {
                if (!Double.isFinite(t.getDouble(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Tensor filled(Tensor t, double v) {
        double[] a = new double[t.size()];
        java.util.Arrays.fill(a, v);
        return Tensor.of(a, t.shape());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // ================================================================ regression

    @Test
    void mseMaeHuberAtHugeTinyAndInfiniteResiduals() {
        double[] x = {1e30, -1e30, MIN, 1e200, INF};
        double[] y = {-1e30, 0, 0, 0, 0};
        LossResult r = none("mse", Map.of(), x, y);
        terms(r, 4e60, 1e60, 0, INF, INF);
        grad(r, "input", 4e30, -2e30, 2 * MIN, 2e200, INF);
        r = none("mae", Map.of(), x, y);
        terms(r, 2e30, 1e30, MIN, 1e200, INF);
        grad(r, "input", 1, -1, 1, 1, 1);
        r = none("huber", Map.of("delta", 2.0), x, y);
        // δ(|d| − δ/2) beyond δ; ½d² inside
        terms(r, 2 * (2e30 - 1), 2 * (1e30 - 1), 0.5 * MIN * MIN, 2 * (1e200 - 1), INF);
        grad(r, "input", 2, -2, MIN, 2, 2);
        r = none("smooth_l1", Map.of("beta", 0.0), new double[] {MIN, 0, -1e300}, new double[] {0, 0, 0});
        terms(r, MIN, 0, 1e300);
        grad(r, "input", 1, 0, -1);
        r = none("quantile", Map.of("tau", 0.3), new double[] {1e30, -1e30, INF}, new double[] {0, 0, 0});
        terms(r, 0.7e30, 0.3e30, INF);
        grad(r, "input", 0.7, -0.3, 0.7);
    }

    @Test
    void logCoshIsLinearFarOutAndQuadraticAtSubnormals() {
        LossResult r = none("log_cosh", Map.of(), new double[] {1e4, -1e30, MIN, INF, -INF, 20},
                new double[] {0, 0, 0, 0, 0, 0});
        // log cosh d = |d| − log 2 + log1p(e^{−2|d|})
        terms(r, 1e4 - LN2, 1e30, 0, INF, INF, 20 - LN2 + Math.log1p(Math.exp(-40)));
        grad(r, "input", 1, -1, MIN, 1, -1, Math.tanh(20));
    }

    @Test
    void msleAndRmsleAtHugeValuesAndNearMinusOne() {
        double near = -1 + 0x1p-52;
        double[] x = {1e30, 1e300, near, INF};
        LossResult r = none("msle", Map.of(), x, new double[] {0, 0, 0, 0});
        for (int i = 0; i < 3; i++) {
            double l = Math.log1p(x[i]);
            close(l * l, r.terms().getDouble(i), "msle term " + i);
            close(2 * l / (1 + x[i]), r.grad().getDouble(i), "msle grad " + i);
        }
        assertEquals(INF, r.terms().getDouble(3));
        // rmsle: one non-zero term of n = 2: value |l|/√2, gradient (l/(n·r))/(1 + x) = sign/(√2·(1 + x))
        LossResult s = scalar("rmsle", Map.of(), new double[] {1e30, 0}, new double[] {0, 0});
        close(Math.log1p(1e30) / Math.sqrt(2), s.value(), "rmsle");
        grad(s, "input", 1 / (Math.sqrt(2) * (1 + 1e30)), 0);
    }

    @Test
    void rmseScalesFrom1em150To1e150() {
        // one non-zero residual among n = 2: value |d|/√2 and gradient sign(d)/√2 at every scale
        for (double d : new double[] {1e150, -1e-150, 1e-100, 3.5}) {
            LossResult r = scalar("rmse", Map.of(), new double[] {d, 0}, new double[] {0, 0});
            close(Math.abs(d) / Math.sqrt(2), r.value(), "rmse at " + d);
            grad(r, "input", Math.signum(d) / Math.sqrt(2), 0);
        }
        LossResult z = scalar("rmse", Map.of(), new double[] {1, 2}, new double[] {1, 2});
        assertEquals(0.0, z.value());
        grad(z, "input", 0, 0);
    }

    @Test
    void poissonNllAtExtremeRatesAndZeroCounts() {
        LossResult r = none("poisson_nll", Map.of(), new double[] {-1e4, -1e4, 1e4, 50, -1e30},
                new double[] {0, 3, 0, 2, 1});
        // log_input: e^x − y·x, gradient e^x − y
        terms(r, 0, 3e4, INF, Math.exp(50) - 100, 1e30);
        grad(r, "input", 0, -3, INF, Math.exp(50) - 2, -1);
        // rate input: x − y·log(x + eps), gradient 1 − y/(x + eps)
        r = none("poisson_nll", Map.of("log_input", false), new double[] {0, 0, 1e30}, new double[] {0, 2, 3});
        terms(r, 0, -2 * Math.log(1e-8), 1e30 - 3 * Math.log(1e30 + 1e-8));
        grad(r, "input", 1, 1 - 2 / 1e-8, 1 - 3 / (1e30 + 1e-8));
        // full: Stirling term y·log y − y + ½log(2πy) only for y > 1
        r = none("poisson_nll", Map.of("full", true), new double[] {0, 0, 0}, new double[] {0, 1, 2});
        terms(r, 1, 1, 1 + 2 * Math.log(2) - 2 + 0.5 * Math.log(2 * Math.PI * 2));
    }

    @Test
    void gaussianNllClampsTinyVariancesAndSurvivesHugeOnes() {
        Inputs in = Inputs.of(v(1, 1, 1e150, 2), v(0, 0, 0, 0)).with("var", v(0, MIN, 1, 1e300));
        LossResult r = Losses.create("gaussian_nll", Map.of("reduction", "none")).compute(in);
        double eps = 1e-6;
        terms(r, 0.5 * (Math.log(eps) + 1 / eps), 0.5 * (Math.log(eps) + 1 / eps), 0.5e300,
                0.5 * (Math.log(1e300) + 4e-300));
        grad(r, "input", 1 / eps, 1 / eps, 1e150, 2e-300);
        // var gradient ½(1/v − d²/v²), 0 where var < eps (clamped)
        grad(r, "var", 0, 0, 0.5 * (1 - 1e300), 0.5 * (1e-300 - 4e-300 / 1e300));
    }

    // ================================================================ classification

    @Test
    void bceAtProbabilitiesExactlyZeroAndOneAndSubnormal() {
        LossResult r = none("bce", Map.of(), new double[] {0, 0, 1, 1, MIN, 1e-300},
                new double[] {0, 1, 0, 1, 1, 0.5});
        // −[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)]
        terms(r, 0, 100, 100, 0, 100, 50);
        // (p − y)/max(p(1 − p), 1e-12), also where the clamp is active
        grad(r, "input", 0, -1e12, 1e12, 0, (MIN - 1) / 1e-12, (1e-300 - 0.5) / 1e-12);
    }

    @Test
    void bceWithLogitsAtHugeAndInfiniteLogits() {
        // ±∞ with the matching label (z = +∞, y = 1) has limit 0 but gives NaN (∞ − ∞, as PyTorch): not asserted
        double[] z = {1e4, -1e4, 1e30, -1e30, 1e4, 0, MIN, INF, -INF, INF, -INF};
        double[] y = {1, 1, 0, 1, 0.3, 0.5, 1, 0, 1, 0.3, 0.3};
        LossResult r = none("bce_with_logits", Map.of(), z, y);
        // max(z, 0) − z·y + log1p(e^{−|z|}); gradient σ(z) − y
        terms(r, 0, 1e4, 1e30, 1e30, 7000, LN2, LN2, INF, INF, INF, INF);
        grad(r, "input", 0, -1, 1, -1, 0.7, 0, -0.5, 1, -1, 0.7, -0.3);
        // pos_weight multiplies the positive part: −pw·y·log σ(z)
        LossResult p = Losses.create("bce_with_logits", Map.of("reduction", "none"))
                .compute(Inputs.of(v(-1e4), v(1)).with("pos_weight", v(3)));
        terms(p, 3e4);
        grad(p, "input", -3);
        // label smoothing 1: every target becomes ½
        LossResult s = none("bce_with_logits", Map.of("label_smoothing", 1.0), new double[] {1e30, -1e30},
                new double[] {1, 0});
        terms(s, 0.5e30, 0.5e30);
        grad(s, "input", 0.5, -0.5);
    }

    @Test
    void crossEntropyAtHugeLogits() {
        Tensor x = Tensor.of(new double[] {1e4, 0, 0, 0, 1e4, 0, 0, 0, 1e30, -1e30, 0, 0, MIN, 0, 0, 0}, 4, 4);
        LossResult r = Losses.create("cross_entropy", Map.of("reduction", "none"))
                .compute(Inputs.of(x, Tensor.labels(0, 1, 1, 2)));
        // log-sum-exp − x_y
        terms(r, 0, 1e4, 2e30, Math.log(4));
        grad(r, "input", 0, 0, 0, 0, 1, -1, 0, 0, 1, -1, 0, 0, 0.25, 0.25, -0.75, 0.25);
        // label smoothing ε = 0.1, C = 4, row [1e4, 0, 0, 0], y = 0: (1 − ε)·0 + (ε/C)·Σ_c(−log p_c) = 0.025·3e4
        LossResult s = Losses.create("cross_entropy", Map.of("reduction", "sum", "label_smoothing", 0.1))
                .compute(Inputs.of(Tensor.of(new double[] {1e4, 0, 0, 0}, 1, 4), Tensor.labels(0)));
        close(750, s.value(), "smoothed");
        grad(s, "input", 1 - 0.025 - 0.9, -0.025, -0.025, -0.025);
        // probability target: −Σ y_c log p_c; a class with no target mass adds nothing, even at −∞
        LossResult pr = Losses.create("cross_entropy", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {-1e4, 0, 0, 0, 0, -INF, 0, 0}, 2, 4),
                Tensor.of(new double[] {1, 0, 0, 0, 0.5, 0, 0.5, 0}, 2, 4)));
        terms(pr, 1e4 + Math.log(3), Math.log(3));
        grad(pr, "input", -1, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3 - 0.5, 0, 1.0 / 3 - 0.5, 1.0 / 3);
        // the weight of a class no target names takes no part (value and gradient alike); with label smoothing,
        // which sums over every class's weight, it does
        for (double bad : new double[] {Double.NaN, INF}) {
            Inputs wi = Inputs.of(Tensor.of(new double[] {0, 1, 2, 3, 3, 2, 1, 0}, 2, 4), Tensor.labels(1, 2))
                    .with("weight", v(bad, 1, 1, 1));
            LossResult w = Losses.create("cross_entropy").compute(wi);
            double l0 = Math.log(1 + Math.E + Math.exp(2) + Math.exp(3));
            close(((l0 - 1) + (l0 - 1)) / 2, w.value(), "weight " + bad + " of an absent class");
            for (double gv : w.grad().f64()) {
                assertTrue(Double.isFinite(gv), "gradient with weight " + bad + " of an absent class: " + gv);
            }
            if (Double.isNaN(bad)) {
                assertTrue(Double.isNaN(Losses.create("cross_entropy", Map.of("label_smoothing", 0.1)).compute(wi)
                        .value()), "smoothing reads every weight: NaN propagates");
            }
        }
        // every target ignored: mean is NaN (catalog)
        LossResult ig = Losses.create("cross_entropy").compute(Inputs.of(Tensor.of(new double[] {1, 2, 3, 4}, 1, 4),
                Tensor.labels(-100)));
        assertTrue(Double.isNaN(ig.value()));
    }

    @Test
    void nllAndProbabilityLossesAtZeroAndMinusInfinity() {
        LossResult r = Losses.create("nll", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {-1e30, 0, -INF, 0, -MIN, 0}, 3, 2), Tensor.labels(0, 0, 0)));
        terms(r, 1e30, INF, MIN);
        grad(r, "input", -1, 0, -1, 0, -1, 0);
        // categorical: −Σ y·max(log p, −100); gradient −y/max(p, 1e-12)
        LossResult c = Losses.create("categorical_cross_entropy", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {0, 1, 1, 0, MIN, 1}, 3, 2), Tensor.of(new double[] {1, 0, 0.5, 0.5, 1, 0}, 3, 2)));
        terms(c, 100, 50, 100);
        grad(c, "input", -1e12, 0, -0.5, -0.5e12, -1e12, 0);
        LossResult s = Losses.create("sparse_categorical_cross_entropy", Map.of("reduction", "none")).compute(
                Inputs.of(Tensor.of(new double[] {0, 1, MIN, 1, 1, 0}, 3, 2), Tensor.labels(0, 0, 0)));
        terms(s, 100, 100, 0);
        grad(s, "input", -1e12, 0, -1e12, 0, -1, 0);
    }

    @Test
    void focalLossesAtHugeLogits() {
        // α_t·(1 − p_t)^γ·ce; p underflows to exactly 0 or 1 at |z| ≥ 1e4
        LossResult r = none("focal", Map.of(), new double[] {1e4, -1e4, -1e30, 1e30, INF, -INF, INF, -INF},
                new double[] {1, 1, 1, 0, 0, 1, 1, 0});
        terms(r, 0, 0.25 * 1e4, 0.25e30, 0.75e30, INF, INF, 0, 0);
        grad(r, "input", 0, -0.25, -0.25, 0.75, 0.75, -0.25, 0, 0);
        // softmax focal −(1 − p_y)^γ·log p_y: p_y = 0 gives the cross-entropy limit, p_y = 1 gives 0
        LossResult s = Losses.create("softmax_focal", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {1e4, 0, 0, 0, 1e4, 0, 0, 0, 1e30, -1e30, 0, 0}, 3, 4), Tensor.labels(1, 0, 1)));
        terms(s, 1e4, 0, 2e30);
        grad(s, "input", 1, -1, 0, 0, 0, 0, 0, 0, 1, -1, 0, 0);
    }

    @Test
    void marginLossesAtHugeAndInfiniteScores() {
        double[] x = {-1e30, 1e30, -INF, INF, MIN};
        double[] y = {1, 1, 1, 1, 1};
        LossResult h = none("hinge", Map.of(), x, y);
        terms(h, 1e30, 0, INF, 0, 1);
        grad(h, "input", -1, 0, -1, 0, -1);
        LossResult sq = none("squared_hinge", Map.of(), new double[] {-1e30, -1e200, 1e30}, new double[] {1, 1, 1});
        terms(sq, 1e60, INF, 0);
        grad(sq, "input", -2e30, -2e200, 0);
        LossResult sm = none("smooth_hinge", Map.of(), new double[] {-1e30, 1e30, 0.5, -INF}, new double[] {1, 1, 1, 1});
        terms(sm, 1e30, 0, 0.125, INF);
        grad(sm, "input", -1, 0, -0.5, -1);
        LossResult rp = none("ramp", Map.of(), new double[] {-1e30, 1e30, -INF, INF, 0.5}, new double[] {1, 1, 1, 1, 1});
        terms(rp, 2, 0, 2, 0, 0.5);
        grad(rp, "input", 0, 0, 0, 0, -1);
        LossResult so = none("soft_margin", Map.of(), new double[] {-1e30, 1e30, -1e4, 1e4, -INF, INF},
                new double[] {1, 1, 1, 1, 1, 1});
        terms(so, 1e30, 0, 1e4, 0, INF, 0);
        grad(so, "input", -1, 0, -1, 0, -1, 0);
        // Crammer–Singer and Weston–Watkins at ±1e30
        Tensor s = Tensor.of(new double[] {-1e30, 1e30, 0, 0}, 1, 4);
        LossResult mc = Losses.create("multiclass_hinge", Map.of("reduction", "sum")).compute(Inputs.of(s,
                Tensor.labels(0)));
        close(2e30, mc.value(), "multiclass_hinge");
        grad(mc, "input", -1, 1, 0, 0);
        LossResult mm = Losses.create("multi_margin", Map.of("reduction", "sum")).compute(Inputs.of(s,
                Tensor.labels(0)));
        close((2e30 + 1e30 + 1e30) / 4, mm.value(), "multi_margin p=1");
        grad(mm, "input", -0.75, 0.25, 0.25, 0.25);
        LossResult m2 = Losses.create("multi_margin", Map.of("reduction", "sum", "p", 2)).compute(Inputs.of(s,
                Tensor.labels(0)));
        close((4e60 + 1e60 + 1e60) / 4, m2.value(), "multi_margin p=2");
        grad(m2, "input", -2e30, 1e30, 0.5e30, 0.5e30);
        // zero_one: y·x ≤ 0 counts; first maximum wins
        LossResult z = none("zero_one", Map.of(), new double[] {INF, -INF, 1e30, MIN, -MIN, 0},
                new double[] {1, 1, 1, 1, 1, 1});
        terms(z, 0, 1, 0, 0, 1, 1);
        LossResult zm = Losses.create("zero_one", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {1e30, 1e30, 0, INF, 0, 0}, 2, 3), Tensor.labels(1, 0)));
        terms(zm, 1, 0);
    }

    @Test
    void hugeNumberOfClasses() {
        int c = 1_000_000;
        int n = 2;
        Random rnd = new Random(42);
        double[] x = new double[n * c];
        for (int j = 0; j < c; j++) {
            x[c + j] = 6 * rnd.nextDouble() - 3; // row 1 random; row 0 all zero
        }
        long[] y = {5, 123_456};
        // reference: max-shifted log-sum-exp of each row, written here
        double[] lse = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, x[i * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(x[i * c + j] - m);
            }
            lse[i] = m + Math.log(s);
        }
        assertEquals(Math.log(c), lse[0], 1e-12);
        Tensor xt = Tensor.of(x, n, c);
        LossResult r = Losses.create("cross_entropy").compute(Inputs.of(xt, Tensor.labels(y)));
        double t0 = Math.log(c);
        double t1 = lse[1] - x[c + (int) y[1]];
        close((t0 + t1) / 2, r.value(), "cross_entropy C = 1e6");
        double[] g = r.grad().f64();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double e = (Math.exp(x[i * c + j] - lse[i]) - (j == y[i] ? 1 : 0)) / n;
                if (Math.abs(g[i * c + j] - e) > 1e-12 * Math.abs(e) + 1e-18) {
                    fail("cross_entropy C = 1e6: grad[" + i + ", " + j + "] = " + g[i * c + j] + ", expected " + e);
                }
            }
        }
        // label smoothing on the all-zero row: both parts are log C
        LossResult s = Losses.create("cross_entropy", Map.of("label_smoothing", 0.1, "reduction", "none"))
                .compute(Inputs.of(xt, Tensor.labels(y)));
        close(Math.log(c), s.terms().getDouble(0), "smoothed zero row");
        // float32 logits: same value within float32 rounding of the inputs
        float[] xf = new float[x.length];
        for (int i = 0; i < xf.length; i++) {
            xf[i] = (float) x[i];
        }
        LossResult f = Losses.create("cross_entropy").compute(Inputs.of(Tensor.of(xf, n, c), Tensor.labels(y)));
        close((t0 + t1) / 2, f.value(), 1e-5, "cross_entropy float32 C = 1e6");
        // nll on the log-softmax computed here: −x_y, gradient −1/N at the label
        double[] lp = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                lp[i * c + j] = x[i * c + j] - lse[i];
            }
        }
        LossResult nl = Losses.create("nll").compute(Inputs.of(Tensor.of(lp, n, c), Tensor.labels(y)));
        close((t0 + t1) / 2, nl.value(), "nll C = 1e6");
        assertEquals(-0.5, nl.grad().f64()[(int) y[0]]);
        assertEquals(0.0, nl.grad().f64()[(int) y[0] + 1]);
        // softmax focal (γ = 2) on the zero row: p = 1/C; value −(1 − p)²·log p; gradient
        // df/dp·p·(δ_jy − p_j) with df/dp = γ(1 − p)·log p − (1 − p)²/p
        LossResult sf = Losses.create("softmax_focal", Map.of("reduction", "none")).compute(Inputs.of(xt,
                Tensor.labels(y)));
        double p = 1.0 / c;
        close(-(1 - p) * (1 - p) * Math.log(p), sf.terms().getDouble(0), "softmax_focal C = 1e6");
        double dfdp = 2 * (1 - p) * Math.log(p) - (1 - p) * (1 - p) / p;
        close(dfdp * p * (1 - p), sf.grad().f64()[(int) y[0]], "softmax_focal grad at label");
        close(dfdp * p * (-p), sf.grad().f64()[7], "softmax_focal grad elsewhere");
    }

    // ================================================================ probabilistic

    @Test
    void divergencesAtZeroProbabilitiesAndMinusInfinity() {
        // kl_div: P·(log P − log Q); a term with P = 0 is 0 even at log Q = −∞; gradient −P (sum)
        Tensor logQ = Tensor.of(new double[] {0, -INF, -1e30, -INF, Math.log(0.5), -1}, 1, 6);
        Tensor p = Tensor.of(new double[] {1, 0, 0, 0.5, 0.5, MIN}, 1, 6);
        LossResult r = Losses.create("kl_div", Map.of("reduction", "none")).compute(Inputs.of(logQ, p));
        terms(r, 0, 0, 0, INF, 0, MIN * (Math.log(MIN) + 1));
        grad(r, "input", -1, 0, 0, -0.5, -0.5, -MIN);
        // log_target: log P = −∞ is P = 0
        LossResult lt = Losses.create("kl_div", Map.of("reduction", "none", "log_target", true)).compute(Inputs.of(
                Tensor.of(new double[] {-INF, -1e30}, 1, 2), Tensor.of(new double[] {-INF, 0}, 1, 2)));
        terms(lt, 0, 1e30);
        grad(lt, "input", 0, -1);
        // reverse: Q·(log Q − log P), Q = e^x; Q = 0 gives 0, P = 0 where Q > 0 gives +∞; gradient e^x(x − log P + 1)
        LossResult rv = Losses.create("reverse_kl_div", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {-INF, -1e30, Math.log(0.5), Math.log(0.5)}, 1, 4),
                Tensor.of(new double[] {0.3, 0, 0.5, 1}, 1, 4)));
        terms(rv, 0, 0, 0, 0.5 * Math.log(0.5));
        grad(rv, "input", 0, 0, 0.5, 0.5 * (Math.log(0.5) + 1));
        LossResult inf = Losses.create("reverse_kl_div", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {0}, 1, 1), Tensor.of(new double[] {0}, 1, 1)));
        terms(inf, INF);
        // js: disjoint supports give log 2 (½ log 2 per element); input gradient ½Q·log(Q/M)
        LossResult js = Losses.create("js_div", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {0, -INF}, 1, 2), Tensor.of(new double[] {0, 1}, 1, 2)));
        terms(js, 0.5 * LN2, 0.5 * LN2);
        grad(js, "input", 0.5 * LN2, 0);
        // perplexity exp(mean nll): a sure prediction is 1 with gradient −1/K at the label; e^700 stays finite
        LossResult pp = Losses.create("perplexity").compute(Inputs.of(Tensor.of(new double[] {0, -INF, -INF}, 1, 3),
                Tensor.labels(0)));
        close(1, pp.value(), "perplexity");
        grad(pp, "input", -1, 0, 0);
        LossResult big = Losses.create("perplexity").compute(Inputs.of(Tensor.of(new double[] {-700, 0}, 1, 2),
                Tensor.labels(0)));
        close(Math.exp(700), big.value(), "perplexity e^700");
        grad(big, "input", -Math.exp(700), 0);
        LossResult ign = Losses.create("perplexity").compute(Inputs.of(Tensor.of(new double[] {-1, -1}, 1, 2),
                Tensor.labels(-100)));
        assertTrue(Double.isNaN(ign.value()), "every target ignored: NaN");
    }

    @Test
    void gaussianKlAndVaeAtExtremeLogVariancesAndClampedProbabilities() {
        // −½ Σ (1 + v − μ² − e^v); gradients μ and −½(1 − e^v)
        LossResult r = Losses.create("gaussian_kl", Map.of("reduction", "sum")).compute(Inputs.of("mu",
                Tensor.of(new double[] {0, 1e30}, 1, 2)).with("logvar", Tensor.of(new double[] {-1e4, MIN}, 1, 2)));
        close(0.5 * (1e60 + 9999), r.value(), "gaussian_kl");
        grad(r, "mu", 0, 1e30);
        grad(r, "logvar", -0.5, 0);
        LossResult inf = Losses.create("gaussian_kl").compute(Inputs.of("mu", Tensor.of(new double[] {0}, 1, 1))
                .with("logvar", Tensor.of(new double[] {1e4}, 1, 1)));
        assertEquals(INF, inf.value());
        // vae with bce on probabilities exactly 0 and 1 (log clamped at −100) and a zero KL
        LossResult v = Losses.create("vae", Map.of("reduction", "sum")).compute(Inputs.of("recon",
                Tensor.of(new double[] {0, 1, 0, 1}, 1, 4)).with("target", Tensor.of(new double[] {1, 0, 0, 1}, 1, 4))
                .with("mu", Tensor.of(new double[] {0}, 1, 1)).with("logvar", Tensor.of(new double[] {0}, 1, 1)));
        close(200, v.value(), "vae");
        grad(v, "recon", -1e12, 1e12, 0, 0);
    }

    @Test
    void ctcAtTenThousandFrames() {
        Assumptions.assumeTrue(Losses.exists("ctc"), "ctc is not registered yet");
        int t = 10_000;
        // two classes (blank 0, label 1), both log ½ at every frame: every path has probability 2^−T
        double[] lp = new double[t * 2];
        java.util.Arrays.fill(lp, Math.log(0.5));
        Tensor logProbs = Tensor.of(lp, t, 1, 2);
        // target "1": valid paths are blank* 1+ blank*: T(T + 1)/2 of them
        LossResult r = Losses.create("ctc", Map.of("reduction", "sum")).compute(Inputs.of("log_probs", logProbs)
                .with("targets", Tensor.ofLabels(new long[] {1}, 1, 1)).with("input_lengths", Tensor.labels(t))
                .with("target_lengths", Tensor.labels(1)));
        double paths = (double) t * (t + 1) / 2;
        close(t * LN2 - Math.log(paths), r.value(), "ctc T = 1e4");
        // gradient −(posterior occupancy): label 1 at frame s is on (s + 1)(T − s) of the paths
        double[] g = r.grad("log_probs").f64();
        for (int s = 0; s < t; s += 997) {
            double on = (double) (s + 1) * (t - s) / paths;
            close(-on, g[2 * s + 1], 1e-9, "ctc grad label frame " + s);
            close(-(1 - on), g[2 * s], 1e-9, "ctc grad blank frame " + s);
        }
        // empty target: only the all-blank path
        LossResult e = Losses.create("ctc", Map.of("reduction", "sum")).compute(Inputs.of("log_probs", logProbs)
                .with("targets", Tensor.ofLabels(new long[] {1}, 1, 1)).with("input_lengths", Tensor.labels(t))
                .with("target_lengths", Tensor.labels(0)));
        close(t * LN2, e.value(), "ctc empty target");
        double[] ge = e.grad("log_probs").f64();
        assertEquals(-1.0, ge[0], 1e-12);
        assertEquals(0.0, ge[1], 1e-12);
        assertEquals(-1.0, ge[2 * (t - 1)], 1e-12);
        // impossible alignment (target longer than the input): +∞, or 0 with zero_infinity
        Inputs imp = Inputs.of("log_probs", Tensor.of(new double[] {Math.log(0.5), Math.log(0.5)}, 1, 1, 2))
                .with("targets", Tensor.ofLabels(new long[] {1, 1}, 1, 2)).with("input_lengths", Tensor.labels(1))
                .with("target_lengths", Tensor.labels(2));
        assertEquals(INF, Losses.create("ctc", Map.of("reduction", "sum")).compute(imp).value());
        LossResult zi = Losses.create("ctc", Map.of("reduction", "sum", "zero_infinity", true)).compute(imp);
        assertEquals(0.0, zi.value());
        grad(zi, "log_probs", 0, 0);
    }

    // ================================================================ ranking

    @Test
    void rankingLossesAtHugeTinyAndInfiniteEmbeddings() {
        LossResult c = Losses.create("contrastive", Map.of("reduction", "none")).compute(Inputs.of("x1",
                Tensor.of(new double[] {1e30, 0, 1e30, 0}, 2, 2)).with("x2", Tensor.of(new double[4], 2, 2))
                .with("target", v(1, 0)));
        // similar: ½d², gradient (x1 − x2); dissimilar beyond the margin: 0
        terms(c, 5e59, 0);
        grad(c, "x1", 1e30, 0, 0, 0);
        grad(c, "x2", -1e30, 0, 0, 0);
        // a subnormal distance is a distance: dissimilar ½(m − d)², gradient −(m − d)·(x1 − x2)/d
        LossResult cd = Losses.create("contrastive", Map.of("reduction", "none")).compute(Inputs.of("x1",
                Tensor.of(new double[] {MIN, 0}, 1, 2)).with("x2", Tensor.of(new double[2], 1, 2)).with("target", v(0)));
        terms(cd, 0.5);
        grad(cd, "x1", -1, 0);
        // triplet: max(0, d(a, p) − d(a, n) + 1) with distances at 1e30
        Inputs tr = Inputs.of("anchor", Tensor.of(new double[] {1e30, 0}, 1, 2))
                .with("positive", Tensor.of(new double[] {-1e30, 0}, 1, 2))
                .with("negative", Tensor.of(new double[] {1e30, 1}, 1, 2));
        LossResult t = Losses.create("triplet", Map.of("reduction", "sum")).compute(tr);
        close(2e30, t.value(), "triplet");
        grad(t, "anchor", 1, 1);
        grad(t, "positive", -1, 0);
        grad(t, "negative", 0, -1);
        // cosine distance is scale-free: the same at 1e300 as at 1
        Inputs cos = Inputs.of("anchor", Tensor.of(new double[] {1e300, 0}, 1, 2))
                .with("positive", Tensor.of(new double[] {1e300, 1e300}, 1, 2))
                .with("negative", Tensor.of(new double[] {0, -1e300}, 1, 2));
        close(1 - 1 / Math.sqrt(2), Losses.create("triplet", Map.of("distance", "cosine")).compute(cos).value(),
                "triplet cosine 1e300");
        LossResult mr = Losses.create("margin_ranking", Map.of("reduction", "none")).compute(Inputs.of("input1",
                v(-1e30, INF)).with("input2", v(1e30, 0)).with("target", v(1, 1)));
        terms(mr, 2e30, 0);
        grad(mr, "input1", -1, 0);
        grad(mr, "input2", 1, 0);
        // −cos(x, y) at 1e300: −1/√2, gradient −(ŷ − cos·x̂)/‖x‖
        LossResult cs = Losses.create("cosine_similarity").compute(Inputs.of(Tensor.of(new double[] {1e300, 1e300}, 1, 2),
                Tensor.of(new double[] {1, 0}, 1, 2)));
        close(-1 / Math.sqrt(2), cs.value(), "cosine_similarity 1e300");
        double nx = Math.sqrt(2) * 1e300;
        grad(cs, "input", -0.5 / nx, 0.5 / nx);
        // subnormal x: its norm is clamped at 1e-12, so cos = x·y/(1e-12·‖y‖) and the gradient is −y/(1e-12·‖y‖)
        LossResult cz = Losses.create("cosine_similarity").compute(Inputs.of(Tensor.of(new double[] {MIN, 0}, 1, 2),
                Tensor.of(new double[] {1, 0}, 1, 2)));
        close(-MIN / 1e-12, cz.value(), "cosine_similarity subnormal");
        grad(cz, "input", -1e12, 0);
    }

    @Test
    void ntXentAtTinyTemperatureAndHugeEmbeddings() {
        // anchors e1, e1 (view 1) and −e1, −e1 (view 2): each anchor's positive is opposite (s = −1) and one
        // negative is identical (s = 1): −log(e^{−1/τ}/(e^{1/τ} + 2e^{−1/τ})) = 2/τ + log1p(2e^{−2/τ})
        for (double scale : new double[] {1, 1e300}) {
            for (double tau : new double[] {1e-4, 0.5}) {
                Inputs in = Inputs.of("z1", Tensor.of(new double[] {scale, 0, scale, 0}, 2, 2))
                        .with("z2", Tensor.of(new double[] {-scale, 0, -scale, 0}, 2, 2));
                LossResult r = Losses.create("nt_xent", Map.of("temperature", tau)).compute(in);
                close(2 / tau + Math.log1p(2 * Math.exp(-2 / tau)), r.value(), "nt_xent τ = " + tau + " scale " + scale);
                // collinear embeddings: cos is stationary, every gradient 0
                for (String z : List.of("z1", "z2")) {
                    for (double g : r.grad(z).f64()) {
                        assertEquals(0.0, g, 1e-12 / scale, "nt_xent gradient " + z);
                    }
                }
            }
        }
    }

    // ================================================================ segmentation

    @Test
    void regionLossesAtExactMasksAndSubnormalProbabilities() {
        // perfect binary prediction: coefficient 1, loss 0; gradient −(2g − 1)/(P + G + s) (dice, smooth 1)
        Tensor g = Tensor.of(new double[] {1, 0, 1, 1}, 1, 1, 2, 2);
        LossResult d = Losses.create("dice").compute(Inputs.of(g, g));
        close(0, d.value(), "dice perfect");
        double den = 3 + 3 + 1;
        grad(d, "input", -1 / den, 1 / den, -1 / den, -1 / den);
        for (String loss : List.of("jaccard", "tversky", "combo")) {
            close(0, Losses.create(loss).compute(Inputs.of(g, g)).value(), loss + " perfect");
        }
        // empty mask predicted empty with smooth 0 counts as coefficient 1
        Tensor zero = Tensor.of(new double[4], 1, 1, 2, 2);
        for (String loss : List.of("dice", "jaccard", "tversky")) {
            LossResult e = Losses.create(loss, Map.of("smooth", 0.0)).compute(Inputs.of(zero, zero));
            close(0, e.value(), loss + " empty/empty");
        }
        // tiny probabilities against an empty target, smooth 0: coefficient 0, loss 1, gradient 0,
        // also with a subnormal denominator (float64 below 2.2e-308, float32 below 1.2e-38), where
        // w/den overflows: the gradient numbers saturate, so A·0 + B stays 0 (it was ∞·0 = NaN)
        Tensor tiny = Tensor.of(new double[] {MIN, MIN, MIN, MIN}, 1, 1, 2, 2);
        float fmin = Float.MIN_VALUE;
        Tensor tiny32 = Tensor.of(new float[] {fmin, fmin, fmin, fmin}, 1, 1, 2, 2);
        Tensor zero32 = Tensor.of(new float[4], 1, 1, 2, 2);
        for (String loss : List.of("dice", "jaccard", "tversky")) {
            Loss l = Losses.create(loss, Map.of("smooth", 0.0));
            LossResult sub = l.compute(Inputs.of(tiny, zero));
            close(1, sub.value(), loss + " subnormal");
            grad(sub, "input", 0, 0, 0, 0);
            LossResult sub32 = l.compute(Inputs.of(tiny32, zero32));
            close(1, sub32.value(), loss + " subnormal float32");
            grad(sub32, "input", 0, 0, 0, 0);
        }
        Tensor small = Tensor.of(new double[] {1e-300, 1e-300, 1e-300, 1e-300}, 1, 1, 2, 2);
        LossResult t = Losses.create("dice", Map.of("smooth", 0.0)).compute(Inputs.of(small, zero));
        close(1, t.value(), "dice 1e-300");
        grad(t, "input", 0, 0, 0, 0);
        // combo at p exactly 0 and 1 against the opposite target: wBCE clamps at 100 per element
        LossResult c = Losses.create("combo").compute(Inputs.of(Tensor.of(new double[] {0, 1}, 1, 1, 2),
                Tensor.of(new double[] {1, 0}, 1, 1, 2)));
        close(0.5 * 50 + 0.5 * (1 - 1.0 / 3), c.value(), "combo clamped");
    }

    @Test
    void boxIouIsScaleFreeUpTo1e150() {
        for (double s : new double[] {1, 1e30, 1e150}) {
            Tensor a = Tensor.of(new double[] {0, 0, 2 * s, 2 * s}, 1, 4);
            Tensor b = Tensor.of(new double[] {s, s, 3 * s, 3 * s}, 1, 4);
            // I = s², U = 7s², enclosing 9s², centre distance² 2s², enclosing diagonal² 18s²
            close(6.0 / 7, Losses.create("box_iou", Map.of("eps", 0.0)).compute(Inputs.of(a, b)).value(), "iou " + s);
            close(6.0 / 7 + 2.0 / 9, Losses.create("box_iou", Map.of("variant", "giou", "eps", 0.0))
                    .compute(Inputs.of(a, b)).value(), "giou " + s);
            close(6.0 / 7 + 1.0 / 9, Losses.create("box_iou", Map.of("variant", "diou", "eps", 0.0))
                    .compute(Inputs.of(a, b)).value(), "diou " + s);
        }
        // boxes of subnormal size: I = U = 0, IoU = 0/(0 + eps) = 0, loss 1
        Tensor tiny = Tensor.of(new double[] {0, 0, MIN, MIN}, 1, 4);
        close(1, Losses.create("box_iou").compute(Inputs.of(tiny, tiny)).value(), "subnormal boxes");
    }

    @Test
    void ssimOfIdenticalImagesIsZeroAtAnyScaleUpTo1e150() {
        Random r = new Random(9);
        for (double s : new double[] {1e-300, 1, 1e30, 1e100, SSIM_MAX}) {
            double[] x = org.losses4j.Examples.uniform(r, 2 * 7 * 7, 0, s);
            Tensor t = Tensor.of(x, 1, 2, 7, 7);
            LossResult res = Losses.create("ssim", Map.of("window", 5)).compute(Inputs.of(t, Fixtures.copy(t)));
            assertEquals(0.0, res.value(), 1e-12, "ssim(x, x) at scale " + s);
            for (double gv : res.grad().f64()) {
                assertTrue(Double.isFinite(gv));
            }
        }
        // constant images: zero variance on both sides, SSIM 1
        double[] c = new double[49];
        java.util.Arrays.fill(c, 0.7);
        assertEquals(0.0, Losses.create("ssim", Map.of("window", 7)).compute(Inputs.of(Tensor.of(c, 1, 1, 7, 7),
                Tensor.of(c.clone(), 1, 1, 7, 7))).value(), 1e-15);
    }

    @Test
    void totalVariationAndPerceptualAtHugeValues() {
        Tensor x = Tensor.of(new double[] {1e30, -1e30}, 1, 1, 1, 2);
        LossResult sq = Losses.create("total_variation").compute(Inputs.of("input", x));
        close(4e60, sq.value(), "tv squared");
        grad(sq, "input", 4e30, -4e30);
        LossResult l1 = Losses.create("total_variation", Map.of("kind", "l1")).compute(Inputs.of("input", x));
        close(2e30, l1.value(), "tv l1");
        grad(l1, "input", 1, -1);
        LossResult pc = Losses.create("perceptual").compute(Inputs.of("input_features", v(1e150, 0))
                .with("target_features", v(0, 0)));
        close(0.5e300, pc.value(), "perceptual");
        grad(pc, "input_features", 1e150, 0);
    }

    // ================================================================ generative, preference, regularization

    @Test
    void ganLossesAtHugeAndInfiniteLogits() {
        LossResult d = Losses.create("gan_discriminator").compute(Inputs.of("real", v(1e4, -1e30))
                .with("fake", v(-1e4, 1e30)));
        // −mean log σ(real) − mean log(1 − σ(fake))
        close(1e30, d.value(), "minimax discriminator");
        grad(d, "real", 0, -0.5);
        grad(d, "fake", 0, 0.5);
        LossResult di = Losses.create("gan_discriminator").compute(Inputs.of("real", v(INF)).with("fake", v(-INF)));
        assertEquals(0.0, di.value());
        grad(di, "real", 0);
        grad(di, "fake", 0);
        close(5e59 + 0.5 * 1e60, Losses.create("gan_discriminator", Map.of("kind", "lsgan")).compute(Inputs.of("real",
                v(-1e30)).with("fake", v(1e30))).value(), "lsgan");
        close(2 + 2e30, Losses.create("gan_discriminator", Map.of("kind", "hinge")).compute(Inputs.of("real",
                v(-1e30)).with("fake", v(1e30))).value(), "hinge");
        LossResult g = Losses.create("gan_generator").compute(Inputs.of("fake", v(-1e30, 1e4)));
        close(5e29, g.value(), "non-saturating");
        grad(g, "fake", -0.5, 0);
        LossResult m = Losses.create("gan_generator", Map.of("kind", "minimax")).compute(Inputs.of("fake",
                v(1e30, -1e4)));
        close(-5e29, m.value(), "minimax generator");
        grad(m, "fake", 0.5 * -1, 0);
    }

    @Test
    void gradientPenaltyAtSubnormalAndHugeGradients() {
        // λ·mean (‖g‖ − 1)²; gradient 2λ(‖g‖ − 1)·g/‖g‖/N
        LossResult t = Losses.create("gradient_penalty").compute(Inputs.of("gradients",
                Tensor.of(new double[] {MIN, 0, 0}, 1, 3)));
        close(10, t.value(), "subnormal norm");
        grad(t, "gradients", -20, 0, 0);
        LossResult h = Losses.create("gradient_penalty").compute(Inputs.of("gradients",
                Tensor.of(new double[] {1e150, 1e150}, 1, 2)));
        double nrm = Math.sqrt(2) * 1e150;
        close(10 * (nrm - 1) * (nrm - 1), h.value(), "huge norm");
        grad(h, "gradients", 20 * (nrm - 1) / Math.sqrt(2), 20 * (nrm - 1) / Math.sqrt(2));
        assertEquals(INF, Losses.create("gradient_penalty").compute(Inputs.of("gradients",
                Tensor.of(new double[] {1e200, 0}, 1, 2))).value());
        LossResult dm = Losses.create("diffusion_mse").compute(Inputs.of(Tensor.of(new double[] {1e150, 0}, 1, 2),
                Tensor.of(new double[2], 1, 2)));
        close(0.5e300, dm.value(), "diffusion_mse");
        grad(dm, "input", 1e150, 0);
    }

    @Test
    void preferenceLossesAtHugeAndInfiniteLogRatios() {
        // PPO: r = e^{±1e4}; clipped branch → 0 gradient, r·A = −∞ → +∞
        LossResult p = ppo(1e4, 0, 1);
        close(-1.2, p.value(), "ppo clipped");
        grad(p, "logp", 0);
        assertEquals(INF, ppo(1e4, 0, -1).value());
        LossResult q = ppo(-1e4, 0, 1);
        assertEquals(0.0, q.value(), 0.0);
        grad(q, "logp", 0);
        LossResult q2 = ppo(-1e4, 0, -1);
        close(0.8, q2.value(), "ppo lower clip");
        grad(q2, "logp", 0);
        // DPO sigmoid (β = 0.1): softplus(−βh); gradient −β·σ(−βh) w.r.t. the chosen log-probability
        LossResult d = dpo(Map.of(), v(0, -1e5, -1e31, 1e31, INF, -INF));
        terms(d, LN2, 1e4, 1e30, 0, 0, INF);
        grad(d, "policy_chosen_logps", -0.05, -0.1, -0.1, 0, 0, -0.1);
        grad(d, "policy_rejected_logps", 0.05, 0.1, 0.1, 0, 0, 0.1);
        LossResult ipo = dpo(Map.of("loss_type", "ipo"), v(1e30));
        terms(ipo, 1e60);
        grad(ipo, "policy_chosen_logps", 2e30);
        LossResult hinge = dpo(Map.of("loss_type", "hinge"), v(-1e31));
        terms(hinge, 1e30);
        grad(hinge, "policy_chosen_logps", -0.1);
    }

    @Test
    void regularizersAtHugeTinyAndInfiniteWeights() {
        LossResult l1 = Losses.create("l1").compute(Inputs.of("weights", v(1e300, -1e300, MIN)));
        close(2e300, l1.value(), "l1");
        grad(l1, "weights", 1, -1, 1);
        LossResult l2 = Losses.create("l2").compute(Inputs.of("weights", v(1e150, MIN)));
        close(1e300, l2.value(), "l2");
        grad(l2, "weights", 2e150, 2 * MIN);
        assertEquals(INF, Losses.create("l2").compute(Inputs.of("weights", v(1e200))).value());
        LossResult en = Losses.create("elastic_net").compute(Inputs.of("weights", v(-1e150)));
        close(1e150 + 1e300, en.value(), "elastic_net");
        grad(en, "weights", -1 - 2e150);
        // Σ e^{−s}·L + s: s = 1e4 silences its task; s = −700 amplifies it to e^700
        LossResult u = Losses.create("uncertainty_weighting").compute(Inputs.of("losses", v(2, 1))
                .with("log_vars", v(1e4, -700)));
        close(1e4 + Math.exp(700) - 700, u.value(), "uncertainty_weighting");
        grad(u, "losses", 0, Math.exp(700));
        grad(u, "log_vars", 1, 1 - Math.exp(700));
    }

    // ================================================================ helpers

    private static LossResult ppo(double logp, double old, double adv) {
        return Losses.create("ppo_clip").compute(Inputs.of("logp", v(logp)).with("old_logp", v(old))
                .with("advantages", v(adv)));
    }

    /** DPO with policy_chosen = h, every other log-probability 0 (so h is the log-ratio margin). */
    private static LossResult dpo(Map<String, Object> opts, Tensor h) {
        Map<String, Object> o = new LinkedHashMap<>(opts);
        o.put("reduction", "none");
        Tensor zero = Tensor.vector(new double[h.size()]);
        return Losses.create("dpo", o).compute(Inputs.of("policy_chosen_logps", h).with("policy_rejected_logps", zero)
                .with("reference_chosen_logps", zero).with("reference_rejected_logps", zero));
    }

    static Tensor v(double... a) {
        return Tensor.vector(a);
    }

    private static LossResult none(String loss, Map<String, Object> opts, double[] x, double[] y) {
        Map<String, Object> o = new LinkedHashMap<>(opts);
        o.put("reduction", "none");
        return Losses.create(loss, o).compute(Inputs.of(Tensor.vector(x), Tensor.vector(y)));
    }

    private static LossResult scalar(String loss, Map<String, Object> opts, double[] x, double[] y) {
        return Losses.create(loss, opts).compute(Inputs.of(Tensor.vector(x), Tensor.vector(y)));
    }

    private static void terms(LossResult r, double... expected) {
        assertNotNull(r.terms(), "reduction none gives terms");
        assertEquals(expected.length, r.terms().size(), "number of terms");
        for (int i = 0; i < expected.length; i++) {
            close(expected[i], r.terms().getDouble(i), "term " + i);
        }
    }

    private static void grad(LossResult r, String input, double... expected) {
        Tensor g = r.grad(input);
        assertNotNull(g, "gradient of " + input);
        assertEquals(expected.length, g.size(), "gradient size of " + input);
        for (int i = 0; i < expected.length; i++) {
            close(expected[i], g.getDouble(i), "d/d" + input + "[" + i + "]");
        }
    }

    static void close(double expected, double actual, String what) {
        close(expected, actual, 1e-12, what);
    }

    /** Equal within {@code rtol}·|e| (+ two subnormal steps); NaN only matches NaN, ∞ only the same ∞. */
    static void close(double expected, double actual, double rtol, String what) {
        boolean ok;
        if (Double.isNaN(expected)) {
            ok = Double.isNaN(actual);
        } else if (Double.isInfinite(expected)) {
            ok = actual == expected;
        } else {
            ok = Double.isFinite(actual) && Math.abs(actual - expected) <= rtol * Math.abs(expected) + 2 * MIN;
        }
        if (!ok) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }
}
