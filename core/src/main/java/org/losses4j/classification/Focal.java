package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.kernels.FocalTerm;
import org.losses4j.kernels.Kernels;

/**
 * Sigmoid focal loss: binary cross-entropy down-weighted on well-classified examples.
 *
 * <p>Term: {@code ℓ = α_t·(1 − p_t)^γ·ce}, with {@code p = σ(z)}, {@code ce} the
 * bce_with_logits term, {@code p_t = p·y + (1 − p)(1 − y)} and
 * {@code α_t = α·y + (1 − α)(1 − y)} ({@code α_t = 1} when alpha is null). With
 * {@code u = (2y − 1)·z} (the signed logit) this is {@code α_t·σ(−u)^γ·softplus(−u)}, computed
 * in log space: {@code σ(−u)^γ = exp(−γ·softplus(u))}, so logits ±1e4 give exact, finite
 * values and gradients. Gradient {@code dℓ/dz = −(2y − 1)·α_t·σ(−u)^γ·(γ·σ(u)·softplus(−u) + σ(−u))};
 * second derivative {@code α_t·σ(−u)^γ·σ(u)·(γ²σ(u)·L − γσ(−u)·L + 2γσ(−u) + σ(−u))} with
 * {@code L = softplus(−u)}. γ = 0 with alpha null is bce_with_logits.
 *
 * <p>Shapes: input (logits) and target (in {0, 1}, float) of the same (any) shape.
 * {@code mean} (the default, unlike torchvision's {@code none}) divides by the number of
 * elements.
 *
 * <p>Reference: Lin et al. (2017), "Focal Loss for Dense Object Detection"; torchvision
 * {@code sigmoid_focal_loss}.
 */
public final class Focal extends ElementwiseLoss {
    /**
     * {@code alpha}: Weight of the positive class (1 − alpha for negatives); null = none. Default {@code 0.25};
     * allowed: in [0, 1].
     */
    public static final OptionSpec<Double> ALPHA = OptionSpec.nullableReal("alpha", 0.25,
            OptionSpec.Range.UNIT_CLOSED, "weight of the positive class (1 − alpha for negatives); null = none");
    /**
     * {@code gamma}: Focusing exponent: (1 − p_t)^gamma down-weights easy examples. Default {@code 2.0}; allowed: &gt;=
     * 0.
     */
    public static final OptionSpec<Double> GAMMA = OptionSpec.real("gamma", 2.0, OptionSpec.Range.NON_NEGATIVE,
            "focusing exponent: (1 − p_t)^gamma down-weights easy examples");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("focal", Family.CLASSIFICATION)
            .summary("sigmoid focal loss: BCE that focuses on hard examples, for heavy class imbalance")
            .formula("α_t·(1 − p_t)^γ·ce, p_t = p·y + (1 − p)(1 − y), α_t = α·y + (1 − α)(1 − y)")
            .gradInput("input", "logits, any shape")
            .input("target", "same shape as input, values in {0, 1}")
            .options(ALPHA, GAMMA, REDUCTION)
            .divisor("the number of elements")
            .elementwise(true)
            .tasks("dense object detection", "imbalanced binary classification")
            .reference("Lin et al. 2017; torchvision sigmoid_focal_loss")
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * 3, 2), n, 3),
                    Examples.t(Examples.binary(r, n * 3, 0), n, 3)))
            .variable(LossInfo.Variable.LOGIT)
            .factory(Focal::new)
            .build();

    private final boolean weighted;
    private final double alpha;
    private final double gamma;
    private final FusedKernel fused;

    private Focal(Options o) {
        super(INFO, o);
        Double a = o.get(ALPHA);
        this.weighted = a != null;
        this.alpha = a == null ? 0 : a;
        this.gamma = o.real(GAMMA);
        // float32 fast path (no weight): α_t = a0 + da·y, that is 1 − α for y = 0 and α for y = 1
        float a0 = weighted ? (float) (1 - alpha) : 1f;
        float da = weighted ? (float) (2 * alpha - 1) : 0f;
        double gm = gamma;
        this.fused = (x, y, g, from, to, scale) -> Kernels.floats().focal(x, y, g, from, to, scale, a0, da, gm);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Focal}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Focal, Builder> {
        private Builder() {
            super(INFO, Focal.class);
        }

        /**
         * {@code alpha}: Weight of the positive class (1 − alpha for negatives); null = none. Default {@code
         * 0.25}; allowed: in [0, 1].
         */
        public Builder alpha(Double value) {
            return set(ALPHA, value);
        }

        /**
         * {@code gamma}: Focusing exponent: (1 − p_t)^gamma down-weights easy examples. Default {@code 2.0};
         * allowed: &gt;= 0.
         */
        public Builder gamma(double value) {
            return set(GAMMA, value);
        }
    }

    @Override
    protected FusedKernel fusedFloat32() {
        return fused;
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Check.oneOf("target", target, 0, 1);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        double g = gamma, al = alpha;
        boolean w = weighted;
        for (int k = 0, n = b.n; k < n; k++) {
            double yk = y[k];
            double s = 2 * yk - 1;
            double at = w ? al * yk + (1 - al) * (1 - yk) : 1.0;
            t[k] = at * FocalTerm.term(s * x[k], g, dx, k);
            dx[k] *= s * at;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        double g = gamma, al = alpha;
        boolean w = weighted;
        for (int k = 0, n = b.n; k < n; k++) {
            double yk = y[k];
            double at = w ? al * yk + (1 - al) * (1 - yk) : 1.0;
            h[k] = at * FocalTerm.curvature((2 * yk - 1) * x[k], g);
        }
    }
}
