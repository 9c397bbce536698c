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
 * Kullback–Leibler divergence KL(P‖Q) of a target distribution P from a predicted Q.
 *
 * <p>Term, with {@code input} = log Q and P the target (or {@code log_target}: the target holds
 * log P): {@code P·(log P − log Q)}. A term with P = 0 is 0, also where log Q = −∞ (PyTorch
 * gives NaN there); a NaN input still propagates. Gradients: ∂/∂log Q = −P; ∂/∂P =
 * log P + 1 − log Q, whose value at P = 0 is the one-sided limit −∞ (+∞ where also log Q = −∞);
 * with {@code log_target}, ∂/∂log P = P·(log P − log Q + 1), which is 0 at log P = −∞.
 *
 * <p>Shapes: input and target of the same shape [N, *]. Domain: log Q ≤ 0, P in [0, 1]
 * (log P ≤ 0); others are refused. Reduction {@code batchmean} (default) divides the sum by
 * N = input.shape[0] (the true KL per sample when each row is a distribution); {@code mean}
 * divides by the number of elements; {@code none} returns the terms in input's shape.
 *
 * <p>Reference: Kullback &amp; Leibler (1951); PyTorch {@code KLDivLoss}.
 */
public final class KlDiv extends AbstractLoss {
    /** {@code log_target}: The target holds log P instead of P. Default {@code false}; allowed: true or false. */
    public static final OptionSpec<Boolean> LOG_TARGET = OptionSpec.bool("log_target", false,
            "the target holds log P instead of P");
    /**
     * {@code reduction}: How the terms are combined. Default {@code batchmean}; allowed: one of batchmean, mean, sum,
     * none.
     */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction(Reduction.BATCHMEAN,
            Reduction.BATCHMEAN, Reduction.MEAN, Reduction.SUM, Reduction.NONE);

    public static final LossInfo INFO = LossInfo.builder("kl_div", Family.PROBABILISTIC)
            .summary("KL divergence KL(P‖Q) of the target distribution P from the predicted log-probabilities log Q")
            .formula("P·(log P − log Q); 0 where P = 0")
            .gradInput("input", "[N, *] log-probabilities log Q (<= 0)")
            .gradInput("target", "same shape as input: probabilities P in [0, 1], or log P with log_target")
            .options(LOG_TARGET, REDUCTION)
            .divisor("batchmean: the batch size N (dim 0); mean: the number of elements")
            .convex(true)
            .tasks("knowledge distillation", "matching a target distribution", "label-distribution learning")
            .reference("Kullback & Leibler 1951; PyTorch KLDivLoss")
            .layout(LossInfo.Layout.ELEMENT)
            .example(Examples::distributions)
            .variable(LossInfo.Variable.DISTRIBUTION)
            .factory(KlDiv::new)
            .build();

    private final boolean logTarget;

    private KlDiv(Options o) {
        super(INFO, o);
        this.logTarget = o.get(LOG_TARGET);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code KlDiv}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<KlDiv, Builder> {
        private Builder() {
            super(INFO, KlDiv.class);
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
        DivergenceSupport.Pointwise pw = new DivergenceSupport.Pointwise(call, logTarget, true);
        int n = pw.n;
        double s = pw.scale;
        double[] x = pw.x, t = pw.t, terms = pw.terms, dx = pw.dx, dt = pw.dt;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double lq = x[i];
            double p;
            double lp;
            if (logTarget) {
                lp = t[i];
                p = Math.exp(lp);
            } else {
                p = t[i];
                lp = Math.log(p);
            }
            double term;
            if (p == 0) {
                // 0·log 0 = 0 and 0·(−∞) = 0 by convention; a NaN log Q still propagates
                term = lq != lq ? lq : 0.0;
                if (dx != null) {
                    dx[i] = -0.0;
                    if (logTarget) {
                        // P·(log P − log Q + 1) → 0 as log P → −∞
                        dt[i] = lq != lq ? lq : 0.0;
                    } else {
                        // one-sided derivative at P = 0: log P + 1 − log Q → −∞ (+∞ when log Q = −∞)
                        dt[i] = lq == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : lp - lq;
                    }
                }
            } else {
                double d = lp - lq;
                term = p * d;
                if (dx != null) {
                    dx[i] = -p * s;
                    dt[i] = (logTarget ? p * (d + 1) : d + 1) * s;
                }
            }
            sum += term;
            if (terms != null) {
                terms[i] = term;
            }
        }
        return pw.finish(call, sum);
    }
}
