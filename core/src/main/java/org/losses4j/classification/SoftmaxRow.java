package org.losses4j.classification;

/**
 * One row of logits as the softmax losses with an index target see it (softmax_focal,
 * poly1_cross_entropy, generalized_cross_entropy): {@link #logP} loads the row and returns
 * {@code log p_y} from a stable log-sum-exp ({@code log1p} of the other classes' shifted
 * exponentials, so neither a confident row nor logits of ±1e4 lose precision), and
 * {@link #probabilitiesTimes} writes {@code k·p_c} over the row, the common part of every such
 * gradient. One object per call (it holds the row).
 */
final class SoftmaxRow {
    private final double[] z;
    private double inv;

    SoftmaxRow(int classes) {
        z = new double[classes];
    }

    /** Loads {@code xs[base, base + cc)} and returns {@code log softmax(row)_label} (NaN for a row with a NaN or ±∞). */
    double logP(double[] xs, int base, int cc, int label) {
        System.arraycopy(xs, base, z, 0, cc);
        int am = ClassLayout.argmax(z, cc);
        double zy = z[label] - z[am];
        double rest = ClassLayout.expShifted(z, cc, am);
        inv = 1 / (1 + rest);
        return zy - Math.log1p(rest);
    }

    /** {@code gx[base + c] = k·p_c} for every class of the row last loaded. */
    void probabilitiesTimes(double k, double[] gx, int base, int cc) {
        double f = k * inv;
        for (int c = 0; c < cc; c++) {
            gx[base + c] = f * z[c];
        }
    }
}
