package org.losses4j.regularization;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * Homoscedastic-uncertainty weighting of K task losses with learned log-variances:
 * {@code Σ_k exp(−s_k)·L_k + s_k}.
 *
 * <p>Gradients: {@code ∂/∂L_k = exp(−s_k)} (the effective task weight) and
 * {@code ∂/∂s_k = 1 − exp(−s_k)·L_k}. The product {@code exp(−s_k)·L_k} is formed as
 * {@code sign(L)·exp(log|L| − s)} when {@code exp(−s_k)} alone overflows, so a zero or small
 * task loss with a very negative {@code s_k} stays finite. Task losses may be negative (a
 * Gaussian NLL can be).
 *
 * <p>Shapes: {@code losses} {@code [K]} and {@code log_vars} {@code [K]}, the same shape (no
 * broadcasting). Always a scalar: a sum over the K tasks. {@link org.losses4j.objective.Objective}
 * builds on it to weight whole loss terms.
 *
 * <pre>{@code
 * Loss uw = Losses.create("uncertainty_weighting");
 * LossResult r = uw.compute(Inputs.of("losses", Tensor.vector(new double[] {0.8, 2.5}))
 *         .with("log_vars", Tensor.vector(new double[] {0.0, 1.0})));
 * r.value();                   // 0.8 + 2.5·e^−1 + 1
 * r.grad("log_vars").f64();    // {1 − 0.8, 1 − 2.5·e^−1}
 * }</pre>
 *
 * <p>Reference: Kendall, Gal &amp; Cipolla 2018, "Multi-Task Learning Using Uncertainty to Weigh
 * Losses for Scene Geometry and Semantics".
 */
public final class UncertaintyWeighting extends AbstractLoss {
    public static final LossInfo INFO = LossInfo.builder("uncertainty_weighting", Family.REGULARIZATION)
            .summary("multi-task weighting by learned task uncertainty: each task's weight exp(−s) is learned")
            .formula("Σ_k exp(−s_k)·L_k + s_k")
            .gradInput("losses", "[K]: the task losses L_k")
            .gradInput("log_vars", "[K]: the learned log-variances s_k")
            .divisor("always a scalar: a sum over the K tasks")
            .tasks("multi-task learning", "automatic loss balancing")
            .reference("Kendall, Gal & Cipolla 2018")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of("losses", Examples.t(Examples.uniform(r, n, 0.1, 3), n))
                    .with("log_vars", Examples.t(Examples.gauss(r, n, 1), n)))
            .factory(UncertaintyWeighting::new)
            .build();

    private UncertaintyWeighting(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<UncertaintyWeighting> builder() {
        return new LossBuilder<>(INFO, UncertaintyWeighting.class);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor lt = call.input("losses");
        Tensor st = call.input("log_vars");
        Check.rank("losses", lt, 1);
        Check.sameShape("losses", lt, "log_vars", st);
        double[] l = L1.data(lt);
        double[] s = L1.data(st);
        double[] gl = call.gradient("losses", lt);
        double[] gs = call.gradient("log_vars", st);
        double sum = 0;
        for (int k = 0; k < l.length; k++) {
            double w = Math.exp(-s[k]);
            double wl = weighted(w, l[k], s[k]);
            sum += wl + s[k];
            if (gl != null) {
                gl[k] = w;
                gs[k] = 1 - wl;
            }
        }
        return call.finishValue(sum); // a sum: no mean
    }

    /** exp(−s)·L, also when exp(−s) overflows but the product does not (or L = 0). */
    private static double weighted(double w, double loss, double s) {
        if (w != Double.POSITIVE_INFINITY || Double.isNaN(loss)) {
            return w * loss;
        }
        if (loss == 0) {
            return 0;
        }
        return Math.copySign(Math.exp(Math.log(Math.abs(loss)) - s), loss);
    }
}
