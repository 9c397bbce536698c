package org.losses4j.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Properties of the regression losses on random data: what the reductions divide by, zero
 * loss at a perfect prediction, float32 against float64, and the identities between losses
 * (rmse² = mse, rmsle² = msle, smooth_l1·β = huber(δ = β), quantile(½) = ½·mae, expectile(½) =
 * ½·mse, mape = mae/|y|, gaussian_nll with a per-row variance = the same variance repeated,
 * poisson_nll on a rate = on its log).
 */
class RegressionPropertiesTest {
    /** Losses with a reduction option, and a domain to draw (input, target) from. */
    private static final String[] REDUCED = {"mae", "smooth_l1", "log_cosh", "msle", "poisson_nll", "quantile",
        "gaussian_nll", "pseudo_huber", "tweedie", "gamma", "expectile", "mape", "fair", "robust"};

    // ---- data ----

    /** Pairs (input, target) of equal random length 1..40, values in [-20, 20]. */
    @Provide
    Arbitrary<double[][]> pairs() {
        return Arbitraries.integers().between(1, 40).flatMap(n -> Combinators.combine(vec(n, -20, 20), vec(n, -20, 20))
                .as((a, b) -> new double[][] {a, b}));
    }

    /** Pairs inside msle's domain (values > −1). */
    @Provide
    Arbitrary<double[][]> logPairs() {
        return Arbitraries.integers().between(1, 40).flatMap(n -> Combinators.combine(vec(n, -0.99, 1000),
                vec(n, -0.99, 1000)).as((a, b) -> new double[][] {a, b}));
    }

    /** (input, target, var) with var > 0, for gaussian_nll. */
    @Provide
    Arbitrary<double[][]> triples() {
        return Arbitraries.integers().between(1, 40).flatMap(n -> Combinators.combine(vec(n, -20, 20), vec(n, -20, 20),
                vec(n, 1e-3, 50)).as((a, b, v) -> new double[][] {a, b, v}));
    }

    private static Arbitrary<double[]> vec(int n, double lo, double hi) {
        return Arbitraries.doubles().between(lo, hi).ofScale(6).array(double[].class).ofSize(n);
    }

    /** Inputs valid for {@code loss}: the pair mapped into its domain. */
    private static Inputs valid(String loss, double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        for (int i = 0; i < x.length; i++) {
            switch (loss) {
                case "msle":
                case "rmsle":
                    x[i] = Math.abs(x[i]);
                    y[i] = Math.abs(y[i]);
                    break;
                case "poisson_nll":
                    x[i] = x[i] / 4; // a log-rate within e^±5
                    y[i] = Math.floor(Math.abs(y[i]));
                    break;
                case "tweedie":
                    x[i] = x[i] / 4; // a log-mean within e^±5
                    y[i] = Math.abs(y[i]) < 5 ? 0 : Math.abs(y[i]); // exact zeros and a continuous part
                    break;
                case "gamma":
                    x[i] = x[i] / 4;
                    y[i] = Math.abs(y[i]) + 0.01;
                    break;
                case "mape":
                    y[i] = y[i] == 0 ? 1 : y[i];
                    break;
                default:
            }
        }
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        if (loss.equals("gaussian_nll")) {
            double[] v = new double[x.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.5 + Math.abs(a[i] - b[i]) / 10;
            }
            in = in.with("var", Tensor.vector(v));
        }
        return in;
    }

    private static double tol(double v) {
        return 1e-12 * (1 + Math.abs(v));
    }

    // ---- reductions ----

    @Property(tries = 60)
    void sumIsNTimesMeanAndNoneSumsToSum(@ForAll("pairs") double[][] p) {
        int n = p[0].length;
        for (String name : REDUCED) {
            Inputs in = valid(name, p[0], p[1]);
            LossResult mean = Losses.create(name, Map.of("reduction", "mean")).compute(in);
            LossResult sum = Losses.create(name, Map.of("reduction", "sum")).compute(in);
            LossResult none = Losses.create(name, Map.of("reduction", "none")).compute(in);
            GradCheck.sumIsNTimesMean(sum.value(), mean.value(), n);
            double s = 0;
            for (double t : none.terms().f64()) {
                s += t;
            }
            assertThat(s).as(name + " none terms sum").isCloseTo(sum.value(), within(tol(s)));
            assertThat(none.terms().shape()).isEqualTo(in.get("input").shape());
            for (String g : sum.grads().keySet()) {
                double[] gs = sum.grad(g).f64();
                double[] gm = mean.grad(g).f64();
                double[] gn = none.grad(g).f64();
                for (int i = 0; i < gs.length; i++) {
                    assertThat(gm[i] * n).as(name + " mean grad " + g).isCloseTo(gs[i], within(tol(gs[i])));
                    assertThat(gn[i]).as(name + " none grad " + g).isEqualTo(gs[i]);
                }
            }
        }
    }

    // ---- zero at a perfect prediction ----

    @Property(tries = 60)
    void zeroLossAndGradientAtAPerfectPrediction(@ForAll("pairs") double[][] p) {
        for (String name : new String[] {"mae", "rmse", "smooth_l1", "log_cosh", "msle", "rmsle", "quantile",
            "pseudo_huber", "expectile", "mape", "fair", "robust"}) {
            double[] x = p[0].clone();
            if (name.endsWith("msle")) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.abs(x[i]);
                }
            }
            LossResult r = Losses.create(name).compute(Inputs.of(Tensor.vector(x), Tensor.vector(x.clone())));
            assertThat(r.value()).as(name).isEqualTo(0.0);
            for (double g : r.grad().f64()) {
                assertThat(g).as(name + " gradient").isEqualTo(0.0);
            }
        }
        // smooth_l1 with β = 0 is |d| with subgradient 0 at d = 0
        LossResult r = Losses.create("smooth_l1", Map.of("beta", 0.0))
                .compute(Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[0].clone())));
        assertThat(r.value()).isEqualTo(0.0);
        assertThat(r.grad().f64()).containsOnly(0.0);
    }

    @Property(tries = 60)
    void lossesArePositiveAwayFromThePerfectPrediction(@ForAll("pairs") double[][] p) {
        for (String name : new String[] {"mae", "rmse", "smooth_l1", "log_cosh", "quantile", "pseudo_huber",
            "expectile", "mape", "fair", "robust"}) {
            double[] y = p[0].clone();
            y[0] += 1.0;
            double v = Losses.create(name).value(Inputs.of(Tensor.vector(p[0]), Tensor.vector(y))).value();
            assertThat(v).as(name).isGreaterThan(0.0);
        }
    }

    // ---- float32 against float64 ----

    @Property(tries = 40)
    void float32AgreesWithFloat64(@ForAll("pairs") double[][] p) {
        for (String name : new String[] {"mae", "rmse", "smooth_l1", "log_cosh", "msle", "rmsle", "poisson_nll",
            "quantile", "gaussian_nll", "pseudo_huber", "tweedie", "gamma", "expectile", "mape", "fair", "robust"}) {
            Inputs in64 = valid(name, p[0], p[1]);
            Inputs in32 = Inputs.empty();
            Inputs in64r = Inputs.empty();
            for (Map.Entry<String, Tensor> e : in64.tensors().entrySet()) {
                double[] d = e.getValue().f64();
                float[] f = new float[d.length];
                double[] back = new double[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                    back[i] = f[i];
                }
                in32 = in32.with(e.getKey(), Tensor.vector(f));
                in64r = in64r.with(e.getKey(), Tensor.vector(back));
            }
            Loss loss = Losses.create(name);
            LossResult a = loss.compute(in32);
            LossResult b = loss.compute(in64r);
            assertThat(a.value()).as(name).isCloseTo(b.value(), within(1e-5 * Math.abs(b.value()) + 1e-12));
            for (String g : b.grads().keySet()) {
                Tensor ga = a.grad(g);
                assertThat(ga.dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
                double[] gb = b.grad(g).f64();
                for (int i = 0; i < gb.length; i++) {
                    assertThat(ga.getDouble(i)).as(name + " grad " + g + "[" + i + "]")
                            .isCloseTo(gb[i], within(1e-5 * Math.abs(gb[i]) + 1e-30));
                }
            }
        }
    }

    // ---- identities between losses ----

    @Property(tries = 80)
    void rmseSquaredIsMse(@ForAll("pairs") double[][] p) {
        Inputs in = Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]));
        LossResult rmse = Losses.create("rmse").compute(in);
        LossResult mse = Losses.create("mse").compute(in);
        double r = rmse.value();
        assertThat(r * r).isCloseTo(mse.value(), within(1e-12 * mse.value() + 1e-300));
        if (r > 0) {
            // chain rule: ∇rmse = ∇mse / (2·rmse)
            double[] gr = rmse.grad().f64();
            double[] gm = mse.grad().f64();
            for (int i = 0; i < gr.length; i++) {
                assertThat(gr[i]).isCloseTo(gm[i] / (2 * r), within(1e-12 * (Math.abs(gr[i]) + 1e-300)));
            }
        }
    }

    @Property(tries = 80)
    void rmsleSquaredIsMsle(@ForAll("logPairs") double[][] p) {
        Inputs in = Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]));
        LossResult rmsle = Losses.create("rmsle").compute(in);
        LossResult msle = Losses.create("msle").compute(in);
        double r = rmsle.value();
        assertThat(r * r).isCloseTo(msle.value(), within(1e-12 * msle.value() + 1e-300));
        if (r > 0) {
            double[] gr = rmsle.grad().f64();
            double[] gm = msle.grad().f64();
            for (int i = 0; i < gr.length; i++) {
                assertThat(gr[i]).isCloseTo(gm[i] / (2 * r), within(1e-12 * Math.abs(gr[i]) + 1e-300));
            }
        }
    }

    @Property(tries = 60)
    void smoothL1TimesBetaIsHuberWithDeltaBeta(@ForAll("pairs") double[][] p,
            @ForAll @DoubleRange(min = 0.01, max = 10) double beta) {
        Inputs in = Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]));
        LossResult s = Losses.create("smooth_l1", Map.of("beta", beta, "reduction", "sum")).compute(in);
        LossResult h = Losses.create("huber", Map.of("delta", beta, "reduction", "sum")).compute(in);
        assertThat(s.value() * beta).isCloseTo(h.value(), within(1e-10 * (1 + h.value())));
        double[] gs = s.grad().f64();
        double[] gh = h.grad().f64();
        for (int i = 0; i < gs.length; i++) {
            assertThat(gs[i] * beta).isCloseTo(gh[i], within(1e-10 * (1 + Math.abs(gh[i]))));
        }
    }

    @Property(tries = 60)
    void smoothL1WithBetaZeroIsMae(@ForAll("pairs") double[][] p) {
        Inputs in = Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]));
        LossResult s = Losses.create("smooth_l1", Map.of("beta", 0.0)).compute(in);
        LossResult m = Losses.create("mae").compute(in);
        assertThat(s.value()).isEqualTo(m.value());
        assertThat(s.grad().f64()).containsExactly(m.grad().f64());
    }

    @Property(tries = 60)
    void quantileAtOneHalfIsHalfTheMae(@ForAll("pairs") double[][] p) {
        Inputs in = Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]));
        LossResult q = Losses.create("quantile", Map.of("tau", 0.5)).compute(in);
        LossResult m = Losses.create("mae").compute(in);
        assertThat(q.value()).isCloseTo(0.5 * m.value(), within(tol(m.value())));
        double[] gq = q.grad().f64();
        double[] gm = m.grad().f64();
        for (int i = 0; i < gq.length; i++) {
            assertThat(gq[i]).isEqualTo(0.5 * gm[i]);
        }
    }

    @Property(tries = 60)
    void expectileAtOneHalfIsHalfTheMse(@ForAll("pairs") double[][] p) {
        Inputs in = Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]));
        LossResult e = Losses.create("expectile", Map.of("tau", 0.5)).compute(in);
        LossResult m = Losses.create("mse").compute(in);
        assertThat(e.value()).isCloseTo(0.5 * m.value(), within(tol(m.value())));
        double[] ge = e.grad().f64();
        double[] gm = m.grad().f64();
        for (int i = 0; i < ge.length; i++) {
            assertThat(ge[i]).isCloseTo(0.5 * gm[i], within(1e-15 * Math.abs(gm[i])));
        }
    }

    @Property(tries = 60)
    void expectileIsAsymmetric(@ForAll("pairs") double[][] p, @ForAll @DoubleRange(min = 0.01, max = 0.99) double tau) {
        // τ(y − x)² for under-prediction, (1 − τ)(x − y)² for over-prediction
        double[] x = p[0];
        double[] y = p[1];
        double[] terms = Losses.create("expectile", Map.of("tau", tau, "reduction", "none"))
                .value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).terms().f64();
        for (int i = 0; i < x.length; i++) {
            double u = y[i] - x[i];
            double want = (u >= 0 ? tau : 1 - tau) * u * u;
            assertThat(terms[i]).isCloseTo(want, within(1e-12 * (1 + Math.abs(want))));
        }
    }

    @Property(tries = 60)
    void mapeIsMaeOverTheTargetsSize(@ForAll("pairs") double[][] p) {
        double[] x = p[0];
        double[] y = p[1].clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] == 0 ? 1 : y[i];
        }
        double[] t = Losses.create("mape", Map.of("reduction", "none")).value(Inputs.of(Tensor.vector(x),
                Tensor.vector(y))).terms().f64();
        double[] a = Losses.create("mae", Map.of("reduction", "none")).value(Inputs.of(Tensor.vector(x),
                Tensor.vector(y))).terms().f64();
        for (int i = 0; i < x.length; i++) {
            assertThat(t[i]).isEqualTo(a[i] / Math.abs(y[i]));
        }
    }

    @Property(tries = 60)
    void quantileIsAsymmetric(@ForAll("pairs") double[][] p, @ForAll @DoubleRange(min = 0.01, max = 0.99) double tau) {
        // τ(y − x) for under-prediction, (1 − τ)(x − y) for over-prediction
        double[] x = p[0];
        double[] y = p[1];
        double[] terms = Losses.create("quantile", Map.of("tau", tau, "reduction", "none"))
                .value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).terms().f64();
        for (int i = 0; i < x.length; i++) {
            double u = y[i] - x[i];
            double want = u >= 0 ? tau * u : (1 - tau) * -u;
            assertThat(terms[i]).isCloseTo(want, within(1e-12 * (1 + Math.abs(want))));
        }
    }

    @Property(tries = 60)
    void logCoshLiesBetweenItsAsymptotes(@ForAll("pairs") double[][] p) {
        double[] terms = Losses.create("log_cosh", Map.of("reduction", "none"))
                .value(Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]))).terms().f64();
        for (int i = 0; i < terms.length; i++) {
            double a = Math.abs(p[0][i] - p[1][i]);
            // |d| − log 2 ≤ log cosh d ≤ min(d²/2, |d|)
            assertThat(terms[i]).isGreaterThanOrEqualTo(a - Math.log(2) - 1e-12)
                    .isLessThanOrEqualTo(Math.min(a * a / 2, a) + 1e-12);
        }
    }

    @Property(tries = 60)
    void gaussianNllRowVarianceIsTheRepeatedVariance(@ForAll("triples") double[][] t,
            @ForAll @DoubleRange(min = 0, max = 1) double fullFlag) {
        int n = t[0].length;
        int rows = n % 2 == 0 ? 2 : 1;
        int cols = n / rows;
        double[] rowVar = new double[rows];
        double[] fullVar = new double[n];
        for (int r = 0; r < rows; r++) {
            rowVar[r] = t[2][r];
            for (int c = 0; c < cols; c++) {
                fullVar[r * cols + c] = rowVar[r];
            }
        }
        Loss loss = Losses.create("gaussian_nll", Map.of("full", fullFlag > 0.5));
        Tensor x = Tensor.of(t[0], rows, cols);
        Tensor y = Tensor.of(t[1], rows, cols);
        LossResult a = loss.compute(Inputs.of(x, y).with("var", Tensor.of(rowVar, rows, 1)));
        LossResult b = loss.compute(Inputs.of(x, y).with("var", Tensor.of(fullVar, rows, cols)));
        assertThat(a.value()).isCloseTo(b.value(), within(tol(b.value())));
        assertThat(a.grad().f64()).containsExactly(b.grad().f64());
        assertThat(a.grad("var").shape()).containsExactly(rows, 1);
        double[] gb = b.grad("var").f64();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += gb[r * cols + c];
            }
            assertThat(a.grad("var").f64()[r]).isCloseTo(s, within(1e-12 * (1 + Math.abs(s))));
        }
    }

    @Property(tries = 60)
    void gaussianNllFullAddsHalfLogTwoPiPerTerm(@ForAll("triples") double[][] t) {
        Inputs in = Inputs.of(Tensor.vector(t[0]), Tensor.vector(t[1])).with("var", Tensor.vector(t[2]));
        LossResult plain = Losses.create("gaussian_nll", Map.of("reduction", "sum")).compute(in);
        LossResult full = Losses.create("gaussian_nll", Map.of("reduction", "sum", "full", true)).compute(in);
        double c = 0.5 * Math.log(2 * Math.PI) * t[0].length;
        assertThat(full.value() - plain.value()).isCloseTo(c, within(1e-9 * (1 + Math.abs(plain.value()))));
        assertThat(full.grad().f64()).containsExactly(plain.grad().f64());
        assertThat(full.grad("var").f64()).containsExactly(plain.grad("var").f64());
    }

    @Property(tries = 60)
    void gaussianNllIsMinimisedByTheSquaredResidual(@ForAll("triples") double[][] t) {
        // for fixed x, y the term in var is minimal at var = (x − y)² (when that exceeds eps): ∂/∂var = 0 there
        double[] v = new double[t[0].length];
        for (int i = 0; i < v.length; i++) {
            double d = t[0][i] - t[1][i];
            v[i] = Math.max(d * d, 1e-3);
            if (d * d < 1e-3) {
                v[i] = 1.0;
                t[0][i] = t[1][i] + 1.0;
            }
        }
        LossResult r = Losses.create("gaussian_nll").compute(Inputs.of(Tensor.vector(t[0]), Tensor.vector(t[1]))
                .with("var", Tensor.vector(v)));
        for (double g : r.grad("var").f64()) {
            assertThat(g).isCloseTo(0.0, within(1e-12));
        }
    }

    @Property(tries = 60)
    void poissonOnARateEqualsPoissonOnItsLog(@ForAll("pairs") double[][] p) {
        int n = p[0].length;
        double[] z = new double[n];
        double[] rate = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = p[0][i] / 5;
            rate[i] = Math.exp(z[i]);
            y[i] = Math.floor(Math.abs(p[1][i]));
        }
        for (boolean full : new boolean[] {false, true}) {
            // eps far below every rate (≥ e^-4), so log(rate + eps) = z up to 1e-14 relative
            LossResult a = Losses.create("poisson_nll", Map.of("full", full, "reduction", "sum", "eps", 1e-14))
                    .compute(Inputs.of(Tensor.vector(z), Tensor.vector(y)));
            LossResult b = Losses.create("poisson_nll", Map.of("full", full, "log_input", false, "reduction", "sum",
                    "eps", 1e-14)).compute(Inputs.of(Tensor.vector(rate), Tensor.vector(y)));
            assertThat(a.value()).isCloseTo(b.value(), within(1e-9 * (1 + Math.abs(a.value()))));
            double[] ga = a.grad().f64();
            double[] gb = b.grad().f64();
            for (int i = 0; i < n; i++) {
                // d/dz = rate · d/drate
                assertThat(ga[i]).isCloseTo(rate[i] * gb[i], within(1e-9 * (1 + Math.abs(ga[i]))));
            }
        }
    }

    @Property(tries = 60)
    void poissonStirlingTermOnlyForTargetsAboveOne(@ForAll("pairs") double[][] p) {
        int n = p[0].length;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = p[0][i] / 5;
            y[i] = Math.abs(p[1][i]) / 4;
        }
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        double[] plain = Losses.create("poisson_nll", Map.of("reduction", "none")).compute(in).terms().f64();
        LossResult full = Losses.create("poisson_nll", Map.of("reduction", "none", "full", true)).compute(in);
        double[] f = full.terms().f64();
        for (int i = 0; i < n; i++) {
            double s = y[i] > 1 ? y[i] * Math.log(y[i]) - y[i] + 0.5 * Math.log(2 * Math.PI * y[i]) : 0;
            assertThat(f[i] - plain[i]).isCloseTo(s, within(1e-12 * (1 + Math.abs(f[i]))));
            assertThat(full.grad().f64()[i]).isEqualTo(Math.exp(x[i]) - y[i]);
        }
    }

    @Property(tries = 60)
    void msleIsScaleFreeInOnePlusX(@ForAll("logPairs") double[][] p, @ForAll @DoubleRange(min = 0.1, max = 10) double k) {
        // (log(1+x) − log(1+y))² is unchanged when 1+x and 1+y are both multiplied by k
        int n = p[0].length;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = k * (1 + p[0][i]) - 1;
            ys[i] = k * (1 + p[1][i]) - 1;
        }
        double a = Losses.create("msle").value(Inputs.of(Tensor.vector(p[0]), Tensor.vector(p[1]))).value();
        double b = Losses.create("msle").value(Inputs.of(Tensor.vector(xs), Tensor.vector(ys))).value();
        assertThat(b).isCloseTo(a, within(1e-9 * (1 + a)));
    }
}
