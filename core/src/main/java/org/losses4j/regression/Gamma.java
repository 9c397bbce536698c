package org.losses4j.regression;

import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Gamma negative log-likelihood with a log link, for positive continuous targets whose spread
 * grows with their mean (claim severities, durations, costs).
 *
 * <p>Term, with {@code f} the raw score (the log of the mean, {@code μ = e^f}):
 * {@code y·e^{−f} + f}, the gamma negative log-likelihood of shape 1 up to terms free of
 * {@code f} (half the unit deviance {@code 2(y/μ − log(y/μ) − 1)} plus {@code log y + 1});
 * gradient {@code 1 − y·e^{−f}}; second derivative {@code y·e^{−f}}, positive everywhere. These
 * are XGBoost's {@code reg:gamma} gradient {@code 1 − y/μ} and Hessian {@code y/μ}. Shapes:
 * input, target ({@code > 0}) and the optional per-element {@code weight} of the same (any)
 * shape. {@code mean} divides by the number of elements (weights are not normalised).
 *
 * <p>Numerics: {@code y·e^{−f}} is {@code e^{log y − f}} where {@code e^{−f}} alone overflows
 * or is subnormal, so the term, gradient and Hessian are finite wherever their exact values are
 * below float64's 1.8e308 (for {@code f > log y − 709.78}), and ∞ only beyond.
 *
 * <p>Reference: McCullagh &amp; Nelder (1989), "Generalized Linear Models", gamma family with
 * log link; XGBoost {@code reg:gamma}.
 */
public final class Gamma extends ElementwiseLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("gamma", Family.REGRESSION)
            .summary("gamma negative log-likelihood, log link: positive targets whose spread grows with the mean"
                    + " (claim severity, durations)")
            .formula("y·e^(−f) + f, f = log μ")
            .gradInput("input", "any shape; a raw score, the log of the mean")
            .input("target", "same shape as input, values > 0")
            .optionalInput("weight", "same shape as input")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("gamma regression", "positive skewed targets", "claim severity", "gradient boosting with a log link")
            .reference("McCullagh & Nelder 1989; XGBoost reg:gamma")
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * 3, 1), n, 3),
                    Examples.t(Examples.uniform(r, n * 3, 0.2, 5), n, 3))
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3)))
            .variable(LossInfo.Variable.LOG_MEAN)
            .factory(Gamma::new)
            .build();

    private Gamma(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Gamma> builder() {
        return new LossBuilder<>(INFO, Gamma.class);
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Check.greater("target", target, 0);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double f = x[k];
            double r = LogLink.yExp(y[k], -f); // y/μ
            t[k] = r + f;
            dx[k] = 1 - r;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        for (int k = 0, n = b.n; k < n; k++) {
            b.dxx[k] = LogLink.yExp(b.y[k], -b.x[k]);
        }
    }
}
