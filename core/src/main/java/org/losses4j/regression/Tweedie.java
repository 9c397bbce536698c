package org.losses4j.regression;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Tweedie negative log-likelihood with a log link, for non-negative targets with exact zeros
 * and a continuous positive part (insurance claims, rainfall, sales): a compound Poisson–gamma
 * distribution with variance {@code μ^p}, {@code 1 < p < 2}.
 *
 * <p>Term, with {@code f} the raw score (the log of the mean, {@code μ = e^f}) and
 * {@code p} the variance power: {@code −y·e^{(1−p)f}/(1−p) + e^{(2−p)f}/(2−p)} (the negative
 * log-likelihood up to terms free of {@code f}); gradient {@code −y·e^{(1−p)f} + e^{(2−p)f}};
 * second derivative {@code −y(1−p)·e^{(1−p)f} + (2−p)·e^{(2−p)f}}, positive everywhere. These
 * are XGBoost's {@code reg:tweedie} gradient and Hessian and its {@code tweedie-nloglik} metric
 * term. Shapes: input, target ({@code ≥ 0}) and the optional per-element {@code weight} of the
 * same (any) shape. {@code mean} divides by the number of elements (weights are not normalised).
 *
 * <p>Numerics: {@code y·e^z} is never formed as an overflowing {@code e^z} times a small
 * {@code y} (nor an underflowing one times a large {@code y}): there it is {@code e^{z + log y}},
 * and it is 0 for {@code y = 0} whatever {@code z}. So the term, gradient and Hessian are finite
 * wherever their exact values are below float64's 1.8e308 (at p = 1.5 and {@code y ≤ 1}: for
 * {@code |f| ≤ 1418}), and ∞ only beyond that exact overflow.
 *
 * <p>Reference: Jørgensen (1987), "Exponential dispersion models"; XGBoost {@code reg:tweedie}
 * with {@code tweedie_variance_power} = p.
 */
public final class Tweedie extends ElementwiseLoss {
    /**
     * {@code variance_power}: p (XGBoost's tweedie_variance_power): Var(y) ∝ μ^p; towards 1 Poisson-like, towards
     * 2 gamma-like. Default {@code 1.5}; allowed: in (1, 2).
     */
    public static final OptionSpec<Double> VARIANCE_POWER = OptionSpec.real("variance_power", 1.5,
            OptionSpec.Range.ONE_TWO_OPEN, "p (XGBoost's tweedie_variance_power): Var(y) ∝ μ^p; towards 1"
                    + " Poisson-like, towards 2 gamma-like");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("tweedie", Family.REGRESSION)
            .summary("Tweedie negative log-likelihood, log link: non-negative targets with exact zeros (claims,"
                    + " rainfall, sales)")
            .formula("−y·e^((1−p)f)/(1−p) + e^((2−p)f)/(2−p), f = log μ")
            .gradInput("input", "any shape; a raw score, the log of the mean")
            .input("target", "same shape as input, values >= 0")
            .optionalInput("weight", "same shape as input")
            .options(VARIANCE_POWER, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("Tweedie regression", "zero-inflated positive targets", "insurance claims",
                    "gradient boosting with a log link")
            .reference("Jørgensen 1987; XGBoost reg:tweedie")
            .example((r, n, o) -> {
                // log-means around 0; targets with exact zeros (about a third) and a positive continuous part
                double[] f = Examples.gauss(r, n * 3, 1);
                double[] y = Examples.uniform(r, n * 3, 0, 4);
                for (int i = 0; i < y.length; i++) {
                    if (r.nextInt(3) == 0) {
                        y[i] = 0;
                    }
                }
                return Inputs.of(Examples.t(f, n, 3), Examples.t(y, n, 3))
                        .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3));
            })
            .variable(LossInfo.Variable.LOG_MEAN)
            .factory(Tweedie::new)
            .build();

    private final double p;

    private Tweedie(Options o) {
        super(INFO, o);
        this.p = o.real(VARIANCE_POWER);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Tweedie}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Tweedie, Builder> {
        private Builder() {
            super(INFO, Tweedie.class);
        }

        /**
         * {@code variance_power}: p (XGBoost's tweedie_variance_power): Var(y) ∝ μ^p; towards 1 Poisson-like,
         * towards 2 gamma-like. Default {@code 1.5}; allowed: in (1, 2).
         */
        public Builder variancePower(double value) {
            return set(VARIANCE_POWER, value);
        }
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Check.atLeast("target", target, 0);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double a = 1 - p, c = 2 - p;
        for (int k = 0, n = b.n; k < n; k++) {
            double f = x[k];
            double ye1 = LogLink.yExp(y[k], a * f); // y·e^((1−p)f)
            double e2 = Math.exp(c * f); // e^((2−p)f)
            // −y·e^((1−p)f)/(1−p) is y·e^((1−p)f)/(p−1) ≥ 0: the term is a sum of two non-negative parts
            t[k] = ye1 / -a + e2 / c;
            dx[k] = e2 - ye1;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double a = 1 - p, c = 2 - p;
        for (int k = 0, n = b.n; k < n; k++) {
            double f = b.x[k];
            b.dxx[k] = -a * LogLink.yExp(b.y[k], a * f) + c * Math.exp(c * f);
        }
    }
}
