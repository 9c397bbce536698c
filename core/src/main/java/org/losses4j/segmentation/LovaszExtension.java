package org.losses4j.segmentation;

/**
 * The Lovász extension of the Jaccard loss, shared by lovasz_hinge and lovasz_softmax (Berman,
 * Rannen Triki &amp; Blaschko 2018, Algorithm 1; the authors' reference code
 * {@code lovasz_losses.py}, functions {@code lovasz_grad} and the dot products of
 * {@code lovasz_hinge_flat} / {@code lovasz_softmax_flat}).
 *
 * <p>For one group of P errors {@code e} with ground truth {@code g} (0 or 1): sort the errors in
 * decreasing order (permutation π), and with {@code G = Σg}, {@code I_r = G − Σ_{s≤r} g_π(s)},
 * {@code U_r = G + Σ_{s≤r} (1 − g_π(s))}, {@code J_r = 1 − I_r/U_r}, the weights are
 * {@code Δ_0 = J_0}, {@code Δ_r = J_r − J_{r−1}}; the term is {@code Σ_r max(e_π(r), 0)·Δ_r}.
 * The sorted order is piecewise constant in the errors, so the term is piecewise linear and
 * its derivative with respect to {@code e_π(r)} is {@code Δ_r} where {@code e_π(r) > 0} (0
 * where it is 0; NaN where it is NaN): {@link #term} returns the Δ permuted back to the
 * elements, and each loss multiplies by the derivative of its own errors. U_r ≥ 1 for every r,
 * so no division is by 0.
 *
 * <p>Ties: the errors are sorted by a stable merge sort, decreasing, equal errors in index
 * order, NaN before every number (as {@code torch.sort(descending=True)} puts NaN first). At
 * tied errors the term is the same for any order (the Lovász extension is continuous); its
 * gradient there is the one of this order, a valid subgradient.
 *
 * <p>Scratch: the caller gives the sort's arrays of at least P elements ({@link Scratch}, from the
 * call's workspace), so a call allocates nothing here.
 */
final class LovaszExtension {
    private LovaszExtension() {
    }

    /** The sort's scratch for groups of up to p elements, taken from the call's workspace. */
    static final class Scratch {
        final int[] order;
        final int[] tmp;
        final double[] keys;
        final double[] keysTmp;

        Scratch(org.losses4j.Workspace ws, int p) {
            this.order = ws.ints(p);
            this.tmp = ws.ints(p);
            this.keys = ws.doubles(p);
            this.keysTmp = ws.doubles(p);
        }
    }

    /**
     * The term of one group, {@code Σ_r max(e_π(r), 0)·Δ_r}, over the errors {@code e[0, p)}
     * and their ground truth {@code g[goff, goff + p)}; writes {@code delta[i]} = the weight Δ at
     * element i's rank (∂term/∂e_i where e_i &gt; 0).
     */
    static double term(double[] e, double[] g, int goff, int p, double[] delta, Scratch w) {
        sortDecreasing(e, p, w.order, w.tmp, w.keys, w.keysTmp);
        int[] order = w.order;
        double gts = 0;
        for (int i = 0; i < p; i++) {
            gts += g[goff + i];
        }
        double cumG = 0;
        double cumNeg = 0;
        double prev = 0;
        double sum = 0;
        for (int r = 0; r < p; r++) {
            int i = order[r];
            double gi = g[goff + i];
            cumG += gi;
            cumNeg += 1 - gi;
            double jaccard = 1 - (gts - cumG) / (gts + cumNeg);
            double d = r == 0 ? jaccard : jaccard - prev;
            prev = jaccard;
            delta[i] = d;
            double ei = e[i];
            // max(e, 0) with NaN kept (Math.max(NaN, 0) is NaN; torch's relu too)
            sum += (ei > 0 || ei != ei ? ei : 0) * d;
        }
        return sum;
    }

    /**
     * {@code order[0, p)} = the indices 0 … p − 1 sorted by {@code key} decreasing, stable, NaN first
     * ({@link org.losses4j.Sorting#decreasing}).
     */
    static void sortDecreasing(double[] key, int p, int[] order, int[] tmp, double[] keys, double[] keysTmp) {
        org.losses4j.Sorting.decreasing(key, p, order, tmp, keys, keysTmp);
    }
}
