package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * The one driver of the losses with one term per row of [N, C] scores and an int64 class
 * index per row (softmax_focal, multiclass_hinge, multi_margin, sparse_categorical_cross_entropy):
 * validation of the layout and labels, the reduction and its gradient scale, the unreduced
 * terms. A loss supplies only {@link #rows}: its own checks, then a {@link RowTerm} object whose
 * {@code row} method computes one row's term and gradient (one call per row, so the per-element
 * loop stays inside each loss's own class).
 */
abstract class IndexRowLoss extends AbstractLoss {
    /** One row's term; writes that row's gradient, times {@code scale}, when {@code gx} is not null. */
    interface RowTerm {
        double row(double[] x, int base, int c, int label, double[] gx, double scale);
    }

    IndexRowLoss(LossInfo info, Options options) {
        super(info, options);
    }

    /**
     * Whether the row at {@code base} holds a NaN score; if so its gradient (when {@code gx} is not
     * null) is set to NaN, and the caller returns a NaN term: NaN in, NaN out, for the row only.
     */
    static boolean nanRow(double[] xs, int base, int cc, double[] gx) {
        for (int c = 0; c < cc; c++) {
            if (xs[base + c] != xs[base + c]) {
                if (gx != null) {
                    java.util.Arrays.fill(gx, base, base + cc, Double.NaN);
                }
                return true;
            }
        }
        return false;
    }

    /** The loss's own checks (after layout and labels) and its per-call state. */
    abstract RowTerm rows(Inputs in, Tensor x, ClassLayout l);

    @Override
    protected final LossResult evaluate(LossCall call) {
        Tensor x = call.require("input");
        Tensor target = call.require("target");
        ClassLayout l = ClassLayout.of(x, false, false);
        l.requireIndexTarget(x, target);
        Check.labels("target", target, l.c);
        RowTerm rows = rows(call.inputs(), x, l);
        double scale = call.reduce(l.n);
        double[] xs = x.f64();
        long[] y = target.i64();
        double[] gx = call.gradient("input", x);
        double[] terms = call.keepsTerms() ? call.terms(l.n) : null;
        double sum = 0;
        for (int r = 0; r < l.n; r++) {
            double term = rows.row(xs, r * l.c, l.c, (int) y[r], gx, scale);
            sum += term;
            if (terms != null) {
                terms[r] = term;
            }
        }
        return call.finish(terms, sum, l.termShape);
    }
}
