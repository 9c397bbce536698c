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
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * pseudo_huber beyond what the regression family's shared tests check (gradient and Hessian
 * finite differences over δ and the reductions, sum = N·mean, zero at a perfect prediction,
 * float32, NaN, refusals; its conformance cases are in conformance/project/): the weighted
 * gradient, its two asymptotes, symmetry, convexity, extreme residuals and δ, and the
 * second derivative against the values of conformance/generate/pseudo_huber.py --hessian.
 */
class PseudoHuberTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static Loss loss(double delta, String reduction) {
        return Losses.create("pseudo_huber", Map.of("delta", delta, "reduction", reduction));
    }

    private static double term(double d, double delta) {
        return loss(delta, "sum").value(pair(new double[] {d}, new double[] {0})).value();
    }

    /** Pairs (input, target) of equal random length 1..30, values in [-20, 20]. */
    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 30).flatMap(n -> Combinators.combine(vec(n, -20, 20), vec(n, -20, 20))
                .as((a, b) -> new double[][] {a, b}));
    }

    private static Arbitrary<double[]> vec(int n, double lo, double hi) {
        return Arbitraries.doubles().between(lo, hi).ofScale(6).array(double[].class).ofSize(n);
    }

    @Provide
    Arbitrary<Double> deltas() {
        return Arbitraries.of(1e-3, 0.1, 0.5, 1.0, 2.0, 10.0, 1e3);
    }

    // ---- weights ----

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p, @ForAll("deltas") double delta) {
        double[] ones = new double[p[0].length];
        java.util.Arrays.fill(ones, 1.0);
        for (String red : new String[] {"mean", "sum", "none"}) {
            LossResult plain = loss(delta, red).compute(pair(p[0], p[1]));
            LossResult weighted = loss(delta, red).compute(pair(p[0], p[1]).with("weight", Tensor.vector(ones)));
            assertThat(weighted.value()).isEqualTo(plain.value());
            assertThat(weighted.grad().f64()).containsExactly(plain.grad().f64());
        }
    }

    @Test
    void weightedGradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(17);
        for (double delta : new double[] {0.05, 1.0, 4.0}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                double[] x = new double[12];
                double[] y = new double[12];
                double[] w = new double[12];
                for (int i = 0; i < 12; i++) {
                    x[i] = 6 * r.nextDouble() - 3;
                    y[i] = 6 * r.nextDouble() - 3;
                    w[i] = 3 * r.nextDouble();
                }
                Inputs in = Inputs.of(Tensor.of(x, 3, 4), Tensor.of(y, 3, 4)).with("weight", Tensor.of(w, 3, 4));
                ElementwiseLoss l = (ElementwiseLoss) loss(delta, red);
                GradCheck.gradients(l, in);
                GradCheck.hessian(l, in, 1e-5, 1e-5);
                // mean divides by the number of elements, not by Σw
                double sum = loss(delta, "sum").value(in).value();
                if (red.equals("mean")) {
                    assertThat(l.value(in).value()).isCloseTo(sum / 12, within(1e-14 * Math.abs(sum)));
                }
            }
        }
    }

    // ---- shape ----

    @Property(tries = 60)
    void symmetricInTheResidualAndZeroOnlyAtZero(@ForAll("pairs") double[][] p, @ForAll("deltas") double delta) {
        double[] d = p[0];
        double[] minus = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            minus[i] = -d[i];
        }
        double[] zeros = new double[d.length];
        LossResult a = loss(delta, "none").compute(pair(d, zeros));
        LossResult b = loss(delta, "none").compute(pair(minus, zeros));
        for (int i = 0; i < d.length; i++) {
            assertThat(b.terms().f64()[i]).isEqualTo(a.terms().f64()[i]);
            assertThat(b.grad().f64()[i]).isEqualTo(-a.grad().f64()[i]);
            assertThat(a.terms().f64()[i] > 0).isEqualTo(d[i] != 0);
        }
    }

    @Property(tries = 60)
    void convexAlongAnyLine(@ForAll("pairs") double[][] p, @ForAll("deltas") double delta,
            @ForAll @DoubleRange(min = 0, max = 1) double t) {
        double[] a = p[0];
        double[] b = p[1];
        double[] m = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            m[i] = t * a[i] + (1 - t) * b[i];
        }
        double[] y = new double[a.length];
        Loss l = loss(delta, "sum");
        double fa = l.value(pair(a, y)).value();
        double fb = l.value(pair(b, y)).value();
        double fm = l.value(pair(m, y)).value();
        assertThat(fm).isLessThanOrEqualTo(t * fa + (1 - t) * fb + 1e-12 * (1 + Math.abs(fa) + Math.abs(fb)));
        // and its second derivative is positive, at most 1
        double[] h = ((ElementwiseLoss) l).computeWithHessian(pair(m, y)).hessian().f64();
        for (double v : h) {
            assertThat(v).isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(1.0);
        }
    }

    @Property(tries = 60)
    void halfSquareForSmallResidualsAndDeltaTimesAbsForLargeOnes(@ForAll("deltas") double delta,
            @ForAll @DoubleRange(min = -1, max = 1) double u) {
        // |d| ≪ δ: term = ½d²(1 − z²/4 + …), gradient d(1 − z²/2 + …)
        double small = 1e-4 * delta * u;
        assertThat(term(small, delta)).isCloseTo(0.5 * small * small, within(1e-8 * 0.5 * small * small + 1e-300));
        // |d| ≫ δ: term = δ|d| − δ² + δ²/(2|z|) + …, gradient → δ·sign(d)
        double large = 1e6 * delta * (u >= 0 ? 1 + u : u - 1);
        double want = delta * Math.abs(large) - delta * delta;
        assertThat(term(large, delta)).isCloseTo(want, within(1e-12 * want));
        double g = loss(delta, "sum").compute(pair(new double[] {large}, new double[] {0})).grad().f64()[0];
        assertThat(g).isCloseTo(Math.copySign(delta, large), within(1e-12 * delta));
    }

    @Test
    void liesBetweenZeroAndHuber() {
        for (double delta : new double[] {0.1, 1, 7}) {
            for (double d = -30; d <= 30; d += 0.37) {
                double huber = Losses.create("huber", Map.of("delta", delta, "reduction", "sum"))
                        .value(pair(new double[] {d}, new double[] {0})).value();
                double v = term(d, delta);
                assertThat(v).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(huber * (1 + 1e-15));
            }
        }
    }

    // ---- extremes: finite where the true value is, no cancellation ----

    @Test
    void extremeResidualsAndDeltas() {
        // the textbook form gives 0 here (√(1 + 1e-30) − 1 rounds to 0): the term is ½d²
        assertThat(term(1.0, 1e15)).isCloseTo(0.5, within(1e-15));
        assertThat(term(1e-200, 1.0)).isEqualTo(0.0); // ½d² = 5e-401 underflows
        assertThat(term(1e-8, 1.0)).isCloseTo(5e-17, within(1e-30));
        // the textbook form squares an overflowing z: here the term is δ|d| − δ² + …
        assertThat(term(1e300, 1.0)).isCloseTo(1e300, within(1e285));
        assertThat(term(1.0, 1e-300)).isCloseTo(1e-300, within(1e-314));
        assertThat(term(1e300, 1e-300)).isCloseTo(1.0, within(1e-15));
        assertThat(term(1e4, 1.0)).isCloseTo(9999.00005, within(1e-9));
        LossResult r = Losses.create("pseudo_huber", Map.of("reduction", "none"))
                .compute(pair(new double[] {1e300, -1e300, 1e4, -1e4}, new double[] {-1e300, 1e300, 0, 0}));
        for (double v : r.terms().f64()) {
            assertThat(v).isFinite();
        }
        double[] g = r.grad().f64();
        assertThat(g[0]).isEqualTo(1.0);
        assertThat(g[1]).isEqualTo(-1.0);
        assertThat(g[2]).isCloseTo(1e4 / Math.sqrt(1 + 1e8), within(1e-15));
        assertThat(g[3]).isCloseTo(-1e4 / Math.sqrt(1 + 1e8), within(1e-15));
        // a residual that overflows is an infinite term with gradient ±δ and curvature 0
        LossResult inf = ((ElementwiseLoss) loss(2.0, "none")).computeWithHessian(
                pair(new double[] {Double.MAX_VALUE}, new double[] {-Double.MAX_VALUE}));
        assertThat(inf.terms().f64()[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(inf.grad().f64()[0]).isEqualTo(2.0);
        assertThat(inf.hessian().f64()[0]).isEqualTo(0.0);
        // float32: a float32 residual of 1e30 (its square overflows float32) is finite
        LossResult f = Losses.create("pseudo_huber", Map.of("reduction", "none"))
                .compute(Inputs.of(Tensor.vector(new float[] {1e30f, 3f}), Tensor.vector(new float[] {0f, 3f})));
        assertThat(f.terms().getDouble(0)).isCloseTo(1e30, within(1e24));
        assertThat(f.grad().getDouble(0)).isEqualTo(1.0);
        assertThat(f.terms().getDouble(1)).isEqualTo(0.0);
    }

    // ---- the second derivative against the generator's values ----

    /**
     * (d, δ, d²term/dd²) printed by {@code /usr/bin/python3 conformance/generate/pseudo_huber.py --hessian}:
     * mpmath's numerical second derivative of the formula at 60 digits, which the script checks
     * against PyTorch float64 {@code torch.autograd.functional.hessian} (that loses digits for large |d/δ|).
     */
    private static final double[][] HESSIAN = {
            {0.0, 1.0, 1.0},
            {0.3, 1.0, 0.8787397112120655},
            {-2.0, 1.0, 0.08944271909999159},
            {1.5, 0.5, 0.03162277660168379},
            {-7.0, 3.0, 0.06112540840021567},
            {10000.0, 1.0, 9.999999850000003e-13},
            {1e-09, 1.0, 1.0},
            {1e+300, 1.0, 0.0},
            {1.0, 1e-300, 0.0},
            {1.0, 1000000000000000.0, 1.0},
            {3.0, 0.001, 3.703703086419839e-11},
    };

    @Test
    void secondDerivativeMatchesTheGenerator() {
        for (double[] c : HESSIAN) {
            ElementwiseLoss l = PseudoHuber.builder().set(PseudoHuber.DELTA, c[1]).reduction(Reduction.SUM).build();
            double h = l.computeWithHessian(pair(new double[] {c[0]}, new double[] {0})).hessian().f64()[0];
            assertThat(h).as("d = " + c[0] + ", δ = " + c[1]).isCloseTo(c[2], within(1e-12 * Math.abs(c[2])
                    + Double.MIN_NORMAL));
        }
    }
}
