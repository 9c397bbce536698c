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
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * mape beyond what the regression family's shared tests check (gradient and Hessian finite
 * differences over eps and the reductions away from x = y, sum = N·mean, mae/|y|, float32, NaN,
 * refusals; its conformance cases are in conformance/project/): the weighted gradient, scale
 * invariance, the eps floor (scikit-learn's and Keras' values), the subgradient at x = y, a
 * difference that overflows, and the zero second derivative (conformance/generate/mape.py --hessian).
 */
class MapeTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static ElementwiseLoss loss(Map<String, Object> o) {
        return (ElementwiseLoss) Losses.create("mape", o);
    }

    /** (prediction, target) with targets of either sign and magnitude in [0.01, 100]. */
    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 30).flatMap(n -> Combinators.combine(
                Arbitraries.doubles().between(-50, 50).ofScale(6).array(double[].class).ofSize(n),
                Arbitraries.doubles().between(0.01, 100).ofScale(6).array(double[].class).ofSize(n),
                Arbitraries.of(-1.0, 1.0).array(double[].class).ofSize(n)).as((a, b, s) -> {
                    for (int i = 0; i < n; i++) {
                        b[i] *= s[i];
                    }
                    return new double[][] {a, b};
                }));
    }

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p) {
        WeightChecks.unitWeightsAreNoWeights(red -> loss(Map.of("reduction", red)), p[0], p[1]);
    }

    @Test
    void weightedGradientMatchesFiniteDifferences() {
        Random r = new Random(21);
        for (double eps : new double[] {Math.ulp(1.0), 0.5}) {
            double[] x = new double[12];
            double[] y = new double[12];
            for (int i = 0; i < 12; i++) {
                y[i] = (r.nextBoolean() ? 1 : -1) * (0.2 + 3 * r.nextDouble());
                x[i] = y[i] + (r.nextBoolean() ? 1 : -1) * (0.05 + r.nextDouble());
            }
            WeightChecks.weightedDerivativesMatchFiniteDifferences(red -> loss(Map.of("eps", eps, "reduction", red)),
                    x, y, r);
        }
    }

    @Property(tries = 60)
    void scalingPredictionAndTargetTogetherChangesNothing(@ForAll("pairs") double[][] p,
            @ForAll @DoubleRange(min = 1e-3, max = 1e3) @Scale(6) double k) {
        double[] x = p[0].clone();
        double[] y = p[1].clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= k;
            y[i] *= k;
        }
        double[] a = loss(Map.of("reduction", "none")).compute(pair(p[0], p[1])).terms().f64();
        LossResult b = loss(Map.of("reduction", "none")).compute(pair(x, y));
        for (int i = 0; i < x.length; i++) {
            assertThat(b.terms().f64()[i]).isCloseTo(a[i], within(1e-12 * (1 + a[i])));
            // the gradient scales by 1/k
            assertThat(b.grad().f64()[i] * k).isCloseTo(Math.signum(p[0][i] - p[1][i]) / Math.abs(p[1][i]),
                    within(1e-12 / Math.abs(p[1][i])));
        }
    }

    @Test
    void theEpsFloorOfTheTarget() {
        // scikit-learn's eps is float64's machine epsilon: a target of 0 divides by 2.22e-16
        LossResult r = loss(Map.of("reduction", "none")).compute(pair(new double[] {1, -2, 1e-10, 3},
                new double[] {0, 0, 1e-20, 3}));
        assertThat(r.terms().f64()[0]).isEqualTo(1 / Math.ulp(1.0));
        assertThat(r.terms().f64()[1]).isEqualTo(2 / Math.ulp(1.0));
        assertThat(r.terms().f64()[2]).isCloseTo((1e-10 - 1e-20) / Math.ulp(1.0), within(1e-6));
        assertThat(r.grad().f64()).containsExactly(1 / Math.ulp(1.0), -1 / Math.ulp(1.0), 1 / Math.ulp(1.0), 0);
        // Keras' 1e-7 (Keras multiplies by 100 on top)
        LossResult k = loss(Map.of("eps", 1e-7, "reduction", "none")).compute(pair(new double[] {1, 1.5},
                new double[] {1e-9, 1}));
        assertThat(k.terms().f64()[0]).isCloseTo((1 - 1e-9) / 1e-7, within(1e-6));
        assertThat(k.terms().f64()[1]).isEqualTo(0.5);
    }

    @Test
    void subgradientZeroAtThePerfectPredictionAndZeroSecondDerivative() {
        LossResult r = loss(Map.of("reduction", "none")).computeWithHessian(pair(new double[] {1.5, 0, -2, 4},
                new double[] {1.5, 0, 1, 1}));
        assertThat(r.grad().f64()).containsExactly(0, 0, -1, 3.0 / 3);
        // the values conformance/generate/mape.py --hessian prints: 0 everywhere, the kink included
        assertThat(r.hessian().f64()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void aDifferenceThatOverflowsStaysFinite() {
        // 1.5e308 − (−1e308) overflows; the ratio is 2.5
        LossResult r = loss(Map.of("reduction", "none")).compute(pair(new double[] {1.5e308, -1.7e308, 1e300},
                new double[] {-1e308, 1.7e308, 0}));
        assertThat(r.terms().f64()[0]).isCloseTo(2.5, within(1e-15));
        assertThat(r.terms().f64()[1]).isCloseTo(2.0, within(1e-15));
        assertThat(r.grad().f64()[0]).isEqualTo(1 / 1e308);
        // a target of 0 makes the term |x|/eps: its exact value overflows here
        assertThat(r.terms().f64()[2]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.grad().f64()[2]).isEqualTo(1 / Math.ulp(1.0));
    }
}
