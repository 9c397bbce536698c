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
 * Quantile (pinball) loss: its minimiser is the τ-quantile of the target.
 *
 * <p>Term, with {@code u = y − x}: {@code max(τu, (τ − 1)u)}, i.e. {@code τu} for
 * {@code u ≥ 0} and {@code (τ − 1)u} below. Gradient {@code −τ} where {@code x < y},
 * {@code 1 − τ} where {@code x > y}, and the subgradient 0 at {@code x = y}; second derivative
 * 0 (also at the kink). Shapes: input and target of the same (any) shape. {@code mean} divides
 * by the number of elements. τ = 0.5 is half the absolute error.
 *
 * <p>Reference: Koenker &amp; Bassett (1978), "Regression Quantiles".
 */
public final class Quantile extends ElementwiseLoss {
    /** {@code tau}: The quantile level predicted. Default {@code 0.5}; allowed: in (0, 1). */
    public static final OptionSpec<Double> TAU = OptionSpec.real("tau", 0.5, OptionSpec.Range.UNIT_OPEN,
            "the quantile level predicted");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("quantile", Family.REGRESSION)
            .summary("pinball loss: predicts the tau-quantile of the target (prediction intervals, asymmetric costs)")
            .formula("max(τ(y − x), (τ − 1)(y − x)); subgradient 0 at x = y")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .options(TAU, REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("quantile regression", "prediction intervals", "forecasting with asymmetric costs")
            .reference("Koenker & Bassett 1978")
            .example(Examples::regression)
            .kinks(true)
            .factory(Quantile::new)
            .build();

    private final double tau;

    private Quantile(Options o) {
        super(INFO, o);
        this.tau = o.real(TAU);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Quantile}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Quantile, Builder> {
        private Builder() {
            super(INFO, Quantile.class);
        }

        /** {@code tau}: The quantile level predicted. Default {@code 0.5}; allowed: in (0, 1). */
        public Builder tau(double value) {
            return set(TAU, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double tu = tau, tl = tau - 1;
        for (int k = 0, n = b.n; k < n; k++) {
            double u = y[k] - x[k];
            t[k] = u >= 0 ? tu * u : tl * u; // NaN takes the second branch and stays NaN
            // −τ below the target, 1 − τ above, 0 at x = y; u − u is +0 there and keeps NaN
            dx[k] = u > 0 ? -tu : u < 0 ? -tl : u - u;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        // piecewise linear: 0 everywhere (0 chosen at the kink); u − u is +0 and keeps NaN
        for (int k = 0, n = b.n; k < n; k++) {
            double u = b.y[k] - b.x[k];
            b.dxx[k] = u - u;
        }
    }
}
