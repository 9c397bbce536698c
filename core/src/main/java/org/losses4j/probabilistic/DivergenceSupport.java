package org.losses4j.probabilistic;

import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * Boundary checks and small numeric helpers shared by the divergence losses of this package
 * (kl_div, reverse_kl_div, js_div, perplexity, gaussian_kl, vae). Kernels stay in each loss's
 * own class; only argument checks and scalar helpers that the JIT inlines live here.
 */
final class DivergenceSupport {
    static final double LN2 = Math.log(2.0);

    private DivergenceSupport() {
    }

    /** Requires a leading batch dimension: rank at least 1. */
    static void batched(String name, Tensor t) {
        if (t.rank() == 0) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, name + " must have a batch dimension [N, *], got shape "
                    + t.shapeString());
        }
    }

    /**
     * Every value is a log-probability: at most 0 ({@code -Infinity} allowed, NaN allowed:
     * it propagates). A positive value would be a probability above 1.
     */
    static void logProbabilities(String name, Tensor t) {
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if (v > 0) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, Check.at(name, t, i) + " = " + v
                        + " is not a log-probability: it must be <= 0 (probability in [0, 1])");
            }
        }
    }

    /** Input and target of a divergence: same shape [N, *], log Q ≤ 0, P in [0, 1] (or log P ≤ 0). */
    static void distributions(Tensor input, Tensor target, boolean logTarget) {
        Check.sameShape("input", input, "target", target);
        batched("input", input);
        logProbabilities("input", input);
        if (logTarget) {
            logProbabilities("target", target);
        } else {
            Check.closed("target", target, 0, 1);
        }
    }

    /**
     * One call of a pointwise divergence (kl_div, reverse_kl_div, js_div): the checked log Q and
     * target, the scale of the reduction over the N·… terms (batchmean over N), the terms for
     * none, and the gradient arrays (the target's only when it is differentiated).
     */
    static final class Pointwise {
        final Tensor input;
        final double[] x;
        final double[] t;
        final double[] terms;
        final double[] dx;
        final double[] dt;
        final double scale;
        final int n;

        Pointwise(LossCall call, boolean logTarget, boolean targetGradient) {
            input = call.input("input");
            Tensor target = call.input("target");
            distributions(input, target, logTarget);
            n = input.size();
            scale = call.reduce(n, n, input.dim(0));
            x = input.f64();
            t = target.f64();
            terms = call.unreduced() ? new double[n] : null;
            dx = call.gradient("input", input);
            dt = targetGradient ? call.gradient("target", target) : null;
        }

        /** The result from the sum of the terms (the terms themselves for none). */
        LossResult finish(LossCall call, double sum) {
            return call.finish(terms, sum, input.shape());
        }
    }

    /** log(e^a + e^b), exact when either is −∞, without overflow; NaN propagates. */
    static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** 1/k! for k = 2 … 17: the Taylor coefficients of e^v − 1 − v. */
    private static final double[] EXPM1_MINUS_X = new double[16];

    static {
        double f = 1;
        for (int k = 2; k <= 17; k++) {
            f *= k;
            EXPM1_MINUS_X[k - 2] = 1 / f;
        }
    }

    /**
     * e^v − 1 − v, accurate to a few ulps for every v: its Taylor series for |v| &lt; 0.5 (where
     * expm1(v) − v cancels towards v²/2 and loses digits; the first omitted term is below
     * 1e-17 relative), {@code expm1(v) − v} beyond (at most a factor 4 of cancellation),
     * {@code +∞} at v = +∞ (not ∞ − ∞); NaN propagates.
     */
    static double expm1MinusX(double v) {
        if (Math.abs(v) < 0.5) {
            double[] c = EXPM1_MINUS_X;
            double s = c[15];
            for (int k = 14; k >= 0; k--) {
                s = c[k] + v * s;
            }
            return v * v * s;
        }
        return v == Double.POSITIVE_INFINITY ? v : Math.expm1(v) - v;
    }
}
