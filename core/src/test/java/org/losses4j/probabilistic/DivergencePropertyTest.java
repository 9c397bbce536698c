package org.losses4j.probabilistic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.probabilistic.DivergenceData.distributions;
import static org.losses4j.probabilistic.DivergenceData.log;
import static org.losses4j.probabilistic.DivergenceData.sparseDistributions;
import static org.losses4j.probabilistic.DivergenceData.uniform;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** Invariants of the divergence losses on random data. */
class DivergencePropertyTest {
    private static final double LN2 = Math.log(2);

    private static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    // ---- KL(P‖Q) >= 0, = 0 iff P = Q ----

    @Property(tries = 200)
    void klDivIsNonNegativeOnDistributions(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll long seed, @ForAll boolean logTarget) {
        Random r = new Random(seed);
        double[] p = sparseDistributions(r, n, c);
        double[] lq = log(distributions(r, n, c, 1, 0.01));
        double v = loss("kl_div", "log_target", logTarget).value(DivergenceData.pair(lq, logTarget ? log(p) : p, n, c))
                .value();
        assertThat(v).isGreaterThanOrEqualTo(-1e-12);
    }

    @Property(tries = 200)
    void klDivIsZeroAtEqualDistributionsWithExactGradients(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll long seed) {
        Random r = new Random(seed);
        double[] p = sparseDistributions(r, n, c); // zeros give log Q = −∞ at P = 0: still a 0 term
        LossResult res = loss("kl_div").compute(DivergenceData.pair(log(p), p, n, c));
        assertThat(res.value()).isEqualTo(0.0);
        double[] gx = res.grad("input").f64();
        double[] gt = res.grad("target").f64();
        for (int i = 0; i < p.length; i++) {
            // ∂/∂log Q = −P/N; ∂/∂P = (log P + 1 − log Q)/N = 1/N where P > 0
            close(gx[i], -p[i] / n, 1e-15, "d/dinput", i);
            if (p[i] > 0) {
                close(gt[i], 1.0 / n, 1e-15, "d/dtarget", i);
            } else {
                // P = 0 and log Q = −∞: every P > 0 costs +∞, so the one-sided derivative is +∞
                assertThat(gt[i]).isEqualTo(Double.POSITIVE_INFINITY);
            }
        }
    }

    @Property(tries = 200)
    void reverseKlIsNonNegativeAndZeroAtEquality(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll long seed, @ForAll boolean logTarget) {
        Random r = new Random(seed);
        double[] p = distributions(r, n, c, 1, 0.01);
        double[] q = sparseDistributions(r, n, c); // Q = 0 terms are 0
        Loss l = loss("reverse_kl_div", "log_target", logTarget);
        double v = l.value(DivergenceData.pair(log(q), logTarget ? log(p) : p, n, c)).value();
        assertThat(v).isGreaterThanOrEqualTo(-1e-12);
        LossResult eq = l.compute(DivergenceData.pair(log(q), logTarget ? log(q) : q, n, c));
        assertThat(eq.value()).isEqualTo(0.0);
        double[] g = eq.grad("input").f64();
        for (int i = 0; i < q.length; i++) {
            // Q·(log Q − log P + 1)/N = Q/N
            close(g[i], q[i] / n, 1e-15, "d/dinput", i);
        }
    }

    // ---- JS: symmetric, 0 <= JS <= log 2, 0 at equality ----

    @Property(tries = 200)
    void jsDivIsSymmetricAndBounded(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll long seed) {
        Random r = new Random(seed);
        double[] p = sparseDistributions(r, n, c);
        double[] q = sparseDistributions(r, n, c);
        Loss js = loss("js_div");
        double pq = js.value(DivergenceData.pair(log(q), p, n, c)).value();
        double qp = js.value(DivergenceData.pair(log(p), q, n, c)).value();
        assertThat(pq).isCloseTo(qp, within(1e-14));
        assertThat(pq).isBetween(-1e-15, LN2 + 1e-15);
        assertThat(js.value(DivergenceData.pair(log(p), p, n, c)).value()).isCloseTo(0.0, within(1e-15));
    }

    @Property(tries = 100)
    void jsDivGradientsAreSymmetricToo(@ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll long seed) {
        // swapping P and Q swaps the roles: ∂JS/∂P(P, Q) = ∂JS/∂Q'(Q' = P) with ∂/∂log Q = Q·∂/∂Q
        Random r = new Random(seed);
        double[] p = distributions(r, n, c, 1, 0.05);
        double[] q = distributions(r, n, c, 1, 0.05);
        Loss js = loss("js_div", "reduction", "sum");
        LossResult a = js.compute(DivergenceData.pair(log(q), p, n, c));
        LossResult b = js.compute(DivergenceData.pair(log(p), q, n, c));
        double[] dPa = a.grad("target").f64();
        double[] dLogPb = b.grad("input").f64();
        for (int i = 0; i < p.length; i++) {
            close(dPa[i] * p[i], dLogPb[i], 1e-13, "P·dJS/dP vs dJS/dlog P swapped", i);
        }
    }

    // ---- reductions: sum = N·batchmean = numel·mean = Σ none ----

    @Property(tries = 100)
    void divergenceReductionsAgree(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 5) int c,
            @ForAll @IntRange(min = 1, max = 3) int t, @ForAll long seed) {
        Random r = new Random(seed);
        double[] lq = log(distributions(r, n, c, t, 0.05));
        double[] p = distributions(r, n, c, t, 0.05);
        int numel = n * c * t;
        for (String name : new String[] {"kl_div", "reverse_kl_div", "js_div"}) {
            Inputs in = DivergenceData.pair(lq, p, n, c, t);
            LossResult sum = loss(name, "reduction", "sum").compute(in);
            LossResult bm = loss(name, "reduction", "batchmean").compute(in);
            LossResult mean = loss(name, "reduction", "mean").compute(in);
            LossResult none = loss(name, "reduction", "none").compute(in);
            GradCheck.sumIsNTimesMean(sum.value(), bm.value(), n);
            GradCheck.sumIsNTimesMean(sum.value(), mean.value(), numel);
            assertThat(none.terms().shape()).containsExactly(n, c, t);
            assertThat(DivergenceData.sum(none.terms().f64())).isCloseTo(sum.value(), within(1e-12));
            for (String g : sum.grads().keySet()) {
                double[] gs = sum.grad(g).f64();
                double[] gb = bm.grad(g).f64();
                double[] gm = mean.grad(g).f64();
                double[] gn = none.grad(g).f64();
                for (int i = 0; i < gs.length; i++) {
                    close(gb[i] * n, gs[i], 1e-12 * (1 + Math.abs(gs[i])), name + " N·batchmean grad " + g, i);
                    close(gm[i] * numel, gs[i], 1e-12 * (1 + Math.abs(gs[i])), name + " numel·mean grad " + g, i);
                    close(gn[i], gs[i], 0, name + " none grad " + g, i);
                }
            }
        }
    }

    @Property(tries = 100)
    void rowLossReductionsAgree(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 4) int d,
            @ForAll long seed) {
        Random r = new Random(seed);
        Inputs lat = Inputs.of("mu", Tensor.of(uniform(r, n * d, -2, 2), n, d))
                .with("logvar", Tensor.of(uniform(r, n * d, -2, 2), n, d));
        Inputs vae = lat.with("recon", Tensor.of(uniform(r, n * 3, 0.01, 0.99), n, 3))
                .with("target", Tensor.of(uniform(r, n * 3, 0, 1), n, 3));
        for (Object[] c : new Object[][] {{"gaussian_kl", lat}, {"vae", vae}}) {
            String name = (String) c[0];
            Inputs in = (Inputs) c[1];
            LossResult sum = loss(name, "reduction", "sum").compute(in);
            LossResult mean = loss(name, "reduction", "mean").compute(in);
            LossResult none = loss(name, "reduction", "none").compute(in);
            GradCheck.sumIsNTimesMean(sum.value(), mean.value(), n);
            assertThat(none.terms().shape()).containsExactly(n);
            assertThat(DivergenceData.sum(none.terms().f64())).isCloseTo(sum.value(), within(1e-12 * (1 + sum.value())));
            for (String g : sum.grads().keySet()) {
                double[] gs = sum.grad(g).f64();
                double[] gm = mean.grad(g).f64();
                for (int i = 0; i < gs.length; i++) {
                    close(gm[i] * n, gs[i], 1e-12 * (1 + Math.abs(gs[i])), name + " N·mean grad " + g, i);
                }
            }
        }
    }

    // ---- log_target is only a change of variables ----

    @Property(tries = 100)
    void logTargetIsTheSameDivergence(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 6) int c,
            @ForAll long seed) {
        Random r = new Random(seed);
        double[] lq = log(distributions(r, n, c, 1, 0.05));
        double[] p = sparseDistributions(r, n, c);
        for (String name : new String[] {"kl_div", "reverse_kl_div"}) {
            LossResult plain = loss(name, "log_target", false).compute(DivergenceData.pair(lq, p, n, c));
            LossResult logged = loss(name, "log_target", true).compute(DivergenceData.pair(lq, log(p), n, c));
            assertThat(logged.value()).isCloseTo(plain.value(), within(1e-13 * (1 + Math.abs(plain.value()))));
            assertThat(logged.grad("input").f64()).containsExactly(plain.grad("input").f64(), within(1e-14));
            if (name.equals("kl_div")) {
                // ∂/∂log P = P·∂/∂P where P > 0
                double[] gp = plain.grad("target").f64();
                double[] gl = logged.grad("target").f64();
                for (int i = 0; i < p.length; i++) {
                    close(gl[i], p[i] > 0 ? p[i] * gp[i] : 0.0, 1e-14, "d/dlog P vs P·d/dP", i);
                }
            }
        }
    }

    // ---- perplexity ----

    @Property(tries = 200)
    void perplexityMatchesExpOfMeanNllAndIgnoresIgnored(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 3) int t, @ForAll long seed,
            @ForAll @IntRange(min = -3, max = 3) int ignore) {
        Random r = new Random(seed);
        double[] x = log(distributions(r, n, c, t, 0.05));
        long[] y = new long[n * t];
        double nll = 0;
        int kept = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(4) == 0 ? ignore : r.nextInt(c);
            if (y[i] != ignore) {
                int nn = i / t;
                int tt = i % t;
                nll -= x[(nn * c + (int) y[i]) * t + tt];
                kept++;
            }
        }
        Tensor target = t == 1 && r.nextBoolean() ? Tensor.ofLabels(y, n) : Tensor.ofLabels(y, n, t);
        Tensor input = target.rank() == 1 ? Tensor.of(x, n, c) : Tensor.of(x, n, c, t);
        Loss ppl = loss("perplexity", "ignore_index", ignore);
        LossResult res = ppl.compute(Inputs.of(input, target));
        if (kept == 0) {
            assertThat(res.value()).isNaN();
        } else {
            double expect = Math.exp(nll / kept);
            assertThat(res.value()).isCloseTo(expect, within(1e-12 * expect));
            assertThat(res.value()).isGreaterThanOrEqualTo(1.0 - 1e-12);
        }
        // ignored positions: zero gradient for every class, and changing them changes nothing
        double[] g = res.grad("input").f64();
        double before = res.value();
        for (int i = 0; i < y.length; i++) {
            if (y[i] != ignore) {
                continue;
            }
            for (int k = 0; k < c; k++) {
                int idx = ((i / t) * c + k) * t + i % t;
                close(g[idx], 0.0, 0, "gradient at an ignored position", idx);
                x[idx] = -7.5;
            }
        }
        double after = ppl.value(Inputs.of(input, target)).value();
        if (kept == 0) {
            assertThat(after).isNaN();
        } else {
            assertThat(after).isEqualTo(before);
        }
    }

    @Property(tries = 50)
    void perplexityOfUniformPredictionIsTheClassCount(@ForAll @IntRange(min = 1, max = 8) int n,
            @ForAll @IntRange(min = 1, max = 50) int c, @ForAll long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * c];
        java.util.Arrays.fill(x, -Math.log(c));
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(c);
        }
        double v = loss("perplexity").value(Inputs.of(Tensor.of(x, n, c), Tensor.labels(y))).value();
        assertThat(v).isCloseTo(c, within(1e-12 * c));
    }

    // ---- gaussian_kl and vae: zero at the prior / perfect reconstruction ----

    @Property(tries = 50)
    void gaussianKlIsZeroAtThePriorAndPositiveElsewhere(@ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll @IntRange(min = 1, max = 5) int d, @ForAll @DoubleRange(min = -3, max = 3) double m,
            @ForAll @DoubleRange(min = -3, max = 3) double lv) {
        Loss kl = loss("gaussian_kl");
        Inputs prior = Inputs.of("mu", Tensor.of(new double[n * d], n, d)).with("logvar", Tensor.of(new double[n * d], n, d));
        LossResult at = kl.compute(prior);
        assertThat(at.value()).isEqualTo(0.0);
        assertThat(at.grad("mu").f64()).containsOnly(0.0);
        assertThat(at.grad("logvar").f64()).containsOnly(0.0);
        double[] mu = new double[n * d];
        double[] logvar = new double[n * d];
        java.util.Arrays.fill(mu, m);
        java.util.Arrays.fill(logvar, lv);
        double v = kl.value(Inputs.of("mu", Tensor.of(mu, n, d)).with("logvar", Tensor.of(logvar, n, d))).value();
        // closed form per dimension: log(1/σ) + (σ² + μ²)/2 − ½, times D (mean over N of identical rows)
        double sigma = Math.exp(lv / 2);
        double expect = d * (Math.log(1 / sigma) + (sigma * sigma + m * m) / 2 - 0.5);
        assertThat(v).isCloseTo(expect, within(1e-12 * (1 + expect)));
        assertThat(v).isGreaterThanOrEqualTo(0.0);
    }

    @Property(tries = 50)
    void vaeMseIsZeroAtPerfectReconstructionAndPrior(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 5) double beta) {
        Random r = new Random(seed);
        double[] x = uniform(r, n * 4, -3, 3);
        LossResult res = loss("vae", "reconstruction", "mse", "beta", beta).compute(
                Inputs.of("recon", Tensor.of(x, n, 4)).with("target", Tensor.of(x.clone(), n, 4))
                        .with("mu", Tensor.of(new double[n * 2], n, 2)).with("logvar", Tensor.of(new double[n * 2], n, 2)));
        assertThat(res.value()).isEqualTo(0.0);
        assertThat(res.grad("recon").f64()).containsOnly(0.0);
    }

    // ---- float32 agrees with float64 ----

    @Property(tries = 40)
    void float32IsWithin1e5OfFloat64(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 2, max = 6) int c,
            @ForAll long seed, @ForAll boolean logTarget) {
        Random r = new Random(seed);
        double[] lq = DivergenceData.roundedToFloat(log(distributions(r, n, c, 1, 0.05)));
        double[] pp = distributions(r, n, c, 1, 0.05);
        double[] p = DivergenceData.roundedToFloat(logTarget ? log(pp) : pp);
        for (String name : new String[] {"kl_div", "reverse_kl_div", "js_div"}) {
            for (String red : new String[] {"batchmean", "sum", "none"}) {
                Loss l = name.equals("js_div") ? loss(name, "reduction", red)
                        : loss(name, "reduction", red, "log_target", logTarget);
                if (name.equals("js_div") && logTarget) {
                    continue;
                }
                compareDtypes(l, Inputs.of(Tensor.of(lq, n, c), Tensor.of(p, n, c)),
                        Inputs.of(Tensor.of(DivergenceData.narrow(lq), n, c), Tensor.of(DivergenceData.narrow(p), n, c)));
            }
        }
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(c);
        }
        compareDtypes(loss("perplexity"), Inputs.of(Tensor.of(lq, n, c), Tensor.labels(y)),
                Inputs.of(Tensor.of(DivergenceData.narrow(lq), n, c), Tensor.labels(y)));
        double[] mu = DivergenceData.roundedToFloat(uniform(r, n * c, -2, 2));
        double[] lv = DivergenceData.roundedToFloat(uniform(r, n * c, -2, 2));
        double[] rec = DivergenceData.roundedToFloat(uniform(r, n * 3, 0.01, 0.99));
        double[] tgt = DivergenceData.roundedToFloat(uniform(r, n * 3, 0, 1));
        Inputs lat64 = Inputs.of("mu", Tensor.of(mu, n, c)).with("logvar", Tensor.of(lv, n, c));
        Inputs lat32 = Inputs.of("mu", Tensor.of(DivergenceData.narrow(mu), n, c))
                .with("logvar", Tensor.of(DivergenceData.narrow(lv), n, c));
        for (String red : new String[] {"mean", "none"}) {
            compareDtypes(loss("gaussian_kl", "reduction", red), lat64, lat32);
            for (String kind : new String[] {"bce", "bce_with_logits", "mse"}) {
                compareDtypes(loss("vae", "reconstruction", kind, "reduction", red),
                        lat64.with("recon", Tensor.of(rec, n, 3)).with("target", Tensor.of(tgt, n, 3)),
                        lat32.with("recon", Tensor.of(DivergenceData.narrow(rec), n, 3))
                                .with("target", Tensor.of(DivergenceData.narrow(tgt), n, 3)));
            }
        }
    }

    private static void compareDtypes(Loss l, Inputs in64, Inputs in32) {
        LossResult a = l.compute(in64);
        LossResult b = l.compute(in32);
        assertThat(b.value()).as(l.toString()).isCloseTo(a.value(), within(1e-5 * Math.abs(a.value()) + 1e-30));
        if (a.isUnreduced()) {
            assertThat(b.terms().dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
            double[] ta = a.terms().f64();
            for (int i = 0; i < ta.length; i++) {
                close(b.terms().getDouble(i), ta[i], 1e-5 * Math.abs(ta[i]) + 1e-30, l + " float32 term", i);
            }
        }
        for (String g : a.grads().keySet()) {
            double[] ga = a.grad(g).f64();
            Tensor gb = b.grad(g);
            assertThat(gb.dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
            for (int i = 0; i < ga.length; i++) {
                close(gb.getDouble(i), ga[i], 1e-5 * Math.abs(ga[i]) + 1e-30, l + " float32 d/d" + g, i);
            }
        }
    }

    /** |actual − expected| <= tol (exact equality of infinities), without per-element assertion objects. */
    private static void close(double actual, double expected, double tol, String what, int i) {
        boolean ok = actual == expected || Math.abs(actual - expected) <= tol;
        if (!ok) {
            org.junit.jupiter.api.Assertions.fail(what + " [" + i + "]: got " + actual + ", expected " + expected
                    + " (tolerance " + tol + ")");
        }
    }
}
