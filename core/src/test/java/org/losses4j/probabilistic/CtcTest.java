package org.losses4j.probabilistic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

class CtcTest {
    /** One CTC problem: log_probs [T, N, C], padded targets [N, S], lengths. */
    static final class Problem {
        final int t;
        final int n;
        final int c;
        final int s;
        double[] lp;
        long[] targets;
        long[] inLen;
        long[] tgLen;

        Problem(int t, int n, int c, int s, double[] lp, long[] targets, long[] inLen, long[] tgLen) {
            this.t = t;
            this.n = n;
            this.c = c;
            this.s = s;
            this.lp = lp;
            this.targets = targets;
            this.inLen = inLen;
            this.tgLen = tgLen;
        }

        Inputs inputs() {
            return Inputs.of("log_probs", Tensor.of(lp, t, n, c))
                    .with("targets", Tensor.ofLabels(targets, n, s))
                    .with("input_lengths", Tensor.labels(inLen))
                    .with("target_lengths", Tensor.labels(tgLen));
        }

        Inputs inputs32() {
            float[] f = new float[lp.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) lp[i];
            }
            return Inputs.of("log_probs", Tensor.of(f, t, n, c))
                    .with("targets", Tensor.ofLabels(targets, n, s))
                    .with("input_lengths", Tensor.labels(inLen))
                    .with("target_lengths", Tensor.labels(tgLen));
        }

        /** The float32-rounded log_probs, widened back (the exact input of the float32 call). */
        double[] lpRounded() {
            double[] d = new double[lp.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) lp[i];
            }
            return d;
        }

        double[] reference(int blank, double[] grad) {
            return CtcReference.losses(lp, t, n, c, targets, s, inLen, tgLen, blank, grad);
        }
    }

    static Loss ctc(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create("ctc", m);
    }

    /**
     * A batch with variable input and target lengths, a repeated label, a label run such as
     * "a a a", an empty target, and (optionally) one impossible sample (T_n = 2, two equal labels).
     */
    static Problem mixedBatch(Random r, int blank, boolean withImpossible) {
        int t = 9;
        int c = 5;
        int s = 4;
        int n = withImpossible ? 5 : 4;
        long[] tg = CtcReference.labels(r, n, s, c, blank);
        int a = blank == 1 ? 2 : 1;
        int b2 = blank == 3 ? 4 : 3;
        long[] rows = {a, a, b2, a, /**/ b2, a, a, a, /**/ a, b2, 0, 0, /**/ 0, 0, 0, 0, /**/ b2, b2, 0, 0};
        System.arraycopy(rows, 0, tg, 0, n * s);
        for (int i = 0; i < tg.length; i++) {
            if (tg[i] == blank) { // padding only, never inside a target length here
                tg[i] = a;
            }
        }
        long[] il = withImpossible ? new long[] {9, 8, 5, 6, 2} : new long[] {9, 8, 5, 6};
        long[] tl = withImpossible ? new long[] {4, 4, 2, 0, 2} : new long[] {4, 4, 2, 0};
        return new Problem(t, n, c, s, CtcReference.logSoftmax(r, t, n, c, 1.5), tg, il, tl);
    }

    static Object[][] optionGrid() {
        java.util.List<Object[]> out = new java.util.ArrayList<>();
        for (int blank : new int[] {0, 1, 4}) {
            for (boolean zi : new boolean[] {false, true}) {
                for (String red : new String[] {"mean", "sum", "none"}) {
                    out.add(new Object[] {blank, zi, red});
                }
            }
        }
        return out.toArray(new Object[0][]);
    }

    @ParameterizedTest(name = "blank={0} zero_infinity={1} reduction={2}")
    @MethodSource("optionGrid")
    void gradientMatchesFiniteDifferences(int blank, boolean zeroInfinity, String reduction) {
        Problem p = mixedBatch(new Random(11 + blank), blank, zeroInfinity);
        Loss loss = ctc("blank", blank, "zero_infinity", zeroInfinity, "reduction", reduction);
        GradCheck.gradients(loss, p.inputs());
    }

    @ParameterizedTest(name = "blank={0} zero_infinity={1} reduction={2}")
    @MethodSource("optionGrid")
    void valueAndGradientMatchTheLogSpaceReference(int blank, boolean zeroInfinity, String reduction) {
        Problem p = mixedBatch(new Random(5 + blank), blank, zeroInfinity);
        double[] g = new double[p.lp.length];
        double[] per = p.reference(blank, g);
        // the reference's per-sample gradient, scaled as the reduction says
        double[] scale = new double[p.n];
        double expected = 0;
        for (int i = 0; i < p.n; i++) {
            boolean inf = per[i] == Double.POSITIVE_INFINITY;
            double term = inf && zeroInfinity ? 0 : per[i];
            scale[i] = inf ? 0 : reduction.equals("mean") ? 1.0 / (p.n * Math.max(p.tgLen[i], 1)) : 1.0;
            expected += reduction.equals("mean") ? term / (p.n * Math.max(p.tgLen[i], 1)) : term;
        }
        LossResult r = ctc("blank", blank, "zero_infinity", zeroInfinity, "reduction", reduction).compute(p.inputs());
        assertEquals(expected, r.value(), 1e-12 * Math.abs(expected));
        if (reduction.equals("none")) {
            double[] terms = r.terms().f64();
            assertThat(r.terms().shape()).containsExactly(p.n);
            for (int i = 0; i < p.n; i++) {
                double want = per[i] == Double.POSITIVE_INFINITY && zeroInfinity ? 0 : per[i];
                assertEquals(want, terms[i], 1e-12 * Math.abs(want));
            }
        }
        double[] got = r.grad("log_probs").f64();
        for (int t = 0; t < p.t; t++) {
            for (int i = 0; i < p.n; i++) {
                for (int k = 0; k < p.c; k++) {
                    int at = (t * p.n + i) * p.c + k;
                    // an impossible sample occurs here only with zero_infinity: gradient 0
                    double want = per[i] == Double.POSITIVE_INFINITY ? 0 : scale[i] * g[at];
                    assertEquals(want, got[at], 1e-12, "grad[" + t + ", " + i + ", " + k + "]");
                }
            }
        }
    }

    @Test
    void valueOnlyCallAgreesWithCompute() {
        Problem p = mixedBatch(new Random(3), 0, true);
        Loss loss = ctc("zero_infinity", true, "reduction", "none");
        assertThat(loss.value(p.inputs()).terms().f64()).containsExactly(loss.compute(p.inputs()).terms().f64());
    }

    /** Uniform frames: p(l | x) = (number of alignments)·C^-T, the count from a closed recursion. */
    @Test
    void uniformFramesGiveMinusLogOfTheAlignmentCount() {
        int t = 7;
        int c = 4;
        long[] tg = {1, 1, 2};
        double[] lp = new double[t * c];
        Arrays.fill(lp, -Math.log(c));
        Problem p = new Problem(t, 1, c, 3, lp, tg, new long[] {t}, new long[] {3});
        // alignments of "1 1 2" in 7 frames: choose run lengths of blanks (b0, b1 ≥ 1, b2, b3 ≥ 0)
        // and labels (≥ 1 each) summing to 7: compositions counted directly
        long count = 0;
        for (int b0 = 0; b0 <= t; b0++) {
            for (int l1 = 1; l1 <= t; l1++) {
                for (int b1 = 1; b1 <= t; b1++) {
                    for (int l2 = 1; l2 <= t; l2++) {
                        for (int b2 = 0; b2 <= t; b2++) {
                            for (int l3 = 1; l3 <= t; l3++) {
                                int b3 = t - (b0 + l1 + b1 + l2 + b2 + l3);
                                if (b3 >= 0) {
                                    count++;
                                }
                            }
                        }
                    }
                }
            }
        }
        double want = t * Math.log(c) - Math.log(count);
        assertEquals(want, ctc("reduction", "sum").value(p.inputs()).value(), 1e-13 * want);
    }

    @Test
    void emptyTargetIsTheAllBlankPath() {
        Random r = new Random(8);
        int t = 6;
        int c = 3;
        double[] lp = CtcReference.logSoftmax(r, t, 2, c, 2);
        Problem p = new Problem(t, 2, c, 2, lp, new long[] {1, 2, 1, 1}, new long[] {6, 4}, new long[] {0, 0});
        LossResult res = ctc("blank", 2, "reduction", "none").compute(p.inputs());
        double[] g = res.grad("log_probs").f64();
        for (int i = 0; i < 2; i++) {
            double want = 0;
            for (int f = 0; f < p.inLen[i]; f++) {
                want -= lp[(f * 2 + i) * c + 2];
            }
            assertEquals(want, res.terms().f64()[i], 1e-14 * Math.abs(want));
            for (int f = 0; f < t; f++) {
                for (int k = 0; k < c; k++) {
                    double gw = f < p.inLen[i] && k == 2 ? -1 : 0;
                    assertEquals(gw, g[(f * 2 + i) * c + k], 1e-14);
                }
            }
        }
    }

    @Test
    void exactlyAsManyFramesAsLabelsLeavesOneAlignment() {
        Random r = new Random(9);
        int t = 5;
        int c = 6;
        long[] tg = {3, 1, 4, 1, 5};
        double[] lp = CtcReference.logSoftmax(r, t, 1, c, 1);
        Problem p = new Problem(t, 1, c, 5, lp, tg, new long[] {5}, new long[] {5});
        LossResult res = ctc("reduction", "sum").compute(p.inputs());
        double want = 0;
        for (int f = 0; f < t; f++) {
            want -= lp[f * c + (int) tg[f]];
        }
        assertEquals(want, res.value(), 1e-14 * want);
        double[] g = res.grad("log_probs").f64();
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < c; k++) {
                assertEquals(k == tg[f] ? -1 : 0, g[f * c + k], 1e-14);
            }
        }
    }

    @Test
    void impossibleAlignments() {
        Random r = new Random(4);
        int t = 4;
        int c = 3;
        // sample 0: "1 1" needs 3 frames, has 2; sample 1: 4 labels in 3 frames; sample 2: feasible
        long[] tg = {1, 1, 0, 0, 1, 2, 1, 2, 2, 1, 0, 0};
        long[] il = {2, 3, 4};
        long[] tl = {2, 4, 2};
        Problem p = new Problem(t, 3, c, 4, CtcReference.logSoftmax(r, t, 3, c, 1), tg, il, tl);
        LossResult plain = ctc("reduction", "none").compute(p.inputs());
        assertThat(plain.terms().f64()[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(plain.terms().f64()[1]).isEqualTo(Double.POSITIVE_INFINITY);
        double feasible = plain.terms().f64()[2];
        assertThat(feasible).isFinite();
        assertThat(ctc().value(p.inputs()).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ctc("reduction", "sum").value(p.inputs()).value()).isEqualTo(Double.POSITIVE_INFINITY);
        // without zero_infinity the derivative of an infinite loss is undefined: NaN on the frames
        // and classes it depends on (blank and its labels), 0 elsewhere
        double[] g = plain.grad("log_probs").f64();
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < c; k++) {
                double v0 = g[(f * 3) * c + k];
                if (f < 2 && (k == 0 || k == 1)) {
                    assertThat(v0).isNaN();
                } else {
                    assertThat(v0).isEqualTo(0.0);
                }
            }
        }
        // with zero_infinity: 0 and gradient 0 for the impossible ones; the feasible one unchanged
        LossResult zi = ctc("reduction", "none", "zero_infinity", true).compute(p.inputs());
        assertThat(zi.terms().f64()).containsExactly(0.0, 0.0, feasible);
        double[] gz = zi.grad("log_probs").f64();
        double[] ref = new double[p.lp.length];
        p.reference(0, ref);
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < c; k++) {
                assertThat(gz[(f * 3) * c + k]).isEqualTo(0.0);
                assertThat(gz[(f * 3 + 1) * c + k]).isEqualTo(0.0);
                assertEquals(ref[(f * 3 + 2) * c + k], gz[(f * 3 + 2) * c + k], 1e-13);
            }
        }
        double mean = ctc("zero_infinity", true).value(p.inputs()).value();
        assertEquals(feasible / 2 / 3, mean, 1e-15);
    }

    /**
     * Ten thousand frames: the value must be finite and agree with the plain log-space
     * reference; the posteriors of every valid frame sum to 1 (Σ_c −grad = 1 with reduction
     * none). The reference itself rounds its log values of up to ~4e5 at each of the 10^4
     * steps (its own posterior sums are off by up to ~2e-9 at logit scale 40), hence 1e-8
     * against it; the posterior sums, exact mathematics, are held to 1e-11.
     */
    @ParameterizedTest(name = "logit scale {0}")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {1.0, 40.0})
    void tenThousandFrames(double scale) {
        Random r = new Random(2024);
        int t = 10_000;
        int n = 2;
        int c = 6;
        int s = 40;
        long[] tg = CtcReference.labels(r, n, s, c, 0);
        tg[5] = tg[4]; // a repeat
        Problem p = new Problem(t, n, c, s, CtcReference.logSoftmax(r, t, n, c, scale), tg,
                new long[] {10_000, 3_001}, new long[] {40, 25});
        double[] refGrad = new double[p.lp.length];
        double[] ref = p.reference(0, refGrad);
        LossResult res = ctc("reduction", "none").compute(p.inputs());
        double[] terms = res.terms().f64();
        double[] g = res.grad("log_probs").f64();
        for (int i = 0; i < n; i++) {
            assertThat(terms[i]).isFinite();
            assertEquals(ref[i], terms[i], 1e-10 * ref[i]);
        }
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < n; i++) {
                double post = 0;
                for (int k = 0; k < c; k++) {
                    int at = (f * n + i) * c + k;
                    post -= g[at];
                    assertEquals(refGrad[at], g[at], 1e-8, "grad[" + f + ", " + i + ", " + k + "]");
                }
                assertEquals(f < p.inLen[i] ? 1.0 : 0.0, post, 1e-11, "posterior sum at frame " + f);
            }
        }
    }

    /** Logits ±1e4: one alignment has probability 1 − O(e^-20000); every other state is far below. */
    @Test
    void saturatedLogits() {
        int t = 6;
        int c = 4;
        int[] path = {0, 1, 1, 0, 2, 2}; // collapses to "1 2"
        double[] lp = new double[t * c];
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < c; k++) {
                // log_softmax of logits +1e4 (path) and −1e4 (others), computed stably
                lp[f * c + k] = k == path[f] ? -Math.log1p((c - 1) * Math.exp(-2e4)) : -2e4 - Math.log1p((c - 1)
                        * Math.exp(-2e4));
            }
        }
        Problem p = new Problem(t, 1, c, 2, lp, new long[] {1, 2}, new long[] {t}, new long[] {2});
        LossResult res = ctc("reduction", "sum").compute(p.inputs());
        assertEquals(0.0, res.value(), 0.0);
        double[] g = res.grad("log_probs").f64();
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < c; k++) {
                assertEquals(k == path[f] ? -1.0 : 0.0, g[f * c + k], 1e-15);
            }
        }
        // a target the saturated path does not spell: every alignment pays at least 2e4 per
        // deviating frame; the value must be finite and equal to the log-space reference
        Problem q = new Problem(t, 1, c, 2, lp, new long[] {2, 1}, new long[] {t}, new long[] {2});
        double[] refGrad = new double[lp.length];
        double want = q.reference(0, refGrad)[0];
        LossResult rq = ctc("reduction", "sum").compute(q.inputs());
        assertThat(want).isGreaterThan(2e4);
        assertEquals(want, rq.value(), 1e-13 * want);
        double[] gq = rq.grad("log_probs").f64();
        for (int i = 0; i < lp.length; i++) {
            assertEquals(refGrad[i], gq[i], 1e-12, "grad " + i);
        }
    }

    /**
     * Log-probabilities far below anything a softmax produces are still exact: with as many
     * frames as labels the one alignment costs −Σ_t log_probs[t, l_t], here 1e8 + 7e5 + …; and
     * the documented floor: more than 3.7e8 below its frame's largest counts as −∞.
     */
    @Test
    void hugeNegativeLogProbabilities() {
        int t = 4;
        int c = 5;
        long[] tg = {1, 2, 3, 4};
        double[] lp = new double[t * c];
        Arrays.fill(lp, -0.5);
        lp[0 * c + 1] = -1e8;
        lp[2 * c + 3] = -7e5;
        lp[3 * c + 4] = -1234.5;
        Problem p = new Problem(t, 1, c, 4, lp, tg, new long[] {t}, new long[] {4});
        LossResult res = ctc("reduction", "sum").compute(p.inputs());
        double want = 1e8 + 0.5 + 7e5 + 1234.5;
        assertEquals(want, res.value(), 1e-15 * want);
        double[] g = res.grad("log_probs").f64();
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < c; k++) {
                assertEquals(k == tg[f] ? -1 : 0, g[f * c + k], 1e-15);
            }
        }
        lp[1 * c + 2] = -4e8;
        assertThat(ctc("reduction", "sum").value(p.inputs()).value()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    /** Log-probabilities of exactly −∞ (probability 0) are valid: those paths simply drop out. */
    @Test
    void zeroProbabilitiesDropPathsOut() {
        Random r = new Random(21);
        int t = 8;
        int c = 4;
        double[] lp = CtcReference.logSoftmax(r, t, 2, c, 1);
        // class 3 impossible at frames 2..4 of sample 0, blank impossible at frame 0 of sample 1
        for (int f = 2; f <= 4; f++) {
            lp[(f * 2) * c + 3] = Double.NEGATIVE_INFINITY;
        }
        lp[(0 * 2 + 1) * c] = Double.NEGATIVE_INFINITY;
        Problem p = new Problem(t, 2, c, 3, lp, new long[] {3, 3, 1, 2, 1, 2}, new long[] {8, 7},
                new long[] {3, 3});
        double[] refGrad = new double[lp.length];
        double[] ref = p.reference(0, refGrad);
        LossResult res = ctc("reduction", "none").compute(p.inputs());
        for (int i = 0; i < 2; i++) {
            assertThat(res.terms().f64()[i]).isFinite();
            assertEquals(ref[i], res.terms().f64()[i], 1e-13 * ref[i]);
        }
        double[] g = res.grad("log_probs").f64();
        for (int i = 0; i < lp.length; i++) {
            assertThat(g[i]).isFinite();
            assertEquals(refGrad[i], g[i], 1e-13);
        }
        // every frame forbidding the only labels of a target makes it impossible
        double[] lp2 = lp.clone();
        for (int f = 0; f < t; f++) {
            lp2[(f * 2) * c + 3] = Double.NEGATIVE_INFINITY;
        }
        p.lp = lp2;
        assertThat(ctc("reduction", "none").value(p.inputs()).terms().f64()[0])
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ctc("reduction", "none", "zero_infinity", true).compute(p.inputs()).terms().f64()[0])
                .isEqualTo(0.0);
    }

    @Test
    void nanPropagatesOnlyFromWhatTheLossReads() {
        Random r = new Random(6);
        int t = 5;
        int c = 5;
        double[] lp = CtcReference.logSoftmax(r, t, 2, c, 1);
        Problem p = new Problem(t, 2, c, 2, lp, new long[] {1, 2, 2, 1}, new long[] {5, 3}, new long[] {2, 2});
        double[] clean = ctc("reduction", "none").value(p.inputs()).terms().f64().clone();
        // NaN in a class the target uses, at a valid frame: NaN out
        double[] lpNan = lp.clone();
        lpNan[(2 * 2) * c + 2] = Double.NaN;
        p.lp = lpNan;
        LossResult res = ctc("reduction", "none").compute(p.inputs());
        assertThat(res.terms().f64()[0]).isNaN();
        assertEquals(clean[1], res.terms().f64()[1], 0);
        assertThat(res.grad("log_probs").f64()[(2 * 2) * c + 2]).isNaN();
        assertThat(ctc().value(p.inputs()).value()).isNaN();
        // NaN in a class no target uses, or in a frame past the input length: no effect
        double[] lpOther = lp.clone();
        lpOther[(1 * 2) * c + 4] = Double.NaN;
        lpOther[(4 * 2 + 1) * c + 1] = Double.NaN;
        p.lp = lpOther;
        assertThat(ctc("reduction", "none").value(p.inputs()).terms().f64()).containsExactly(clean);
    }

    @Test
    void float32IsReadNativelyAndAgreesWithFloat64() {
        Problem p = mixedBatch(new Random(17), 0, false);
        for (String red : new String[] {"mean", "sum", "none"}) {
            Loss loss = ctc("reduction", red);
            LossResult r32 = loss.compute(p.inputs32());
            Problem wide = new Problem(p.t, p.n, p.c, p.s, p.lpRounded(), p.targets, p.inLen, p.tgLen);
            LossResult r64 = loss.compute(wide.inputs());
            assertEquals(r64.value(), r32.value(), 1e-12 * Math.abs(r64.value()));
            assertThat(r32.grad("log_probs").dtype().label()).isEqualTo("float32");
            float[] g32 = r32.grad("log_probs").f32();
            double[] g64 = r64.grad("log_probs").f64();
            for (int i = 0; i < g64.length; i++) {
                assertEquals((float) g64[i], g32[i], 0f);
            }
            if (red.equals("none")) {
                assertThat(r32.terms().dtype().label()).isEqualTo("float32");
                for (int i = 0; i < p.n; i++) {
                    assertEquals((float) r64.terms().f64()[i], r32.terms().f32()[i], 0f);
                }
            }
        }
    }

    @Test
    void gradientGoesIntoTheCallersBuffer() {
        Problem p = mixedBatch(new Random(19), 0, false);
        Loss loss = ctc();
        Tensor buf32 = Tensor.of(new float[p.lp.length], p.t, p.n, p.c);
        Arrays.fill(buf32.f32(), 7f); // overwritten, not accumulated
        LossResult r32 = loss.compute(p.inputs32().gradInto("log_probs", buf32));
        assertSame(buf32, r32.grad("log_probs"));
        Tensor buf64 = Tensor.of(new double[p.lp.length], p.t, p.n, p.c);
        Arrays.fill(buf64.f64(), 7.0);
        LossResult r64 = loss.compute(p.inputs().gradInto("log_probs", buf64));
        assertSame(buf64, r64.grad("log_probs"));
        double[] fresh = loss.compute(p.inputs()).grad("log_probs").f64();
        assertThat(buf64.f64()).containsExactly(fresh);
        for (int i = 0; i < fresh.length; i++) {
            assertEquals(fresh[i], buf32.f32()[i], 1e-6);
        }
        Tensor wrong = Tensor.of(new float[p.lp.length], p.t, p.n * p.c);
        assertThatThrownBy(() -> loss.compute(p.inputs32().gradInto("log_probs", wrong)))
                .isInstanceOf(LossException.class).hasMessageContaining("gradient buffer for log_probs");
    }

    /** Each refusal: its kind and the words its message must contain. */
    static Object[][] refusals() {
        return new Object[][] {
            {"target label equal to the blank", (Consumer<Problem>) q -> q.targets[1] = 0, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "targets[0, 1] = 0 is the blank"},
            {"target label equal to a non-zero blank", (Consumer<Problem>) q -> q.targets[0] = 3,
                Map.of("blank", 3), ErrorKind.LABEL_OUT_OF_RANGE, "targets[0, 0] = 3 is the blank (blank = 3)"},
            {"target label = C", (Consumer<Problem>) q -> q.targets[4] = 5, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "targets[1, 0] = 5 is outside [0, 5) classes"},
            {"negative target label", (Consumer<Problem>) q -> q.targets[2] = -1, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "targets[0, 2] = -1 is outside [0, 5)"},
            {"input length > T", (Consumer<Problem>) q -> q.inLen[1] = 10, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "input_lengths[1] = 10 is outside [1, 9]"},
            {"input length 0", (Consumer<Problem>) q -> q.inLen[2] = 0, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "input_lengths[2] = 0 is outside [1, 9]"},
            {"negative input length", (Consumer<Problem>) q -> q.inLen[0] = -3, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "input_lengths[0] = -3"},
            {"target length > S", (Consumer<Problem>) q -> q.tgLen[3] = 5, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "target_lengths[3] = 5 is outside [0, 4]"},
            {"negative target length", (Consumer<Problem>) q -> q.tgLen[2] = -1, Map.of(),
                ErrorKind.LABEL_OUT_OF_RANGE, "target_lengths[2] = -1 is outside [0, 4]"},
            {"blank = C", (Consumer<Problem>) q -> { }, Map.of("blank", 5), ErrorKind.INVALID_OPTION,
                "blank = 5 is outside [0, 5)"},
            {"negative blank", (Consumer<Problem>) q -> { }, Map.of("blank", -1), ErrorKind.INVALID_OPTION,
                "blank"},
            {"fractional blank", (Consumer<Problem>) q -> { }, Map.of("blank", 1.5), ErrorKind.INVALID_OPTION,
                "integer"},
            {"unknown reduction", (Consumer<Problem>) q -> { }, Map.of("reduction", "batchmean"),
                ErrorKind.INVALID_OPTION, "reduction"},
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesInvalidArguments(String what, Consumer<Problem> change, Map<String, Object> options, ErrorKind kind,
            String message) {
        Problem p = mixedBatch(new Random(1), 0, false);
        change.accept(p);
        assertThatThrownBy(() -> Losses.create("ctc", options).compute(p.inputs()))
                .isInstanceOfSatisfying(LossException.class, e -> assertEquals(kind, e.kind()))
                .hasMessageContaining(message);
    }

    @Test
    void refusesWrongShapes() {
        Problem p = mixedBatch(new Random(1), 0, false);
        Loss loss = ctc();
        Inputs base = p.inputs();
        assertShape(loss, base.with("log_probs", Tensor.of(p.lp, p.t, p.n * p.c)), "log_probs must have rank 3");
        assertShape(loss, base.with("targets", Tensor.labels(p.targets)), "targets must have rank 2");
        assertShape(loss, base.with("targets", Tensor.ofLabels(Arrays.copyOf(p.targets, 12), 3, 4)),
                "targets shape [3, 4]: dimension 0 is 3 but must be 4");
        assertShape(loss, base.with("input_lengths", Tensor.labels(9, 8, 5)),
                "input_lengths shape [3]: dimension 0 is 3 but must be 4");
        assertShape(loss, base.with("target_lengths", Tensor.ofLabels(p.tgLen, 4, 1)),
                "target_lengths must have rank 1");
        assertShape(loss, base.with("log_probs", Tensor.of(new double[0], 0, p.n, p.c)), "empty");
        assertThatThrownBy(() -> loss.compute(base.with("input_lengths", Tensor.vector(new double[] {9, 8, 5, 6}))))
                .isInstanceOfSatisfying(LossException.class, e -> assertEquals(ErrorKind.INVALID_DTYPE, e.kind()))
                .hasMessageContaining("input_lengths must be int64");
        assertThatThrownBy(() -> loss.compute(Inputs.of("log_probs", Tensor.of(p.lp, p.t, p.n, p.c))))
                .isInstanceOfSatisfying(LossException.class, e -> assertEquals(ErrorKind.MISSING_INPUT, e.kind()))
                .hasMessageContaining("targets");
    }

    /**
     * The empty batch (N = 0), float64 and float32: sum 0 with an empty [T, 0, C] gradient of the
     * input's dtype, none no terms, mean refused (a mean of no terms), like the elementwise losses.
     */
    @Test
    void emptyBatchIsAnEmptySumAndAnUndefinedMean() {
        int t = 5;
        int c = 4;
        Inputs in64 = Inputs.of("log_probs", Tensor.of(new double[0], t, 0, c))
                .with("targets", Tensor.ofLabels(new long[0], 0, 3))
                .with("input_lengths", Tensor.labels())
                .with("target_lengths", Tensor.labels());
        Inputs in32 = in64.with("log_probs", Tensor.of(new float[0], t, 0, c));
        for (Inputs in : java.util.List.of(in64, in32)) {
            String dt = in.get("log_probs").dtype().toString();
            LossResult sum = ctc("reduction", "sum").compute(in);
            assertEquals(0.0, sum.value(), 0.0, dt);
            assertThat(sum.grad("log_probs").shape()).as(dt).containsExactly(t, 0, c);
            assertEquals(in.get("log_probs").dtype(), sum.grad("log_probs").dtype(), dt);
            LossResult none = ctc("reduction", "none", "zero_infinity", true).compute(in);
            assertTrue(none.isUnreduced(), dt);
            assertThat(none.terms().shape()).as(dt).containsExactly(0);
            assertThatThrownBy(() -> ctc().compute(in)).isInstanceOfSatisfying(LossException.class,
                    e -> assertEquals(ErrorKind.EMPTY_INPUT, e.kind())).hasMessageContaining("log_probs [5, 0, 4]");
        }
        // samples but no frames: still refused whatever the reduction
        Inputs noFrames = Inputs.of("log_probs", Tensor.of(new double[0], 0, 2, c))
                .with("targets", Tensor.ofLabels(new long[] {1, 2}, 2, 1))
                .with("input_lengths", Tensor.labels(1, 1))
                .with("target_lengths", Tensor.labels(1, 1));
        assertThatThrownBy(() -> ctc("reduction", "sum").compute(noFrames)).isInstanceOfSatisfying(LossException.class,
                e -> assertEquals(ErrorKind.EMPTY_INPUT, e.kind()));
    }

    private static void assertShape(Loss loss, Inputs in, String message) {
        assertThatThrownBy(() -> loss.compute(in)).isInstanceOfSatisfying(LossException.class,
                e -> assertTrue(e.kind() == ErrorKind.SHAPE_MISMATCH || e.kind() == ErrorKind.EMPTY_INPUT,
                        e.kind().toString())).hasMessageContaining(message);
    }

    @Test
    void registryAndBuilder() {
        assertThat(Ctc.INFO.name()).isEqualTo("ctc");
        assertThat(Losses.info("ctc")).isSameAs(Ctc.INFO);
        Ctc built = Ctc.builder().set(Ctc.BLANK, 2L).set(Ctc.ZERO_INFINITY, true)
                .reduction(org.losses4j.Reduction.SUM).build();
        assertThat(built.options().asText()).containsEntry("blank", "2").containsEntry("zero_infinity", "true")
                .containsEntry("reduction", "sum");
    }
}
