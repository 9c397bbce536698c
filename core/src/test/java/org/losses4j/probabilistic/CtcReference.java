package org.losses4j.probabilistic;

import java.util.Random;

/**
 * Independent references for the CTC tests, written without anything from {@link Ctc}:
 * a textbook log-space forward–backward over the full state grid (no windows, no shared
 * offsets, pairwise log1p log-add-exp), and a brute-force sum over every path.
 */
final class CtcReference {
    private CtcReference() {
    }

    static final double NEG_INF = Double.NEGATIVE_INFINITY;

    /** log(e^a + e^b), pairwise. */
    static double logAdd(double a, double b) {
        if (a == NEG_INF) {
            return b;
        }
        if (b == NEG_INF) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /**
     * Per-sample losses −log p(l | x) (float64, unreduced) of log_probs [T, N, C]; when
     * {@code grad} is not null, adds d(Σ_n loss_n)/d log_probs into it, computed as minus the
     * posterior exp(α_t(s) + β_t(s) − log p) with β excluding the emission at t.
     */
    static double[] losses(double[] lp, int tMax, int n, int c, long[] targets, int sMax, long[] inLen,
            long[] tgLen, int blank, double[] grad) {
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            int tn = (int) inLen[b];
            int sn = (int) tgLen[b];
            int len = 2 * sn + 1;
            int[] lab = new int[len];
            for (int s = 0; s < len; s++) {
                lab[s] = s % 2 == 0 ? blank : (int) targets[b * sMax + s / 2];
            }
            double[][] alpha = new double[tn][len];
            for (double[] row : alpha) {
                java.util.Arrays.fill(row, NEG_INF);
            }
            alpha[0][0] = lp[(0 * n + b) * c + lab[0]];
            if (len > 1) {
                alpha[0][1] = lp[(0 * n + b) * c + lab[1]];
            }
            for (int t = 1; t < tn; t++) {
                for (int s = 0; s < len; s++) {
                    double v = alpha[t - 1][s];
                    if (s >= 1) {
                        v = logAdd(v, alpha[t - 1][s - 1]);
                    }
                    if (s >= 2 && lab[s] != blank && lab[s] != lab[s - 2]) {
                        v = logAdd(v, alpha[t - 1][s - 2]);
                    }
                    alpha[t][s] = v + lp[(t * n + b) * c + lab[s]];
                }
            }
            double logp = alpha[tn - 1][len - 1];
            if (len > 1) {
                logp = logAdd(logp, alpha[tn - 1][len - 2]);
            }
            out[b] = -logp;
            if (grad == null) {
                continue;
            }
            double[][] beta = new double[tn][len];
            for (double[] row : beta) {
                java.util.Arrays.fill(row, NEG_INF);
            }
            beta[tn - 1][len - 1] = 0;
            if (len > 1) {
                beta[tn - 1][len - 2] = 0;
            }
            for (int t = tn - 2; t >= 0; t--) {
                for (int s = 0; s < len; s++) {
                    double v = beta[t + 1][s] + lp[((t + 1) * n + b) * c + lab[s]];
                    if (s + 1 < len) {
                        v = logAdd(v, beta[t + 1][s + 1] + lp[((t + 1) * n + b) * c + lab[s + 1]]);
                    }
                    if (s + 2 < len && lab[s + 2] != blank && lab[s + 2] != lab[s]) {
                        v = logAdd(v, beta[t + 1][s + 2] + lp[((t + 1) * n + b) * c + lab[s + 2]]);
                    }
                    beta[t][s] = v;
                }
            }
            for (int t = 0; t < tn; t++) {
                for (int s = 0; s < len; s++) {
                    grad[(t * n + b) * c + lab[s]] -= Math.exp(alpha[t][s] + beta[t][s] - logp);
                }
            }
        }
        return out;
    }

    /**
     * Brute force over all C^T_n paths of each sample: a path counts when merging its repeats
     * and dropping its blanks gives the target. Returns −log of the summed path
     * probabilities; {@code grad} (if not null) receives −Σ_{paths with π_t = c} P(π)/P(l).
     */
    static double[] bruteForce(double[] lp, int tMax, int n, int c, long[] targets, int sMax, long[] inLen,
            long[] tgLen, int blank, double[] grad) {
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            int tn = (int) inLen[b];
            int sn = (int) tgLen[b];
            int paths = 1;
            for (int t = 0; t < tn; t++) {
                paths *= c;
            }
            double[] logP = new double[paths];
            boolean[] match = new boolean[paths];
            double total = NEG_INF;
            int[] pi = new int[tn];
            for (int p = 0; p < paths; p++) {
                int code = p;
                double lg = 0;
                for (int t = 0; t < tn; t++) {
                    pi[t] = code % c;
                    code /= c;
                    lg += lp[(t * n + b) * c + pi[t]];
                }
                // collapse: merge repeats, drop blanks
                int k = 0;
                boolean ok = true;
                for (int t = 0; t < tn && ok; t++) {
                    if (pi[t] == blank || (t > 0 && pi[t] == pi[t - 1])) {
                        continue;
                    }
                    ok = k < sn && pi[t] == targets[b * sMax + k];
                    k++;
                }
                match[p] = ok && k == sn;
                logP[p] = lg;
                if (match[p]) {
                    total = logAdd(total, lg);
                }
            }
            out[b] = -total;
            if (grad != null && total > NEG_INF) {
                for (int p = 0; p < paths; p++) {
                    if (!match[p]) {
                        continue;
                    }
                    double wgt = Math.exp(logP[p] - total);
                    int code = p;
                    for (int t = 0; t < tn; t++) {
                        grad[(t * n + b) * c + code % c] -= wgt;
                        code /= c;
                    }
                }
            }
        }
        return out;
    }

    /** Random log_softmax outputs [T, N, C] with logits of the given scale. */
    static double[] logSoftmax(Random r, int t, int n, int c, double scale) {
        double[] lp = new double[t * n * c];
        for (int row = 0; row < t * n; row++) {
            double m = NEG_INF;
            for (int k = 0; k < c; k++) {
                lp[row * c + k] = scale * r.nextGaussian();
                m = Math.max(m, lp[row * c + k]);
            }
            double s = 0;
            for (int k = 0; k < c; k++) {
                s += Math.exp(lp[row * c + k] - m);
            }
            double lse = m + Math.log(s);
            for (int k = 0; k < c; k++) {
                lp[row * c + k] -= lse;
            }
        }
        return lp;
    }

    /** Random labels in [0, C) other than blank, [N, S]. */
    static long[] labels(Random r, int n, int s, int c, int blank) {
        long[] out = new long[n * s];
        for (int i = 0; i < out.length; i++) {
            int v = r.nextInt(c - 1);
            out[i] = v >= blank ? v + 1 : v;
        }
        return out;
    }
}
