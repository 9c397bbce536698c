package org.losses4j.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * expectile beyond what the regression family's shared tests check (gradient and Hessian finite
 * differences over τ and the reductions away from x = y, sum = N·mean, ½·mse at τ = ½, the
 * asymmetry, float32, NaN, refusals; its conformance cases are in conformance/project/): the
 * weighted gradient, the minimiser being the τ-expectile, the second derivative at and around
 * x = y, residuals whose square overflows, and the second derivative against the values of
 * conformance/generate/expectile.py --hessian.
 */
class ExpectileTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static ElementwiseLoss loss(double tau, String reduction) {
        return (ElementwiseLoss) Losses.create("expectile", Map.of("tau", tau, "reduction", reduction));
    }

    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 30).flatMap(n -> Combinators.combine(vec(n), vec(n))
                .as((a, b) -> new double[][] {a, b}));
    }

    private static Arbitrary<double[]> vec(int n) {
        return Arbitraries.doubles().between(-20, 20).ofScale(6).array(double[].class).ofSize(n);
    }

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p, @ForAll @DoubleRange(min = 0.01, max = 0.99) double tau) {
        WeightChecks.unitWeightsAreNoWeights(red -> loss(tau, red), p[0], p[1]);
    }

    @Test
    void weightedGradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(20);
        for (double tau : new double[] {0.1, 0.5, 0.95}) {
            double[] x = new double[12];
            double[] y = new double[12];
            for (int i = 0; i < 12; i++) {
                x[i] = 6 * r.nextDouble() - 3;
                do {
                    y[i] = 6 * r.nextDouble() - 3;
                } while (Math.abs(x[i] - y[i]) < 0.02); // the second derivative jumps at x = y
            }
            WeightChecks.weightedDerivativesMatchFiniteDifferences(red -> loss(tau, red), x, y, r);
        }
    }

    /** The τ-expectile of a sample: the e with τ·Σ(y − e)₊ = (1 − τ)·Σ(e − y)₊, by bisection. */
    private static double expectile(double[] y, double tau) {
        double lo = -1e3;
        double hi = 1e3;
        for (int it = 0; it < 200; it++) {
            double e = 0.5 * (lo + hi);
            double s = 0;
            for (double v : y) {
                s += v > e ? tau * (v - e) : (1 - tau) * (v - e);
            }
            if (s > 0) {
                lo = e;
            } else {
                hi = e;
            }
        }
        return 0.5 * (lo + hi);
    }

    @Property(tries = 60)
    void theBestConstantPredictionIsTheExpectile(@ForAll("pairs") double[][] p,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double tau) {
        double[] y = p[1];
        double e = expectile(y, tau);
        double[] x = new double[y.length];
        java.util.Arrays.fill(x, e);
        ElementwiseLoss l = loss(tau, "sum");
        double[] g = l.compute(pair(x, y)).grad().f64();
        double s = 0;
        double scale = 0;
        for (int i = 0; i < g.length; i++) {
            s += g[i];
            scale += Math.abs(g[i]);
        }
        assertThat(s).isCloseTo(0.0, within(1e-9 * (1 + scale)));
        // and moving the constant either way raises the loss
        double v = l.value(pair(x, y)).value();
        for (double h : new double[] {-0.01, 0.01}) {
            double[] xh = x.clone();
            for (int i = 0; i < xh.length; i++) {
                xh[i] += h;
            }
            assertThat(l.value(pair(xh, y)).value()).isGreaterThan(v);
        }
    }

    @Test
    void secondDerivativeAtAndAroundTheKink() {
        // 2τ for under-prediction and at x = y, 2(1 − τ) for over-prediction; the gradient is continuous (0 at x = y)
        LossResult r = loss(0.3, "none").computeWithHessian(pair(new double[] {0.5, 0.5, 0.5 + 1e-12},
                new double[] {0.5 + 1e-12, 0.5, 0.5}));
        assertThat(r.hessian().f64()).containsExactly(0.6, 0.6, 2 * (1 - 0.3));
        assertThat(r.grad().f64()[1]).isEqualTo(0.0);
        assertThat(Math.abs(r.grad().f64()[0])).isLessThan(1e-11);
        assertThat(Math.abs(r.grad().f64()[2])).isLessThan(1e-11);
    }

    @Test
    void residualsWhoseSquareOverflowsStayFinite() {
        // u² = 2.25e308 overflows; τu² = 2.25e307 does not
        LossResult r = loss(0.1, "none").compute(pair(new double[] {-1.5e154, 1.5e154}, new double[] {0, 0}));
        assertThat(r.terms().f64()[0]).isCloseTo(0.1 * 1.5e154 * 1.5e154, within(1e293));
        assertThat(r.grad().f64()[0]).isCloseTo(-2 * 0.1 * 1.5e154, within(1e140));
        assertThat(r.terms().f64()[1]).isEqualTo(Double.POSITIVE_INFINITY); // 0.9·2.25e308: the exact value overflows
        assertThat(r.grad().f64()[1]).isCloseTo(2 * 0.9 * 1.5e154, within(1e140));
    }

    /**
     * (x, y, τ, d²term/dx²) printed by {@code /usr/bin/python3 conformance/generate/expectile.py --hessian}:
     * PyTorch float64 double backward of the formula as written, checked there against mpmath's
     * numerical second derivative (at x = y, the catalog's 2τ, which torch's double backward also gives).
     */
    private static final double[][] HESSIAN = {
            {0.0, 1.0, 0.5, 1.0},
            {1.0, 0.0, 0.5, 1.0},
            {0.3, 0.3, 0.3, 0.6},
            {-2.0, 1.0, 0.9, 1.8},
            {2.0, -1.0, 0.9, 0.19999999999999996},
            {10000.0, 0.0, 0.1, 1.8},
            {-10000.0, 0.0, 0.1, 0.2},
    };

    @Test
    void secondDerivativeMatchesTheGenerator() {
        for (double[] c : HESSIAN) {
            ElementwiseLoss l = Expectile.builder().tau(c[2]).reduction(Reduction.SUM).build();
            double h = l.computeWithHessian(pair(new double[] {c[0]}, new double[] {c[1]})).hessian().f64()[0];
            assertThat(h).as("x = " + c[0] + ", y = " + c[1] + ", τ = " + c[2]).isCloseTo(c[3],
                    within(1e-15 * Math.abs(c[3])));
        }
    }
}
