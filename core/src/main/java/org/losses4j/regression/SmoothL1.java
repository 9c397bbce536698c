package org.losses4j.regression;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Smooth L1 loss: quadratic below {@code beta}, absolute error beyond (Huber divided by β).
 *
 * <p>Term, with {@code d = x − y}: {@code ½d²/β} if {@code |d| < β}, else {@code |d| − ½β}.
 * Gradient {@code d/β} inside, {@code sign(d)} outside; second derivative {@code 1/β} inside,
 * 0 outside (0 is also used at {@code |d| = β}, where the second derivative jumps).
 * {@code β = 0} is the absolute error with the subgradient 0 at {@code d = 0} (PyTorch 1.13's
 * backward gives −1 there). Shapes: input and target of the same (any) shape. {@code mean}
 * divides by the number of elements.
 *
 * <p>Reference: Girshick (2015), "Fast R-CNN"; PyTorch {@code SmoothL1Loss}.
 */
public final class SmoothL1 extends ElementwiseLoss {
    /**
     * {@code beta}: Residual size where the loss turns from quadratic to linear (0: absolute error). Default {@code
     * 1.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 1.0, OptionSpec.Range.NON_NEGATIVE,
            "residual size where the loss turns from quadratic to linear (0: absolute error)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("smooth_l1", Family.REGRESSION)
            .summary("quadratic below beta, absolute error beyond: the box-regression loss of Fast R-CNN")
            .formula("½d²/β if |d| < β else |d| − ½β, d = x − y; β = 0 is |d| with subgradient 0 at d = 0")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .options(BETA, REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("bounding-box regression", "regression with outliers")
            .reference("Girshick 2015 (Fast R-CNN); PyTorch SmoothL1Loss")
            .example(Examples::regression)
            .factory(SmoothL1::new)
            .build();

    private final double beta;

    private SmoothL1(Options o) {
        super(INFO, o);
        this.beta = o.real(BETA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code SmoothL1}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<SmoothL1, Builder> {
        private Builder() {
            super(INFO, SmoothL1.class);
        }

        /**
         * {@code beta}: Residual size where the loss turns from quadratic to linear (0: absolute error).
         * Default {@code 1.0}; allowed: &gt;= 0.
         */
        public Builder beta(double value) {
            return set(BETA, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double bt = beta;
        if (bt == 0) {
            for (int k = 0, n = b.n; k < n; k++) {
                double d = x[k] - y[k];
                t[k] = Math.abs(d);
                dx[k] = Math.signum(d); // 0 at d = 0, NaN for NaN
            }
            return;
        }
        double inv = 1.0 / bt, half = 0.5 * bt;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            double a = Math.abs(d);
            if (a < bt) {
                t[k] = 0.5 * d * d * inv;
                dx[k] = d * inv;
            } else {
                // also the NaN path: NaN − ½β and signum(NaN) are NaN
                t[k] = a - half;
                dx[k] = Math.signum(d);
            }
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double bt = beta;
        double inv = bt == 0 ? 0.0 : 1.0 / bt;
        for (int k = 0, n = b.n; k < n; k++) {
            b.dxx[k] = Math.abs(b.x[k] - b.y[k]) < bt ? inv : 0.0;
        }
    }
}
