package org.losses4j.probabilistic;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Reverse (exclusive, mode-seeking) KL divergence KL(Q‖P) of the prediction Q from the target P.
 *
 * <p>Term, with {@code input} = log Q and Q = exp(input): {@code Q·(log Q − log P)}. A term
 * with Q = 0 is 0 (whatever P); P = 0 where Q &gt; 0 gives +∞. Gradient ∂/∂log Q =
 * Q·(log Q − log P + 1) (0 where Q = 0, +∞ where P = 0 &lt; Q).
 *
 * <p>Shapes: input and target of the same shape [N, *]. Domain: log Q ≤ 0; target P in [0, 1],
 * or log P ≤ 0 with {@code log_target}; others are refused. Reduction {@code batchmean}
 * (default) divides the sum by N = input.shape[0]; {@code mean} by the number of elements;
 * {@code none} returns the terms in input's shape.
 *
 * <p>Reference: Kullback &amp; Leibler (1951); Minka (2005), "Divergence measures and message
 * passing" (exclusive KL, as in variational inference).
 */
public final class ReverseKlDiv extends AbstractLoss {
    /** {@code log_target}: The target holds log P instead of P. Default {@code false}; allowed: true or false. */
    public static final OptionSpec<Boolean> LOG_TARGET = KlDiv.LOG_TARGET;
    /**
     * {@code reduction}: How the terms are combined. Default {@code batchmean}; allowed: one of batchmean, mean, sum,
     * none.
     */
    public static final OptionSpec<Reduction> REDUCTION = KlDiv.REDUCTION;

    public static final LossInfo INFO = LossInfo.builder("reverse_kl_div", Family.PROBABILISTIC)
            .summary("reverse (mode-seeking) KL divergence KL(Q‖P) of the predicted distribution from the target")
            .formula("Q·(log Q − log P), Q = exp(input); 0 where Q = 0")
            .gradInput("input", "[N, *] log-probabilities log Q (<= 0)")
            .input("target", "same shape as input: probabilities P in [0, 1], or log P with log_target")
            .options(LOG_TARGET, REDUCTION)
            .divisor("batchmean: the batch size N (dim 0); mean: the number of elements")
            .tasks("variational inference", "mode-seeking distribution matching", "policy distillation")
            .reference("Kullback & Leibler 1951; Minka 2005 (exclusive KL)")
            .layout(LossInfo.Layout.ELEMENT)
            .example(Examples::distributions)
            .variable(LossInfo.Variable.DISTRIBUTION)
            .factory(ReverseKlDiv::new)
            .build();

    private final boolean logTarget;

    private ReverseKlDiv(Options o) {
        super(INFO, o);
        this.logTarget = o.get(LOG_TARGET);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code ReverseKlDiv}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<ReverseKlDiv, Builder> {
        private Builder() {
            super(INFO, ReverseKlDiv.class);
        }

        /**
         * {@code log_target}: The target holds log P instead of P. Default {@code false}; allowed: true or
         * false.
         */
        public Builder logTarget(boolean value) {
            return set(LOG_TARGET, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        DivergenceSupport.Pointwise pw = new DivergenceSupport.Pointwise(call, logTarget, false);
        int n = pw.n;
        double s = pw.scale;
        double[] x = pw.x, t = pw.t, terms = pw.terms, dx = pw.dx;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double lq = x[i];
            double q = Math.exp(lq);
            double lp = logTarget ? t[i] : Math.log(t[i]);
            double term;
            double gx;
            if (q == 0) {
                // 0·(log 0 − log P) = 0 by convention, even where P = 0; a NaN target still propagates
                term = lp != lp ? lp : 0.0;
                gx = term;
            } else {
                double d = lq - lp; // +∞ where P = 0
                term = q * d;
                gx = q * (d + 1) * s;
            }
            sum += term;
            if (terms != null) {
                terms[i] = term;
            }
            if (dx != null) {
                dx[i] = gx;
            }
        }
        return pw.finish(call, sum);
    }
}
