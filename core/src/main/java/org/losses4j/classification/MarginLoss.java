package org.losses4j.classification;

import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.LossInfo;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * An elementwise loss with labels y in {−1, +1}: of the margin y·x (hinge, squared_hinge, ramp,
 * smooth_hinge, soft_margin) or of a pair's distance (hinge_embedding). The label check, once.
 * Each loss keeps its own term loop; the hinge's (hinge, perceptron) and the zero second derivative of
 * the piecewise-linear ones (hinge, perceptron, ramp) are here once.
 */
abstract class MarginLoss extends ElementwiseLoss {
    MarginLoss(LossInfo info, Options options) {
        super(info, options);
    }

    @Override
    protected final void validate(Tensor input, Tensor target) {
        Check.oneOf("target", target, -1, 1);
    }

    /**
     * The hinge {@code max(0, margin − y·x)} of each element: gradient {@code −y} where
     * {@code y·x < margin}, else 0 (subgradient 0 at the kink); NaN stays NaN.
     */
    static void hingeTerms(Block b, double margin) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = margin - y[k] * x[k];
            t[k] = Math.max(0.0, d);
            // inside: −y; at or beyond the margin: 0; NaN fails both tests and stays NaN
            dx[k] = d > 0 ? -y[k] : d <= 0 ? 0.0 : d;
        }
    }

    /** The second derivative of a piecewise-linear margin loss: 0 everywhere (kinks included), NaN at NaN. */
    static void zeroSecondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        for (int k = 0, n = b.n; k < n; k++) {
            double z = y[k] * x[k];
            h[k] = z == z ? 0.0 : z;
        }
    }
}
