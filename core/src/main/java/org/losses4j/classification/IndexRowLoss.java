package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.Grads;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Options;
import org.losses4j.Reduce;
import org.losses4j.Tensor;

/**
 * The one driver of the losses with one term per row of [N, C] scores and an int64 class
 * index per row (softmax_focal, multiclass_hinge, multi_margin, sparse_categorical_cross_entropy):
 * validation of the layout and labels, the reduction and its gradient scale, the unreduced
 * terms. A loss supplies only {@link #rows}: its own checks, then a {@link Rows} object whose
 * {@code row} method computes one row's term and gradient (one call per row, so the per-element
 * loop stays inside each loss's own class).
 */
abstract class IndexRowLoss extends AbstractLoss {
    /** One row's term; writes that row's gradient, times {@code scale}, when {@code gx} is not null. */
    interface Rows {
        double row(double[] x, int base, int c, int label, double[] gx, double scale);
    }

    IndexRowLoss(LossInfo info, Options options) {
        super(info, options);
    }

    /** The loss's own checks (after layout and labels) and its per-call state. */
    abstract Rows rows(Inputs in, Tensor x, ClassLayout l);

    @Override
    protected final LossResult compute64(Inputs in, Grads g) {
        Tensor x = Check.require(in, "input");
        Tensor target = Check.require(in, "target");
        ClassLayout l = ClassLayout.of(x, false, false);
        l.requireIndexTarget(x, target);
        Check.labels("target", target, l.c);
        Rows rows = rows(in, x, l);
        Reduce red = Reduce.of(reduction(), l.n);
        ClassLayout.nonEmptyForMean(red, "input", x);
        double scale = red.gradScale();
        double[] xs = x.f64();
        long[] y = target.i64();
        double[] gx = g == null ? null : g.zeros("input", x);
        double[] terms = red.unreduced() ? new double[l.n] : null;
        double sum = 0;
        for (int r = 0; r < l.n; r++) {
            double term = rows.row(xs, r * l.c, l.c, (int) y[r], gx, scale);
            sum += term;
            if (terms != null) {
                terms[r] = term;
            }
        }
        return l.finish(red, terms, sum, DType.FLOAT64, g == null ? null : g.map());
    }
}
