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
 * The one driver of the losses with one term per row of [N, C] scores and a target row of the same
 * shape in [0, 1] (categorical_cross_entropy, categorical_hinge, multilabel_soft_margin):
 * validation of the layout, the shapes and the target's range, the reduction and its gradient
 * scale, the unreduced terms. A loss supplies only {@link #rows}: its own checks, then a
 * {@link RowTerm} whose {@code row} method computes one row's term and gradient (one call per row,
 * so the per-element loop stays inside each loss's own class).
 */
abstract class TargetRowLoss extends AbstractLoss {
    /** One row's term; writes that row's gradient, times {@code scale}, when {@code gx} is not null. */
    interface RowTerm {
        double row(double[] x, double[] y, int base, int c, double[] gx, double scale);
    }

    TargetRowLoss(LossInfo info, Options options) {
        super(info, options);
    }

    /** True when a single row {@code [C]} is accepted (a term of shape {@code []}). */
    boolean acceptsSingleRow() {
        return false;
    }

    /** The loss's own checks (after layout, shapes and the target's range) and its per-call state. */
    abstract RowTerm rows(Inputs in, Tensor x, ClassLayout l);

    @Override
    protected final LossResult evaluate(LossCall call) {
        Tensor tx = call.require("input");
        Tensor ty = call.require("target");
        ClassLayout l = ClassLayout.of(tx, false, acceptsSingleRow());
        Check.sameShape("input", tx, "target", ty);
        Check.closed("target", ty, 0, 1);
        RowTerm rows = rows(call.inputs(), tx, l);
        double scale = call.reduce(l.n);
        double[] x = tx.f64();
        double[] y = ty.f64();
        double[] gx = call.gradient("input", tx);
        double[] terms = call.terms(l.n);
        double sum = 0;
        for (int r = 0; r < l.n; r++) {
            double term = rows.row(x, y, r * l.c, l.c, gx, scale);
            terms[r] = term;
            sum += term;
        }
        return call.finish(terms, sum, l.termShape);
    }
}
