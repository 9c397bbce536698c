package org.losses4j.classification;

import java.util.Arrays;
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
 * Crammer–Singer multi-class hinge loss.
 *
 * <p>Term, one per row: {@code max(0, margin + max_{j≠y} x_j − x_y)}. Gradient where the term
 * is positive: +1 at the highest-scoring wrong class (the first one on a tie), −1 at the
 * label; 0 at and below the kink. A NaN score makes the row's term and gradient NaN.
 *
 * <p>Shapes: input scores {@code [N, C]} with {@code C ≥ 2}; target int64 {@code [N]};
 * {@code none} gives {@code [N]}. {@code mean} divides by the number of rows N.
 *
 * <p>Reference: Crammer and Singer (2001), "On the Algorithmic Implementation of Multiclass
 * Kernel-based Vector Machines".
 */
public final class MulticlassHinge extends IndexRowLoss {
    /**
     * {@code margin}: Required gap between the label's score and every other class's score (within ±1e15: a larger
     * margin overflows the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED,
            "required gap between the label's score and every other class's score (within ±1e15: a larger margin overflows the loss, squared or summed)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("multiclass_hinge", Family.CLASSIFICATION)
            .summary("Crammer–Singer hinge: the label must beat the best wrong class by a margin")
            .formula("max(0, margin + max_{j≠y} x_j − x_y), one term per row")
            .gradInput("input", "scores [N, C], C >= 2")
            .labelInput("target", "int64 class indices [N]")
            .options(MARGIN, REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-class SVM", "multi-class classification with margins")
            .reference("Crammer & Singer 2001")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logits)
            .kinks(true)
            .variable(LossInfo.Variable.TWO_CLASS)
            .factory(MulticlassHinge::new)
            .build();

    private final double margin;

    private MulticlassHinge(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code MulticlassHinge}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<MulticlassHinge, Builder> {
        private Builder() {
            super(INFO, MulticlassHinge.class);
        }

        /**
         * {@code margin}: Required gap between the label's score and every other class's score (within ±1e15:
         * a larger margin overflows the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15,
         * 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        l.requireAtLeastClasses(x, 2, "multiclass_hinge (a best wrong class)");
        double m = margin;
        return (xs, base, cc, lab, gx, scale) -> {
            double best = Double.NEGATIVE_INFINITY;
            int arg = -1;
            boolean nan = false;
            for (int c = 0; c < cc; c++) {
                double v = xs[base + c];
                if (v != v) {
                    nan = true;
                } else if (c != lab && (arg < 0 || v > best)) {
                    best = v;
                    arg = c;
                }
            }
            double term = nan ? Double.NaN : Math.max(0.0, m + best - xs[base + lab]);
            if (gx != null) {
                if (nan) {
                    Arrays.fill(gx, base, base + cc, Double.NaN);
                } else if (term > 0) {
                    gx[base + arg] = scale;
                    gx[base + lab] = -scale;
                }
            }
            return term;
        };
    }
}
