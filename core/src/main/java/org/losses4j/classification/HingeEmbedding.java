package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Hinge embedding loss (PyTorch {@code HingeEmbeddingLoss}): the input is a distance (or a
 * dissimilarity) of a pair, small for similar pairs ({@code y = 1}) and at least the margin for
 * dissimilar ones ({@code y = −1}).
 *
 * <p>Term: {@code x} if {@code y = 1}; {@code max(0, margin − x)} if {@code y = −1}. Gradient
 * 1 for {@code y = 1}; −1 for {@code y = −1} where {@code x < margin}, else 0 (subgradient 0 at
 * the kink {@code x = margin}, as hinge; PyTorch 1.13's backward gives −1 there); second
 * derivative 0 everywhere. NaN propagates to the term, gradient and second derivative.
 *
 * <p>Shapes: input and target (in {−1, +1}) of the same (any) shape. {@code mean} divides by the
 * number of elements.
 *
 * <p>Reference: PyTorch {@code HingeEmbeddingLoss} (which also accepts other target values;
 * they are refused here).
 */
public final class HingeEmbedding extends MarginLoss {
    /**
     * {@code margin}: The distance beyond which a dissimilar pair (y = −1) costs nothing (within ±1e15: a larger margin
     * overflows the loss when summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED,
            "the distance beyond which a dissimilar pair (y = −1) costs nothing (within ±1e15: a larger margin"
                    + " overflows the loss when summed)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("hinge_embedding", Family.CLASSIFICATION)
            .summary("hinge embedding loss: the distance for similar pairs, a hinge on it for dissimilar ones")
            .formula("x if y = 1; max(0, margin − x) if y = −1")
            .gradInput("input", "distances (or scores), any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(MARGIN, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("learning embeddings from similar / dissimilar pairs", "semi-supervised learning")
            .reference("PyTorch HingeEmbeddingLoss")
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.uniform(r, n * 3, 0, 3), n, 3),
                    Examples.t(Examples.binary(r, n * 3, -1), n, 3)))
            .kinks(true)
            .variable(LossInfo.Variable.DISSIMILAR)
            .factory(HingeEmbedding::new)
            .build();

    private final double margin;

    private HingeEmbedding(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code HingeEmbedding}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<HingeEmbedding, Builder> {
        private Builder() {
            super(INFO, HingeEmbedding.class);
        }

        /**
         * {@code margin}: The distance beyond which a dissimilar pair (y = −1) costs nothing (within ±1e15: a
         * larger margin overflows the loss when summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
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
            double xk = x[k];
            if (y[k] == 1) {
                t[k] = xk;
                dx[k] = xk == xk ? 1.0 : xk;
            } else if (y[k] == -1) {
                double d = m - xk;
                t[k] = Math.max(0.0, d);
                // inside the margin: −1; at or beyond it: 0; NaN fails both tests and stays NaN
                dx[k] = d > 0 ? -1.0 : d <= 0 ? 0.0 : d;
            } else {
                t[k] = y[k]; // a NaN target (the only other value validation lets through) stays NaN
                dx[k] = y[k];
            }
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        for (int k = 0, n = b.n; k < n; k++) {
            double z = x[k] + y[k]; // NaN when either is
            h[k] = z == z ? 0.0 : z;
        }
    }
}
