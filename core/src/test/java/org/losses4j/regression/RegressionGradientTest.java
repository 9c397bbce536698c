package org.losses4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.ElementwiseLoss;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Finite-difference checks (float64) of the gradient and of the diagonal Hessian of every
 * regression loss over every option combination, on random inputs kept away from the kinks
 * (x = y for mae / quantile / smooth_l1 with β = 0 / mape, and expectile's second derivative;
 * |x − y| = β for smooth_l1, var = eps for gaussian_nll), where a central difference would
 * straddle two pieces.
 */
class RegressionGradientTest {
    private static final List<String> REDUCTIONS = List.of("mean", "sum", "none");
    private static final int ROWS = 3;
    private static final int COLS = 4;

    /** One loss configuration and how to draw inputs for it. */
    private static final class Combo {
        final String loss;
        final Map<String, Object> params;
        final DoubleUnaryOperator residualOk;
        final double xLo;
        final double xHi;
        final double yLo;
        final double yHi;
        final boolean countTarget;
        final String varShape;

        Combo(String loss, Map<String, Object> params, DoubleUnaryOperator residualOk, double xLo, double xHi,
                double yLo, double yHi, boolean countTarget, String varShape) {
            this.loss = loss;
            this.params = params;
            this.residualOk = residualOk;
            this.xLo = xLo;
            this.xHi = xHi;
            this.yLo = yLo;
            this.yHi = yHi;
            this.countTarget = countTarget;
            this.varShape = varShape;
        }

        @Override
        public String toString() {
            return loss + params + (varShape == null ? "" : " var " + varShape);
        }
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Combo plain(String loss, Map<String, Object> p, DoubleUnaryOperator ok) {
        return new Combo(loss, p, ok, -3, 3, -3, 3, false, null);
    }

    /** 1 when the residual is acceptable, 0 when it is too near a kink. */
    private static DoubleUnaryOperator awayFrom(double... kinks) {
        return d -> {
            for (double k : kinks) {
                if (Math.abs(Math.abs(d) - k) < 0.02) {
                    return 0;
                }
            }
            return 1;
        };
    }

    static List<Combo> combos() {
        List<Combo> out = new ArrayList<>();
        DoubleUnaryOperator any = d -> 1;
        for (String r : REDUCTIONS) {
            out.add(plain("mae", params("reduction", r), awayFrom(0)));
            out.add(plain("log_cosh", params("reduction", r), any));
            out.add(new Combo("msle", params("reduction", r), any, -0.8, 6, -0.8, 6, false, null));
            for (double beta : new double[] {0.0, 0.5, 1.0, 2.0}) {
                out.add(plain("smooth_l1", params("beta", beta, "reduction", r), awayFrom(0, beta)));
            }
            for (double delta : new double[] {0.05, 0.5, 1.0, 3.0, 1e3}) {
                out.add(plain("pseudo_huber", params("delta", delta, "reduction", r), any));
            }
            for (Object alpha : new Object[] {2.0, 1.0, 0.0, -2.0, "-Infinity", 0.5, 1.5, 1e-9, 2 - 1e-12, -7.0}) {
                for (double c : new double[] {0.3, 1.0, 4.0}) {
                    out.add(plain("robust", params("alpha", alpha, "c", c, "reduction", r), any));
                }
            }
            // the fast-growing members on residuals of a few c (exp(z²/2) at z = 20 swamps a difference)
            out.add(plain("robust", params("alpha", 5.0, "c", 2.0, "reduction", r), any));
            out.add(plain("robust", params("alpha", "Infinity", "c", 4.0, "reduction", r), any));
            for (double tau : new double[] {0.1, 0.5, 0.9}) {
                out.add(plain("quantile", params("tau", tau, "reduction", r), awayFrom(0)));
            }
            for (double power : new double[] {1.01, 1.5, 1.99}) {
                // log-means in [-2, 2], counts and half-counts including 0
                out.add(new Combo("tweedie", params("variance_power", power, "reduction", r), any, -2, 2, 0, 6, true,
                        null));
            }
            out.add(new Combo("gamma", params("reduction", r), any, -2, 2, 0.05, 6, false, null));
            for (double tau : new double[] {0.05, 0.5, 0.8}) {
                // the second derivative jumps at x = y
                out.add(plain("expectile", params("tau", tau, "reduction", r), awayFrom(0)));
            }
            for (double eps : new double[] {2.220446049250313e-16, 0.5}) {
                out.add(plain("mape", params("eps", eps, "reduction", r), awayFrom(0)));
            }
            for (double c : new double[] {0.05, 1.0, 3.0, 1e3}) {
                out.add(plain("fair", params("c", c, "reduction", r), any));
            }
            for (boolean logInput : new boolean[] {true, false}) {
                for (boolean full : new boolean[] {false, true}) {
                    for (double eps : new double[] {1e-8, 0.5}) {
                        Map<String, Object> p = params("log_input", logInput, "full", full, "eps", eps, "reduction", r);
                        out.add(logInput ? new Combo("poisson_nll", p, any, -2, 2, 0, 6, true, null)
                                : new Combo("poisson_nll", p, any, 0.1, 4, 0, 6, true, null));
                    }
                }
            }
            for (boolean full : new boolean[] {false, true}) {
                for (double eps : new double[] {1e-6, 0.05}) {
                    for (String vs : new String[] {"full", "row"}) {
                        out.add(new Combo("gaussian_nll", params("full", full, "eps", eps, "reduction", r), any, -3,
                                3, -3, 3, false, vs));
                    }
                }
            }
        }
        out.add(plain("rmse", params(), any));
        out.add(new Combo("rmsle", params(), any, -0.8, 6, -0.8, 6, false, null));
        return out;
    }

    /** Random inputs for a combination, with residuals away from its kinks. */
    static Inputs draw(Combo c, Random rnd) {
        int n = ROWS * COLS;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            do {
                x[i] = c.xLo + (c.xHi - c.xLo) * rnd.nextDouble();
                y[i] = c.countTarget ? rnd.nextInt(7) + (rnd.nextBoolean() ? 0.0 : 0.5)
                        : c.yLo + (c.yHi - c.yLo) * rnd.nextDouble();
            } while (c.residualOk.applyAsDouble(x[i] - y[i]) == 0);
        }
        Inputs in = Inputs.of(Tensor.of(x, ROWS, COLS), Tensor.of(y, ROWS, COLS));
        if (c.varShape != null) {
            double eps = ((Number) c.params.get("eps")).doubleValue();
            int m = c.varShape.equals("full") ? n : ROWS;
            double[] v = new double[m];
            for (int i = 0; i < m; i++) {
                // mostly well above eps; with the larger eps also some clamped ones well below it
                v[i] = eps > 0.01 && i % 3 == 0 ? 0.2 * eps * rnd.nextDouble() : 0.2 + 2 * rnd.nextDouble();
            }
            in = in.with("var", c.varShape.equals("full") ? Tensor.of(v, ROWS, COLS) : Tensor.of(v, ROWS, 1));
        }
        return in;
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        Random rnd = new Random(20240611);
        return combos().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Loss loss = Losses.create(c.loss, c.params);
            for (int rep = 0; rep < 3; rep++) {
                Inputs in = draw(c, rnd);
                GradCheck.gradients(loss, in);
                if (c.varShape != null) {
                    assertNotNull(loss.compute(in).grad("var"), "gaussian_nll returns the var gradient");
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> hessianMatchesFiniteDifferencesOfTheGradient() {
        Random rnd = new Random(77);
        return combos().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ElementwiseLoss loss = (ElementwiseLoss) Losses.create(c.loss, c.params);
            for (int rep = 0; rep < 3; rep++) {
                Inputs in = draw(c, rnd);
                GradCheck.hessian(loss, in, 1e-5, 1e-5);
                LossResult r = loss.computeWithHessian(in);
                // the value and gradient of computeWithHessian are those of compute
                assertEquals(loss.compute(in).value(), r.value(), 0.0);
                assertEquals(r.hessian().size(), in.get("input").size());
            }
        }));
    }

    /** A guard that the combination list really covers every regression loss but mse/huber's own tests. */
    @org.junit.jupiter.api.Test
    void everyNewLossIsCovered() {
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (Combo c : combos()) {
            covered.add(c.loss);
        }
        assertEquals(java.util.Set.of("mae", "rmse", "smooth_l1", "log_cosh", "msle", "rmsle", "poisson_nll",
                "gaussian_nll", "quantile", "pseudo_huber", "tweedie", "gamma", "expectile", "mape", "fair", "robust"), covered);
    }
}
