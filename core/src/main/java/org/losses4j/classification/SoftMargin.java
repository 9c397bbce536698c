package org.losses4j.classification;

import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Soft-margin (logistic) loss on ±1 labels.
 *
 * <p>Term, with {@code u = y·x}: {@code ℓ = log(1 + exp(−u)) = softplus(−u)}, computed as
 * {@code max(−u, 0) + log1p(exp(−|u|))}: exact and finite for any finite u (PyTorch 1.13
 * overflows to ∞ beyond −u ≈ 709; the exact value is returned here). Gradient
 * {@code −y·σ(−u)}; second derivative {@code σ(u)σ(−u)}.
 *
 * <p>Shapes: input (scores) and target (in {−1, +1}) of the same (any) shape. {@code mean}
 * divides by the number of elements.
 *
 * <p>Reference: PyTorch {@code SoftMarginLoss}; logistic regression.
 */
public final class SoftMargin extends MarginLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("soft_margin", Family.CLASSIFICATION)
            .summary("logistic loss on ±1 labels: a smooth hinge with probabilistic meaning")
            .formula("log(1 + exp(−y·x))")
            .gradInput("input", "scores, any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification", "logistic regression")
            .reference("PyTorch SoftMarginLoss")
            .example(Examples::margins)
            .variable(LossInfo.Variable.MARGIN)
            .factory(SoftMargin::new)
            .build();

    private SoftMargin(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<SoftMargin> builder() {
        return new LossBuilder<>(INFO, SoftMargin.class);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double yk = y[k];
            double u = yk * x[k];
            double e = Math.exp(-Math.abs(u));
            t[k] = Math.max(-u, 0) + Math.log1p(e);
            double r = 1 / (1 + e);
            dx[k] = -yk * (u >= 0 ? e * r : r); // −y·σ(−u)
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        for (int k = 0, n = b.n; k < n; k++) {
            double e = Math.exp(-Math.abs(y[k] * x[k]));
            double r = 1 / (1 + e);
            h[k] = e * r * r; // σ(u)σ(−u) = e/(1 + e)², e = exp(−|u|)
        }
    }
}
