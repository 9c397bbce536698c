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
 * Pseudo-Huber loss: a smooth Huber, about {@code ½d²} for {@code |d| ≪ δ} and about
 * {@code δ|d|} for {@code |d| ≫ δ}, with every derivative continuous.
 *
 * <p>Term, with {@code d = x − y} and {@code z = d/δ}: {@code δ²(√(1 + z²) − 1)}; gradient
 * {@code d/√(1 + z²)}; second derivative {@code (1 + z²)^(−3/2)}. Shapes: input, target and
 * the optional per-element {@code weight} of the same (any) shape. {@code mean} divides by
 * the number of elements (weights are not normalised).
 *
 * <p>Numerics: the textbook form cancels for tiny {@code |z|} (√(1 + z²) − 1 ≈ z²/2 is lost
 * in rounding) and squares an overflowing {@code z} for large {@code |d|} or tiny δ. For
 * {@code |d| ≤ δ} the term is {@code d²/(√(1 + z²) + 1)}, for {@code |d| > δ}, with
 * {@code r = δ/|d| < 1}, it is {@code δ·|d|/(√(1 + r²) + r)}, the gradient
 * {@code sign(d)·δ/√(1 + r²)} and the second derivative {@code (r/√(1 + r²))³}: no
 * cancellation and nothing squared beyond 1, so results are finite wherever the true value is.
 *
 * <p>Reference: Charbonnier et al. (1994), "Two deterministic half-quadratic regularization
 * algorithms for computed imaging" (their √(1 + z²) − 1 is this loss without the δ² scale);
 * Barron (2019), "A General and Adaptive Robust Loss Function" (α = 1); XGBoost
 * {@code reg:pseudohubererror} with {@code huber_slope} = δ.
 */
public final class PseudoHuber extends ElementwiseLoss {
    /**
     * {@code delta}: δ (XGBoost's huber_slope): residual size where the loss turns from quadratic to linear (at most
     * 1e15: the term scales with δ²). Default {@code 1.0}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> DELTA = OptionSpec.real("delta", 1.0, OptionSpec.Range.BOUNDED_POSITIVE,
            "δ (XGBoost's huber_slope): residual size where the loss turns from quadratic to linear (at most 1e15:"
                    + " the term scales with δ²)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("pseudo_huber", Family.REGRESSION)
            .summary("smooth Huber: ½d² near zero, δ|d| far out, with a positive second derivative everywhere")
            .formula("δ²(√(1 + (d/δ)²) − 1), d = x − y")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .optionalInput("weight", "same shape as input")
            .options(DELTA, REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("regression with outliers", "robust regression", "gradient boosting with outliers")
            .reference("Charbonnier et al. 1994; Barron 2019; XGBoost reg:pseudohubererror")
            .example((r, n, o) -> Examples.regression(r, n, o)
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3)))
            .factory(PseudoHuber::new)
            .build();

    private final double delta;

    private PseudoHuber(Options o) {
        super(INFO, o);
        this.delta = o.real(DELTA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code PseudoHuber}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<PseudoHuber, Builder> {
        private Builder() {
            super(INFO, PseudoHuber.class);
        }

        /**
         * {@code delta}: δ (XGBoost's huber_slope): residual size where the loss turns from quadratic to
         * linear (at most 1e15: the term scales with δ²). Default {@code 1.0}; allowed: in (0, 1e15].
         */
        public Builder delta(double value) {
            return set(DELTA, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double dl = delta;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            double a = Math.abs(d);
            if (a <= dl) {
                double z = d / dl;
                double s = Math.sqrt(1 + z * z);
                t[k] = d * d / (s + 1);
                dx[k] = d / s;
            } else {
                // also the NaN path (NaN <= δ is false): r is NaN and so are term and gradient
                double r = dl / a;
                double s = Math.sqrt(1 + r * r);
                t[k] = dl * (a / (s + r));
                dx[k] = Math.copySign(dl, d) / s;
            }
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double dl = delta;
        for (int k = 0, n = b.n; k < n; k++) {
            double a = Math.abs(b.x[k] - b.y[k]);
            if (a <= dl) {
                double z = a / dl;
                double q = 1 + z * z;
                b.dxx[k] = 1 / (q * Math.sqrt(q));
            } else {
                double r = dl / a;
                double c = r / Math.sqrt(1 + r * r);
                b.dxx[k] = c * c * c;
            }
        }
    }
}
