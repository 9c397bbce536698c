package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Multi-label margin loss (PyTorch {@code MultiLabelMarginLoss}): every positive class of a
 * sample must score at least 1 above every negative class.
 *
 * <p>Each target row lists the sample's positive classes as indices, terminated by the first
 * {@code −1} (the entries after it are ignored). With T the listed indices (repeats counted, as
 * PyTorch does) and the negatives the classes not listed, the term of a row is
 * {@code Σ_{j∈T} Σ_{i∉T} max(0, 1 − (x[j] − x[i])) / C}. Gradient, for each violating pair
 * ({@code 1 − x[j] + x[i] > 0}): {@code +1/C} at i and {@code −1/C} at j; 0 at and beyond the
 * kink. A row with no listed class (or no negative class) has term 0. A NaN score makes the row's
 * term and gradient NaN (PyTorch gives 0 for a row without pairs; here NaN in, NaN out).
 *
 * <p>Shapes: input scores {@code [N, C]} or a single row {@code [C]}; target int64 of the same
 * shape, each entry in [−1, C) (also those after the terminator); {@code none} gives {@code [N]}
 * ({@code []} for a {@code [C]} input). {@code mean} divides by the number of rows N.
 *
 * <p>Reference: PyTorch {@code MultiLabelMarginLoss} (after Crammer &amp; Singer's multi-label
 * ranking margin).
 */
public final class MultilabelMargin extends AbstractLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("multilabel_margin", Family.CLASSIFICATION)
            .summary("multi-label hinge: every positive class must outscore every negative class by 1")
            .formula("Σ_{j∈T} Σ_{i∉T} max(0, 1 − (x_j − x_i)) / C, one term per row")
            .gradInput("input", "scores [N, C] or [C]")
            .labelInput("target", "int64, same shape as input: the positive classes, terminated by −1")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .convex(true)
            .tasks("multi-label classification", "label ranking", "image tagging")
            .reference("PyTorch MultiLabelMarginLoss")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * Examples.CLASSES, 2), n,
                    Examples.CLASSES), example(r, n, Examples.CLASSES)))
            .kinks(true)
            .factory(MultilabelMargin::new)
            .build();

    private MultilabelMargin(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<MultilabelMargin> builder() {
        return new LossBuilder<>(INFO, MultilabelMargin.class);
    }

    /** n target rows of c entries: 0 to c − 1 distinct positive classes, then −1 and padding −1. */
    private static Tensor example(java.util.Random r, int n, int c) {
        long[] t = new long[n * c];
        java.util.Arrays.fill(t, -1);
        for (int s = 0; s < n; s++) {
            int k = 0;
            for (int j = 0; j < c; j++) {
                if (r.nextInt(3) == 0 && k < c - 1) {
                    t[s * c + k++] = j;
                }
            }
        }
        return Tensor.ofLabels(t, n, c);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor tx = call.require("input");
        Tensor ty = call.require("target");
        ClassLayout l = ClassLayout.of(tx, false, true);
        Check.sameShape("input", tx, "target", ty);
        long[] y = ty.i64();
        int cc = l.c;
        for (int i = 0; i < y.length; i++) {
            if (y[i] < -1 || y[i] >= cc) {
                throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, Check.at("target", ty, i) + " = " + y[i]
                        + " is outside [-1, " + cc + "): a class index, or −1 ending the row's list");
            }
        }
        double scale = call.reduce(l.n);
        double[] x = tx.f64();
        double[] gx = call.gradient("input", tx);
        double[] terms = call.keepsTerms() ? call.terms(l.n) : null;
        boolean[] positive = new boolean[cc];
        double sum = 0;
        for (int r = 0; r < l.n; r++) {
            double term = row(x, y, r * cc, cc, positive, gx, scale / cc);
            sum += term;
            if (terms != null) {
                terms[r] = term;
            }
        }
        return call.finish(terms, sum, l.termShape);
    }

    /** One row's term; its gradient times {@code g} (the reduction's scale over C) into gx when not null. */
    private static double row(double[] x, long[] y, int base, int cc, boolean[] positive, double[] gx, double g) {
        if (IndexRowLoss.nanRow(x, base, cc, gx)) {
            return Double.NaN;
        }
        java.util.Arrays.fill(positive, false);
        int listed = 0;
        while (listed < cc && y[base + listed] >= 0) {
            positive[(int) y[base + listed]] = true;
            listed++;
        }
        double term = 0;
        for (int k = 0; k < listed; k++) {
            int j = (int) y[base + k];
            double xj = x[base + j];
            for (int i = 0; i < cc; i++) {
                if (positive[i]) {
                    continue;
                }
                double h = 1 - xj + x[base + i];
                if (h > 0) {
                    term += h;
                    if (gx != null) {
                        gx[base + i] += g;
                        gx[base + j] -= g;
                    }
                }
            }
        }
        return term / cc;
    }
}
