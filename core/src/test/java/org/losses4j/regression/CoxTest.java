package org.losses4j.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.losses4j.DiagonalHessian;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * cox beyond its conformance cases (conformance/project/cox.jsonl): finite-difference gradient
 * and Hessian over both reductions, with ties and censoring; the Hessian against PyTorch's double
 * backward (conformance/generate/cox.py --hessian); the exact derivative at ties (where XGBoost's
 * loop differs; the comparison with survival:cox is in integrations/xgboost); invariances (order of the
 * samples, a common shift of the scores), sum = events·mean, Σ gradient = 0, Hessian ≥ 0; ±1e4
 * scores; refusals; the O(N log N) cost.
 */
class CoxTest {
    private static Cox cox(String reduction) {
        return Cox.builder().reduction(Reduction.parse(reduction)).build();
    }

    private static Inputs in(double[] f, double[] t) {
        return Inputs.of(Tensor.vector(f), Tensor.vector(t));
    }

    /** Random scores and times of length n: distinct |t| unless ties, about 40% censored, one event at least. */
    private static double[][] data(Random r, int n, boolean ties) {
        double[] f = new double[n];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = 2 * r.nextGaussian();
            t[i] = ties ? 1 + r.nextInt(Math.max(1, n / 3)) : 0.1 + 10 * r.nextDouble();
            if (r.nextDouble() < 0.4) {
                t[i] = -t[i];
            }
        }
        t[0] = Math.abs(t[0]);
        return new double[][] {f, t};
    }

    // ---- derivatives ----

    @Test
    void gradientAndHessianMatchFiniteDifferences() {
        Random r = new Random(5);
        for (boolean ties : new boolean[] {false, true}) {
            for (String red : new String[] {"sum", "mean"}) {
                for (int n : new int[] {1, 2, 7, 25}) {
                    double[][] d = data(r, n, ties);
                    Inputs in = in(d[0], d[1]);
                    GradCheck.gradients(cox(red), in);
                    GradCheck.hessian(cox(red), in, 1e-5, 1e-6);
                }
            }
        }
    }

    /** Diagonal Hessians printed by {@code /usr/bin/python3 conformance/generate/cox.py --hessian} (its HESSIAN_CASES). */
    private static final double[][][] HESSIAN_CASES = {
            {{0.3, -1.2, 0.8, 0.1, 2.0}, {1.0, -2.0, 3.0, 4.0, -5.0}},
            {{0.5, 0.4, -0.3, 1.1, -2.0, 0.0}, {2.0, 2.0, -2.0, 1.0, 3.0, -3.0}},
            {{1.0, -1.0, 0.5, 0.25}, {1.0, 2.0, -3.0, 4.0}},
    };
    private static final String[] HESSIAN_REDUCTIONS = {"sum", "sum", "mean"};
    private static final double[][] HESSIAN = {
            {0.09720997073278584, 0.023754364614668393, 0.3120461830277827, 0.2870037242008212, 0.5678818574359193},
            {0.6045776048622623, 0.569283177113767, 0.3355585199111829, 0.23426076007882704, 0.17408019383649395,
                0.5333248053535763},
            {0.082553246391822, 0.05213986701526925, 0.14962975131592582, 0.13516864607401335},
    };

    @Test
    void diagonalHessianMatchesTorchDoubleBackward() {
        for (int c = 0; c < HESSIAN.length; c++) {
            double[] h = cox(HESSIAN_REDUCTIONS[c]).computeWithHessian(in(HESSIAN_CASES[c][0], HESSIAN_CASES[c][1]))
                    .hessian().f64();
            for (int i = 0; i < h.length; i++) {
                assertThat(h[i]).as("case " + c + ", sample " + i).isCloseTo(HESSIAN[c][i], within(1e-14));
            }
        }
    }

    @Test
    void atTiesTheGradientIsTheExactBreslowDerivative() {
        // two tied events at t = 1 and a later sample, equal scores: each tied sample is in both tied
        // events' risk set {0, 1, 2}, so each gets both shares, 2·(1/3), less its own event. XGBoost's
        // CoxRegression loop gives the first of them (in its stable sort) only the first event's share,
        // 1/3 − 1 (see integrations/xgboost LossObjectiveTest, which trains on it); on distinct times the
        // two agree and train the same trees (same test)
        double[] f = {0.0, 0.0, 0.0};
        double[] t = {1.0, 1.0, 2.0};
        LossResult r = cox("sum").computeWithHessian(in(f, t));
        double[] g = r.grad().f64();
        assertThat(g[0]).isCloseTo(2.0 / 3 - 1, within(1e-15));
        assertThat(g[1]).isCloseTo(2.0 / 3 - 1, within(1e-15));
        // sample 2: both t = 1 events' shares (1/3 each); its own event's risk set is itself: p = 1
        assertThat(g[2]).isCloseTo(2.0 / 3 + 1 - 1, within(1e-15));
        assertThat(r.hessian().f64()[0]).isCloseTo(2 * (1.0 / 3) * (2.0 / 3), within(1e-15));
        assertThat(r.hessian().f64()[2]).isCloseTo(2 * (1.0 / 3) * (2.0 / 3), within(1e-15));
        assertThat(r.value()).isCloseTo(2 * Math.log(3), within(1e-15));
    }

    // ---- properties ----

    @Provide
    Arbitrary<double[][]> samples() {
        return Arbitraries.integers().between(1, 40).flatMap(n -> Combinators.combine(
                Arbitraries.doubles().between(-8, 8).array(double[].class).ofSize(n),
                Arbitraries.integers().between(-6, 6).array(int[].class).ofSize(n))
                .as((f, ti) -> {
                    double[] t = new double[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = ti[i] == 0 ? 0.5 : ti[i];
                    }
                    t[0] = Math.abs(t[0]);
                    return new double[][] {f, t};
                }));
    }

    @Property(tries = 100)
    void nonNegativeConvexCurvatureGradientSumsToZeroAndSumIsEventsTimesMean(@ForAll("samples") double[][] d) {
        LossResult s = cox("sum").computeWithHessian(in(d[0], d[1]));
        LossResult m = cox("mean").compute(in(d[0], d[1]));
        LossResult none = cox("none").compute(in(d[0], d[1]));
        double terms = 0;
        for (int i = 0; i < d[0].length; i++) {
            double ti = none.terms().f64()[i];
            assertThat(ti).isGreaterThanOrEqualTo(0.0);
            if (d[1][i] <= 0) {
                assertThat(ti).as("a censored sample has no term").isEqualTo(0.0);
            }
            terms += ti;
            assertThat(none.grad().f64()[i]).isEqualTo(s.grad().f64()[i]);
        }
        assertThat(terms).isCloseTo(s.value(), within(1e-12 * (1 + s.value())));
        int events = 0;
        for (double v : d[1]) {
            events += v > 0 ? 1 : 0;
        }
        assertThat(s.value()).isGreaterThanOrEqualTo(0.0);
        assertThat(s.value()).isCloseTo(events * m.value(), within(1e-12 * (1 + s.value())));
        double sum = 0;
        for (int i = 0; i < d[0].length; i++) {
            sum += s.grad().f64()[i];
            assertThat(s.hessian().f64()[i]).isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(events);
            assertThat(m.grad().f64()[i] * events).isCloseTo(s.grad().f64()[i], within(1e-12));
        }
        // each event's softmax over its risk set sums to 1, less the event's own 1
        assertThat(sum).isCloseTo(0.0, within(1e-12 * d[0].length));
    }

    @Property(tries = 100)
    void invariantToTheOrderOfTheSamplesAndToAShiftOfTheScores(@ForAll("samples") double[][] d,
            @ForAll @DoubleRange(min = -50, max = 50) double shift, @ForAll long seed) {
        int n = d[0].length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        double[] f2 = new double[n];
        double[] t2 = new double[n];
        for (int i = 0; i < n; i++) {
            f2[i] = d[0][perm[i]] + shift;
            t2[i] = d[1][perm[i]];
        }
        LossResult a = cox("sum").computeWithHessian(in(d[0], d[1]));
        LossResult b = cox("sum").computeWithHessian(in(f2, t2));
        assertThat(b.value()).isCloseTo(a.value(), within(1e-11 * (1 + a.value()) + 1e-13 * Math.abs(shift) * n));
        for (int i = 0; i < n; i++) {
            assertThat(b.grad().f64()[i]).isCloseTo(a.grad().f64()[perm[i]], within(1e-12));
            assertThat(b.hessian().f64()[i]).isCloseTo(a.hessian().f64()[perm[i]], within(1e-12));
        }
    }

    // ---- extremes, NaN, refusals, cost ----

    @Test
    void extremeScoresStayFinite() {
        double[] f = {1e4, -1e4, 0, 1e4, -1e4, 3, -1e4, -1e4 + 1};
        double[] t = {1, 2, -3, 4, 5, 6, 7, 8};
        LossResult r = cox("sum").computeWithHessian(in(f, t));
        assertThat(r.value()).isFinite();
        for (int i = 0; i < f.length; i++) {
            assertThat(r.grad().f64()[i]).isFinite();
            assertThat(r.hessian().f64()[i]).isFinite().isGreaterThanOrEqualTo(0);
        }
        // two tiny hazards: log(e^−1e4 + e^(−1e4 + 1)) + 1e4 = log(1 + e), not log 0
        double v = cox("sum").value(in(new double[] {-1e4, -1e4 + 1}, new double[] {1, 2})).value();
        assertThat(v).isCloseTo(Math.log1p(Math.E), within(1e-12));
        // float32 scores of ±1e4
        LossResult f32 = cox("mean").compute(Inputs.of(Tensor.vector(new float[] {1e4f, -1e4f, 0f}),
                Tensor.vector(new float[] {1f, 2f, 3f})));
        assertThat(f32.value()).isFinite();
        assertThat(f32.grad().f32()).doesNotContain(Float.NaN);
    }

    @Test
    void nanPropagates() {
        LossResult a = cox("sum").compute(in(new double[] {Double.NaN, 0.5, 1}, new double[] {1, 2, 3}));
        assertThat(a.value()).isNaN();
        LossResult b = cox("mean").compute(in(new double[] {0.1, 0.5, 1}, new double[] {1, Double.NaN, 3}));
        assertThat(b.value()).isNaN();
        assertThat(b.grad().f64()).containsOnly(Double.NaN);
        // a NaN score late in time leaves the risk sets that do not hold it alone
        LossResult c = cox("sum").compute(in(new double[] {0.1, 0.5, Double.NaN}, new double[] {1, -2, -3}));
        assertThat(c.value()).isNaN();
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> cox("mean").compute(in(new double[] {1, 2}, new double[] {-1, 0})))
                .isInstanceOf(LossException.class).hasMessageContaining("no event")
                .extracting(e -> ((LossException) e).kind()).isEqualTo(ErrorKind.OUT_OF_DOMAIN);
        assertThat(cox("sum").compute(in(new double[] {1, 2}, new double[] {-1, 0})).value()).isEqualTo(0.0);
        assertThatThrownBy(() -> cox("sum").compute(in(new double[] {1, 2}, new double[] {1, 2, 3})))
                .isInstanceOf(LossException.class).hasMessageContaining("target shape [3] != input shape [2]");
        assertThatThrownBy(() -> cox("sum").compute(Inputs.of(Tensor.of(new double[4], 2, 2),
                Tensor.of(new double[] {1, 2, 3, 4}, 2, 2)))).isInstanceOf(LossException.class)
                .hasMessageContaining("rank 1");
        assertThatThrownBy(() -> Losses.create("cox", Map.of("reduction", "avg"))).isInstanceOf(LossException.class)
                .hasMessageContaining("one of mean, sum, none");
        assertThatThrownBy(() -> cox("mean").compute(in(new double[0], new double[0])))
                .isInstanceOf(LossException.class).extracting(e -> ((LossException) e).kind())
                .isEqualTo(ErrorKind.EMPTY_INPUT);
        assertThat(cox("sum").compute(in(new double[0], new double[0])).value()).isEqualTo(0.0);
    }

    @Test
    void costIsNLogN() {
        Random r = new Random(2);
        double[][] big = data(r, 400_000, false);
        double[][] ties = data(r, 400_000, true);
        DiagonalHessian l = cox("mean");
        l.computeWithHessian(in(big[0], big[1])); // warm up
        long t0 = System.nanoTime();
        LossResult a = l.computeWithHessian(in(big[0], big[1]));
        LossResult b = l.computeWithHessian(in(ties[0], ties[1]));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(a.value()).isFinite();
        assertThat(b.value()).isFinite();
        // an O(N²) risk-set sum would take minutes here
        assertThat(seconds).as("two calls of N = 400,000").isLessThan(10.0);
    }
}
