package org.losses4j.classification;

import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Smooth hinge loss of Rennie and Srebro: the hinge with its corner replaced by a parabola.
 *
 * <p>Term, with {@code z = y·x}: {@code 0} if {@code z ≥ 1}; {@code ½(1 − z)²} if
 * {@code 0 < z < 1}; {@code ½ − z} if {@code z ≤ 0}. Gradient {@code y·(z − 1)} on the
 * parabola, {@code −y} on the linear part, 0 beyond 1 (continuous everywhere). Second
 * derivative 1 for {@code 0 < z < 1}, else 0 (at the jumps z = 0 and z = 1, 0).
 *
 * <p>Shapes: input (scores) and target (in {−1, +1}) of the same (any) shape. {@code mean}
 * divides by the number of elements.
 *
 * <p>Reference: Rennie &amp; Srebro (2005), "Loss Functions for Preference Levels".
 */
public final class SmoothHinge extends MarginLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("smooth_hinge", Family.CLASSIFICATION)
            .summary("smooth hinge: hinge with a quadratic corner, differentiable and still linear for large errors")
            .formula("z = y·x: 0 if z ≥ 1; ½(1 − z)² if 0 < z < 1; ½ − z if z ≤ 0")
            .gradInput("input", "scores, any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification", "smooth maximum-margin classification")
            .reference("Rennie & Srebro 2005")
            .example(Examples::margins)
            .variable(LossInfo.Variable.MARGIN)
            .factory(SmoothHinge::new)
            .build();

    private SmoothHinge(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<SmoothHinge> builder() {
        return new LossBuilder<>(INFO, SmoothHinge.class);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double yk = y[k];
            double z = yk * x[k];
            if (z >= 1) {
                t[k] = 0.0;
                dx[k] = 0.0;
            } else if (z > 0) {
                double d = 1 - z;
                t[k] = 0.5 * d * d;
                dx[k] = -yk * d;
            } else if (z <= 0) {
                t[k] = 0.5 - z;
                dx[k] = -yk;
            } else { // NaN
                t[k] = z;
                dx[k] = z;
            }
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        for (int k = 0, n = b.n; k < n; k++) {
            double z = y[k] * x[k];
            h[k] = z > 0 && z < 1 ? 1.0 : z == z ? 0.0 : z;
        }
    }
}
