package org.losses4j.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Extreme inputs against closed-form limits, NaN propagation, the catalog's subgradients at
 * kinks, and refusals (for the right reason: kind and message).
 */
class RegressionEdgeCasesTest {
    private static final double LOG2 = Math.log(2);

    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static LossResult none(String loss, Map<String, Object> p, Inputs in) {
        Map<String, Object> m = new java.util.HashMap<>(p);
        m.put("reduction", "none");
        return Losses.create(loss, m).compute(in);
    }

    private static void close(double got, double want, double rel) {
        assertThat(got).isCloseTo(want, within(rel * Math.abs(want)));
    }

    // ---- residuals ±1e4: closed-form linear / quadratic limits ----

    @Test
    void residualsOfTenThousand() {
        double[] x = {1e4, -1e4, 5e3};
        double[] y = {0, 0, -5e3};
        Inputs in = pair(x, y);
        // mae: |d|, gradient sign(d)
        LossResult r = none("mae", Map.of(), in);
        assertThat(r.terms().f64()).containsExactly(1e4, 1e4, 1e4);
        assertThat(r.grad().f64()).containsExactly(1, -1, 1);
        // smooth_l1: |d| − β/2, gradient sign(d)
        r = none("smooth_l1", Map.of("beta", 2.0), in);
        assertThat(r.terms().f64()).containsExactly(1e4 - 1, 1e4 - 1, 1e4 - 1);
        assertThat(r.grad().f64()).containsExactly(1, -1, 1);
        // quantile τ = 0.9: over-prediction costs 0.1·|d|, under-prediction 0.9·|d|
        r = none("quantile", Map.of("tau", 0.9), in);
        double[] q = r.terms().f64();
        close(q[0], 0.1 * 1e4, 1e-15);
        close(q[1], 0.9 * 1e4, 1e-15);
        close(q[2], 0.1 * 1e4, 1e-15);
        close(r.grad().f64()[0], 0.1, 1e-15);
        close(r.grad().f64()[1], -0.9, 1e-15);
        // rmse of equal |d| is |d|; gradient d/(n·|d|)
        r = Losses.create("rmse").compute(in);
        assertThat(r.value()).isEqualTo(1e4);
        assertThat(r.grad().f64()).containsExactly(1.0 / 3, -1.0 / 3, 1.0 / 3);
        // gaussian_nll with var 1: ½d²
        r = none("gaussian_nll", Map.of(), in.with("var", Tensor.vector(new double[] {1, 1, 1})));
        assertThat(r.terms().f64()).containsExactly(5e7, 5e7, 5e7);
        assertThat(r.grad().f64()).containsExactly(1e4, -1e4, 1e4);
        assertThat(r.grad("var").f64()).containsExactly(0.5 * (1 - 1e8), 0.5 * (1 - 1e8), 0.5 * (1 - 1e8));
    }

    @Test
    void logCoshAtPlusMinusTenThousandIsExactlyAbsMinusLog2() {
        Inputs in = pair(new double[] {1e4, -1e4, 0.5e4}, new double[] {0, 0, -0.5e4});
        LossResult r = none("log_cosh", Map.of(), in);
        double want = 1e4 - LOG2;
        assertThat(r.terms().f64()).containsExactly(want, want, want);
        assertThat(r.grad().f64()).containsExactly(1, -1, 1);
        LossResult h = ((ElementwiseLoss) Losses.create("log_cosh")).computeWithHessian(in);
        assertThat(h.hessian().f64()).containsExactly(0, 0, 0);
        // float32 too
        LossResult f = Losses.create("log_cosh", Map.of("reduction", "sum")).compute(Inputs.of(
                Tensor.vector(new float[] {1e4f, -1e4f}), Tensor.vector(new float[] {0f, 0f})));
        close(f.value(), 2 * want, 1e-12);
        assertThat(f.grad().f32()).containsExactly(1f, -1f);
    }

    @Test
    void logCoshKeepsRelativePrecisionForTinyResiduals() {
        double[] d = {1e-8, -3e-5, 1e-3, 0.3, -0.99, 1.0, 3.0};
        LossResult r = none("log_cosh", Map.of(), pair(d, new double[d.length]));
        double[] t = r.terms().f64();
        for (int i = 0; i < d.length; i++) {
            double a = Math.abs(d[i]);
            // reference: the Taylor series d²/2 − d⁴/12 + d⁶/45 − 17d⁸/2520 for small d, log((eᵃ + e⁻ᵃ)/2) otherwise
            double want = a < 1e-2 ? a * a / 2 - Math.pow(a, 4) / 12 + Math.pow(a, 6) / 45 - 17 * Math.pow(a, 8) / 2520
                    : Math.log((Math.exp(a) + Math.exp(-a)) / 2);
            close(t[i], want, 1e-13);
            close(r.grad().f64()[i], Math.tanh(d[i]), 1e-15);
        }
    }

    @Test
    void poissonLogInputAtSevenHundredAndMinusTenThousand() {
        double[] x = {700, -1e4, -1e4, 700};
        double[] y = {3, 2, 0, 0};
        LossResult r = none("poisson_nll", Map.of(), pair(x, y));
        double e700 = Math.exp(700); // ≈ 1.0142e304, finite
        assertThat(r.terms().f64()).containsExactly(e700 - 2100, 2e4, 0, e700);
        assertThat(r.grad().f64()).containsExactly(e700 - 3, -2, 0, e700);
        for (double v : r.terms().f64()) {
            assertThat(v).isFinite();
        }
        LossResult h = ((ElementwiseLoss) Losses.create("poisson_nll")).computeWithHessian(pair(x, y));
        assertThat(h.hessian().f64()).containsExactly(e700 / 4, 0, 0, e700 / 4);
        // full: y·log y − y + ½log(2πy) added for y = 3 and 2, not for 0
        LossResult f = none("poisson_nll", Map.of("full", true), pair(x, y));
        double s3 = 3 * Math.log(3) - 3 + 0.5 * Math.log(6 * Math.PI);
        double s2 = 2 * Math.log(2) - 2 + 0.5 * Math.log(4 * Math.PI);
        assertThat(f.terms().f64()[1]).isCloseTo(2e4 + s2, within(1e-9));
        assertThat(f.terms().f64()[0]).isCloseTo(e700 - 2100 + s3, within(1e-12 * e700));
    }

    @Test
    void poissonRateZeroUsesEps() {
        LossResult r = none("poisson_nll", Map.of("log_input", false), pair(new double[] {0, 0}, new double[] {0, 3}));
        assertThat(r.terms().f64()[0]).isEqualTo(0.0);
        close(r.terms().f64()[1], -3 * Math.log(1e-8), 1e-14);
        assertThat(r.grad().f64()).containsExactly(1.0, 1 - 3 / 1e-8);
    }

    @Test
    void msleAndRmsleNearMinusOneAndFarOut() {
        double x0 = -1 + 1e-10;
        LossResult r = none("msle", Map.of(), pair(new double[] {x0, 1e300}, new double[] {0, 0}));
        double l0 = Math.log1p(x0); // ≈ log(1e-10), with 1 + x0 not exactly 1e-10
        close(r.terms().f64()[0], l0 * l0, 1e-15);
        close(r.grad().f64()[0], 2 * l0 / (1 + x0), 1e-12);
        close(r.terms().f64()[1], Math.pow(300 * Math.log(10), 2), 1e-12);
        LossResult s = Losses.create("rmsle").compute(pair(new double[] {Math.E - 1, 0}, new double[] {0, 0}));
        close(s.value(), Math.sqrt(0.5), 1e-15);
        // ∂/∂x₀ = r₀ / (n·s·(1 + x₀)) = 1 / (2·√½·e)
        close(s.grad().f64()[0], 1 / (2 * Math.sqrt(0.5) * Math.E), 1e-14);
        assertThat(s.grad().f64()[1]).isEqualTo(0.0);
    }

    @Test
    void gaussianNllClampsSmallVariancesAndZeroesTheirGradient() {
        double eps = 1e-6;
        double[] x = {1, 1, 1, 1};
        double[] y = {0, 0, 0, 0};
        double[] v = {0, 1e-9, eps, 0.5};
        LossResult r = none("gaussian_nll", Map.of(), pair(x, y).with("var", Tensor.vector(v)));
        double[] t = r.terms().f64();
        double clamped = 0.5 * (Math.log(eps) + 1 / eps);
        close(t[0], clamped, 1e-15);
        close(t[1], clamped, 1e-15);
        close(t[2], clamped, 1e-15);
        close(t[3], 0.5 * (Math.log(0.5) + 2), 1e-15);
        assertThat(r.grad().f64()).containsExactly(1 / eps, 1 / eps, 1 / eps, 2);
        double[] gv = r.grad("var").f64();
        assertThat(gv[0]).isEqualTo(0.0);
        assertThat(gv[1]).isEqualTo(0.0);
        close(gv[2], 0.5 * (1 / eps - 1 / (eps * eps)), 1e-15); // var = eps is not clamped
        close(gv[3], 0.5 * (2 - 4), 1e-15);
        LossResult h = ((ElementwiseLoss) Losses.create("gaussian_nll")).computeWithHessian(
                pair(x, y).with("var", Tensor.vector(v)));
        assertThat(h.hessian().f64()).containsExactly(0.25 / eps, 0.25 / eps, 0.25 / eps, 0.5);
    }

    @Test
    void gaussianNllPerRowVarianceIncludingAVector() {
        // input [6] with var [1]: one variance for the whole vector
        double[] x = {1, 2, 3, 0, 0, 0};
        double[] y = new double[6];
        LossResult r = Losses.create("gaussian_nll", Map.of("reduction", "sum"))
                .compute(pair(x, y).with("var", Tensor.of(new double[] {2.0}, 1)));
        close(r.value(), 6 * 0.5 * Math.log(2) + 14 / 4.0, 1e-15);
        assertThat(r.grad("var").shape()).containsExactly(1);
        close(r.grad("var").f64()[0], 6 * 0.25 - 14 / 8.0, 1e-15);
    }

    // ---- kinks: the catalog's subgradients ----

    @Test
    void subgradientsAtKinks() {
        double[] x = {1.5, -2.0, 0.25};
        double[] y = {1.5, -2.0, 1.25};
        Inputs in = pair(x, y);
        assertThat(none("mae", Map.of(), in).grad().f64()).containsExactly(0, 0, -1);
        assertThat(none("smooth_l1", Map.of("beta", 0.0), in).grad().f64()).containsExactly(0, 0, -1);
        assertThat(none("quantile", Map.of("tau", 0.3), in).grad().f64()).containsExactly(0, 0, -0.3);
        // |d| = β: both pieces give ½β and gradient sign(d)
        LossResult s = none("smooth_l1", Map.of("beta", 1.0), in);
        assertThat(s.terms().f64()[2]).isEqualTo(0.5);
        assertThat(s.grad().f64()[2]).isEqualTo(-1.0);
        // second derivative 0 at kinks (documented choice) and on linear pieces
        assertThat(((ElementwiseLoss) Losses.create("mae")).computeWithHessian(in).hessian().f64())
                .containsExactly(0, 0, 0);
        assertThat(((ElementwiseLoss) Losses.create("quantile")).computeWithHessian(in).hessian().f64())
                .containsExactly(0, 0, 0);
        assertThat(((ElementwiseLoss) Losses.create("smooth_l1", Map.of("beta", 2.0))).computeWithHessian(in)
                .hessian().f64()).containsExactly(0.5 / 3, 0.5 / 3, 0.5 / 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rmse", "rmsle"})
    void rootLossesHaveZeroGradientAndHessianAtZero(String name) {
        double[] x = {0.5, 2.0, 7.0};
        LossResult r = ((ElementwiseLoss) Losses.create(name)).computeWithHessian(pair(x, x.clone()));
        assertThat(r.value()).isEqualTo(0.0);
        assertThat(r.grad().f64()).containsExactly(0, 0, 0);
        assertThat(r.hessian().f64()).containsExactly(0, 0, 0);
    }

    // ---- NaN propagates element by element ----

    @ParameterizedTest
    @ValueSource(strings = {"mae", "smooth_l1", "log_cosh", "msle", "poisson_nll", "gaussian_nll", "quantile",
        "pseudo_huber", "tweedie", "gamma", "expectile", "mape", "fair", "robust"})
    void nanPropagatesToItsOwnTermAndGradientOnly(String name) {
        for (String where : new String[] {"input", "target"}) {
            double[] x = {0.5, 1.5, 2.5};
            double[] y = {1.0, 2.0, 2.0};
            (where.equals("input") ? x : y)[1] = Double.NaN;
            Inputs in = pair(x, y);
            if (name.equals("gaussian_nll")) {
                in = in.with("var", Tensor.vector(new double[] {1, 1, 1}));
            }
            LossResult r = none(name, Map.of(), in);
            double[] t = r.terms().f64();
            double[] g = r.grad().f64();
            assertThat(t[1]).as(name + " NaN " + where).isNaN();
            assertThat(g[1]).as(name + " NaN " + where + " gradient").isNaN();
            assertThat(t[0]).isFinite();
            assertThat(t[2]).isFinite();
            assertThat(g[0]).isFinite();
            assertThat(g[2]).isFinite();
            assertThat(Losses.create(name).value(in).value()).isNaN();
        }
        for (String beta : new String[] {"0", "1"}) {
            LossResult r = none("smooth_l1", Map.of("beta", Double.valueOf(beta)),
                    pair(new double[] {Double.NaN}, new double[] {0}));
            assertThat(r.grad().f64()[0]).isNaN();
        }
    }

    @Test
    void nanInVarPropagates() {
        LossResult r = none("gaussian_nll", Map.of(), pair(new double[] {1, 2}, new double[] {0, 0})
                .with("var", Tensor.vector(new double[] {Double.NaN, 1})));
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.grad().f64()[0]).isNaN();
        assertThat(r.grad("var").f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isFinite();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rmse", "rmsle"})
    void nanMakesRootLossesNaN(String name) {
        LossResult r = Losses.create(name).compute(pair(new double[] {1, Double.NaN}, new double[] {0, 0}));
        assertThat(r.value()).isNaN();
        assertThat(r.grad().f64()[1]).isNaN();
    }

    // ---- refusals: kind and message ----

    private static void refused(Runnable call, ErrorKind kind, String message) {
        assertThatThrownBy(call::run).isInstanceOf(LossException.class)
                .satisfies(e -> assertThat(((LossException) e).kind()).isEqualTo(kind))
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"msle", "rmsle"})
    void logLossesRefuseValuesAtOrBelowMinusOne(String name) {
        Loss loss = Losses.create(name);
        refused(() -> loss.compute(pair(new double[] {0.5, -1.0}, new double[] {0, 1})), ErrorKind.OUT_OF_DOMAIN,
                "input[1] = -1.0 must be > -1");
        refused(() -> loss.compute(pair(new double[] {0.5, 1.0}, new double[] {0, -1.5})), ErrorKind.OUT_OF_DOMAIN,
                "target[1] = -1.5 must be > -1");
        // NaN is not refused: it propagates
        assertThat(loss.value(pair(new double[] {Double.NaN}, new double[] {0})).value()).isNaN();
    }

    @Test
    void poissonRefusesNegativeTargetsAndNegativeRates() {
        refused(() -> Losses.create("poisson_nll").compute(pair(new double[] {0.5, 0.1}, new double[] {1, -1})),
                ErrorKind.OUT_OF_DOMAIN, "target[1] = -1.0 must be >= 0");
        refused(() -> Losses.create("poisson_nll", Map.of("log_input", false))
                .compute(pair(new double[] {0.5, -0.1}, new double[] {1, 1})), ErrorKind.OUT_OF_DOMAIN,
                "input[1] = -0.1 must be >= 0");
        // a negative log-rate is fine
        assertThat(Losses.create("poisson_nll").value(pair(new double[] {-0.1}, new double[] {1})).value())
                .isCloseTo(Math.exp(-0.1) + 0.1, within(1e-15));
        refused(() -> Losses.create("poisson_nll", Map.of("eps", 0.0)), ErrorKind.INVALID_OPTION, "eps");
    }

    @Test
    void logLinkLossesRefuseTargetsOutsideTheirDomain() {
        refused(() -> Losses.create("tweedie").compute(pair(new double[] {0.5, 0.1}, new double[] {0, -1})),
                ErrorKind.OUT_OF_DOMAIN, "target[1] = -1.0 must be >= 0");
        refused(() -> Losses.create("gamma").compute(pair(new double[] {0.5, 0.1}, new double[] {1, 0})),
                ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.0 must be > 0");
        refused(() -> Losses.create("gamma").compute(pair(new double[] {0.5, 0.1}, new double[] {-2, 1})),
                ErrorKind.OUT_OF_DOMAIN, "target[0] = -2.0 must be > 0");
        // a zero target is tweedie's point mass, any score is a log-mean, NaN propagates
        assertThat(Losses.create("tweedie").value(pair(new double[] {-3, 3}, new double[] {0, 0})).value())
                .isCloseTo(Math.exp(-1.5) + Math.exp(1.5), within(1e-15));
        assertThat(Losses.create("gamma").value(pair(new double[] {Double.NaN}, new double[] {1})).value()).isNaN();
        assertThat(Losses.create("gamma").value(pair(new double[] {1}, new double[] {Double.NaN})).value()).isNaN();
    }

    @Test
    void gaussianNllRefusesBadVarShapesAndNegativeVariances() {
        Tensor x = Tensor.of(new double[12], 3, 4);
        Tensor y = Tensor.of(new double[12], 3, 4);
        Loss loss = Losses.create("gaussian_nll");
        refused(() -> loss.compute(Inputs.of(x, y).with("var", Tensor.of(new double[6], 3, 2))),
                ErrorKind.SHAPE_MISMATCH, "var shape [3, 2] must be input's shape [3, 4] or [3, 1]");
        refused(() -> loss.compute(Inputs.of(x, y).with("var", Tensor.of(new double[4], 4, 1))),
                ErrorKind.SHAPE_MISMATCH, "var shape [4, 1]");
        refused(() -> loss.compute(Inputs.of(x, y).with("var", Tensor.of(new double[3], 3))),
                ErrorKind.SHAPE_MISMATCH, "var shape [3]");
        double[] v = new double[12];
        v[5] = -0.1;
        refused(() -> loss.compute(Inputs.of(x, y).with("var", Tensor.of(v, 3, 4))), ErrorKind.OUT_OF_DOMAIN,
                "var[1, 1] = -0.1 must be >= 0");
        refused(() -> loss.compute(Inputs.of(x, y)), ErrorKind.MISSING_INPUT, "var");
    }

    @Test
    void badOptionsAreRefused() {
        refused(() -> Losses.create("quantile", Map.of("tau", 0.0)), ErrorKind.INVALID_OPTION, "tau");
        refused(() -> Losses.create("quantile", Map.of("tau", 1.0)), ErrorKind.INVALID_OPTION, "tau");
        refused(() -> Losses.create("smooth_l1", Map.of("beta", -0.5)), ErrorKind.INVALID_OPTION, "beta");
        refused(() -> Losses.create("gaussian_nll", Map.of("eps", -1.0)), ErrorKind.INVALID_OPTION, "eps");
        for (double delta : new double[] {0.0, -1.0, 2e15, Double.NaN, Double.POSITIVE_INFINITY}) {
            refused(() -> Losses.create("pseudo_huber", Map.of("delta", delta)), ErrorKind.INVALID_OPTION, "delta");
            refused(() -> Losses.create("fair", Map.of("c", delta)), ErrorKind.INVALID_OPTION, "option c");
        }
        for (double p : new double[] {1.0, 2.0, 0.5, 2.5, Double.NaN}) {
            refused(() -> Losses.create("tweedie", Map.of("variance_power", p)), ErrorKind.INVALID_OPTION,
                    "variance_power");
        }
        for (double tau : new double[] {0.0, 1.0}) {
            refused(() -> Losses.create("expectile", Map.of("tau", tau)), ErrorKind.INVALID_OPTION, "tau");
        }
        refused(() -> Losses.create("mape", Map.of("eps", 0.0)), ErrorKind.INVALID_OPTION, "eps");
        refused(() -> Losses.create("gamma", Map.of("variance_power", 1.5)), ErrorKind.UNKNOWN_OPTION,
                "variance_power");
        for (Object alpha : new Object[] {2e15, -2e15, Double.NaN, "NaN", "1e16"}) {
            refused(() -> Losses.create("robust", Map.of("alpha", alpha)), ErrorKind.INVALID_OPTION, "alpha");
        }
        for (double c : new double[] {0.0, -1.0, 1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            refused(() -> Losses.create("robust", Map.of("c", c)), ErrorKind.INVALID_OPTION, "option c");
        }
        // always-scalar losses take no reduction
        refused(() -> Rmse.builder().reduction(Reduction.SUM).build(), ErrorKind.UNKNOWN_OPTION, "reduction");
        refused(() -> Losses.create("rmsle", Map.of("reduction", "mean")), ErrorKind.UNKNOWN_OPTION, "reduction");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mae", "rmse", "smooth_l1", "log_cosh", "msle", "rmsle", "poisson_nll", "quantile",
        "pseudo_huber", "tweedie", "gamma", "expectile", "mape", "fair", "robust"})
    void shapeMismatchAndEmptyMeanAreRefused(String name) {
        refused(() -> Losses.create(name).compute(pair(new double[5], new double[6])), ErrorKind.SHAPE_MISMATCH,
                "target shape [6] != input shape [5]");
        refused(() -> Losses.create(name).compute(pair(new double[0], new double[0])), ErrorKind.EMPTY_INPUT,
                "empty");
    }

    @Test
    void typedBuildersMatchTheRegistry() {
        Inputs in = pair(new double[] {0.3, -2, 4}, new double[] {1, 1, 1});
        assertThat(Quantile.builder().set(Quantile.TAU, 0.8).build().value(in).value())
                .isEqualTo(Losses.create("quantile", Map.of("tau", 0.8)).value(in).value());
        assertThat(SmoothL1.builder().set(SmoothL1.BETA, 0.5).reduction(Reduction.SUM).build().value(in).value())
                .isEqualTo(Losses.create("smooth_l1", Map.of("beta", 0.5, "reduction", "sum")).value(in).value());
        assertThat(Losses.family(org.losses4j.Family.REGRESSION)).extracting(i -> i.name()).containsExactly("mse",
                "mae", "rmse", "huber", "smooth_l1", "log_cosh", "msle", "rmsle", "poisson_nll", "gaussian_nll",
                "quantile", "pseudo_huber", "tweedie", "gamma", "expectile", "mape", "fair", "robust", "cox");
    }
}
