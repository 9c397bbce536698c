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
 * Weston–Watkins multi-class margin loss (PyTorch {@code MultiMarginLoss}).
 *
 * <p>Term, one per row: {@code Σ_{j≠y} w_y·max(0, margin − x_y + x_j)^p / C} with p = 1 or 2
 * ({@code w_y = 1} without {@code weight}). Gradient, for each violating class j
 * ({@code h_j = margin − x_y + x_j > 0}): {@code +w_y·p·h_j^{p−1}/C} at j and the opposite at
 * the label; 0 at and below the kink. A NaN score makes the row's term and gradient NaN.
 *
 * <p>Shapes: input scores {@code [N, C]}; target int64 {@code [N]}; optional {@code weight [C]};
 * {@code none} gives {@code [N]}. {@code mean} divides by the number of rows N (the division
 * by C is part of each term, as in PyTorch).
 *
 * <p>Reference: Weston and Watkins (1999), "Support Vector Machines for Multi-Class Pattern
 * Recognition"; PyTorch {@code MultiMarginLoss}.
 */
public final class MultiMargin extends IndexRowLoss {
    /**
     * {@code p}: Exponent of each margin violation: 1 (hinge) or 2 (squared hinge). Default {@code 1}; allowed: 1 or 2.
     */
    public static final OptionSpec<Long> P = OptionSpec.integer("p", 1, OptionSpec.Range.ONE_OR_TWO,
            "exponent of each margin violation: 1 (hinge) or 2 (squared hinge)");
    /**
     * {@code margin}: Required gap between the label's score and each other class's score (within ±1e15: a larger
     * margin overflows the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED,
            "required gap between the label's score and each other class's score (within ±1e15: a larger margin overflows the loss, squared or summed)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("multi_margin", Family.CLASSIFICATION)
            .summary("Weston–Watkins multi-class hinge: every wrong class within the margin is penalised")
            .formula("Σ_{j≠y} w_y·max(0, margin − x_y + x_j)^p / C, one term per row")
            .gradInput("input", "scores [N, C]")
            .labelInput("target", "int64 class indices [N]")
            .optionalInput("weight", "[C] class weights")
            .options(P, MARGIN, REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-class SVM", "multi-class classification with margins")
            .reference("Weston & Watkins 1999; PyTorch MultiMarginLoss")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logitsWithWeights)
            .kinks(true)
            .variable(LossInfo.Variable.TWO_CLASS)
            .factory(MultiMargin::new)
            .build();

    private final boolean squared;
    private final double margin;

    private MultiMargin(Options o) {
        super(INFO, o);
        this.squared = o.get(P) == 2;
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code MultiMargin}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<MultiMargin, Builder> {
        private Builder() {
            super(INFO, MultiMargin.class);
        }

        /**
         * {@code p}: Exponent of each margin violation: 1 (hinge) or 2 (squared hinge). Default {@code 1};
         * allowed: 1 or 2.
         */
        public Builder p(long value) {
            return set(P, value);
        }

        /**
         * {@code margin}: Required gap between the label's score and each other class's score (within ±1e15: a
         * larger margin overflows the loss, squared or summed). Default {@code 1.0}; allowed: in [-1e15,
         * 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        double[] w = l.classVector("weight", in.get("weight"));
        boolean sq = squared;
        double m = margin;
        return (xs, base, cc, lab, gx, scale) -> {
            double xy = xs[base + lab];
            double f = (w == null ? 1.0 : w[lab]) / cc;
            double term = 0;
            double gy = 0;
            for (int c = 0; c < cc; c++) {
                if (c == lab) {
                    continue;
                }
                double h = m - xy + xs[base + c];
                if (h > 0) {
                    term += sq ? h * h : h;
                    if (gx != null) {
                        double d = scale * f * (sq ? 2 * h : 1.0);
                        gx[base + c] = d;
                        gy -= d;
                    }
                } else if (h != h) {
                    term = Double.NaN;
                }
            }
            term *= f;
            if (gx != null) {
                if (term != term) {
                    Arrays.fill(gx, base, base + cc, Double.NaN);
                } else {
                    gx[base + lab] = gy;
                }
            }
            return term;
        };
    }
}
