package org.losses4j.segmentation;

import java.util.Arrays;

/**
 * The Lovász extension of the Jaccard loss written another way than the library's
 * (Δ weights over the sorted errors): as the integral over thresholds t of the set function,
 * {@code f(m) = ∫_0^∞ Δ_J({i : m_i ≥ t}) dt} for m ≥ 0, with the Jaccard loss of a set M of
 * mispredicted pixels {@code Δ_J(M) = |M| / |G ∪ M|} (0 for M empty), G the foreground. The
 * integrand is constant between consecutive distinct error values, so the integral is a finite
 * sum over them; ties need no order.
 */
final class LovaszReference {
    private LovaszReference() {
    }

    /** f(max(e, 0)) for errors {@code e} and foreground {@code g} (0 or 1). */
    static double extension(double[] e, double[] g) {
        int p = e.length;
        double[] levels = new double[p];
        for (int i = 0; i < p; i++) {
            levels[i] = Math.max(e[i], 0);
        }
        Arrays.sort(levels);
        double total = 0;
        double below = 0;
        for (int k = 0; k < p; k++) {
            double t = levels[k];
            if (t <= below) {
                continue; // a tie, or the level 0
            }
            // on (below, t] the set {i : m_i ≥ t'} is {i : m_i ≥ t}
            total += (t - below) * jaccardLoss(e, g, t);
            below = t;
        }
        return total;
    }

    /** Δ_J of the set {i : max(e_i, 0) ≥ t}: |M| / |G ∪ M|. */
    static double jaccardLoss(double[] e, double[] g, double t) {
        int m = 0;
        int union = 0;
        for (int i = 0; i < e.length; i++) {
            boolean in = Math.max(e[i], 0) >= t;
            m += in ? 1 : 0;
            union += in || g[i] == 1 ? 1 : 0;
        }
        return m == 0 ? 0 : (double) m / union;
    }

    /** 1 − IoU of a predicted mask {@code pred} against {@code g} (both 0/1); 0 when both are empty. */
    static double oneMinusIou(double[] pred, double[] g) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < g.length; i++) {
            inter += pred[i] == 1 && g[i] == 1 ? 1 : 0;
            union += pred[i] == 1 || g[i] == 1 ? 1 : 0;
        }
        return union == 0 ? 0 : 1 - (double) inter / union;
    }
}
