package org.losses4j.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
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
 * robust beyond what the regression family's shared tests check (gradient and Hessian finite
 * differences over α, c and the reductions, sum = N·mean, zero at a perfect prediction, float32,
 * NaN, refusals; its conformance cases are in conformance/project/): the exact limits α = 2, 0,
 * ±∞ and their neighbourhoods, α = 1 against pseudo_huber, the weighted gradient and Hessian,
 * symmetry and monotonicity in |d| and in α, extreme residuals, and the second derivative
 * against the values of conformance/generate/robust.py --hessian.
 */
class RobustTest {
    private static Inputs pair(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    private static ElementwiseLoss loss(double alpha, double c, String reduction) {
        return Robust.builder().alpha(alpha).c(c).reduction(Reduction.parse(reduction)).build();
    }

    private static double term(double d, double alpha, double c) {
        return loss(alpha, c, "sum").value(pair(new double[] {d}, new double[] {0})).value();
    }

    private static double grad(double d, double alpha, double c) {
        return loss(alpha, c, "sum").compute(pair(new double[] {d}, new double[] {0})).grad().f64()[0];
    }

    private static double hess(double d, double alpha, double c) {
        return loss(alpha, c, "sum").computeWithHessian(pair(new double[] {d}, new double[] {0})).hessian().f64()[0];
    }

    private static void rel(double got, double want, double tol, String what) {
        assertThat(got).as(what).isCloseTo(want, within(tol * Math.abs(want) + Double.MIN_NORMAL));
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
    Arbitrary<Double> alphas() {
        return Arbitraries.of(Double.NEGATIVE_INFINITY, -1e6, -10.0, -2.0, -0.5, 0.0, 1e-10, 0.5, 1.0, 1.5,
                2 - 1e-13, 2.0, 2 + 1e-13, 3.0, 6.0, Double.POSITIVE_INFINITY);
    }

    @Provide
    Arbitrary<Double> scales() {
        return Arbitraries.of(0.01, 0.5, 1.0, 3.0, 100.0);
    }

    // ---- the named limits are exact ----

    @Test
    void limitsAreTheirClosedForms() {
        for (double c : new double[] {0.3, 1, 7}) {
            for (double d = -12; d <= 12; d += 0.37) {
                double z = d / c;
                rel(term(d, 2, c), 0.5 * z * z, 1e-15, "L2");
                rel(grad(d, 2, c), d / (c * c), 1e-15, "L2 grad");
                rel(term(d, 0, c), Math.log1p(0.5 * z * z), 1e-15, "Cauchy");
                rel(grad(d, 0, c), 2 * d / (2 * c * c + d * d), 1e-14, "Cauchy grad");
                rel(term(d, Double.NEGATIVE_INFINITY, c), -Math.expm1(-0.5 * z * z), 1e-15, "Welsch");
                rel(grad(d, Double.NEGATIVE_INFINITY, c), z / c * Math.exp(-0.5 * z * z), 1e-15, "Welsch grad");
                rel(term(d, -2, c), 2 * z * z / (z * z + 4), 1e-14, "Geman-McClure");
                rel(term(d, 1, c), z * z / (Math.sqrt(1 + z * z) + 1), 1e-14, "Charbonnier");
                if (Math.abs(z) < 5) {
                    rel(term(d, Double.POSITIVE_INFINITY, c), Math.expm1(0.5 * z * z), 1e-15, "+inf");
                }
            }
        }
    }

    @Test
    void continuousAcrossTheLimitsWithoutLosingDigits() {
        // the formula as written is 0/0 at α = 0 and 2 and cancels near them: here the neighbours of the
        // limits agree with the limits to the first order in the distance (Barron's float32-eps clamps
        // are off by about 1e-7 there)
        for (double d : new double[] {1e-6, 0.01, 0.3, 1.7, 25, 1e5}) {
            for (double eps : new double[] {Double.MIN_VALUE, 1e-300, 1e-16, 1e-12, 1e-9}) {
                double t0 = term(d, 0, 1);
                // dρ/dα at α = 0 is of the order of L² + L (L = log(1 + z²/2)): the difference is O(eps)
                double l = Math.log1p(0.5 * d * d);
                double slope = 10 * (l * l + l);
                assertThat(Math.abs(term(d, eps, 1) - t0)).as("α = %s, d = %s", eps, d)
                        .isLessThanOrEqualTo(slope * eps * 1.01 + 4e-16 * t0);
                assertThat(Math.abs(term(d, -eps, 1) - t0)).isLessThanOrEqualTo(slope * eps * 1.01 + 4e-16 * t0);
                double t2 = 0.5 * d * d;
                double e2 = Math.max(eps, Math.ulp(2.0));
                for (double a : new double[] {2 - e2, 2 + e2}) {
                    double dt = Math.abs(term(d, a, 1) - t2);
                    assertThat(dt).as("α = %s, d = %s", a, d)
                            .isLessThanOrEqualTo(t2 * e2 * (1 + Math.log1p(d * d / e2)) + 4e-16 * t2);
                    rel(grad(d, a, 1), d, e2 * (2 + Math.log1p(d * d / e2)) + 1e-15, "grad near 2");
                    assertThat(hess(d, a, 1)).isFinite();
                }
            }
        }
        // a very negative α is Welsch to within O(z⁴/|α|)
        for (double d : new double[] {0.1, 1, 3}) {
            rel(term(d, -1e15, 1), term(d, Double.NEGATIVE_INFINITY, 1), 1e-13, "−1e15 vs −∞");
            rel(term(d, 1e15, 1), term(d, Double.POSITIVE_INFINITY, 1), 1e-13, "1e15 vs +∞");
        }
    }

    @Test
    void alphaOneIsPseudoHuberOverCSquared() {
        for (double c : new double[] {0.05, 1, 4}) {
            Loss ph = Losses.create("pseudo_huber", Map.of("delta", c, "reduction", "sum"));
            for (double d = -30; d <= 30; d += 0.77) {
                double want = ph.value(pair(new double[] {d}, new double[] {0})).value() / (c * c);
                rel(term(d, 1, c), want, 1e-13, "d = " + d);
            }
        }
    }

    // ---- gradient and Hessian ----

    @Test
    void weightedGradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(19);
        for (double alpha : new double[] {Double.NEGATIVE_INFINITY, -3, 0, 0.5, 1, 1.5, 2, 4}) {
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
                ElementwiseLoss l = loss(alpha, 1.3, red);
                GradCheck.gradients(l, in);
                GradCheck.hessian(l, in, 1e-5, 1e-5);
            }
        }
    }

    @Property(tries = 60)
    void unitWeightsAreNoWeights(@ForAll("pairs") double[][] p, @ForAll("alphas") double alpha,
            @ForAll("scales") double c) {
        double[] ones = new double[p[0].length];
        Arrays.fill(ones, 1.0);
        for (String red : new String[] {"mean", "sum", "none"}) {
            LossResult plain = loss(alpha, c, red).compute(pair(p[0], p[1]));
            LossResult weighted = loss(alpha, c, red).compute(pair(p[0], p[1]).with("weight", Tensor.vector(ones)));
            assertThat(weighted.value()).isEqualTo(plain.value());
            assertThat(weighted.grad().f64()).containsExactly(plain.grad().f64());
        }
    }

    // ---- shape ----

    @Property(tries = 60)
    void symmetricZeroOnlyAtZeroAndIncreasingInTheResidual(@ForAll("pairs") double[][] p,
            @ForAll("alphas") double alpha, @ForAll("scales") double c) {
        double[] d = p[0];
        double[] minus = new double[d.length];
        double[] zeros = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            minus[i] = -d[i];
        }
        LossResult a = loss(alpha, c, "none").compute(pair(d, zeros));
        LossResult b = loss(alpha, c, "none").compute(pair(minus, zeros));
        for (int i = 0; i < d.length; i++) {
            double t = a.terms().f64()[i];
            assertThat(b.terms().f64()[i]).isEqualTo(t);
            assertThat(b.grad().f64()[i]).isEqualTo(-a.grad().f64()[i]);
            assertThat(t).isGreaterThanOrEqualTo(0.0);
            if (d[i] == 0) {
                assertThat(t).isEqualTo(0.0);
            }
            // the gradient has the sign of the residual (ρ increases in |d|)
            assertThat(a.grad().f64()[i] * d[i]).isGreaterThanOrEqualTo(0.0);
            if (alpha <= 2) {
                assertThat(t).isFinite();
            }
        }
    }

    @Property(tries = 80)
    void moreNegativeAlphaCostsAnOutlierLess(@ForAll @DoubleRange(min = -8, max = 8) double a1,
            @ForAll @DoubleRange(min = 0, max = 6) double gap, @ForAll @DoubleRange(min = 0.01, max = 40) double d) {
        // Barron: ρ is monotonic in α (non-decreasing)
        double lo = term(d, a1 - gap, 1);
        double hi = term(d, a1, 1);
        assertThat(lo).isLessThanOrEqualTo(hi * (1 + 1e-14) + 1e-300);
    }

    @Test
    void boundedForNegativeAlphaAndNearlyQuadraticForSmallResiduals() {
        for (double alpha : new double[] {-0.5, -2, -10, Double.NEGATIVE_INFINITY}) {
            double bound = Double.isInfinite(alpha) ? 1 : Math.abs(alpha - 2) / -alpha;
            for (double d : new double[] {10, 1e3, 1e8, 1e100, 1e300}) {
                assertThat(term(d, alpha, 1)).isLessThanOrEqualTo(bound * (1 + 1e-15)).isGreaterThan(0.5 * bound);
            }
            assertThat(term(Double.POSITIVE_INFINITY, alpha, 1)).isEqualTo(bound);
        }
        for (double alpha : new double[] {-5, 0, 1, 1.5, 2, 4}) {
            double d = 1e-5;
            rel(term(d, alpha, 1), 0.5 * d * d, 1e-9, "½z² near 0 at α = " + alpha);
            rel(hess(0, alpha, 1), 1, 1e-15, "ρ''(0) = 1/c² at α = " + alpha);
            rel(hess(0, alpha, 2), 0.25, 1e-15, "ρ''(0) = 1/c²");
        }
    }

    @Test
    void extremeResiduals() {
        // the square of the residual overflows, the term does not (or is the true, infinite value); out
        // there the power (z²/b)^(α/2) is exp(αL/2) with L ≈ 1400, so about 1e-13 of relative rounding
        rel(term(1e300, 1, 1), 1e300, 1e-12, "α = 1");
        rel(grad(1e300, 1, 1), 1, 1e-12, "α = 1 grad");
        rel(term(1e300, 0, 1), Math.log(0.5) + 600 * Math.log(10), 1e-12, "α = 0");
        rel(grad(1e300, 0, 1), 2e-300, 1e-12, "α = 0 grad (2/z, not 0)");
        rel(term(1e300, 0.5, 1), 3 * 1e150 / Math.pow(1.5, 0.25), 1e-12, "α = 0.5: 3·(z²/1.5)^¼");
        assertThat(Math.abs(hess(1e300, 0, 1))).as("α = 0 curvature −2/z² underflows").isLessThan(Double.MIN_NORMAL);
        rel(hess(1e100, 0, 1), -2e-200, 1e-12, "α = 0 curvature −2/z²");
        rel(term(1e100, 3, 1), Math.pow(1e200, 1.5) / 3, 1e-12, "α = 3, z³/3");
        rel(term(1e102, 3, 1), Math.pow(1e102, 3) / 3, 1e-12, "α = 3, finite though exp(αL/2) is not");
        assertThat(term(1e300, 1.5, 1)).isEqualTo(Double.POSITIVE_INFINITY);
        rel(grad(1e300, 1.5, 1), 1e150 * Math.pow(0.5, 0.25), 1e-12, "α = 1.5 grad: z·(z²/0.5)^(−¼)");
        rel(term(1e4, -2, 1), 2e8 / (1e8 + 4), 1e-12, "±1e4, Geman–McClure");
        // infinite residuals: the limits
        for (double alpha : new double[] {-3, 0, 0.5, 1, 1.5, 2, 3}) {
            ElementwiseLoss l = loss(alpha, 2, "none");
            LossResult r = l.computeWithHessian(pair(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY},
                    new double[] {0, 0}));
            double[] t = r.terms().f64();
            double[] g = r.grad().f64();
            double[] h = r.hessian().f64();
            assertThat(t[0]).isEqualTo(alpha < 0 ? Math.abs(alpha - 2) / -alpha : Double.POSITIVE_INFINITY);
            assertThat(g[0]).isEqualTo(alpha < 1 ? 0 : alpha == 1 ? 0.5 : Double.POSITIVE_INFINITY);
            assertThat(g[1]).isEqualTo(-g[0]);
            assertThat(h[0]).isEqualTo(alpha < 2 ? 0 : alpha == 2 ? 0.25 : Double.POSITIVE_INFINITY);
        }
        // float32: a residual of 1e30 (its square overflows float32) with α = 1 is finite
        LossResult f = Losses.create("robust", Map.of("reduction", "none"))
                .compute(Inputs.of(Tensor.vector(new float[] {1e30f, 3f}), Tensor.vector(new float[] {0f, 3f})));
        assertThat(f.terms().getDouble(0)).isCloseTo(1e30, within(1e24));
        assertThat(f.grad().getDouble(0)).isEqualTo(1.0);
        assertThat(f.terms().getDouble(1)).isEqualTo(0.0);
    }

    @Test
    void infinityIsAnOptionValueAndNaNIsNot() {
        assertThat(Losses.create("robust", Map.of("alpha", "-Infinity")).options().real(Robust.ALPHA))
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Losses.create("robust", Map.of("alpha", Double.POSITIVE_INFINITY)).options().real(Robust.ALPHA))
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Robust.ALPHA.allowed()).isEqualTo("in [-1e15, 1e15], -Infinity or Infinity");
    }

    // ---- the second derivative against the generator's values ----

    /**
     * (z, α, d²ρ/dz²) at c = 1, printed by {@code /usr/bin/python3 conformance/generate/robust.py --hessian}:
     * mpmath's numerical second derivative of the formula, checked there against PyTorch float64 double
     * backward where the formula as written is accurate in float64.
     */
    private static final double[][] HESSIAN = {
            {0.0, 1.0, 1.0},
            {0.3, 1.0, 0.8787397112120655},
            {-2.0, 0.0, -0.1111111111111111},
            {1.5, -2.0, -0.180224},
            {0.7, Double.NEGATIVE_INFINITY, 0.3991793145033528},
            {3.0, Double.NEGATIVE_INFINITY, -0.08887197230593845},
            {1.2, Double.POSITIVE_INFINITY, 5.012817033971086},
            {2.5, 2.0, 1.0},
            {-4.0, 0.5, -0.0588389908794143},
            {2.0, 1.5, 0.3207501495497921},
            {10000.0, 1.0, 9.999999850000003e-13},
            {10000.0, 0.0, -1.999999880000004e-08},
            {0.8, 1e-12, 0.3902662993572598},
            {0.8, 1.9999999999999998, 0.9999999999999958},
            {1.3, 5.0, 4.067750966557064},
            {0.4, -1000000000000000.0, 0.7754177309647741},
    };

    @Test
    void secondDerivativeMatchesTheGenerator() {
        for (double[] h : HESSIAN) {
            for (double c : new double[] {1, 2.5}) {
                double got = hess(h[0] * c, h[1], c);
                assertThat(got).as("z = " + h[0] + ", α = " + h[1] + ", c = " + c)
                        .isCloseTo(h[2] / (c * c), within(1e-12 * Math.abs(h[2] / (c * c)) + Double.MIN_NORMAL));
            }
        }
    }
}
