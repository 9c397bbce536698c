package org.losses4j.probabilistic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.probabilistic.CtcTest.Problem;

class CtcPropertiesTest {
    /** A random problem: log_softmax outputs, variable lengths, labels other than the blank. */
    static Problem random(Random r, int t, int n, int c, int s, int blank, double scale) {
        long[] il = new long[n];
        long[] tl = new long[n];
        for (int i = 0; i < n; i++) {
            il[i] = 1 + r.nextInt(t);
            tl[i] = r.nextInt(s + 1);
        }
        long[] tg = c >= 2 ? CtcReference.labels(r, n, s, c, blank) : new long[n * s];
        if (c >= 3 && s >= 2 && r.nextBoolean()) {
            tg[1] = tg[0]; // a repeated label now and then
        }
        // padding past a target length may hold anything, even the blank or out-of-range values
        for (int i = 0; i < n; i++) {
            for (int k = (int) tl[i]; k < s; k++) {
                tg[i * s + k] = r.nextInt(3) == 0 ? blank : r.nextInt(3) == 0 ? -7 : tg[i * s + k];
            }
        }
        return new Problem(t, n, c, s, CtcReference.logSoftmax(r, t, n, c, scale), tg, il, tl);
    }

    static boolean close(double want, double got, double rel) {
        if (Double.isInfinite(want) || Double.isNaN(want)) {
            return Double.compare(want, got) == 0;
        }
        return Math.abs(want - got) <= rel * Math.max(1, Math.abs(want));
    }

    /**
     * The loss is −log of the probability summed over ALL C^T paths that collapse to the
     * target (enumerated), and its gradient is minus the path-weighted class counts.
     */
    @Property(tries = 300)
    void equalsTheSumOverEveryPath(@ForAll @IntRange(min = 1, max = 5) int t, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 0, max = 3) int s, @ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll long seed) {
        Random r = new Random(seed);
        int sz = c == 1 ? 0 : s; // with one class there is only the blank
        int blank = r.nextInt(c);
        Problem p = random(r, t, n, c, sz, blank, r.nextBoolean() ? 0.5 : 3.0);
        double[] gWant = new double[p.lp.length];
        double[] want = CtcReference.bruteForce(p.lp, t, n, c, p.targets, sz, p.inLen, p.tgLen, blank, gWant);
        double[] got = Losses.create("ctc", Map.of("blank", blank, "reduction", "none")).value(p.inputs())
                .terms().f64();
        for (int i = 0; i < n; i++) {
            assertTrue(close(want[i], got[i], 1e-12), "sample " + i + ": brute force " + want[i] + ", ctc " + got[i]);
        }
        // zero_infinity keeps impossible samples (no matching path) out of the gradient, as in gWant
        LossResult res = Losses.create("ctc", Map.of("blank", blank, "reduction", "sum", "zero_infinity", true))
                .compute(p.inputs());
        double[] g = res.grad("log_probs").f64();
        for (int i = 0; i < g.length; i++) {
            assertEquals(gWant[i], g[i], 1e-12, "grad " + i);
        }
    }

    /** mean = (1/N) Σ_n ℓ_n / max(S_n, 1), sum = Σ_n ℓ_n, and the gradients scale alike. */
    @Property(tries = 60)
    void reductionsAgree(@ForAll @IntRange(min = 1, max = 12) int t, @ForAll @IntRange(min = 2, max = 6) int c,
            @ForAll @IntRange(min = 0, max = 4) int s, @ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll long seed) {
        Random r = new Random(seed);
        int blank = r.nextInt(c);
        Problem p = random(r, t, n, c, s, blank, 1.0);
        Map<String, Object> zi = Map.of("blank", blank, "zero_infinity", true);
        LossResult none = Losses.create("ctc", with(zi, "none")).compute(p.inputs());
        LossResult mean = Losses.create("ctc", with(zi, "mean")).compute(p.inputs());
        LossResult sum = Losses.create("ctc", with(zi, "sum")).compute(p.inputs());
        double[] terms = none.terms().f64();
        double m = 0;
        double sm = 0;
        for (int i = 0; i < n; i++) {
            m += terms[i] / Math.max(p.tgLen[i], 1) / n;
            sm += terms[i];
        }
        assertEquals(m, mean.value(), 1e-12 * Math.max(1, m));
        assertEquals(sm, sum.value(), 1e-12 * Math.max(1, sm));
        assertEquals(sm, none.value(), 1e-12 * Math.max(1, sm));
        double[] gn = none.grad("log_probs").f64();
        double[] gm = mean.grad("log_probs").f64();
        double[] gs = sum.grad("log_probs").f64();
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    int at = (f * n + i) * c + k;
                    assertEquals(gn[at], gs[at], 0.0);
                    assertEquals(gn[at] / (n * Math.max(p.tgLen[i], 1)), gm[at], 1e-15);
                }
            }
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String reduction) {
        Map<String, Object> m = new java.util.HashMap<>(base);
        m.put("reduction", reduction);
        return m;
    }

    /**
     * Every alignment takes exactly one class per frame, so adding c_t to a whole frame t < T_n
     * lowers the loss by exactly c_t and leaves the gradient (the posteriors) unchanged; frames
     * past T_n, padding past the target length, and the other samples of the batch change nothing.
     */
    @Property(tries = 60)
    void framesShiftTheLossAndNothingElseLeaks(@ForAll @IntRange(min = 1, max = 20) int t,
            @ForAll @IntRange(min = 2, max = 7) int c, @ForAll @IntRange(min = 0, max = 6) int s,
            @ForAll @IntRange(min = 2, max = 4) int n, @ForAll long seed) {
        Random r = new Random(seed);
        int blank = r.nextInt(c);
        Problem p = random(r, t, n, c, s, blank, 2.0);
        Map<String, Object> opts = Map.of("blank", blank, "reduction", "none", "zero_infinity", true);
        LossResult base = Losses.create("ctc", opts).compute(p.inputs());
        double[] shift = new double[t * n];
        double[] lp2 = p.lp.clone();
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < n; i++) {
                shift[f * n + i] = 10 * r.nextGaussian();
                for (int k = 0; k < c; k++) {
                    lp2[(f * n + i) * c + k] += shift[f * n + i];
                }
            }
        }
        Problem q = new Problem(t, n, c, s, lp2, p.targets.clone(), p.inLen, p.tgLen);
        LossResult shifted = Losses.create("ctc", opts).compute(q.inputs());
        double[] b = base.terms().f64();
        double[] sh = shifted.terms().f64();
        for (int i = 0; i < n; i++) {
            if (b[i] == 0 && sh[i] == 0) {
                continue; // impossible, zeroed
            }
            double d = 0;
            for (int f = 0; f < p.inLen[i]; f++) {
                d += shift[f * n + i];
            }
            assertEquals(b[i] - d, sh[i], 1e-10 * Math.max(1, Math.abs(b[i]) + Math.abs(d)));
        }
        double[] g0 = base.grad("log_probs").f64();
        double[] g1 = shifted.grad("log_probs").f64();
        for (int i = 0; i < g0.length; i++) {
            assertEquals(g0[i], g1[i], 1e-10);
        }
        // each sample alone (N = 1, its own S) gives the same term and gradient slice
        for (int i = 0; i < n; i++) {
            int sn = (int) p.tgLen[i];
            double[] lpi = new double[t * c];
            for (int f = 0; f < t; f++) {
                System.arraycopy(p.lp, (f * n + i) * c, lpi, f * c, c);
                if (f >= p.inLen[i]) {
                    java.util.Arrays.fill(lpi, f * c, f * c + c, Double.NaN); // never read
                }
            }
            long[] ti = java.util.Arrays.copyOfRange(p.targets, i * s, i * s + sn);
            Inputs alone = Inputs.of("log_probs", Tensor.of(lpi, t, 1, c))
                    .with("targets", Tensor.ofLabels(ti, 1, sn))
                    .with("input_lengths", Tensor.labels(p.inLen[i]))
                    .with("target_lengths", Tensor.labels(sn));
            LossResult one = Losses.create("ctc", opts).compute(alone);
            assertEquals(b[i], one.terms().f64()[0], 0.0);
            double[] go = one.grad("log_probs").f64();
            for (int f = 0; f < t; f++) {
                for (int k = 0; k < c; k++) {
                    assertEquals(g0[(f * n + i) * c + k], go[f * c + k], 0.0);
                }
            }
        }
    }

    /**
     * The posteriors of each valid frame sum to 1 (Σ_c −grad = 1 for a feasible sample with
     * reduction none); frames past the input length and classes outside the target and blank get 0.
     */
    @Property(tries = 60)
    void posteriorsSumToOne(@ForAll @IntRange(min = 1, max = 60) int t, @ForAll @IntRange(min = 2, max = 9) int c,
            @ForAll @IntRange(min = 0, max = 12) int s, @ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll long seed) {
        Random r = new Random(seed);
        int blank = r.nextInt(c);
        Problem p = random(r, t, n, c, s, blank, r.nextBoolean() ? 1.0 : 25.0);
        LossResult res = Losses.create("ctc", Map.of("blank", blank, "reduction", "none")).compute(p.inputs());
        double[] g = res.grad("log_probs").f64();
        double[] terms = res.terms().f64();
        for (int i = 0; i < n; i++) {
            if (Double.isInfinite(terms[i])) {
                continue;
            }
            java.util.Set<Integer> used = new java.util.HashSet<>();
            used.add(blank);
            for (int k = 0; k < p.tgLen[i]; k++) {
                used.add((int) p.targets[i * s + k]);
            }
            for (int f = 0; f < t; f++) {
                double post = 0;
                for (int k = 0; k < c; k++) {
                    double v = g[(f * n + i) * c + k];
                    post -= v;
                    if (f >= p.inLen[i] || !used.contains(k)) {
                        assertEquals(0.0, v, 0.0);
                    } else {
                        assertTrue(v <= 0 && v >= -1 - 1e-12, "posterior out of [0, 1]: " + -v);
                    }
                }
                assertEquals(f < p.inLen[i] ? 1.0 : 0.0, post, 1e-12, "frame " + f + " of sample " + i);
            }
        }
    }

    /** A float32 call is within 1e-5 (relative) of the float64 call on the unrounded inputs. */
    @Property(tries = 60)
    void float32IsCloseToFloat64(@ForAll @IntRange(min = 1, max = 30) int t, @ForAll @IntRange(min = 2, max = 8) int c,
            @ForAll @IntRange(min = 0, max = 8) int s, @ForAll @IntRange(min = 1, max = 4) int n,
            @ForAll long seed) {
        Random r = new Random(seed);
        int blank = r.nextInt(c);
        Problem p = random(r, t, n, c, s, blank, 2.0);
        for (String red : new String[] {"mean", "sum", "none"}) {
            Map<String, Object> opts = Map.of("blank", blank, "reduction", red, "zero_infinity", true);
            LossResult r64 = Losses.create("ctc", opts).compute(p.inputs());
            LossResult r32 = Losses.create("ctc", opts).compute(p.inputs32());
            assertEquals(r64.value(), r32.value(), 1e-5 * Math.max(1, Math.abs(r64.value())));
            double[] g64 = r64.grad("log_probs").f64();
            float[] g32 = r32.grad("log_probs").f32();
            for (int i = 0; i < g64.length; i++) {
                assertEquals(g64[i], g32[i], 1e-5);
            }
        }
    }
}
