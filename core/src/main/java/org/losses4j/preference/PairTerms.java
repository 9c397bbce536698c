package org.losses4j.preference;

import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * What the pairwise preference losses (dpo, simpo, cpo) share: the stable logistic pieces and
 * the loss of one pair's margin m (a log-ratio difference) for the margin-based types, with its
 * derivative, and the loop that writes a batch of them.
 */
final class PairTerms {
    private PairTerms() {
    }

    static final int SIGMOID = 0, HINGE = 1, IPO = 2;

    /** The loss of a margin m: sigmoid (conservative with label smoothing), hinge or ipo. */
    static final class Margin {
        final int kind;
        final double beta;
        final double ls;
        /** Subtracted from βm before the sigmoid (SimPO's target margin γ); 0 for DPO. */
        final double offset;

        Margin(int kind, double beta, double ls, double offset) {
            this.kind = kind;
            this.beta = beta;
            this.ls = ls;
            this.offset = offset;
        }

        /** The term of margin m; its derivative dℓ/dm goes to d[0]. */
        double term(double m, double[] d) {
            switch (kind) {
                case SIGMOID: {
                    double z = beta * m - offset;
                    d[0] = beta * smoothedSlope(z, ls);
                    return smoothed(z, ls);
                }
                case HINGE: {
                    double h = 1 - beta * m;
                    d[0] = h > 0 ? -beta : 0; // subgradient 0 at βm = 1
                    return Math.max(0, h);
                }
                default: { // IPO: (m − 1/(2β))²
                    double e = m - 1 / (2 * beta);
                    d[0] = 2 * e;
                    return e * e;
                }
            }
        }

        /**
         * terms[i] = ℓ(m_i), i &lt; n, with m_i = a_i − b_i (a_i − b_i − (c_i − e_i) when c is given), and
         * the gradients s·dℓ/dm into ga (with respect to a) and −s·dℓ/dm into gb, when ga is not null.
         */
        void run(int n, double[] a, double[] b, double[] c, double[] e, double[] terms, double[] ga, double[] gb,
                double s) {
            double[] d = new double[1];
            for (int i = 0; i < n; i++) {
                double m = c == null ? a[i] - b[i] : (a[i] - b[i]) - (c[i] - e[i]);
                terms[i] = term(m, d);
                if (ga != null) {
                    ga[i] = d[0] * s;
                    gb[i] = -d[0] * s;
                }
            }
        }
    }

    /**
     * −(1 − ls)·log σ(z) − ls·log σ(−z) = (1 − ls)·softplus(−z) + ls·softplus(z); a weight of 0
     * drops its part (0·softplus(±∞) would be NaN at z = ±∞).
     */
    static double smoothed(double z, double ls) {
        double keep = 1 - ls;
        return (keep == 0 ? 0 : keep * softplus(-z)) + (ls == 0 ? 0 : ls * softplus(z));
    }

    /** d/dz of {@link #smoothed}: ls·σ(z) − (1 − ls)·σ(−z). */
    static double smoothedSlope(double z, double ls) {
        return ls * sigmoid(z) - (1 - ls) * sigmoid(-z);
    }

    /** log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|): exact and finite for any finite z. */
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** σ(z), evaluating e^z only for z &lt; 0. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /** a·b, 0 when a is 0 (a vanishing weight of an infinite log: σ(−z)·log σ(−z) at z = +∞). */
    static double weighted(double a, double b) {
        return a == 0 ? 0 : a * b;
    }

    /** Refuses a label_smoothing outside what a loss_type allows. */
    static void refuseSmoothing(double ls, String range, String type, String why) {
        throw new LossException(ErrorKind.INVALID_OPTION, "option label_smoothing = " + ls + " must be in " + range
                + " for loss_type " + type + " (" + why + ")");
    }
}
