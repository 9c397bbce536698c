package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Ramp loss: the hinge clipped at {@code 1 − s}, so a gross error costs at most {@code 1 − s}.
 *
 * <p>Term, with {@code z = y·x}: {@code ℓ = min(max(0, 1 − z), 1 − s)} ({@code s < 1}).
 * Gradient {@code −y} for {@code s < z < 1}, else 0 (subgradient 0 at both kinks
 * {@code z = s} and {@code z = 1}); second derivative 0 everywhere. Not convex: bounded,
 * hence robust to mislabelled examples.
 *
 * <p>Shapes: input (scores) and target (in {−1, +1}) of the same (any) shape. {@code mean}
 * divides by the number of elements.
 *
 * <p>Reference: Collobert, Sinz, Weston &amp; Bottou (2006), "Trading Convexity for
 * Scalability" (ramp loss {@code H_1(z) − H_s(z)}).
 */
public final class Ramp extends MarginLoss {
    /** {@code s}: The score below which the loss stops growing (cap 1 − s). Default {@code -1.0}; allowed: &lt; 1. */
    public static final OptionSpec<Double> S = OptionSpec.real("s", -1.0, OptionSpec.Range.BELOW_ONE,
            "the score below which the loss stops growing (cap 1 − s)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("ramp", Family.CLASSIFICATION)
            .summary("ramp loss: hinge clipped at 1 − s, bounded and so robust to label noise")
            .formula("min(max(0, 1 − y·x), 1 − s)")
            .gradInput("input", "scores, any shape")
            .input("target", "same shape as input, values in {−1, +1}")
            .options(S, REDUCTION)
            .divisor("the number of elements")
            .robust(true).elementwise(true)
            .tasks("binary classification with label noise", "robust support vector machines")
            .reference("Collobert, Sinz, Weston & Bottou 2006")
            .example(Examples::margins)
            .kinks(true)
            .variable(LossInfo.Variable.MARGIN)
            .factory(Ramp::new)
            .build();

    private final double cap;

    private Ramp(Options o) {
        super(INFO, o);
        this.cap = 1 - o.real(S);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Ramp}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Ramp, Builder> {
        private Builder() {
            super(INFO, Ramp.class);
        }

        /**
         * {@code s}: The score below which the loss stops growing (cap 1 − s). Default {@code -1.0}; allowed:
         * &lt; 1.
         */
        public Builder s(double value) {
            return set(S, value);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double c = cap;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = 1 - y[k] * x[k];
            t[k] = Math.min(Math.max(0.0, d), c);
            // strictly between the kinks: −y; at or outside them: 0; NaN stays NaN
            dx[k] = d > 0 && d < c ? -y[k] : d == d ? 0.0 : d;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        zeroSecondDerivative(b);
    }
}
