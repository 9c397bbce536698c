package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Squared hinge loss (L2-SVM loss): differentiable everywhere.
 *
 * <p>Term: {@code ℓ = max(0, margin − y·x)²}. Gradient {@code −2y·(margin − y·x)} where
 * {@code y·x < margin}, else 0 (0 at {@code y·x = margin}, where it is continuous); second
 * derivative 2 inside the margin, 0 at and beyond it (the jump is at the kink, where 0 is
 * returned).
 *
 * <p>Shapes: input (scores) and target (in {−1, +1}) of the same (any) shape. {@code mean}
 * divides by the number of elements.
 *
 * <p>Reference: Keras {@code SquaredHinge}; L2-SVM (Mangasarian &amp; Musicant 2001).
 */
public final class SquaredHinge extends MarginLoss {
    /**
     * {@code margin}: The score y·x beyond which a prediction costs nothing (within ±1e15: a larger margin overflows
     * the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED,
            "the score y·x beyond which a prediction costs nothing (within ±1e15: a larger margin overflows the loss, squared or summed)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("squared_hinge", Family.CLASSIFICATION)
            .summary("squared hinge (L2-SVM) loss: a smooth hinge that penalises margin violations quadratically")
            .formula("max(0, margin − y·x)²")
            .gradInput("input", "scores, any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(MARGIN, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification", "support vector machines")
            .reference("Keras SquaredHinge; Mangasarian & Musicant 2001")
            .example(Examples::margins)
            .variable(LossInfo.Variable.MARGIN)
            .factory(SquaredHinge::new)
            .build();

    private final double margin;

    private SquaredHinge(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code SquaredHinge}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<SquaredHinge, Builder> {
        private Builder() {
            super(INFO, SquaredHinge.class);
        }

        /**
         * {@code margin}: The score y·x beyond which a prediction costs nothing (within ±1e15: a larger margin
         * overflows the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double m = margin;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = m - y[k] * x[k];
            boolean in = d > 0;
            t[k] = in ? d * d : d <= 0 ? 0.0 : d;
            dx[k] = in ? -2 * y[k] * d : d <= 0 ? 0.0 : d;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        double m = margin;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = m - y[k] * x[k];
            h[k] = d > 0 ? 2.0 : d <= 0 ? 0.0 : d;
        }
    }
}
