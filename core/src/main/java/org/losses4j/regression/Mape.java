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
 * Mean absolute percentage error, as a fraction: the absolute error relative to the target's
 * size, for targets of very different scales (demand of products small and large).
 *
 * <p>Term: {@code |x − y| / max(|y|, eps)}; gradient {@code sign(x − y) / max(|y|, eps)}, with
 * the subgradient 0 at {@code x = y}; second derivative 0 (also at the kink). The target is
 * not differentiated. This is scikit-learn's {@code mean_absolute_percentage_error} (a fraction,
 * eps = float64's machine epsilon 2.22e-16 by default); Keras' {@code MeanAbsolutePercentageError}
 * is 100 times it with eps = 1e-7. Shapes: input, target and the optional per-element
 * {@code weight} of the same (any) shape. {@code mean} divides by the number of elements
 * (weights are not normalised; sklearn's {@code sample_weight} average divides by Σw).
 *
 * <p>Numerics: where {@code x − y} overflows although both are finite, the term is
 * {@code |x/m − y/m|} ({@code m = max(|y|, eps)}), finite wherever the exact value is. A target
 * of (nearly) 0 makes the term as large as {@code |x|/eps}: that is the definition.
 *
 * <p>Reference: scikit-learn {@code mean_absolute_percentage_error}; de Myttenaere et al.
 * (2016), "Mean Absolute Percentage Error for regression models".
 */
public final class Mape extends ElementwiseLoss {
    /**
     * {@code eps}: Floor of |y| in the denominator (scikit-learn's: float64's machine epsilon; Keras': 1e-7).
     * Default {@code 2.220446049250313E-16}; allowed: &gt; 0.
     */
    public static final OptionSpec<Double> EPS = OptionSpec.real("eps", Math.ulp(1.0), OptionSpec.Range.POSITIVE,
            "floor of |y| in the denominator (scikit-learn's: float64's machine epsilon; Keras': 1e-7)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("mape", Family.REGRESSION)
            .summary("absolute error relative to the target (a fraction, as scikit-learn's): errors across"
                    + " targets of very different scales")
            .formula("|x − y| / max(|y|, eps); subgradient 0 at x = y")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .optionalInput("weight", "same shape as input")
            .options(EPS, REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("forecasting", "relative error regression", "demand forecasting")
            .reference("scikit-learn mean_absolute_percentage_error")
            .example((r, n, o) -> {
                // targets away from 0 (of either sign, scales 0.5 to 5), predictions near them
                double[] y = Examples.uniform(r, n * 3, 0.5, 5);
                double[] x = new double[n * 3];
                for (int i = 0; i < y.length; i++) {
                    y[i] = r.nextBoolean() ? y[i] : -y[i];
                    x[i] = y[i] * (1 + 0.4 * r.nextGaussian());
                }
                return Inputs.of(Examples.t(x, n, 3), Examples.t(y, n, 3))
                        .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3));
            })
            .kinks(true)
            .factory(Mape::new)
            .build();

    private final double eps;

    private Mape(Options o) {
        super(INFO, o);
        this.eps = o.real(EPS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Mape}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Mape, Builder> {
        private Builder() {
            super(INFO, Mape.class);
        }

        /**
         * {@code eps}: Floor of |y| in the denominator (scikit-learn's: float64's machine epsilon; Keras':
         * 1e-7). Default {@code 2.220446049250313E-16}; allowed: &gt; 0.
         */
        public Builder eps(double value) {
            return set(EPS, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double ep = eps;
        for (int k = 0, n = b.n; k < n; k++) {
            double xk = x[k], yk = y[k];
            double m = Math.max(Math.abs(yk), ep); // NaN for a NaN target
            double d = xk - yk;
            double a = Math.abs(d);
            // x − y overflowed although both are finite: the ratio from x/m and y/m
            t[k] = a == Double.POSITIVE_INFINITY && Double.isFinite(xk) && Double.isFinite(yk)
                    ? Math.abs(xk / m - yk / m) : a / m;
            // signum: 0 at d = 0 (the catalog's subgradient), NaN for NaN
            dx[k] = Math.signum(d) / m;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        // piecewise linear in x: 0 everywhere (0 chosen at the kink); NaN stays NaN
        for (int k = 0, n = b.n; k < n; k++) {
            double d = b.x[k] - b.y[k];
            b.dxx[k] = Double.isNaN(d) ? d : 0.0;
        }
    }
}
