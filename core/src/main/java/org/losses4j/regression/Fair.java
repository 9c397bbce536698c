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
 * Fair loss: a robust M-estimator loss, about {@code ½d²} for {@code |d| ≪ c} and about
 * {@code c|d|} for {@code |d| ≫ c}, with every derivative continuous and a positive second
 * derivative everywhere (so Newton boosting can use it).
 *
 * <p>Term, with {@code d = x − y}: {@code c²(|d|/c − log(1 + |d|/c))}; gradient
 * {@code c·d/(|d| + c)}; second derivative {@code c²/(|d| + c)²}: LightGBM's {@code fair}
 * objective's gradient and Hessian with {@code fair_c} = c (which are the exact derivatives
 * of this term). Shapes: input, target and the optional per-element {@code weight} of the same
 * (any) shape. {@code mean} divides by the number of elements (weights are not normalised).
 *
 * <p>Numerics: with {@code z = |d|/c}, {@code z − log(1 + z)} cancels for small z (it is about
 * z²/2); for {@code z ≤ 1} it is the series {@code 2s²(1 + ⅔s + s² + ⅘s³ + s⁴ + …)} in
 * {@code s = z/(2 + z) ≤ ⅓} (from {@code log(1 + z) = 2 artanh s}), all of whose terms are
 * positive, and {@code c²s²} is formed as {@code (c·s)²}; above, {@code c(|d| − c·log1p(z))},
 * with {@code log|d| − log c} for a z that overflows. The gradient is {@code c·(d/(|d| + c))}
 * and the second derivative {@code (c/(|d| + c))²}: no product beyond c|d|, so results are
 * finite wherever the true value is (an overflowing residual is an infinite one: term ∞,
 * gradient ±c, second derivative 0).
 *
 * <p>Reference: Fair (1974), "On the robust estimation of econometric models"; Rey (1983),
 * "Introduction to Robust and Quasi-Robust Statistical Methods"; LightGBM {@code fair}
 * objective.
 */
public final class Fair extends ElementwiseLoss {
    /**
     * {@code c}: Residual scale where the loss turns from quadratic to linear (LightGBM's fair_c; at most 1e15: the
     * term scales with c²). Default {@code 1.0}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> C = OptionSpec.real("c", 1.0, OptionSpec.Range.BOUNDED_POSITIVE,
            "residual scale where the loss turns from quadratic to linear (LightGBM's fair_c; at most 1e15: the"
                    + " term scales with c²)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("fair", Family.REGRESSION)
            .summary("Fair loss: ½d² near zero, c|d| far out, with a positive second derivative everywhere")
            .formula("c²(|d|/c − log(1 + |d|/c)), d = x − y")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .optionalInput("weight", "same shape as input")
            .options(C, REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("regression with outliers", "robust regression", "gradient boosting with outliers")
            .reference("Fair 1974; LightGBM fair objective")
            .example((r, n, o) -> Examples.regression(r, n, o)
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3)))
            .factory(Fair::new)
            .build();

    /**
     * Coefficients of the series {@code Σ a_j s^j}: 1 for even j, (j + 1)/(j + 2) for odd j; 36 terms
     * reach 1e-17 at s = ⅓.
     */
    private static final double[] SERIES = new double[36];

    static {
        for (int j = 0; j < SERIES.length; j++) {
            SERIES[j] = j % 2 == 0 ? 1.0 : (j + 1.0) / (j + 2.0);
        }
    }

    private final double c;

    private Fair(Options o) {
        super(INFO, o);
        this.c = o.real(C);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Fair}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Fair, Builder> {
        private Builder() {
            super(INFO, Fair.class);
        }

        /**
         * {@code c}: Residual scale where the loss turns from quadratic to linear (LightGBM's fair_c; at most
         * 1e15: the term scales with c²). Default {@code 1.0}; allowed: in (0, 1e15].
         */
        public Builder c(double value) {
            return set(C, value);
        }
    }

    /** {@code z − log(1 + z)} divided by {@code 2s²}, {@code s = z/(2 + z)}, for {@code 0 ≤ s ≤ ⅓}. */
    private static double series(double s) {
        double p = SERIES[SERIES.length - 1];
        for (int j = SERIES.length - 2; j >= 0; j--) {
            p = p * s + SERIES[j];
        }
        return p;
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double cc = c;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            double a = Math.abs(d);
            double z = a / cc;
            if (z <= 1) {
                double s = a / (2 * cc + a);
                double cs = cc * s;
                t[k] = 2 * cs * cs * series(s);
            } else if (a == Double.POSITIVE_INFINITY) {
                t[k] = a;
            } else {
                // also the NaN path (NaN <= 1 is false)
                double l = Double.isFinite(z) || Double.isNaN(z) ? Math.log1p(z) : Math.log(a) - Math.log(cc);
                t[k] = cc * (a - cc * l);
            }
            dx[k] = a == Double.POSITIVE_INFINITY ? Math.copySign(cc, d) : cc * (d / (a + cc));
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double cc = c;
        for (int k = 0, n = b.n; k < n; k++) {
            double r = cc / (Math.abs(b.x[k] - b.y[k]) + cc);
            b.dxx[k] = r * r;
        }
    }
}
