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
 * Barron's general and adaptive robust loss: one shape parameter α moves it continuously through
 * L2 (α = 2), pseudo-Huber/Charbonnier (1), Cauchy/Lorentzian (0), Geman–McClure (−2) and
 * Welsch/Leclerc (−∞); smaller α is more robust (for α &lt; 0 an outlier costs a bounded amount).
 *
 * <p>Term, with {@code d = x − y}, {@code z = d/c}, {@code b = |α − 2|} and {@code q = z²/b}:
 * {@code ρ = (b/α)·((1 + q)^(α/2) − 1)}; its limits {@code ½z²} (α = 2), {@code log(1 + ½z²)}
 * (α = 0), {@code 1 − exp(−½z²)} (α = −∞) and {@code exp(½z²) − 1} (α = +∞) are the values there.
 * Gradient {@code (z/c)·(1 + q)^((α−2)/2)}; second derivative
 * {@code (1 + q)^((α−4)/2)·(1 + (α − 1)q)/c²}. Shapes: input, target and the optional
 * per-element {@code weight} of the same (any) shape; {@code mean} divides by the number of
 * elements.
 *
 * <p>Numerics: the formula as written is 0/0 at α = 0 and α = 2 and loses every digit near
 * them (Barron's reference code clamps α and |α − 2| at float32's epsilon, which makes it wrong
 * by up to about 1e-7 there). Here, with {@code L = log1p(q)}: for {@code |α − 2| ≥ 1} the term
 * is {@code b·(L/2)·expm1(u)/u}, {@code u = αL/2} (no division by α, exact at α = 0 and for
 * tiny α); for {@code 1 < α < 3} it is {@code (z²·e^s + b·expm1(s))/α}, {@code s = (α − 2)L/2}
 * (no division by a tiny b, exact at α = 2). Gradient and second derivative are powers of
 * {@code 1 + q} taken as exponentials of multiples of L. Residuals whose square overflows use
 * {@code L = 2·log|z| − log b} and products taken in log space, so every result is finite where
 * the true value is; an infinite residual gives each limit (the bounded term b/|α| for α &lt; 0).
 *
 * <p>Reference: Barron (2019), "A General and Adaptive Robust Loss Function", CVPR (eq. 1 and
 * its limits); Barron's robust_loss_pytorch {@code general.lossfun}. α = 1 is pseudo_huber with
 * δ = c divided by c².
 */
public final class Robust extends ElementwiseLoss {
    /**
     * {@code alpha}: Shape α: 2 is L2, 1 pseudo-Huber, 0 Cauchy, −2 Geman–McClure, −Infinity Welsch; smaller is
     * more robust (finite values at most 1e15 in magnitude). Default {@code 1.0}; allowed: in [-1e15, 1e15],
     * -Infinity or Infinity.
     */
    public static final OptionSpec<Double> ALPHA = OptionSpec.realOrInfinite("alpha", 1.0, OptionSpec.Range.BOUNDED,
            "shape α: 2 is L2, 1 pseudo-Huber, 0 Cauchy, −2 Geman–McClure, −Infinity Welsch; smaller is more robust"
                    + " (finite values at most 1e15 in magnitude)");
    /**
     * {@code c}: Scale c: the residual size where the quadratic bowl ends (at least 1e-8: the gradient grows as 1/c,
     * as 1/c² for α = 2, and overflows float32 for tiny values). Default {@code 1.0}; allowed: &gt;= 1e-8.
     */
    public static final OptionSpec<Double> C = OptionSpec.real("c", 1.0, OptionSpec.Range.AT_LEAST_1E_MINUS_8,
            "scale c: the residual size where the quadratic bowl ends (at least 1e-8: the gradient grows as 1/c,"
                    + " as 1/c² for α = 2, and overflows float32 for tiny values)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("robust", Family.REGRESSION)
            .summary("Barron's general robust loss: one shape α from L2 (2) through pseudo-Huber (1), Cauchy (0)"
                    + " and Geman–McClure (−2) to Welsch (−∞)")
            .formula("(b/α)·(((d/c)²/b + 1)^(α/2) − 1), b = |α − 2|, d = x − y; limits at α = 2, 0, ±∞")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .optionalInput("weight", "same shape as input")
            .options(ALPHA, C, REDUCTION)
            .divisor("the number of elements")
            .robust(true).elementwise(true)
            .tasks("robust regression", "regression with outliers", "tuning robustness with one parameter")
            .reference("Barron 2019, A General and Adaptive Robust Loss Function")
            .example((r, n, o) -> Examples.regression(r, n, o)
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3)))
            .factory(Robust::new)
            .build();

    /** Residuals |z| beyond this take L = 2·log|z| − log b and log-space products (z² may overflow). */
    private static final double HUGE = 1e140;

    private final double alpha;
    private final double c;
    /** b = |α − 2| (∞ for α = ±∞, 0 for α = 2: those cases have formulas of their own) and log b. */
    private final double b;
    private final double logB;

    private Robust(Options o) {
        super(INFO, o);
        this.alpha = o.real(ALPHA);
        this.c = o.real(C);
        this.b = Math.abs(alpha - 2);
        this.logB = Math.log(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Robust}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Robust, Builder> {
        private Builder() {
            super(INFO, Robust.class);
        }

        /**
         * {@code alpha}: Shape α: 2 is L2, 1 pseudo-Huber, 0 Cauchy, −2 Geman–McClure, −Infinity Welsch; smaller
         * is more robust (finite values at most 1e15 in magnitude). Default {@code 1.0}; allowed: in [-1e15,
         * 1e15], -Infinity or Infinity.
         */
        public Builder alpha(double value) {
            return set(ALPHA, value);
        }

        /**
         * {@code c}: Scale c: the residual size where the quadratic bowl ends (at least 1e-8: the gradient grows
         * as 1/c, as 1/c² for α = 2, and overflows float32 for tiny values). Default {@code 1.0}; allowed:
         * &gt;= 1e-8.
         */
        public Builder c(double value) {
            return set(C, value);
        }
    }

    @Override
    protected void terms(Block blk) {
        double[] x = blk.x, y = blk.y, t = blk.term, dx = blk.dx;
        for (int k = 0, n = blk.n; k < n; k++) {
            double z = (x[k] - y[k]) / c;
            t[k] = term(z);
            dx[k] = slope(z) / c;
        }
    }

    @Override
    protected void secondDerivative(Block blk) {
        double cc = c * c;
        for (int k = 0, n = blk.n; k < n; k++) {
            blk.dxx[k] = curvature((blk.x[k] - blk.y[k]) / c) / cc;
        }
    }

    /** L = log(1 + z²/b) for |z| ≤ HUGE (finite z², and q finite since b ≥ 2^-52 when α ≠ 2), else 2·log|z| − log b. */
    private double logOnePlusQ(double a) {
        return a > HUGE ? 2 * Math.log(a) - logB : Math.log1p(a * a / b);
    }

    /** ρ(z). */
    private double term(double z) {
        double a = Math.abs(z);
        double al = alpha;
        if (al == Double.NEGATIVE_INFINITY) {
            return -Math.expm1(-0.5 * z * z);
        }
        if (al == Double.POSITIVE_INFINITY) {
            return Math.expm1(0.5 * z * z);
        }
        if (al == 2) {
            return 0.5 * z * z;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return al < 0 ? b / -al : Double.POSITIVE_INFINITY;
        }
        double l = logOnePlusQ(a);
        if (b < 1) {
            // 1 < α < 3: (z²·e^s + b·expm1(s))/α, s = (α − 2)L/2, no division by the small b
            double s = 0.5 * (al - 2) * l;
            if (a > HUGE) {
                return Math.exp(2 * Math.log(a) + s) / al;
            }
            return (z * z * Math.exp(s) + b * Math.expm1(s)) / al;
        }
        // |α − 2| ≥ 1: b·(L/2)·expm1(u)/u, u = αL/2, no division by a small α (u = 0 at α = 0)
        double u = 0.5 * al * l;
        if (u > 700) {
            return Math.exp(u + Math.log(b / al));
        }
        double e = u == 0 ? 1 : Math.expm1(u) / u;
        return b * (0.5 * l) * e;
    }

    /** dρ/dz = z·(1 + q)^((α−2)/2). */
    private double slope(double z) {
        double a = Math.abs(z);
        double al = alpha;
        if (al == Double.NEGATIVE_INFINITY) {
            double e = Math.exp(-0.5 * z * z);
            return e == 0 ? 0 : z * e;
        }
        if (al == Double.POSITIVE_INFINITY) {
            return z * Math.exp(0.5 * z * z);
        }
        if (al == 2) {
            return z;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return al < 1 ? 0 : al == 1 ? Math.signum(z) : z;
        }
        double s = 0.5 * (al - 2) * logOnePlusQ(a);
        if (a <= HUGE && Math.abs(s) < 700) {
            return z * Math.exp(s);
        }
        return a == 0 ? z : Math.copySign(Math.exp(Math.log(a) + s), z);
    }

    /** d²ρ/dz² = (1 + q)^((α−4)/2)·(1 + (α − 1)q). */
    private double curvature(double z) {
        double a = Math.abs(z);
        double al = alpha;
        double z2 = z * z;
        if (al == Double.NEGATIVE_INFINITY) {
            double e = Math.exp(-0.5 * z2);
            return e == 0 ? 0 : (1 - z2) * e;
        }
        if (al == Double.POSITIVE_INFINITY) {
            return (1 + z2) * Math.exp(0.5 * z2);
        }
        if (al == 2) {
            return 1;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return al < 2 ? 0 : Double.POSITIVE_INFINITY;
        }
        double l = logOnePlusQ(a);
        double r = 0.5 * (al - 4) * l;
        if (a > HUGE) {
            // 1 + (α − 1)q ≈ (α − 1)q with log q = L to rounding
            if (al == 1) {
                return Math.exp(r);
            }
            return Math.copySign(Math.exp(r + Math.log(Math.abs(al - 1)) + l), al - 1);
        }
        double k = 1 + (al - 1) * (z2 / b);
        if (Math.abs(r) < 700) {
            return Math.exp(r) * k;
        }
        return k == 0 ? 0 : Math.copySign(Math.exp(r + Math.log(Math.abs(k))), k);
    }
}
