package org.losses4j.probabilistic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Probabilities exactly 0 and 1, log-probabilities −1e4 and −∞, overflow, NaN: each expected
 * value is a closed form or limit worked out by hand in the comment beside it.
 */
class DivergenceExtremesTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    private static final double NAN = Double.NaN;
    private static final double LN2 = Math.log(2);

    private static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    private static LossResult run(Loss l, double[] input, double[] target, int... shape) {
        return l.compute(DivergenceData.pair(input, target, shape));
    }

    private static double[] v(double... a) {
        return a;
    }

    // ---- kl_div ----

    @Test
    void klDivOneHotPerfectPredictionIsZeroWithoutNaN() {
        // P = (1, 0, 0), log Q = (0, −∞, −∞): 1·(0 − 0) + 0 + 0 = 0
        LossResult r = run(loss("kl_div"), v(0, NEG_INF, NEG_INF), v(1, 0, 0), 1, 3);
        assertThat(r.value()).isEqualTo(0.0);
        assertThat(r.grad("input").f64()).containsExactly(-1, -0.0, -0.0);
        // ∂/∂P = log P + 1 − log Q = 1 at P = 1; at P = 0 with log Q = −∞ every P > 0 costs +∞
        assertThat(r.grad("target").f64()).containsExactly(1, INF, INF);
    }

    @Test
    void klDivAtLogQMinus1e4() {
        // P = (0, 1), log Q = (−∞, −1e4): 0 + 1·(0 + 1e4) = 1e4 (batchmean, N = 1)
        LossResult r = run(loss("kl_div"), v(NEG_INF, -1e4), v(0, 1), 1, 2);
        assertThat(r.value()).isEqualTo(1e4);
        assertThat(r.grad("input").f64()).containsExactly(-0.0, -1);
        assertThat(r.grad("target").f64()).containsExactly(INF, 1e4 + 1);
        // P = (½, ½), log Q = (−1e4, 0): ½(log ½ + 1e4) + ½(log ½ − 0) = 5000 − log 2
        LossResult h = run(loss("kl_div"), v(-1e4, 0), v(0.5, 0.5), 1, 2);
        assertThat(h.value()).isCloseTo(5000 - LN2, within(1e-9));
    }

    @Test
    void klDivTargetZeroWithFiniteLogQHasInfiniteOneSidedTargetGradient() {
        // term 0; ∂/∂P = log P + 1 − log Q → −∞ as P → 0+; ∂/∂log Q = −P = 0
        LossResult r = run(loss("kl_div", "reduction", "sum"), v(-0.5, -1.2), v(0, 1), 2, 1);
        assertThat(r.value()).isCloseTo(1.2, within(1e-15));
        assertThat(r.grad("target").f64()).containsExactly(NEG_INF, 2.2);
        assertThat(r.grad("input").f64()).containsExactly(-0.0, -1);
    }

    @Test
    void klDivLogTargetMinusInfinityIsAZeroTermWithZeroGradients() {
        // log P = −∞ (P = 0) and log P = −1e4 (P underflows to 0): both terms 0, ∂/∂log P = P(…) = 0
        LossResult r = run(loss("kl_div", "log_target", true, "reduction", "none"), v(NEG_INF, -1.0, -2.0),
                v(NEG_INF, -1e4, 0), 3, 1);
        // third: P = 1, log Q = −2: 1·(0 + 2) = 2; ∂/∂log P = 1·(0 + 2 + 1) = 3
        assertThat(r.terms().f64()).containsExactly(0, 0, 2);
        assertThat(r.grad("target").f64()).containsExactly(0, 0, 3);
        assertThat(r.grad("input").f64()).containsExactly(-0.0, -0.0, -1);
    }

    @Test
    void klDivInfiniteTermsWhereQIsZeroButPIsNot() {
        // P > 0 with log Q = −∞: +∞ (PyTorch agrees); only that term
        LossResult r = run(loss("kl_div", "reduction", "none"), v(NEG_INF, -1), v(0.5, 0.5), 1, 2);
        assertThat(r.terms().f64()[0]).isEqualTo(INF);
        assertThat(r.terms().f64()[1]).isCloseTo(0.5 * (Math.log(0.5) + 1), within(1e-15));
        assertThat(r.grad("input").f64()).containsExactly(-0.5, -0.5);
    }

    @Test
    void klDivNaNPropagatesEvenWhereTheTargetIsZero() {
        LossResult r = run(loss("kl_div", "reduction", "none"), v(NAN, NAN, -1), v(0, 0.5, 0.5), 1, 3);
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isNaN();
        assertThat(r.terms().f64()[2]).isCloseTo(0.5 * (Math.log(0.5) + 1), within(1e-15));
        assertThat(loss("kl_div").value(DivergenceData.pair(v(-1, -1), v(NAN, 0.5), 1, 2)).value()).isNaN();
        assertThat(loss("kl_div", "log_target", true).value(DivergenceData.pair(v(-1, -1), v(NAN, -1), 1, 2)).value())
                .isNaN();
    }

    // ---- reverse_kl_div ----

    @Test
    void reverseKlZeroQTermsAndInfiniteWhereOnlyPIsZero() {
        // Q = (1, 0), P = (1, 0): 1·(0 − 0) + 0 = 0; ∂/∂log Q = Q(log Q − log P + 1) = (1, 0)
        LossResult r = run(loss("reverse_kl_div"), v(0, NEG_INF), v(1, 0), 1, 2);
        assertThat(r.value()).isEqualTo(0.0);
        assertThat(r.grad("input").f64()).containsExactly(1, 0);
        // Q = (½, ½), P = (1, 0): ½(log ½ − 0) + ½(log ½ + ∞) = +∞, gradient +∞ at the second
        LossResult inf = run(loss("reverse_kl_div", "reduction", "none"), v(Math.log(0.5), Math.log(0.5)), v(1, 0), 1, 2);
        assertThat(inf.terms().f64()[0]).isCloseTo(0.5 * Math.log(0.5), within(1e-15));
        assertThat(inf.terms().f64()[1]).isEqualTo(INF);
        assertThat(inf.grad("input").f64()[1]).isEqualTo(INF);
        // log_target: log P = −∞ with Q = 0 is still a 0 term
        LossResult lt = run(loss("reverse_kl_div", "log_target", true), v(NEG_INF, 0), v(NEG_INF, 0), 1, 2);
        assertThat(lt.value()).isEqualTo(0.0);
        assertThat(lt.grad("input").f64()).containsExactly(0, 1);
    }

    @Test
    void reverseKlAtVeryNegativeLogQ() {
        // log Q = −1e4: Q = e^−1e4 underflows; the term Q·(−1e4 − log P) and its gradient are 0 in double
        LossResult r = run(loss("reverse_kl_div", "reduction", "sum"), v(-1e4), v(1), 1, 1);
        assertThat(r.value()).isEqualTo(0.0);
        assertThat(r.grad("input").f64()).containsExactly(0.0);
        // log Q = −700, P = 1e-300: Q·(−700 − log 1e-300), a tiny but exactly representable closed form
        double q = Math.exp(-700);
        double d = -700 - Math.log(1e-300);
        LossResult t = run(loss("reverse_kl_div", "reduction", "sum"), v(-700), v(1e-300), 1, 1);
        assertThat(t.value()).isCloseTo(q * d, within(1e-12 * Math.abs(q * d)));
        assertThat(t.grad("input").f64()[0]).isCloseTo(q * (d + 1), within(1e-12 * Math.abs(q * d)));
    }

    @Test
    void reverseKlNaNPropagates() {
        LossResult r = run(loss("reverse_kl_div", "reduction", "none"), v(NAN, NEG_INF, -1), v(0.5, NAN, 0.5), 1, 3);
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isNaN(); // Q = 0 but the target is NaN
        assertThat(r.terms().f64()[2]).isCloseTo(Math.exp(-1) * (-1 - Math.log(0.5)), within(1e-15));
    }

    // ---- js_div ----

    @Test
    void jsDivOfDisjointDistributionsIsLog2() {
        // P = (1, 0), Q = (0, 1): ½·1·log(1/½) + ½·1·log(1/½) = log 2
        LossResult r = run(loss("js_div"), v(NEG_INF, 0), v(1, 0), 1, 2);
        assertThat(r.value()).isCloseTo(LN2, within(1e-15));
        // ∂/∂log Q = ½Q·log(Q/M) = (0, ½log 2); ∂/∂P = ½log(P/M) = (½log 2, −∞ since P = 0 < Q)
        assertThat(r.grad("input").f64()).containsExactly(v(0, 0.5 * LN2), within(1e-15));
        assertThat(r.grad("target").f64()[0]).isCloseTo(0.5 * LN2, within(1e-15));
        assertThat(r.grad("target").f64()[1]).isEqualTo(NEG_INF);
    }

    @Test
    void jsDivBothZeroIsAZeroTermWithTheOneSidedTargetGradient() {
        // P = Q = 0 at the first entry: term 0; along P with Q = 0, M = P/2, so ∂/∂P = ½log 2
        LossResult r = run(loss("js_div", "reduction", "sum"), v(NEG_INF, 0), v(0, 1), 1, 2);
        assertThat(r.value()).isEqualTo(0.0);
        assertThat(r.grad("target").f64()).containsExactly(v(0.5 * LN2, 0), within(1e-15));
        assertThat(r.grad("input").f64()).containsExactly(v(0, 0), within(1e-15));
    }

    @Test
    void jsDivAtVeryNegativeLogQ() {
        // log Q = −1e4 (Q = 0 in double), P = 0.3: ½·0.3·log(0.3/0.15) = 0.15·log 2; P = 0 there: 0
        LossResult r = run(loss("js_div", "reduction", "none"), v(-1e4, -1e4), v(0.3, 0), 1, 2);
        assertThat(r.terms().f64()[0]).isCloseTo(0.15 * LN2, within(1e-15));
        assertThat(r.terms().f64()[1]).isEqualTo(0.0);
        assertThat(r.grad("input").f64()).containsExactly(0, 0);
        // P = 0 with Q = e^−1e4 > 0 mathematically: the one-sided ∂/∂P is −∞
        assertThat(r.grad("target").f64()[1]).isEqualTo(NEG_INF);
    }

    @Test
    void jsDivNaNPropagates() {
        LossResult r = run(loss("js_div", "reduction", "none"), v(NAN, NEG_INF, -1), v(0, NAN, 0.5), 1, 3);
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isNaN();
        assertThat(r.terms().f64()[2]).isFinite();
    }

    // ---- perplexity ----

    private static LossResult ppl(Loss l, double[] x, long[] y, int n, int c) {
        return l.compute(Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)));
    }

    @Test
    void perplexityOfAPerfectPredictionIsOne() {
        // log p = 0 at each label, −∞ elsewhere: exp(0) = 1; gradient −1/K at the labels
        LossResult r = ppl(loss("perplexity"), v(0, NEG_INF, NEG_INF, 0), new long[] {0, 1}, 2, 2);
        assertThat(r.value()).isEqualTo(1.0);
        assertThat(r.grad("input").f64()).containsExactly(-0.5, 0, 0, -0.5);
    }

    @Test
    void perplexityOverflowAndInfinity() {
        // one target with log p = −700: exp(700), gradient −exp(700)
        LossResult big = ppl(loss("perplexity"), v(-700, 0), new long[] {0}, 1, 2);
        assertThat(big.value()).isCloseTo(Math.exp(700), within(1e-12 * Math.exp(700)));
        assertThat(big.grad("input").f64()[0]).isCloseTo(-Math.exp(700), within(1e-12 * Math.exp(700)));
        // log p = −1e4 at both labels: exp(1e4) overflows to +∞
        assertThat(ppl(loss("perplexity"), v(-1e4, 0, 0, -1e4), new long[] {0, 1}, 2, 2).value()).isEqualTo(INF);
        // a label with probability 0
        LossResult inf = ppl(loss("perplexity"), v(NEG_INF, 0, -1, -1), new long[] {0, 0}, 2, 2);
        assertThat(inf.value()).isEqualTo(INF);
        assertThat(inf.grad("input").f64()[0]).isEqualTo(NEG_INF);
    }

    @Test
    void perplexityAllIgnoredIsNaNWithZeroGradient() {
        LossResult r = ppl(loss("perplexity"), v(-1, -2, -3, -4), new long[] {-100, -100}, 2, 2);
        assertThat(r.value()).isNaN();
        assertThat(r.grad("input").f64()).containsOnly(0.0);
    }

    @Test
    void perplexityNaNPropagatesOnlyFromKeptLabels() {
        assertThat(ppl(loss("perplexity"), v(NAN, -1, -1, -1), new long[] {0, 1}, 2, 2).value()).isNaN();
        // NaN in a non-label entry is never read: exp(mean(1, 1)) = e
        assertThat(ppl(loss("perplexity"), v(NAN, -1, -1, NAN), new long[] {1, 0}, 2, 2).value())
                .isCloseTo(Math.E, within(1e-15));
    }

    // ---- gaussian_kl ----

    private static LossResult gkl(Loss l, double[] mu, double[] lv, int n, int d) {
        return l.compute(Inputs.of("mu", Tensor.of(mu, n, d)).with("logvar", Tensor.of(lv, n, d)));
    }

    @Test
    void gaussianKlExtremeLogVariances() {
        Loss sum = loss("gaussian_kl", "reduction", "none");
        // μ = 0: ½(e^lv − 1 − lv); lv = −1e4: ½(0 − 1 + 1e4) = 4999.5, ∂/∂lv = ½(e^lv − 1) = −½
        LossResult a = gkl(sum, v(0), v(-1e4), 1, 1);
        assertThat(a.terms().f64()).containsExactly(4999.5);
        assertThat(a.grad("logvar").f64()).containsExactly(-0.5);
        // lv = 700: ½(e^700 − 701), finite
        LossResult b = gkl(sum, v(0), v(700), 1, 1);
        assertThat(b.terms().f64()[0]).isCloseTo(0.5 * (Math.exp(700) - 701), within(1e-12 * Math.exp(700)));
        // lv = ±∞ and lv = 1000 (e^lv overflows): +∞, never ∞ − ∞ = NaN
        LossResult c = gkl(sum, v(0, 0, 0), v(INF, NEG_INF, 1000), 3, 1);
        assertThat(c.terms().f64()).containsExactly(INF, INF, INF);
        assertThat(c.grad("logvar").f64()).containsExactly(INF, -0.5, INF);
        // tiny lv: ½(e^lv − 1 − lv) = lv²/4 + lv³/12 + O(lv⁴) (naive 1 + lv − e^lv loses every digit)
        double lv = 1e-9;
        LossResult d = gkl(sum, v(0), v(lv), 1, 1);
        assertThat(d.terms().f64()[0]).isCloseTo(lv * lv / 4 + lv * lv * lv / 12, within(1e-15 * lv * lv));
    }

    @Test
    void gaussianKlIsAccurateNearThePrior() {
        // ½(e^v − 1 − v) against a 60-digit BigDecimal Taylor sum, on both sides of the |v| = 0.5 switch
        Loss none = loss("gaussian_kl", "reduction", "none");
        for (double lv : new double[] {1e-12, -3e-7, 1e-4, 0.05, -0.1, 0.3, -0.4999999, 0.4999999, 0.5, -0.5, 0.5000001,
                -0.7, 1, -2, 5}) {
            java.math.MathContext mc = new java.math.MathContext(60);
            java.math.BigDecimal x = new java.math.BigDecimal(lv);
            java.math.BigDecimal term = x.multiply(x, mc).divide(java.math.BigDecimal.valueOf(2), mc);
            java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
            for (int k = 3; k < 80; k++) {
                sum = sum.add(term, mc);
                term = term.multiply(x, mc).divide(java.math.BigDecimal.valueOf(k), mc);
            }
            double expect = 0.5 * sum.doubleValue();
            double got = gkl(none, v(0), v(lv), 1, 1).terms().f64()[0];
            assertThat(got).as("logvar = " + lv).isCloseTo(expect, within(6e-16 * expect)); // a few ulps
        }
    }

    @Test
    void gaussianKlNaNPropagatesToItsRowOnly() {
        LossResult r = gkl(loss("gaussian_kl", "reduction", "none"), v(NAN, 0, 0, 0), v(0, 0, 0, NAN), 2, 2);
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isNaN();
        LossResult s = gkl(loss("gaussian_kl", "reduction", "none"), v(NAN, 0, 0, 0), v(0, 0, 0, 0), 2, 2);
        assertThat(s.terms().f64()[1]).isEqualTo(0.0);
    }
}
