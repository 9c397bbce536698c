package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Negative log-likelihood of class indices, on log-probabilities.
 *
 * <p>Term: {@code −w_y·x_y}, where {@code x} holds log-probabilities (e.g. the output of a
 * log-softmax); gradient {@code −w_y} at the target class, 0 elsewhere. A target equal to
 * {@code ignore_index} gives a zero term and no gradient.
 *
 * <p>Shapes: input {@code [N, C]} or {@code [N, C, d1, ...]} (classes on dimension 1; also a
 * single row {@code [C]} with a {@code []} target); target int64 {@code [N]} /
 * {@code [N, d1, ...]}; optional {@code weight [C]}. {@code none} gives {@code [N, d1, ...]}.
 *
 * <p>{@code mean} divides by {@code Σ w_y} over the non-ignored terms (their count without
 * weights); NaN when every target is ignored.
 *
 * <p>Reference: PyTorch {@code NLLLoss}.
 */
public final class Nll extends AbstractLoss {
    /**
     * {@code ignore_index}: Target value whose terms are skipped (no loss, no gradient, not counted by mean). Default
     * {@code -100}; allowed: a number.
     */
    public static final OptionSpec<Long> IGNORE_INDEX = OptionSpec.integer("ignore_index", -100,
            OptionSpec.Range.ANY, "target value whose terms are skipped (no loss, no gradient, not counted by mean)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("nll", Family.CLASSIFICATION)
            .summary("negative log-likelihood on log-probabilities: cross-entropy after an explicit log-softmax")
            .formula("−w_y·x_y")
            .gradInput("input", "log-probabilities [N, C] or [N, C, d1, ...] (classes on dim 1), or [C]")
            .labelInput("target", "int64 class indices [N] / [N, d1, ...] / []")
            .optionalInput("weight", "[C] class weights")
            .options(IGNORE_INDEX, REDUCTION)
            .divisor("Σ w_y over non-ignored terms (their count without weight); NaN when all are ignored")
            .convex(true)
            .tasks("multi-class classification with a log-softmax output", "sequence tagging")
            .reference("PyTorch NLLLoss")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.logSoftmaxRows(Examples.gauss(r, n * Examples.CLASSES, 1.5),
                    Examples.CLASSES), n, Examples.CLASSES), Examples.labels(r, n, Examples.CLASSES))
                    .with("weight", Examples.t(Examples.uniform(r, Examples.CLASSES, 0.5, 2), Examples.CLASSES)))
            .factory(Nll::new)
            .build();

    private final long ignoreIndex;

    private Nll(Options o) {
        super(INFO, o);
        this.ignoreIndex = o.get(IGNORE_INDEX);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Nll}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Nll, Builder> {
        private Builder() {
            super(INFO, Nll.class);
        }

        /**
         * {@code ignore_index}: Target value whose terms are skipped (no loss, no gradient, not counted by
         * mean). Default {@code -100}; allowed: a number.
         */
        public Builder ignoreIndex(long value) {
            return set(IGNORE_INDEX, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor x = call.require("input");
        Tensor target = call.require("target");
        ClassLayout l = ClassLayout.of(x, true, true);
        l.requireIndexTarget(x, target);
        Check.labels("target", target, l.c, ignoreIndex);
        double[] given = l.classVector("weight", call.input("weight"));
        long[] y = target.i64();
        double[] w = ClassLayout.forMean(given, reduction());
        double scale = call.reduceWeighted(l.terms(), ClassLayout.weightSum(y, given, ignoreIndex),
                ClassLayout.weightSum(y, w, ignoreIndex));
        double[] xs = x.f64();
        double[] gx = call.gradient("input", x);
        double[] terms = call.keepsTerms() ? call.terms(l.terms()) : null;
        double sum = 0;
        for (int t = 0, nt = l.terms(); t < nt; t++) {
            long lab = y[t];
            if (lab == ignoreIndex) {
                continue;
            }
            int i = l.base(t) + (int) lab * l.s;
            double wy = w == null ? 1.0 : w[(int) lab];
            double term = -wy * xs[i];
            sum += term;
            if (terms != null) {
                terms[t] = term;
            }
            if (gx != null) {
                gx[i] = -wy * scale;
            }
        }
        return call.finish(terms, sum, l.termShape);
    }
}
