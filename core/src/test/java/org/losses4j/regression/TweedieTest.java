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
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * tweedie beyond what the regression family's shared tests check (gradient and Hessian finite
 * differences over p and the reductions, sum = N·mean, float32, NaN, refusals; its conformance
 * cases are in conformance/project/): the weighted gradient, the optimum at f = log y, the
 * Poisson and gamma limits of p, convexity, large |f| and zero targets, and the second
 * derivative against the values of conformance/generate/tweedie.py --hessian.
 */
class TweedieTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static ElementwiseLoss loss(double p, String reduction) {
        return (ElementwiseLoss) Losses.create("tweedie", Map.of("variance_power", p, "reduction", reduction));
    }

    /** (log-means in [-5, 5], targets in [0, 20] with some exact zeros) of equal random length 1..30. */
    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 30).flatMap(n -> Combinators.combine(
                Arbitraries.doubles().between(-5, 5).ofScale(6).array(double[].class).ofSize(n),
                Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(0, 20).ofScale(6))
                        .array(double[].class).ofSize(n)).as((a, b) -> new double[][] {a, b}));
    }

    @Provide
    Arbitrary<Double> powers() {
        return Arbitraries.of(1.001, 1.1, 1.3, 1.5, 1.7, 1.9, 1.999);
    }

    // ---- weights ----

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p, @ForAll("powers") double power) {
        WeightChecks.unitWeightsAreNoWeights(red -> loss(power, red), p[0], p[1]);
    }

    @Test
    void weightedGradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(18);
        for (double power : new double[] {1.05, 1.5, 1.95}) {
            double[] x = new double[12];
            double[] y = new double[12];
            for (int i = 0; i < 12; i++) {
                x[i] = 4 * r.nextDouble() - 2;
                y[i] = i % 3 == 0 ? 0 : 5 * r.nextDouble();
            }
            WeightChecks.weightedDerivativesMatchFiniteDifferences(red -> loss(power, red), x, y, r);
        }
    }

    // ---- shape ----

    @Property(tries = 60)
    void theGradientVanishesAtTheLogOfTheTarget(@ForAll("powers") double power,
            @ForAll @DoubleRange(min = 1e-3, max = 1e3) @Scale(6) double y) {
        // the minimiser of the term in f is log y: gradient y^((2−p)) − y·y^(1−p) = 0 there
        double f = Math.log(y);
        LossResult r = loss(power, "sum").computeWithHessian(pair(new double[] {f}, new double[] {y}));
        double scale = Math.pow(y, 2 - power);
        assertThat(r.grad().f64()[0]).isCloseTo(0.0, within(1e-13 * scale));
        // and the second derivative there is (p − 1 + 2 − p)·y^(2−p) = y^(2−p)
        assertThat(r.hessian().f64()[0]).isCloseTo(scale, within(1e-13 * scale));
        // a little to either side the term is larger
        double t0 = r.value();
        for (double h : new double[] {-1e-3, 1e-3}) {
            assertThat(loss(power, "sum").value(pair(new double[] {f + h}, new double[] {y})).value())
                    .isGreaterThan(t0);
        }
    }

    @Property(tries = 60)
    void convexWithAPositiveSecondDerivative(@ForAll("pairs") double[][] p, @ForAll("powers") double power,
            @ForAll @DoubleRange(min = 0, max = 1) double t) {
        double[] a = p[0];
        double[] y = p[1];
        double[] b = new double[a.length];
        double[] m = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = -a[i] / 2 + 1;
            m[i] = t * a[i] + (1 - t) * b[i];
        }
        ElementwiseLoss l = loss(power, "sum");
        double fa = l.value(pair(a, y)).value();
        double fb = l.value(pair(b, y)).value();
        double fm = l.value(pair(m, y)).value();
        assertThat(fm).isLessThanOrEqualTo(t * fa + (1 - t) * fb + 1e-12 * (1 + Math.abs(fa) + Math.abs(fb)));
        for (double v : l.computeWithHessian(pair(m, y)).hessian().f64()) {
            assertThat(v).isGreaterThan(0.0);
        }
    }

    @Property(tries = 40)
    void nearItsEndsTheGradientIsPoissonsAndGammas(@ForAll("pairs") double[][] p) {
        double[] f = p[0];
        double[] y = p[1].clone();
        // p → 1: −y·e^(0·f) + e^f = e^f − y, poisson_nll's gradient
        double[] g1 = loss(1 + 1e-9, "sum").compute(pair(f, y)).grad().f64();
        double[] gp = Losses.create("poisson_nll", Map.of("reduction", "sum")).compute(pair(f, y)).grad().f64();
        for (int i = 0; i < f.length; i++) {
            assertThat(g1[i]).isCloseTo(gp[i], within(1e-7 * (Math.abs(y[i]) + Math.exp(f[i]))));
        }
        // p → 2: −y·e^(−f) + 1, gamma's gradient (gamma wants y > 0)
        for (int i = 0; i < y.length; i++) {
            y[i] += 0.5;
        }
        double[] g2 = loss(2 - 1e-9, "sum").compute(pair(f, y)).grad().f64();
        double[] gg = Losses.create("gamma", Map.of("reduction", "sum")).compute(pair(f, y)).grad().f64();
        for (int i = 0; i < f.length; i++) {
            assertThat(g2[i]).isCloseTo(gg[i], within(1e-7 * (1 + y[i] * Math.exp(-f[i]))));
        }
    }

    // ---- extremes: finite where the exact value is ----

    @Test
    void largeScoresAndZeroTargets() {
        Loss l = Losses.create("tweedie", Map.of("reduction", "none"));
        // y = 0 at a very negative score: 0·e^(700) is 0 (the formula as written gives 0·∞ = NaN)
        LossResult r = l.compute(pair(new double[] {-1400, -1e6, 1400, 0}, new double[] {0, 0, 0, 0}));
        assertThat(r.terms().f64()[0]).isCloseTo(2 * Math.exp(-700), within(1e-15 * Math.exp(-700)));
        assertThat(r.terms().f64()[1]).isEqualTo(0.0);
        assertThat(r.terms().f64()[2]).isCloseTo(2 * Math.exp(700), within(1e-12 * Math.exp(700)));
        assertThat(r.terms().f64()[3]).isEqualTo(2.0);
        assertThat(r.grad().f64()[0]).isCloseTo(Math.exp(-700), within(1e-15 * Math.exp(-700)));
        assertThat(r.grad().f64()[1]).isEqualTo(0.0);
        // a tiny target times an exponential that alone overflows: y·e^(750) = e^(750 + log y), finite
        LossResult s = l.compute(pair(new double[] {-1500}, new double[] {1e-300}));
        double want = Math.exp(750 + Math.log(1e-300));
        assertThat(s.terms().f64()[0]).isCloseTo(2 * want, within(1e-12 * want));
        assertThat(s.grad().f64()[0]).isCloseTo(-want, within(1e-12 * want));
        // beyond the exact overflow: ∞, not NaN
        LossResult inf = ((ElementwiseLoss) l).computeWithHessian(pair(new double[] {3000, -3000},
                new double[] {1, 1}));
        assertThat(inf.terms().f64()).containsExactly(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertThat(inf.grad().f64()).containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(inf.hessian().f64()).containsExactly(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        // float32: computed in float64, rounded once
        LossResult f = l.compute(Inputs.of(Tensor.vector(new float[] {80f, 0f}), Tensor.vector(new float[] {0f, 1f})));
        assertThat(f.terms().getDouble(0)).isCloseTo(2 * Math.exp(40), within(1e-6 * Math.exp(40)));
        assertThat(f.terms().getDouble(1)).isCloseTo(4.0, within(1e-6));
    }

    // ---- the second derivative against the generator's values ----

    /**
     * (f, y, p, d²term/df²) printed by {@code /usr/bin/python3 conformance/generate/tweedie.py --hessian}:
     * PyTorch float64 double backward of the formula as written, checked there against mpmath's
     * numerical second derivative (mpmath's where float64 cannot evaluate the formula).
     */
    private static final double[][] HESSIAN = {
            {0.0, 1.0, 1.5, 1.0},
            {0.3, 0.0, 1.5, 0.5809171213641415},
            {-2.0, 3.5, 1.5, 4.94093292038905},
            {1.5, 0.2, 1.2, 2.6857262670165074},
            {-0.7, 4.0, 1.9, 6.8526374673422294},
            {50.0, 2.0, 1.5, 36002449668.69294},
            {-50.0, 2.0, 1.5, 72004899337.38588},
            {-1500.0, 1e-300, 1.5, 2.6292472707274023e+25},
            {800.0, 1e+300, 1.9, 5.540622384393909e+33},
            {-1400.0, 0.0, 1.5, 4.929838271879885e-305},
            {2.0, 1.0, 1.000001, 7.3890349317899116},
            {2.0, 1.0, 1.999999, 0.13533641857389583},
    };

    @Test
    void secondDerivativeMatchesTheGenerator() {
        for (double[] c : HESSIAN) {
            ElementwiseLoss l = Tweedie.builder().variancePower(c[2]).reduction(Reduction.SUM).build();
            double h = l.computeWithHessian(pair(new double[] {c[0]}, new double[] {c[1]})).hessian().f64()[0];
            assertThat(h).as("f = " + c[0] + ", y = " + c[1] + ", p = " + c[2])
                    .isCloseTo(c[3], within(1e-12 * Math.abs(c[3]) + Double.MIN_NORMAL));
        }
    }
}
