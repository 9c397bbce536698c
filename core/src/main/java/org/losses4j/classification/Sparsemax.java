package org.losses4j.classification;

import java.util.Arrays;
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
 * Multiclass sparsemax loss (Martins and Astudillo 2016): the Fenchel–Young loss of the Gini
 * entropy, whose prediction is the sparsemax {@code p = argmin_{q ∈ simplex} ‖q − x‖²}, the
 * Euclidean projection of the scores onto the probability simplex.
 *
 * <p>Term, one per row: {@code Σ_c p_c·(x_c − x_y) + ½(1 − ‖p‖²)}, where {@code p_c = max(x_c − τ, 0)}
 * and τ makes {@code Σ p = 1} (found by sorting the row). Gradient {@code p − e_y}, everywhere
 * (the loss is convex and differentiable). The term is 0 exactly when the label's score beats
 * every other class by at least 1 ({@code p = e_y}); it is never negative. Classes outside the
 * support ({@code p_c = 0}, a score of −∞ included) add nothing. A NaN score makes the row NaN.
 *
 * <p>Shapes: input scores {@code [N, C]}; target int64 {@code [N]}; {@code none} gives {@code [N]};
 * {@code mean} divides by N.
 *
 * <p>Reference: Martins and Astudillo (2016), "From Softmax to Sparsemax"; Optax
 * {@code multiclass_sparsemax_loss} (the same value, written as this term).
 */
public final class Sparsemax extends IndexRowLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("sparsemax", Family.CLASSIFICATION)
            .summary("sparsemax loss: cross-entropy's analogue for sparse probabilities (the simplex projection)")
            .formula("Σ_c p_c·(x_c − x_y) + ½(1 − ‖p‖²), p = sparsemax(x); one term per row")
            .gradInput("input", "scores [N, C]")
            .labelInput("target", "int64 class indices [N]")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-class classification with sparse probabilities", "sparse attention targets")
            .reference("Martins & Astudillo 2016; Optax multiclass_sparsemax_loss")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logits)
            .factory(Sparsemax::new)
            .build();

    private Sparsemax(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Sparsemax> builder() {
        return new LossBuilder<>(INFO, Sparsemax.class);
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        double[] sorted = new double[l.c]; // one scratch row per call
        return (xs, base, cc, lab, gx, scale) -> {
            if (nanRow(xs, base, cc, gx)) {
                return Double.NaN;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cc; c++) {
                max = Math.max(max, xs[base + c]);
            }
            double tau = threshold(xs, base, cc, max, sorted);
            // term = Σ_c p_c·(x_c − x_y) + ½(1 − Σ p_c²) over the support, with scores shifted by the maximum
            double xy = xs[base + lab] - max;
            double dot = 0;
            double sq = 0;
            for (int c = 0; c < cc; c++) {
                double z = xs[base + c] - max;
                double p = z - tau;
                if (p > 0) {
                    dot += p * (c == lab ? 0.0 : z - xy);
                    sq += p * p;
                    if (gx != null) {
                        gx[base + c] = scale * p;
                    }
                }
            }
            if (gx != null) {
                gx[base + lab] -= scale;
            }
            // 1 − Σp² ≥ 0 and dot ≥ 0 up to rounding; a row with p = e_y gives exactly 0
            return Math.max(0.0, dot + 0.5 * (1 - sq));
        };
    }

    /**
     * τ of the projection of the row (shifted by its maximum, so the largest score is 0) onto the
     * simplex: sort descending, the support size k is the largest with {@code 1 + k·z_(k) > Σ_{j≤k} z_(j)},
     * {@code τ = (Σ_{j≤k} z_(j) − 1)/k}.
     */
    private static double threshold(double[] xs, int base, int cc, double max, double[] sorted) {
        for (int c = 0; c < cc; c++) {
            sorted[c] = xs[base + c] - max;
        }
        Arrays.sort(sorted, 0, cc);
        double cum = 0;
        double tau = 0;
        for (int k = 1; k <= cc; k++) {
            double z = sorted[cc - k];
            if (1 + k * z <= cum + z) {
                break; // the condition holds for a prefix of k only
            }
            cum += z;
            tau = (cum - 1) / k;
        }
        return tau;
    }
}
