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
 * Multiclass perceptron loss: how far the label's score is below the best score.
 *
 * <p>Term, one per row: {@code max_c x_c − x_y} (never negative; 0 when the label has the top
 * score). Gradient: {@code 1/k} at each of the k classes with the top score (the subgradient that
 * autograd of {@code max} gives in JAX and of {@code amax} in PyTorch), minus 1 at the label. A NaN
 * score makes the row's term and gradient NaN.
 *
 * <p>Shapes: input scores {@code [N, C]}; target int64 {@code [N]}; {@code none} gives {@code [N]};
 * {@code mean} divides by N.
 *
 * <p>Reference: Rosenblatt (1958); Collins (2002) for the multiclass form; Optax
 * {@code multiclass_perceptron_loss}.
 */
public final class MulticlassPerceptron extends IndexRowLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("multiclass_perceptron", Family.CLASSIFICATION)
            .summary("perceptron loss for C classes: the best score minus the label's score")
            .formula("max_c x_c − x_y, one term per row")
            .gradInput("input", "scores [N, C]")
            .labelInput("target", "int64 class indices [N]")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("online multi-class linear classification", "structured perceptron training")
            .reference("Rosenblatt 1958; Collins 2002; Optax multiclass_perceptron_loss")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logits)
            .kinks(true)
            .factory(MulticlassPerceptron::new)
            .build();

    private MulticlassPerceptron(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<MulticlassPerceptron> builder() {
        return new LossBuilder<>(INFO, MulticlassPerceptron.class);
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        return (xs, base, cc, lab, gx, scale) -> {
            if (nanRow(xs, base, cc, gx)) {
                return Double.NaN;
            }
            double max = Double.NEGATIVE_INFINITY;
            int ties = 0;
            for (int c = 0; c < cc; c++) {
                double v = xs[base + c];
                if (v > max) {
                    max = v;
                    ties = 1;
                } else if (v == max) {
                    ties++;
                }
            }
            if (gx != null) {
                double share = scale / ties;
                for (int c = 0; c < cc; c++) {
                    if (xs[base + c] == max) {
                        gx[base + c] = share;
                    }
                }
                gx[base + lab] -= scale;
            }
            // the label at the top (also +∞ there) gives exactly 0
            return xs[base + lab] == max ? 0.0 : max - xs[base + lab];
        };
    }
}
