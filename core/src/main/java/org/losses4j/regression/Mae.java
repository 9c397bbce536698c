package org.losses4j.regression;

import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Mean absolute error (L1 loss).
 *
 * <p>Term: {@code ℓ = |x − y|}; gradient {@code sign(x − y)}, with the subgradient 0 at
 * {@code x = y}; second derivative 0 (also at the kink, where it does not exist).
 * Shapes: input and target of the same (any) shape. {@code mean} divides by the number of
 * elements; {@code none} returns the terms in input's shape.
 *
 * <p>Reference: PyTorch {@code L1Loss}; Laplace (1774), least absolute deviations.
 */
public final class Mae extends ElementwiseLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("mae", Family.REGRESSION)
            .summary("mean absolute error: the Laplace-noise maximum-likelihood loss; estimates the median, robust to outliers")
            .formula("|x − y|; subgradient 0 at x = y")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("regression", "regression with outliers", "median regression")
            .reference("PyTorch L1Loss")
            .example(Examples::regression)
            .kinks(true)
            .factory(Mae::new)
            .build();

    private Mae(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Mae> builder() {
        return new LossBuilder<>(INFO, Mae.class);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            t[k] = Math.abs(d);
            // signum: 0 at d = 0 (the catalog's subgradient), NaN for NaN
            dx[k] = Math.signum(d);
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        // piecewise linear: 0 everywhere (0 chosen at the kink); d − d is +0 and keeps NaN
        for (int k = 0, n = b.n; k < n; k++) {
            double d = b.x[k] - b.y[k];
            b.dxx[k] = d - d;
        }
    }
}
