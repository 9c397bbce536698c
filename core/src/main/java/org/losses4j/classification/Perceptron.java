package org.losses4j.classification;

import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Perceptron loss of a binary classifier's score: the hinge with margin 0, so only misclassified
 * scores cost anything.
 *
 * <p>Term: {@code ℓ = max(0, −y·x)}. Gradient {@code −y} where {@code y·x < 0}, else 0
 * (subgradient 0 at the kink {@code y·x = 0}, as for hinge: a score of exactly 0 is not updated);
 * second derivative 0 everywhere (the kink included). NaN propagates to the term, gradient and
 * second derivative.
 *
 * <p>Shapes: input (scores) and target (in {−1, +1}) of the same (any) shape. {@code mean}
 * divides by the number of elements. Equal to {@code hinge} with margin 0.
 *
 * <p>Reference: Rosenblatt (1958), "The perceptron: a probabilistic model for information storage
 * and organization in the brain"; scikit-learn {@code Perceptron} /
 * {@code SGDClassifier(loss='perceptron')} (its {@code Hinge(threshold=0)}).
 */
public final class Perceptron extends MarginLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("perceptron", Family.CLASSIFICATION)
            .summary("perceptron loss: linear penalty for misclassified scores only (hinge with margin 0)")
            .formula("max(0, −y·x)")
            .gradInput("input", "scores, any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification", "online linear classification", "linearly separable data")
            .reference("Rosenblatt 1958; scikit-learn Perceptron")
            .example(Examples::margins)
            .kinks(true)
            .variable(LossInfo.Variable.MARGIN)
            .factory(Perceptron::new)
            .build();

    private Perceptron(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Perceptron> builder() {
        return new LossBuilder<>(INFO, Perceptron.class);
    }

    @Override
    protected void terms(Block b) {
        hingeTerms(b, 0.0);
    }

    @Override
    protected void secondDerivative(Block b) {
        zeroSecondDerivative(b);
    }
}
