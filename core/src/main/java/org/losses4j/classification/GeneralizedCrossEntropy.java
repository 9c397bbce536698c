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
 * Generalized cross-entropy (the L_q loss): a noise-robust loss between cross-entropy
 * ({@code q → 0}) and the mean absolute error of the probabilities ({@code q = 1}).
 *
 * <p>Term, one per row, with {@code p = softmax(input)}: {@code (1 − p_y^q) / q}. Gradient
 * with respect to logit j: {@code p_y^q·(p_j − [j = y])}; bounded by 1 in magnitude, which
 * is what makes the loss robust to mislabelled rows. {@code q = 1} is {@code 1 − p_y}.
 *
 * <p>Numerics: with {@code ℓ = log p_y} from a stable log-sum-exp, {@code p_y^q = exp(q·ℓ)} and
 * {@code 1 − p_y^q = −expm1(q·ℓ)}, so confident rows do not cancel and logits of ±1e4 give
 * exact values (a term of at most {@code 1/q}) and gradients.
 *
 * <p>Shapes: input logits {@code [N, C]}; target int64 {@code [N]}; {@code none} gives
 * {@code [N]}. {@code mean} divides by the number of rows N.
 *
 * <p>Reference: Zhang and Sabuncu (2018), "Generalized Cross Entropy Loss for Training Deep
 * Neural Networks with Noisy Labels" (the L_q loss, without its truncation).
 */
public final class GeneralizedCrossEntropy extends IndexRowLoss {
    /**
     * {@code q}: Exponent q: towards 0 the loss approaches cross-entropy, at 1 it is 1 − p_y (MAE). Default {@code 0.7};
     * allowed: in (0, 1].
     */
    public static final OptionSpec<Double> Q = OptionSpec.real("q", 0.7, OptionSpec.Range.UNIT_LEFT_OPEN,
            "exponent q: towards 0 the loss approaches cross-entropy, at 1 it is 1 − p_y (MAE)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("generalized_cross_entropy", Family.CLASSIFICATION)
            .summary("generalized cross-entropy (L_q): between cross-entropy and MAE, robust to noisy labels")
            .formula("(1 − p_y^q)/q, p = softmax(x), one term per row")
            .gradInput("input", "logits [N, C]")
            .labelInput("target", "int64 class indices [N]")
            .options(Q, REDUCTION)
            .divisor("the number of rows N")
            .robust(true)
            .tasks("multi-class classification with noisy labels")
            .reference("Zhang & Sabuncu 2018, Generalized Cross Entropy Loss for Training Deep Neural Networks"
                    + " with Noisy Labels")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logits)
            .variable(LossInfo.Variable.TWO_CLASS)
            .factory(GeneralizedCrossEntropy::new)
            .build();

    private final double q;

    private GeneralizedCrossEntropy(Options o) {
        super(INFO, o);
        this.q = o.real(Q);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code GeneralizedCrossEntropy}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<GeneralizedCrossEntropy, Builder> {
        private Builder() {
            super(INFO, GeneralizedCrossEntropy.class);
        }

        /**
         * {@code q}: Exponent q: towards 0 the loss approaches cross-entropy, at 1 it is 1 − p_y (MAE). Default
         * {@code 0.7}; allowed: in (0, 1].
         */
        public Builder q(double value) {
            return set(Q, value);
        }
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        SoftmaxRow row = new SoftmaxRow(l.c);
        double qq = q;
        return (xs, base, cc, lab, gx, scale) -> {
            double lp = row.logP(xs, base, cc, lab);
            double oneMinus = -Math.expm1(qq * lp); // 1 − p_y^q without cancellation
            if (gx != null) {
                double k = scale * Math.exp(qq * lp); // p_y^q
                row.probabilitiesTimes(k, gx, base, cc);
                gx[base + lab] = k * Math.expm1(lp); // p_y^q·(p_y − 1) with the accurate p_y − 1
            }
            return oneMinus / qq;
        };
    }
}
