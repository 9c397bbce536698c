package org.losses4j.regression;

import java.util.Arrays;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Gaussian negative log-likelihood with a predicted variance (heteroscedastic regression).
 *
 * <p>Term, with {@code v = max(var, eps)} and {@code d = x − y}:
 * {@code ½(log v + d²/v)}, plus {@code ½log(2π)} when {@code full}. Gradients:
 * {@code ∂/∂x = d/v}; {@code ∂/∂var = ½(1/v − d²/v²)} where {@code var ≥ eps} and 0 where
 * {@code var < eps} (the clamp is flat there; PyTorch passes the gradient through instead).
 * Second derivative in x: {@code 1/v}.
 *
 * <p>Shapes: input and target of the same (any) shape; {@code var} of input's shape (one
 * variance per element) or input's shape with the last dimension 1 (one variance per row,
 * shared by that row; its gradient sums over the row). Any other shape is refused, and so is a
 * negative variance; a variance below eps, 0 included, is clamped to eps. NaN propagates.
 * {@code mean} divides by the number of elements of input.
 *
 * <p>Reference: Nix &amp; Weigend (1994), "Estimating the mean and variance of the target
 * probability distribution"; PyTorch {@code GaussianNLLLoss}.
 */
public final class GaussianNll extends ElementwiseLoss {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    /** {@code full}: Add the constant ½log(2π) to every term. Default {@code false}; allowed: true or false. */
    public static final OptionSpec<Boolean> FULL = OptionSpec.bool("full", false,
            "add the constant ½log(2π) to every term");
    /** {@code eps}: Variances below eps are clamped to eps. Default {@code 1.0E-6}; allowed: &gt; 0. */
    public static final OptionSpec<Double> EPS = OptionSpec.real("eps", 1e-6, OptionSpec.Range.POSITIVE,
            "variances below eps are clamped to eps");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("gaussian_nll", Family.REGRESSION)
            .summary("Gaussian negative log-likelihood with a predicted variance: regression that also learns its uncertainty")
            .formula("½(log(max(var, eps)) + (x − y)²/max(var, eps)), + ½log(2π) if full")
            .gradInput("input", "any shape (predicted mean)")
            .input("target", "same shape as input")
            .gradInput("var", "input's shape, or input's shape with last dimension 1; values >= 0")
            .options(FULL, EPS, REDUCTION)
            .divisor("the number of elements of input")
            .elementwise(true)
            .tasks("heteroscedastic regression", "regression with uncertainty", "probabilistic forecasting")
            .reference("Nix & Weigend 1994; PyTorch GaussianNLLLoss")
            .example((r, n, o) -> Examples.regression(r, n, o).with("var", Examples.t(Examples.uniform(r, n * 3, 0.3, 2), n, 3)))
            .factory(GaussianNll::new)
            .build();

    private final boolean full;
    private final double eps;

    private GaussianNll(Options o) {
        super(INFO, o);
        this.full = o.get(FULL);
        this.eps = o.real(EPS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code GaussianNll}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<GaussianNll, Builder> {
        private Builder() {
            super(INFO, GaussianNll.class);
        }

        /**
         * {@code full}: Add the constant ½log(2π) to every term. Default {@code false}; allowed: true or
         * false.
         */
        public Builder full(boolean value) {
            return set(FULL, value);
        }

        /** {@code eps}: Variances below eps are clamped to eps. Default {@code 1.0E-6}; allowed: &gt; 0. */
        public Builder eps(double value) {
            return set(EPS, value);
        }
    }

    @Override
    protected String auxName() {
        return "var";
    }

    @Override
    protected boolean auxDifferentiable() {
        return true;
    }

    /** Accepts var of input's shape or of input's shape with last dimension 1; var >= 0. */
    @Override
    protected AuxShape auxShape(Tensor input, Tensor var) {
        int[] xs = input.shape(), vs = var.shape();
        AuxShape mode;
        if (Arrays.equals(xs, vs)) {
            mode = AuxShape.FULL;
        } else if (xs.length > 0 && vs.length == xs.length && vs[vs.length - 1] == 1
                && Arrays.equals(Arrays.copyOf(xs, xs.length - 1), Arrays.copyOf(vs, vs.length - 1))) {
            mode = AuxShape.ROW;
        } else {
            String row = "";
            if (xs.length > 0) {
                int[] r = xs.clone();
                r[r.length - 1] = 1;
                row = " or " + Arrays.toString(r) + " (one variance per row)";
            }
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "var shape " + var.shapeString()
                    + " must be input's shape " + input.shapeString() + row);
        }
        // the driver hands only input and target to validate(): var's domain is checked here
        Check.atLeast("var", var, 0);
        return mode;
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, var = b.aux, t = b.term, dx = b.dx, dv = b.daux;
        double ep = eps;
        double c = full ? HALF_LOG_2PI : 0.0;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            double s = var[k];
            double v = Math.max(s, ep); // NaN stays NaN
            double q = d / v;
            t[k] = 0.5 * (Math.log(v) + d * q) + c;
            dx[k] = q;
            // clamped (var < eps): the term does not depend on var; NaN var fails the test and propagates
            dv[k] = s < ep ? 0.0 : 0.5 * (1 - d * q) / v;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double ep = eps;
        for (int k = 0, n = b.n; k < n; k++) {
            b.dxx[k] = 1.0 / Math.max(b.aux[k], ep);
        }
    }
}
