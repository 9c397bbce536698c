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
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * fair beyond what the regression family's shared tests check (gradient and Hessian finite
 * differences over c and the reductions, sum = N·mean, zero at a perfect prediction, float32,
 * NaN, refusals; its conformance cases are in conformance/project/): the weighted gradient,
 * LightGBM's gradient and Hessian, its two asymptotes, symmetry, convexity, extreme residuals
 * and c, and the second derivative against the values of conformance/generate/fair.py --hessian.
 */
class FairTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static ElementwiseLoss loss(double c, String reduction) {
        return (ElementwiseLoss) Losses.create("fair", Map.of("c", c, "reduction", reduction));
    }

    private static double term(double d, double c) {
        return loss(c, "sum").value(pair(new double[] {d}, new double[] {0})).value();
    }

    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 30).flatMap(n -> Combinators.combine(vec(n), vec(n))
                .as((a, b) -> new double[][] {a, b}));
    }

    private static Arbitrary<double[]> vec(int n) {
        return Arbitraries.doubles().between(-20, 20).ofScale(6).array(double[].class).ofSize(n);
    }

    @Provide
    Arbitrary<Double> cs() {
        return Arbitraries.of(1e-3, 0.1, 0.5, 1.0, 2.0, 10.0, 1e3);
    }

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p, @ForAll("cs") double c) {
        WeightChecks.unitWeightsAreNoWeights(red -> loss(c, red), p[0], p[1]);
    }

    @Test
    void weightedGradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(22);
        for (double c : new double[] {0.05, 1.0, 4.0}) {
            double[] x = new double[12];
            double[] y = new double[12];
            for (int i = 0; i < 12; i++) {
                x[i] = 6 * r.nextDouble() - 3;
                y[i] = 6 * r.nextDouble() - 3;
            }
            WeightChecks.weightedDerivativesMatchFiniteDifferences(red -> loss(c, red), x, y, r);
        }
    }

    @Property(tries = 60)
    void gradientAndHessianAreLightGbms(@ForAll("pairs") double[][] p, @ForAll("cs") double c) {
        // LightGBM RegressionFairLoss: grad = c·x/(|x| + c), hess = c²/((|x| + c)(|x| + c)), x = score − label
        LossResult r = loss(c, "sum").computeWithHessian(pair(p[0], p[1]));
        for (int i = 0; i < p[0].length; i++) {
            double x = p[0][i] - p[1][i];
            double g = c * x / (Math.abs(x) + c);
            double h = c * c / ((Math.abs(x) + c) * (Math.abs(x) + c));
            assertThat(r.grad().f64()[i]).isCloseTo(g, within(1e-15 * (Math.abs(g) + c)));
            assertThat(r.hessian().f64()[i]).isCloseTo(h, within(1e-15 * h));
        }
    }

    @Property(tries = 60)
    void symmetricConvexAndZeroOnlyAtZero(@ForAll("pairs") double[][] p, @ForAll("cs") double c,
            @ForAll @DoubleRange(min = 0, max = 1) double t) {
        double[] d = p[0];
        double[] minus = new double[d.length];
        double[] m = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            minus[i] = -d[i];
            m[i] = t * d[i] + (1 - t) * p[1][i];
        }
        double[] zeros = new double[d.length];
        LossResult a = loss(c, "none").compute(pair(d, zeros));
        LossResult b = loss(c, "none").compute(pair(minus, zeros));
        for (int i = 0; i < d.length; i++) {
            assertThat(b.terms().f64()[i]).isEqualTo(a.terms().f64()[i]);
            assertThat(b.grad().f64()[i]).isEqualTo(-a.grad().f64()[i]);
            assertThat(a.terms().f64()[i] > 0).isEqualTo(d[i] != 0);
        }
        Loss l = loss(c, "sum");
        double fa = l.value(pair(d, zeros)).value();
        double fb = l.value(pair(p[1], zeros)).value();
        double fm = l.value(pair(m, zeros)).value();
        assertThat(fm).isLessThanOrEqualTo(t * fa + (1 - t) * fb + 1e-12 * (1 + Math.abs(fa) + Math.abs(fb)));
    }

    @Property(tries = 60)
    void halfSquareForSmallResidualsAndCTimesAbsForLargeOnes(@ForAll("cs") double c,
            @ForAll @DoubleRange(min = -1, max = 1) double u) {
        // |d| ≪ c: term = ½d² − |d|³/(3c) + …
        double small = 1e-5 * c * u;
        double want = 0.5 * small * small - Math.abs(small * small * small) / (3 * c);
        assertThat(term(small, c)).isCloseTo(want, within(1e-9 * want + 1e-300));
        // |d| ≫ c: term = c|d| − c²·log(1 + |d|/c), gradient → c·sign(d)
        double large = 1e6 * c * (u >= 0 ? 1 + u : u - 1);
        double exact = c * Math.abs(large) - c * c * Math.log1p(Math.abs(large) / c);
        assertThat(term(large, c)).isCloseTo(exact, within(1e-13 * exact));
        double g = loss(c, "sum").compute(pair(new double[] {large}, new double[] {0})).grad().f64()[0];
        assertThat(g).isCloseTo(Math.copySign(c, large), within(1e-5 * c));
    }

    @Test
    void liesBelowHuberAndThePseudoHuber() {
        // c²(z − log(1 + z)) ≤ δ²(√(1 + z²) − 1) for c = δ: both ½d² at 0, fair grows more slowly
        for (double c : new double[] {0.1, 1, 7}) {
            for (double d = -30; d <= 30; d += 0.37) {
                double ph = Losses.create("pseudo_huber", Map.of("delta", c, "reduction", "sum"))
                        .value(pair(new double[] {d}, new double[] {0})).value();
                double v = term(d, c);
                assertThat(v).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(ph * (1 + 1e-15));
            }
        }
    }

    @Test
    void extremeResidualsAndCs() {
        // z − log1p(z) cancels for small z: the term is ½d²(1 − ⅔z + ½z² − …)
        assertThat(term(1.0, 1e15)).isCloseTo(0.5 * (1 - 2e-15 / 3), within(1e-16));
        assertThat(term(1e-200, 1.0)).isEqualTo(0.0); // ½d² = 5e-401 underflows
        assertThat(term(1e-8, 1.0)).isCloseTo(5e-17 * (1 - 2e-8 / 3), within(1e-31));
        // large z: c|d| − c²·log(|d|/c) + …, with z itself overflowing for c = 1e-300
        assertThat(term(1e300, 1.0)).isCloseTo(1e300, within(1e285));
        assertThat(term(1.0, 1e-300)).isCloseTo(1e-300, within(1e-314));
        assertThat(term(1e300, 1e-300)).isCloseTo(1.0, within(1e-15));
        assertThat(term(1e4, 1.0)).isCloseTo(1e4 - Math.log1p(1e4), within(1e-11));
        LossResult r = Losses.create("fair", Map.of("reduction", "none"))
                .compute(pair(new double[] {1e300, -1e300, 1e4, -1e4}, new double[] {-1e300, 1e300, 0, 0}));
        for (double v : r.terms().f64()) {
            assertThat(v).isFinite();
        }
        assertThat(r.grad().f64()[0]).isEqualTo(1.0);
        assertThat(r.grad().f64()[1]).isEqualTo(-1.0);
        assertThat(r.grad().f64()[2]).isCloseTo(1e4 / (1e4 + 1), within(1e-15));
        // a residual that overflows is an infinite term with gradient ±c and curvature 0
        LossResult inf = loss(2.0, "none").computeWithHessian(pair(new double[] {Double.MAX_VALUE},
                new double[] {-Double.MAX_VALUE}));
        assertThat(inf.terms().f64()[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(inf.grad().f64()[0]).isEqualTo(2.0);
        assertThat(inf.hessian().f64()[0]).isEqualTo(0.0);
        // float32: a float32 residual of 1e30 is finite
        LossResult f = Losses.create("fair", Map.of("reduction", "none"))
                .compute(Inputs.of(Tensor.vector(new float[] {1e30f, 3f}), Tensor.vector(new float[] {0f, 3f})));
        assertThat(f.terms().getDouble(0)).isCloseTo(1e30, within(1e24));
        assertThat(f.grad().getDouble(0)).isEqualTo(1.0);
        assertThat(f.terms().getDouble(1)).isEqualTo(0.0);
    }

    /**
     * (d, 0, c, d²term/dd²) printed by {@code /usr/bin/python3 conformance/generate/fair.py --hessian}:
     * PyTorch float64 double backward of the formula as written, checked there against mpmath's
     * numerical second derivative (mpmath's where float64 cannot evaluate it: at d = 0, tiny c).
     */
    private static final double[][] HESSIAN = {
            {0.0, 0.0, 1.0, 1.0},
            {0.3, 0.0, 1.0, 0.5917159763313609},
            {-2.0, 0.0, 1.0, 0.1111111111111111},
            {1.5, 0.0, 0.5, 0.0625},
            {-7.0, 0.0, 3.0, 0.08999999999999997},
            {10000.0, 0.0, 1.0, 9.998000299960006e-09},
            {1e-09, 0.0, 1.0, 0.9999999979999998},
            {1e+300, 0.0, 1.0, 0.0},
            {1.0, 0.0, 1e-300, 0.0},
            {1.0, 0.0, 1000000000000000.0, 0.9999999999999979},
            {3.0, 0.0, 0.001, 1.1103707405762e-07},
    };

    @Test
    void secondDerivativeMatchesTheGenerator() {
        for (double[] c : HESSIAN) {
            ElementwiseLoss l = Fair.builder().c(c[2]).reduction(Reduction.SUM).build();
            double h = l.computeWithHessian(pair(new double[] {c[0]}, new double[] {c[1]})).hessian().f64()[0];
            assertThat(h).as("d = " + c[0] + ", c = " + c[2]).isCloseTo(c[3], within(1e-12 * Math.abs(c[3])
                    + Double.MIN_NORMAL));
        }
    }
}
