package org.losses4j.generative;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * The WGAN-GP gradient penalty: {@code λ·mean_n (‖g_n‖₂ − 1)²}, where {@code g_n} is row n of
 * the critic's gradients at interpolated points (everything after the first dimension).
 *
 * <p>Gradient: {@code (2λ/N)·(‖g_n‖ − 1)·g_n/‖g_n‖}. At {@code ‖g_n‖ = 0} the norm has a kink
 * (the term is {@code λ(1 − ‖g‖)²} near it, with slope −2λ/N in every direction); the
 * subgradient returned there is 0, the minimum-norm element of the Clarke subdifferential,
 * as PyTorch's norm backward gives. The norm is computed with scaling when the plain sum of
 * squares would overflow or underflow.
 *
 * <p>Shape: {@code gradients} {@code [N, *]} (rank ≥ 1; a vector {@code [N]} has rows of one
 * element), N ≥ 1. Always a scalar: the mean divides by N.
 *
 * <pre>{@code
 * Loss gp = GradientPenalty.builder().set(GradientPenalty.LAMBDA, 10.0).build();
 * gp.compute(Inputs.of("gradients", Tensor.of(new double[] {3, 4, 0, 1}, 2, 2))).value();  // 10·(16 + 0)/2 = 80
 * }</pre>
 *
 * <p>Reference: Gulrajani et al. 2017, "Improved Training of Wasserstein GANs".
 */
public final class GradientPenalty extends AbstractLoss {
    /**
     * {@code lambda}: Weight λ of the penalty (at most 1e15: larger values overflow the weighted value or its float32
     * gradient). Default {@code 10.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> LAMBDA = OptionSpec.real("lambda", 10.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "weight λ of the penalty (at most 1e15: larger values overflow the weighted value or its float32 gradient)");

    public static final LossInfo INFO = LossInfo.builder("gradient_penalty", Family.GENERATIVE)
            .summary("WGAN-GP penalty: keeps the critic's gradient norm near 1 (a soft Lipschitz constraint)")
            .formula("λ·mean_n (‖g_n‖₂ − 1)²")
            .gradInput("gradients", "[N, *]: the critic's gradients at interpolated points, one row per sample")
            .options(LAMBDA)
            .divisor("always a scalar: the mean divides by N (rows)")
            .tasks("WGAN-GP critic regularisation", "Lipschitz regularisation")
            .reference("Gulrajani et al. 2017 (WGAN-GP)")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of("gradients", Examples.t(Examples.gauss(r, n * 3, 1), n, 3)))
            .factory(GradientPenalty::new)
            .build();

    private final double lambda;

    private GradientPenalty(Options o) {
        super(INFO, o);
        this.lambda = o.real(LAMBDA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code GradientPenalty}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<GradientPenalty, Builder> {
        private Builder() {
            super(INFO, GradientPenalty.class);
        }

        /**
         * {@code lambda}: Weight λ of the penalty (at most 1e15: larger values overflow the weighted value or
         * its float32 gradient). Default {@code 10.0}; allowed: in [0, 1e15].
         */
        public Builder lambda(double value) {
            return set(LAMBDA, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t = call.input("gradients");
        if (t.rank() < 1) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "gradients must be [N, *] (rank >= 1, one row per"
                    + " sample), got shape " + t.shapeString());
        }
        int n = t.dim(0);
        if (n == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, "gradients " + t.shapeString()
                    + " has no rows: the mean over N = 0 samples is undefined");
        }
        int d = t.size() / n;
        double[] x = GanDiscriminator.data(t);
        double[] gx = call.gradient("gradients", t);
        double s = call.reduce(n);
        double sum = 0;
        for (int row = 0, off = 0; row < n; row++, off += d) {
            double norm = norm(x, off, d);
            double e = norm - 1;
            sum += lambda * e * e;
            // 0 at norm = 0 (the kink); NaN in a row makes norm NaN and the whole row NaN
            if (gx != null && norm != 0) {
                double c = 2 * lambda * e / norm * s;
                if (Double.isInfinite(c) && norm < 1) {
                    // a subnormal norm: 1/norm overflows; form the unit vector x/‖x‖ first
                    c = 2 * lambda * e * s;
                    for (int k = off; k < off + d; k++) {
                        gx[k] = c * (x[k] / norm);
                    }
                } else {
                    for (int k = off; k < off + d; k++) {
                        gx[k] = c * x[k];
                    }
                }
            }
        }
        return call.finish(sum);
    }

    /** ‖x[off, off + len)‖₂; rescaled by the largest |x| only when Σx² leaves the normal range. */
    private static double norm(double[] x, int off, int len) {
        double ss = 0;
        for (int k = off; k < off + len; k++) {
            ss += x[k] * x[k];
        }
        if (ss >= 0x1p-900 && ss <= 0x1p900 || Double.isNaN(ss) || ss == 0 && allZero(x, off, len)) {
            return Math.sqrt(ss);
        }
        double m = 0;
        for (int k = off; k < off + len; k++) {
            m = Math.max(m, Math.abs(x[k]));
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s2 = 0;
        for (int k = off; k < off + len; k++) {
            double v = x[k] / m;
            s2 += v * v;
        }
        return m * Math.sqrt(s2);
    }

    private static boolean allZero(double[] x, int off, int len) {
        for (int k = off; k < off + len; k++) {
            if (x[k] != 0) {
                return false;
            }
        }
        return true;
    }
}
