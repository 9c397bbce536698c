package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Hinge loss of a binary classifier's score (the SVM loss).
 *
 * <p>Term: {@code ℓ = max(0, margin − y·x)}. Gradient {@code −y} where {@code y·x < margin},
 * else 0 (subgradient 0 at the kink {@code y·x = margin}); second derivative 0 everywhere
 * (the kink included). NaN propagates to the term, gradient and second derivative.
 *
 * <p>Shapes: input (scores) and target (in {−1, +1}) of the same (any) shape. {@code mean}
 * divides by the number of elements. margin 0 is the perceptron loss.
 *
 * <p>Reference: Cortes &amp; Vapnik (1995), "Support-Vector Networks"; scikit-learn
 * {@code hinge_loss}.
 */
public final class Hinge extends MarginLoss {
    /**
     * {@code margin}: The score y·x beyond which a prediction costs nothing (within ±1e15: a larger margin overflows
     * the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED,
            "the score y·x beyond which a prediction costs nothing (within ±1e15: a larger margin overflows the loss, squared or summed)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("hinge", Family.CLASSIFICATION)
            .summary("SVM hinge loss: linear penalty for scores inside the margin, zero beyond it")
            .formula("max(0, margin − y·x)")
            .gradInput("input", "scores, any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(MARGIN, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification", "support vector machines", "maximum-margin classification")
            .reference("Cortes & Vapnik 1995")
            .example(Examples::margins)
            .kinks(true)
            .variable(LossInfo.Variable.MARGIN)
            .factory(Hinge::new)
            .build();

    private final double margin;

    private Hinge(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Hinge}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Hinge, Builder> {
        private Builder() {
            super(INFO, Hinge.class);
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
        hingeTerms(b, margin);
    }

    @Override
    protected void secondDerivative(Block b) {
        zeroSecondDerivative(b);
    }
}
