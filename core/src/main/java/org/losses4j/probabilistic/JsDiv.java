package org.losses4j.probabilistic;

import static org.losses4j.probabilistic.DivergenceSupport.LN2;

import org.losses4j.AbstractLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Jensen–Shannon divergence between the target P and the prediction Q: the symmetrised,
 * bounded KL to their mixture.
 *
 * <p>Term, with Q = exp(input) and M = ½(P + Q): {@code ½P·log(P/M) + ½Q·log(Q/M)}; each
 * half is 0 where its own distribution is 0. log M is computed as log-add-exp(log P, log Q) −
 * log 2, so no probability is exponentiated twice and P = 0 or Q = 0 give exact values. Each
 * term lies in [0, ½(P + Q)·log 2]. Gradients: ∂/∂P = ½log(P/M), ∂/∂log Q = ½Q·log(Q/M); at P = 0
 * the one-sided ∂/∂P is −∞ where Q &gt; 0 and ½log 2 where Q = 0 too.
 *
 * <p>Shapes: input and target of the same shape [N, *]. Domain: log Q ≤ 0, P in [0, 1];
 * others are refused. Reduction {@code batchmean} (default) divides the sum by N =
 * input.shape[0]; {@code mean} by the number of elements; {@code none} returns the terms in
 * input's shape.
 *
 * <p>Reference: Lin (1991), "Divergence measures based on the Shannon entropy".
 */
public final class JsDiv extends AbstractLoss {
    /**
     * {@code reduction}: How the terms are combined. Default {@code batchmean}; allowed: one of batchmean, mean, sum,
     * none.
     */
    public static final OptionSpec<Reduction> REDUCTION = KlDiv.REDUCTION;

    public static final LossInfo INFO = LossInfo.builder("js_div", Family.PROBABILISTIC)
            .summary("Jensen–Shannon divergence: symmetric KL to the mixture M = ½(P + Q), bounded by log 2 per distribution")
            .formula("½P·log(P/M) + ½Q·log(Q/M), M = ½(P + Q), Q = exp(input); each half 0 where its distribution is 0")
            .gradInput("input", "[N, *] log-probabilities log Q (<= 0)")
            .gradInput("target", "same shape as input: probabilities P in [0, 1]")
            .options(REDUCTION)
            .divisor("batchmean: the batch size N (dim 0); mean: the number of elements")
            .tasks("symmetric distribution matching", "GAN analysis", "comparing label distributions")
            .reference("Lin 1991, Divergence measures based on the Shannon entropy")
            .layout(LossInfo.Layout.ELEMENT)
            .example(Examples::distributions)
            .variable(LossInfo.Variable.DISTRIBUTION)
            .factory(JsDiv::new)
            .build();

    private JsDiv(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<JsDiv> builder() {
        return new LossBuilder<>(INFO, JsDiv.class);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        DivergenceSupport.Pointwise pw = new DivergenceSupport.Pointwise(call, false, true);
        int n = pw.n;
        double s = pw.scale;
        double hs = 0.5 * s;
        double[] x = pw.x, t = pw.t, terms = pw.terms, dx = pw.dx, dt = pw.dt;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double lq = x[i];
            double q = Math.exp(lq);
            double p = t[i];
            double lp = Math.log(p);
            double lm = DivergenceSupport.logAddExp(lp, lq) - LN2;
            double a = p == 0 ? 0.0 : p * (lp - lm); // NaN p fails p == 0 and propagates
            double b = q == 0 ? 0.0 : q * (lq - lm);
            double term = 0.5 * (a + b);
            sum += term;
            if (terms != null) {
                terms[i] = term;
            }
            if (dx != null) {
                dx[i] = q == 0 ? 0.0 : hs * q * (lq - lm);
                // P = Q = 0: M = P/2 along the P axis, so log(P/M) = log 2; P = 0 < Q: −∞
                dt[i] = p == 0 && lq == Double.NEGATIVE_INFINITY ? hs * LN2 : hs * (lp - lm);
            }
        }
        return pw.finish(call, sum);
    }
}
