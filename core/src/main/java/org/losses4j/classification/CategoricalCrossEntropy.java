package org.losses4j.classification;

import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Categorical cross-entropy on probabilities, with probability or one-hot targets.
 *
 * <p>Term, one per row: {@code −Σ_c y_c·max(log p_c, −100)}. The rows of {@code p} are used as
 * given (no renormalisation). Gradient {@code −y_c / max(p_c, 1e-12)}, also where the clamp of
 * the log is active (so a probability of exactly 0 gives a finite value and gradient).
 *
 * <p>Shapes: input {@code [N, C]} probabilities in [0, 1]; target {@code [N, C]} in [0, 1];
 * {@code none} gives {@code [N]}. {@code mean} divides by the number of rows N.
 *
 * <p>Reference: Keras {@code categorical_crossentropy} (probabilities, without its
 * renormalisation); the −100 clamp as PyTorch {@code BCELoss}.
 */
public final class CategoricalCrossEntropy extends TargetRowLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("categorical_cross_entropy", Family.CLASSIFICATION)
            .summary("cross-entropy between probability rows and target distributions (one-hot or soft)")
            .formula("−Σ_c y_c·max(log p_c, −100), one term per row")
            .gradInput("input", "probabilities [N, C] in [0, 1]")
            .input("target", "probabilities or one-hot [N, C] in [0, 1]")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-class classification on a softmax output", "soft-label training")
            .reference("Keras categorical_crossentropy (no renormalisation)")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(
                    Examples.t(Examples.softmaxRows(Examples.gauss(r, n * Examples.CLASSES, 1), Examples.CLASSES), n,
                            Examples.CLASSES),
                    Examples.t(Examples.softmaxRows(Examples.gauss(r, n * Examples.CLASSES, 1), Examples.CLASSES), n,
                            Examples.CLASSES)))
            .factory(CategoricalCrossEntropy::new)
            .build();

    private CategoricalCrossEntropy(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<CategoricalCrossEntropy> builder() {
        return new LossBuilder<>(INFO, CategoricalCrossEntropy.class);
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        Check.closed("input", x, 0, 1);
        return (p, y, o, cc, gx, scale) -> {
            double term = 0;
            for (int c = 0, i = o; c < cc; c++, i++) {
                // Math.max keeps a NaN probability NaN
                term -= y[i] * Math.max(Math.log(p[i]), -100.0);
                if (gx != null) {
                    gx[i] = -y[i] / Math.max(p[i], 1e-12) * scale;
                }
            }
            return term;
        };
    }
}
