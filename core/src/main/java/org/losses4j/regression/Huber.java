package org.losses4j.regression;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.kernels.Kernels;

/**
 * Huber loss: quadratic for small residuals, linear for large ones.
 *
 * <p>Term, with {@code d = x − y}: {@code ½d²} if {@code |d| ≤ δ}, else {@code δ(|d| − ½δ)}.
 * Gradient {@code d} inside, {@code δ·sign(d)} outside; second derivative 1 inside, 0
 * outside. {@code mean} divides by the number of elements.
 *
 * <p>Reference: Huber (1964), "Robust Estimation of a Location Parameter"; PyTorch {@code HuberLoss}.
 */
public final class Huber extends ElementwiseLoss {
    /**
     * {@code delta}: Residual size where the loss turns from quadratic to linear. Default {@code 1.0}; allowed: &gt; 0.
     */
    public static final OptionSpec<Double> DELTA = OptionSpec.real("delta", 1.0, OptionSpec.Range.POSITIVE,
            "residual size where the loss turns from quadratic to linear");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("huber", Family.REGRESSION)
            .summary("quadratic near zero, linear beyond delta: MSE's efficiency with MAE's robustness")
            .formula("½d² if |d| ≤ δ else δ(|d| − ½δ), d = x − y")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .options(DELTA, REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("regression with outliers", "robust regression")
            .reference("Huber 1964; PyTorch HuberLoss")
            .example(Examples::regression)
            .factory(Huber::new)
            .build();

    private final double delta;
    private final FusedKernel fused;

    private Huber(Options o) {
        super(INFO, o);
        this.delta = o.real(DELTA);
        float d = (float) delta;
        // the float32 kernel works with δ as a float: only when that is a normal float
        this.fused = d >= Float.MIN_NORMAL && d <= Float.MAX_VALUE
                ? (x, y, g, from, to, scale) -> Kernels.floats().huber(x, y, g, from, to, scale, d)
                : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Huber}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Huber, Builder> {
        private Builder() {
            super(INFO, Huber.class);
        }

        /**
         * {@code delta}: Residual size where the loss turns from quadratic to linear. Default {@code 1.0};
         * allowed: &gt; 0.
         */
        public Builder delta(double value) {
            return set(DELTA, value);
        }
    }

    @Override
    protected FusedKernel fusedFloat32() {
        return fused;
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double dl = delta;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            double a = Math.abs(d);
            boolean in = a <= dl;
            t[k] = in ? 0.5 * d * d : dl * (a - 0.5 * dl);
            // inside: d; outside: ±δ; a NaN residual fails both tests and stays NaN
            dx[k] = a > dl ? Math.copySign(dl, d) : d;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        for (int k = 0, n = b.n; k < n; k++) {
            b.dxx[k] = Math.abs(b.x[k] - b.y[k]) <= delta ? 1.0 : 0.0;
        }
    }
}
