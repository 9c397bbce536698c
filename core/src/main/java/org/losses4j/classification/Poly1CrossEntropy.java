package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Poly-1 cross-entropy: softmax cross-entropy plus ε times the first polynomial term of its
 * Taylor expansion in {@code (1 − p_t)}.
 *
 * <p>Term, one per row, with {@code p = softmax(input)} and {@code p_t = p_y}:
 * {@code −log p_y + ε·(1 − p_y)}. Gradient with respect to logit j:
 * {@code (p_j − [j = y])·(1 + ε·p_y)}. {@code ε = 0} is cross-entropy; {@code ε = −1} removes
 * the first term of the expansion (the loss is then {@code Σ_{k ≥ 2} (1 − p_y)^k / k ≥ 0}).
 *
 * <p>Numerics: {@code log p_y} from a stable log-sum-exp and {@code 1 − p_y = −expm1(log p_y)},
 * so confident rows keep the relative precision of {@code 1 − p_y} and logits of ±1e4 are exact.
 *
 * <p>Shapes: input logits {@code [N, C]}; target int64 {@code [N]}; {@code none} gives
 * {@code [N]}. {@code mean} divides by the number of rows N.
 *
 * <p>Reference: Leng et al. (2022), "PolyLoss: A Polynomial Expansion Perspective of
 * Classification Loss Functions"; Optax {@code poly_loss_cross_entropy}, whose labels are
 * distributions: with the one-hot label of the class index its value is this one. Optax has
 * no label smoothing (it smooths the labels it is given); its default ε is 2.0, 1.0 here.
 */
public final class Poly1CrossEntropy extends IndexRowLoss {
    /**
     * {@code epsilon}: Coefficient ε added to the first polynomial term (1 − p_y): 0 is cross-entropy, −1 drops the
     * term (within ±1e15: it scales part of the loss). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> EPSILON = OptionSpec.real("epsilon", 1.0, OptionSpec.Range.BOUNDED,
            "coefficient ε added to the first polynomial term (1 − p_y): 0 is cross-entropy, −1 drops the term"
                    + " (within ±1e15: it scales part of the loss)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("poly1_cross_entropy", Family.CLASSIFICATION)
            .summary("Poly-1: softmax cross-entropy plus ε·(1 − p_y), a tunable first polynomial term")
            .formula("−log p_y + ε·(1 − p_y), p = softmax(x), one term per row")
            .gradInput("input", "logits [N, C]")
            .labelInput("target", "int64 class indices [N]")
            .options(EPSILON, REDUCTION)
            .divisor("the number of rows N")
            .tasks("multi-class classification", "image classification (ε = 2 on ImageNet, per the paper)")
            .reference("Leng et al. 2022, PolyLoss; Optax poly_loss_cross_entropy")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logits)
            .variable(LossInfo.Variable.TWO_CLASS)
            .factory(Poly1CrossEntropy::new)
            .build();

    private final double epsilon;

    private Poly1CrossEntropy(Options o) {
        super(INFO, o);
        this.epsilon = o.real(EPSILON);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Poly1CrossEntropy}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Poly1CrossEntropy, Builder> {
        private Builder() {
            super(INFO, Poly1CrossEntropy.class);
        }

        /**
         * {@code epsilon}: Coefficient ε added to the first polynomial term (1 − p_y): 0 is cross-entropy, −1
         * drops the term (within ±1e15: it scales part of the loss). Default {@code 1.0}; allowed: in [-1e15,
         * 1e15].
         */
        public Builder epsilon(double value) {
            return set(EPSILON, value);
        }
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        SoftmaxRow row = new SoftmaxRow(l.c);
        double eps = epsilon;
        return (xs, base, cc, lab, gx, scale) -> {
            double lp = row.logP(xs, base, cc, lab);
            double q = -Math.expm1(lp); // 1 − p_y, accurate when p_y is close to 1
            if (gx != null) {
                double k = scale * (1 + eps * Math.exp(lp));
                row.probabilitiesTimes(k, gx, base, cc);
                gx[base + lab] = -k * q; // (p_y − 1)·k with the accurate 1 − p_y
            }
            return eps * q - lp;
        };
    }
}
