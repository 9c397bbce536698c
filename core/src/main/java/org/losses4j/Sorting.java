package org.losses4j;

/**
 * The stable index sort the losses that order their elements share (lovasz_hinge and
 * lovasz_softmax by error, the learning-to-rank losses by score and relevance): public for the
 * loss packages, not part of the loss API.
 */
public final class Sorting {
    private Sorting() {
    }

    /** Runs this short are insertion-sorted before the merges. */
    private static final int RUN = 32;

    /**
     * {@code order[0, p)} = the indices 0 … p − 1 sorted by {@code key} decreasing: a stable
     * sort (equal keys stay in index order; NaN first, by {@link Double#compare}): insertion sort
     * of runs of {@value #RUN}, then bottom-up merges that move each key with its index (the
     * merges read both sequentially). {@code keys} and {@code keysTmp} are scratch of at least p
     * doubles, {@code tmp} of p ints.
     */
    public static void decreasing(double[] key, int p, int[] order, int[] tmp, double[] keys, double[] keysTmp) {
        for (int i = 0; i < p; i++) {
            order[i] = i;
            keys[i] = key[i];
        }
        for (int lo = 0; lo < p; lo += RUN) {
            int hi = Math.min(lo + RUN, p);
            for (int i = lo + 1; i < hi; i++) {
                double k = keys[i];
                int o = order[i];
                int j = i - 1;
                // shift the larger-ranked ones right while the key before is strictly smaller (stable)
                while (j >= lo && Double.compare(keys[j], k) < 0) {
                    keys[j + 1] = keys[j];
                    order[j + 1] = order[j];
                    j--;
                }
                keys[j + 1] = k;
                order[j + 1] = o;
            }
        }
        int[] src = order;
        int[] dst = tmp;
        double[] ks = keys;
        double[] kd = keysTmp;
        for (int width = RUN; width < p; width <<= 1) {
            for (int lo = 0; lo < p; lo += width << 1) {
                int mid = Math.min(lo + width, p);
                int hi = Math.min(lo + (width << 1), p);
                int a = lo;
                int b = mid;
                for (int k = lo; k < hi; k++) {
                    // take from the left run unless the right one's key is strictly larger
                    if (a < mid && (b >= hi || Double.compare(ks[a], ks[b]) >= 0)) {
                        kd[k] = ks[a];
                        dst[k] = src[a++];
                    } else {
                        kd[k] = ks[b];
                        dst[k] = src[b++];
                    }
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
            double[] u = ks;
            ks = kd;
            kd = u;
        }
        if (src != order) {
            System.arraycopy(src, 0, order, 0, p);
        }
    }
}
