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
 * Keras' categorical hinge loss, on one-hot (or probability) targets.
 *
 * <p>Term, one per row: {@code max(0, neg − pos + 1)} with {@code pos = Σ_c y_c·x_c} and
 * {@code neg = max_c (1 − y_c)·x_c}, exactly as Keras {@code categorical_hinge}: with a one-hot
 * target the true class enters {@code neg} as 0, so {@code neg ≥ 0} and the loss is
 * {@code max(0, 1 + max(0, max_{j≠y} x_j) − x_y)}. Gradient where the term is positive:
 * {@code [j = j*]·(1 − y_j*) − y_j}, with {@code j*} the first class attaining {@code neg}
 * (Keras' gradient of the max splits among ties); 0 at and below the kink. A NaN in a row makes
 * its term and gradient NaN.
 *
 * <p>Shapes: input scores {@code [N, C]}; target {@code [N, C]} in [0, 1]; {@code none} gives
 * {@code [N]}. {@code mean} divides by the number of rows N (Keras' sum_over_batch_size).
 *
 * <p>Reference: Keras {@code CategoricalHinge} / {@code categorical_hinge}.
 */
public final class CategoricalHinge extends TargetRowLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("categorical_hinge", Family.CLASSIFICATION)
            .summary("Keras categorical hinge: the true class must beat the best other score (floored at 0) by 1")
            .formula("max(0, max_c (1 − y_c)·x_c − Σ_c y_c·x_c + 1), one term per row")
            .gradInput("input", "scores [N, C]")
            .input("target", "one-hot or probabilities [N, C] in [0, 1]")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .kinks(true)
            .tasks("multi-class classification with margins on one-hot targets")
            .reference("Keras CategoricalHinge")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> {
                int c = Examples.CLASSES;
                double[] y = new double[n * c];
                for (int i = 0; i < n; i++) {
                    y[i * c + r.nextInt(c)] = 1;
                }
                return Inputs.of(Examples.t(Examples.gauss(r, n * c, 1.5), n, c), Examples.t(y, n, c));
            })
            .factory(CategoricalHinge::new)
            .build();

    private CategoricalHinge(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<CategoricalHinge> builder() {
        return new LossBuilder<>(INFO, CategoricalHinge.class);
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        return (xs, y, o, cc, gx, scale) -> {
            double pos = 0;
            double neg = Double.NEGATIVE_INFINITY;
            int arg = 0;
            boolean nan = false;
            for (int c = 0; c < cc; c++) {
                double xc = xs[o + c];
                double yc = y[o + c];
                double v = (1 - yc) * xc;
                pos += yc * xc;
                if (v != v) {
                    nan = true;
                } else if (v > neg) {
                    neg = v;
                    arg = c;
                }
            }
            double h = neg - pos + 1;
            double term = nan ? Double.NaN : Math.max(0.0, h);
            if (gx != null) {
                if (term != term) {
                    Arrays.fill(gx, o, o + cc, Double.NaN);
                } else if (h > 0) {
                    for (int c = 0; c < cc; c++) {
                        gx[o + c] = -scale * y[o + c];
                    }
                    gx[o + arg] += scale * (1 - y[o + arg]);
                }
            }
            return term;
        };
    }
}
