package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Zero-one loss: the misclassification indicator (the error rate under {@code mean}).
 *
 * <p>Two forms, chosen by the target's dtype:
 * <ul>
 * <li>binary (floating target in {−1, +1}, same shape as input): term {@code 1 if y·x ≤ 0 else 0}
 * per element (a score of 0 counts as an error);</li>
 * <li>multi-class (int64 target {@code [N]}, input {@code [N, C]}): term
 * {@code 1 if argmax_c x_c ≠ y else 0} per row, the first maximum winning ties.</li>
 * </ul>
 * Not differentiable: the returned gradient is all zeros (the derivative almost everywhere),
 * and the registry lists the loss as non-differentiable. A NaN score gives a NaN term.
 *
 * <p>{@code mean} divides by the number of terms (elements for the binary form, rows N for the
 * multi-class form); {@code none} gives input's shape (binary) or {@code [N]} (multi-class).
 *
 * <p>Reference: the 0-1 loss of statistical learning theory (e.g. Vapnik 1998).
 */
public final class ZeroOne extends AbstractLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("zero_one", Family.CLASSIFICATION)
            .summary("misclassification indicator (error rate under mean); an evaluation metric, not trainable")
            .formula("binary: 1 if y·x ≤ 0 else 0; multi-class: 1 if argmax_c x_c ≠ y else 0")
            .gradInput("input", "binary: scores of any shape; multi-class: scores [N, C] (gradient is zero)")
            .floatOrIndexInput("target", "binary: {−1, +1} of input's shape (floating); multi-class: int64 class indices [N]")
            .options(REDUCTION)
            .divisor("the number of terms (elements for the binary form, rows for the multi-class form)")
            .differentiable(false).robust(true)
            .tasks("classification error rate", "model evaluation")
            .reference("0-1 loss (Vapnik 1998)")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::margins)
            .variable(LossInfo.Variable.MARGIN)
            .factory(ZeroOne::new)
            .build();

    private ZeroOne(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<ZeroOne> builder() {
        return new LossBuilder<>(INFO, ZeroOne.class);
    }


    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor x = call.require("input");
        Tensor target = call.require("target");
        return target.dtype() == DType.INT64 ? multiclass(call, x, target) : binary(call, x, target);
    }

    private static LossResult binary(LossCall call, Tensor x, Tensor target) {
        Check.sameShape("input", x, "target", target);
        Check.oneOf("target", target, -1, 1);
        call.reduce(x.size());
        double[] xs = x.f64();
        double[] ys = target.f64();
        call.gradient("input", x); // zero almost everywhere
        double[] terms = call.terms(xs.length);
        for (int i = 0; i < xs.length; i++) {
            double v = ys[i] * xs[i];
            terms[i] = v != v ? Double.NaN : v <= 0 ? 1.0 : 0.0;
        }
        return call.finish(terms, x.shape());
    }

    private static LossResult multiclass(LossCall call, Tensor x, Tensor target) {
        ClassLayout l = ClassLayout.of(x, false, false);
        l.requireIndexTarget(x, target);
        Check.labels("target", target, l.c);
        call.reduce(l.n);
        double[] xs = x.f64();
        long[] y = target.i64();
        call.gradient("input", x); // zero almost everywhere
        double[] terms = call.terms(l.n);
        double sum = 0;
        int cc = l.c;
        for (int r = 0; r < l.n; r++) {
            int base = r * cc;
            int arg = 0;
            double best = xs[base];
            boolean nan = best != best;
            for (int c = 1; c < cc; c++) {
                double v = xs[base + c];
                if (v > best) { // strict: the first maximum wins
                    best = v;
                    arg = c;
                } else if (v != v) {
                    nan = true;
                }
            }
            terms[r] = nan ? Double.NaN : arg == y[r] ? 0.0 : 1.0;
            sum += terms[r];
        }
        return call.finish(terms, sum, l.termShape);
    }
}
