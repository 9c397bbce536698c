package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.Family;
import org.losses4j.Grads;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduce;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.Workspace;

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
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("zero_one", Family.CLASSIFICATION)
            .summary("misclassification indicator (error rate under mean); an evaluation metric, not trainable")
            .formula("binary: 1 if y·x ≤ 0 else 0; multi-class: 1 if argmax_c x_c ≠ y else 0")
            .gradInput("input", "binary: scores of any shape; multi-class: scores [N, C] (gradient is zero)")
            .input("target", "binary: {−1, +1} of input's shape (floating); multi-class: int64 class indices [N]")
            .options(REDUCTION)
            .divisor("the number of terms (elements for the binary form, rows for the multi-class form)")
            .differentiable(false).robust(true)
            .tasks("classification error rate", "model evaluation")
            .reference("0-1 loss (Vapnik 1998)")
            .factory(ZeroOne::new)
            .build();

    private ZeroOne(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<ZeroOne> builder() {
        return new LossBuilder<>(INFO, ZeroOne.class);
    }

    /** The int64 target selects the multi-class form. */
    @Override
    protected boolean acceptsIntegerFor(String inputName) {
        return "target".equals(inputName);
    }

    @Override
    protected LossResult compute64(Inputs in, Grads g) {
        Tensor x = Check.require(in, "input");
        Tensor target = Check.require(in, "target");
        return target.dtype() == DType.INT64 ? multiclass(x, target, g) : binary(x, target, g);
    }

    private LossResult binary(Tensor x, Tensor target, Grads g) {
        Check.sameShape("input", x, "target", target);
        Check.oneOf("target", target, -1, 1);
        Reduce red = Reduce.of(reduction(), x.size());
        ClassLayout.nonEmptyForMean(red, "input", x);
        double[] xs = x.f64();
        double[] ys = target.f64();
        if (g != null) {
            g.zeros("input", x); // zero almost everywhere; before the workspace below is opened
        }
        // the terms: scratch unless they are the result (reduction none)
        try (Workspace ws = Workspace.acquire()) {
            double[] terms = red.terms(ws, xs.length);
            for (int i = 0; i < xs.length; i++) {
                double v = ys[i] * xs[i];
                terms[i] = v != v ? Double.NaN : v <= 0 ? 1.0 : 0.0;
            }
            return red.finish(terms, x.shape(), g);
        }
    }

    private LossResult multiclass(Tensor x, Tensor target, Grads g) {
        ClassLayout l = ClassLayout.of(x, false, false);
        l.requireIndexTarget(x, target);
        Check.labels("target", target, l.c);
        Reduce red = Reduce.of(reduction(), l.n);
        ClassLayout.nonEmptyForMean(red, "input", x);
        double[] xs = x.f64();
        long[] y = target.i64();
        if (g != null) {
            g.zeros("input", x); // zero almost everywhere; before the workspace below is opened
        }
        // the terms: scratch unless they are the result (reduction none)
        try (Workspace ws = Workspace.acquire()) {
            double[] terms = red.terms(ws, l.n);
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
            return l.finish(red, terms, sum, DType.FLOAT64, g == null ? null : g.map());
        }
    }
}
