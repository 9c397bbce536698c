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
 * Sparse categorical cross-entropy: probabilities with class-index targets.
 *
 * <p>Term, one per row: {@code −max(log p_y, −100)}; gradient {@code −1 / max(p_y, 1e-12)} at
 * the label (also where the clamp is active), 0 elsewhere. RowTerm are used as given (no
 * renormalisation).
 *
 * <p>Shapes: input {@code [N, C]} probabilities in [0, 1]; target int64 {@code [N]} with
 * labels in [0, C) (no ignore index); {@code none} gives {@code [N]}. {@code mean} divides by N.
 *
 * <p>Reference: Keras {@code sparse_categorical_crossentropy} (probabilities).
 */
public final class SparseCategoricalCrossEntropy extends IndexRowLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("sparse_categorical_cross_entropy", Family.CLASSIFICATION)
            .summary("cross-entropy of probability rows against class indices")
            .formula("−max(log p_y, −100), one term per row")
            .gradInput("input", "probabilities [N, C] in [0, 1]")
            .labelInput("target", "int64 class indices [N]")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-class classification on a softmax output")
            .reference("Keras sparse_categorical_crossentropy")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(
                    Examples.t(Examples.softmaxRows(Examples.gauss(r, n * Examples.CLASSES, 1), Examples.CLASSES), n,
                            Examples.CLASSES), Examples.labels(r, n, Examples.CLASSES)))
            .factory(SparseCategoricalCrossEntropy::new)
            .build();

    private SparseCategoricalCrossEntropy(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<SparseCategoricalCrossEntropy> builder() {
        return new LossBuilder<>(INFO, SparseCategoricalCrossEntropy.class);
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        Check.closed("input", x, 0, 1);
        return (p, base, c, label, gx, scale) -> {
            int i = base + label;
            if (gx != null) {
                gx[i] = -scale / Math.max(p[i], 1e-12);
            }
            return -Math.max(Math.log(p[i]), -100.0);
        };
    }
}
