package org.losses4j.regression;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Expectile loss (asymmetric least squares): its minimiser is the τ-expectile of the target,
 * the squared-error analogue of the quantile.
 *
 * <p>Term, with {@code u = y − x}: {@code |τ − 1[u < 0]|·u²}, i.e. {@code τu²} for
 * {@code u ≥ 0} (under-prediction) and {@code (1 − τ)u²} for {@code u < 0}; gradient
 * {@code −2|τ − 1[u < 0]|·u}, continuous (0 at {@code x = y}); second derivative
 * {@code 2|τ − 1[u < 0]|}, which jumps from {@code 2(1 − τ)} to {@code 2τ} at {@code u = 0},
 * where it is {@code 2τ} (the indicator's value there). τ = 0.5 is half the squared error
 * ({@code ½·mse}). Shapes: input, target and the optional per-element {@code weight} of the
 * same (any) shape. {@code mean} divides by the number of elements (weights are not normalised).
 *
 * <p>Numerics: the term is {@code (w·d)·d}, {@code d = x − y}, with {@code w = |τ − 1[u < 0]| < 1}, so it is
 * finite wherever the exact value is, also where {@code u²} alone would overflow.
 *
 * <p>Reference: Newey &amp; Powell (1987), "Asymmetric Least Squares Estimation and Testing"
 * (their {@code |τ − 1(u < 0)|·u²}); XGBoost 3.3's {@code reg:expectileerror} (with
 * {@code expectile_alpha} = τ) has half this gradient and Hessian, {@code |τ − 1[u < 0]|·u²} as
 * its metric, and at {@code u = 0} the Hessian weight {@code 1 − τ}.
 */
public final class Expectile extends ElementwiseLoss {
    /** {@code tau}: The expectile level predicted (0.5: the mean). Default {@code 0.5}; allowed: in (0, 1). */
    public static final OptionSpec<Double> TAU = OptionSpec.real("tau", 0.5, OptionSpec.Range.UNIT_OPEN,
            "the expectile level predicted (0.5: the mean)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("expectile", Family.REGRESSION)
            .summary("asymmetric squared error: predicts the tau-expectile of the target (asymmetric costs,"
                    + " tail-sensitive forecasts)")
            .formula("|τ − 1[y − x < 0]|·(y − x)²")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .optionalInput("weight", "same shape as input")
            .options(TAU, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("expectile regression", "asymmetric least squares", "forecasting with asymmetric costs")
            .reference("Newey & Powell 1987")
            .example((r, n, o) -> Examples.regression(r, n, o)
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3)))
            .factory(Expectile::new)
            .build();

    private final double tau;

    private Expectile(Options o) {
        super(INFO, o);
        this.tau = o.real(TAU);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Expectile}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Expectile, Builder> {
        private Builder() {
            super(INFO, Expectile.class);
        }

        /** {@code tau}: The expectile level predicted (0.5: the mean). Default {@code 0.5}; allowed: in (0, 1). */
        public Builder tau(double value) {
            return set(TAU, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double under = tau, over = 1 - tau;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k]; // −u
            // d ≤ 0 (u ≥ 0, under-prediction) weighs τ, d > 0 weighs 1 − τ;
            // NaN takes the second branch and stays NaN
            double wd = (d <= 0 ? under : over) * d;
            t[k] = wd * d;
            dx[k] = 2 * wd; // +0 at x = y
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double under = 2 * tau, over = 2 * (1 - tau);
        for (int k = 0, n = b.n; k < n; k++) {
            double d = b.x[k] - b.y[k];
            b.dxx[k] = d <= 0 ? under : d > 0 ? over : d; // NaN stays NaN
        }
    }
}
