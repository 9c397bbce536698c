package org.losses4j.classification;

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
 * Multi-label soft margin loss (PyTorch {@code MultiLabelSoftMarginLoss}): the logistic loss of
 * every class of a sample, averaged over the classes, one term per sample.
 *
 * <p>Term, one per row: {@code −(1/C)·Σ_c w_c·[y_c·log σ(x_c) + (1 − y_c)·log σ(−x_c)]}
 * ({@code w_c = 1} without {@code weight}), with {@code −log σ(±x)} computed as a stable softplus,
 * so any logit gives a finite value. Gradient {@code w_c·(σ(x_c) − y_c)/C}.
 *
 * <p>Shapes: input logits {@code [N, C]} or a single row {@code [C]}; target of the same shape in
 * [0, 1] (PyTorch documents {0, 1}; the formula is the one of soft targets too); optional
 * {@code weight [C]}; {@code none} gives {@code [N]} ({@code []} for a {@code [C]} input).
 * {@code mean} divides by the number of rows N (the weights do not change the divisor).
 *
 * <p>Reference: PyTorch {@code MultiLabelSoftMarginLoss}.
 */
public final class MultilabelSoftMargin extends TargetRowLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("multilabel_soft_margin", Family.CLASSIFICATION)
            .summary("multi-label logistic loss: binary cross-entropy of every class, averaged over the classes")
            .formula("−(1/C)·Σ_c w_c·[y_c·log σ(x_c) + (1 − y_c)·log σ(−x_c)], one term per row")
            .gradInput("input", "logits [N, C] or [C]")
            .input("target", "same shape as input, values in [0, 1]")
            .optionalInput("weight", "[C] class weights")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-label classification", "image tagging")
            .reference("PyTorch MultiLabelSoftMarginLoss")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * Examples.CLASSES, 2), n,
                    Examples.CLASSES), Examples.t(Examples.binary(r, n * Examples.CLASSES, 0), n, Examples.CLASSES))
                    .with("weight", Examples.t(Examples.uniform(r, Examples.CLASSES, 0.5, 2), Examples.CLASSES)))
            .variable(LossInfo.Variable.LOGIT)
            .factory(MultilabelSoftMargin::new)
            .build();

    private MultilabelSoftMargin(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<MultilabelSoftMargin> builder() {
        return new LossBuilder<>(INFO, MultilabelSoftMargin.class);
    }

    @Override
    boolean acceptsSingleRow() {
        return true;
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        double[] w = l.classVector("weight", in.get("weight"));
        return (xs, y, o, cc, gx, scale) -> {
            double term = 0;
            for (int c = 0; c < cc; c++) {
                double xc = xs[o + c];
                double yc = y[o + c];
                double wc = w == null ? 1.0 : w[c];
                // softplus(±x) = max(±x, 0) + log1p(e^−|x|): −log σ(x) and −log σ(−x), stable for any x
                double e = Math.exp(-Math.abs(xc));
                double l1p = Math.log1p(e);
                term += wc * (yc * (Math.max(-xc, 0) + l1p) + (1 - yc) * (Math.max(xc, 0) + l1p));
                if (gx != null) {
                    double inv = 1 / (1 + e);
                    boolean nonNeg = xc >= 0;
                    // σ(x) − y = (1 − y)·σ(x) − y·σ(−x): no cancellation where σ(x) rounds to y ∈ {0, 1}
                    double d = (1 - yc) * (nonNeg ? inv : e * inv) - yc * (nonNeg ? e * inv : inv); // NaN stays NaN
                    gx[o + c] = scale * wc * d / cc;
                }
            }
            return term / cc; // the mean over the classes, as PyTorch's sum / C
        };
    }
}
