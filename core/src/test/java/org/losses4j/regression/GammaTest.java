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
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * gamma beyond what the regression family's shared tests check (gradient and Hessian finite
 * differences over the reductions, sum = N·mean, float32, NaN, refusals; its conformance cases
 * are in conformance/project/): the weighted gradient, the optimum at f = log y, its relation to
 * the gamma deviance and to tweedie near p = 2, scale equivariance, large |f|, and the second
 * derivative against the values of conformance/generate/gamma.py --hessian.
 */
class GammaTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static ElementwiseLoss loss(String reduction) {
        return (ElementwiseLoss) Losses.create("gamma", Map.of("reduction", reduction));
    }

    /** (log-means in [-5, 5], targets in [1e-3, 50]) of equal random length 1..30. */
    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 30).flatMap(n -> Combinators.combine(
                Arbitraries.doubles().between(-5, 5).ofScale(6).array(double[].class).ofSize(n),
                Arbitraries.doubles().between(1e-3, 50).ofScale(6).array(double[].class).ofSize(n))
                .as((a, b) -> new double[][] {a, b}));
    }

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p) {
        WeightChecks.unitWeightsAreNoWeights(GammaTest::loss, p[0], p[1]);
    }

    @Test
    void weightedGradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(19);
        double[] x = new double[12];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = 4 * r.nextDouble() - 2;
            y[i] = 0.05 + 5 * r.nextDouble();
        }
        WeightChecks.weightedDerivativesMatchFiniteDifferences(GammaTest::loss, x, y, r);
    }

    @Property(tries = 60)
    void theOptimumIsTheLogOfTheTargetWhereTheTermIsLogYPlusOne(@ForAll @DoubleRange(min = 1e-6, max = 1e6) @Scale(9) double y) {
        double f = Math.log(y);
        LossResult r = loss("sum").computeWithHessian(pair(new double[] {f}, new double[] {y}));
        assertThat(r.value()).isCloseTo(f + 1, within(1e-14 * (1 + Math.abs(f))));
        assertThat(r.grad().f64()[0]).isCloseTo(0.0, within(1e-15 * (1 + Math.abs(f))));
        assertThat(r.hessian().f64()[0]).isCloseTo(1.0, within(1e-14 * (1 + Math.abs(f))));
    }

    @Property(tries = 60)
    void isHalfTheGammaDevianceUpToAConstantInF(@ForAll("pairs") double[][] p) {
        // y·e^(−f) + f = ½·2(y/μ − log(y/μ) − 1) + log y + 1
        double[] t = loss("none").compute(pair(p[0], p[1])).terms().f64();
        for (int i = 0; i < t.length; i++) {
            double y = p[1][i];
            double mu = Math.exp(p[0][i]);
            double halfDeviance = y / mu - Math.log(y / mu) - 1;
            assertThat(t[i]).isCloseTo(halfDeviance + Math.log(y) + 1, within(1e-12 * (1 + Math.abs(t[i]))));
        }
    }

    @Property(tries = 60)
    void scalingTheTargetShiftsTheScore(@ForAll("pairs") double[][] p, @ForAll @DoubleRange(min = 0.01, max = 100) double k) {
        // with y → k·y and f → f + log k the gradient and Hessian are unchanged (the term shifts by log k)
        double[] f2 = new double[p[0].length];
        double[] y2 = new double[p[0].length];
        for (int i = 0; i < f2.length; i++) {
            f2[i] = p[0][i] + Math.log(k);
            y2[i] = k * p[1][i];
        }
        LossResult a = loss("sum").computeWithHessian(pair(p[0], p[1]));
        LossResult b = loss("sum").computeWithHessian(pair(f2, y2));
        for (int i = 0; i < f2.length; i++) {
            double s = 1 + p[1][i] * Math.exp(-p[0][i]);
            assertThat(b.grad().f64()[i]).isCloseTo(a.grad().f64()[i], within(1e-12 * s));
            assertThat(b.hessian().f64()[i]).isCloseTo(a.hessian().f64()[i], within(1e-12 * s));
        }
    }

    @Test
    void largeScoresAreFiniteWhereTheExactValueIs() {
        Loss l = Losses.create("gamma", Map.of("reduction", "none"));
        // a tiny target times e^(750), which alone overflows; a huge one times e^(−750), which alone is 0
        LossResult r = ((ElementwiseLoss) l).computeWithHessian(pair(new double[] {-750, 750, 1e300, -1000},
                new double[] {1e-300, 1e300, 1, 1}));
        double a = Math.exp(750 + Math.log(1e-300));
        double b = Math.exp(Math.log(1e300) - 750);
        assertThat(r.terms().f64()[0]).isCloseTo(a - 750, within(1e-12 * a));
        assertThat(r.grad().f64()[0]).isCloseTo(1 - a, within(1e-12 * a));
        assertThat(r.hessian().f64()[0]).isCloseTo(a, within(1e-12 * a));
        assertThat(r.terms().f64()[1]).isCloseTo(750 + b, within(1e-13));
        assertThat(r.hessian().f64()[1]).isCloseTo(b, within(1e-12 * b));
        assertThat(r.terms().f64()[2]).isEqualTo(1e300);
        assertThat(r.grad().f64()[2]).isEqualTo(1.0);
        // beyond the exact overflow: ∞, not NaN
        assertThat(r.terms().f64()[3]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.grad().f64()[3]).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    /**
     * (f, y, d²term/df²) printed by {@code /usr/bin/python3 conformance/generate/gamma.py --hessian}:
     * PyTorch float64 double backward of the formula as written, checked there against mpmath's
     * numerical second derivative (mpmath's where float64 cannot evaluate the formula).
     */
    private static final double[][] HESSIAN = {
            {0.0, 1.0, 1.0},
            {0.3, 2.0, 1.4816364413634358},
            {-2.0, 3.5, 25.861696346257276},
            {1.5, 0.2, 0.044626032029685965},
            {50.0, 2.0, 3.8574996959278356e-22},
            {-50.0, 2.0, 1.0369411057174144e+22},
            {-750.0, 1e-300, 5.258494541454805e+25},
            {750.0, 1e+300, 1.9016849634750064e-26},
            {10000.0, 5.0, 0.0},
    };

    @Test
    void secondDerivativeMatchesTheGenerator() {
        for (double[] c : HESSIAN) {
            double h = loss("sum").computeWithHessian(pair(new double[] {c[0]}, new double[] {c[1]})).hessian().f64()[0];
            assertThat(h).as("f = " + c[0] + ", y = " + c[1]).isCloseTo(c[2], within(1e-12 * Math.abs(c[2])
                    + Double.MIN_NORMAL));
        }
    }
}
