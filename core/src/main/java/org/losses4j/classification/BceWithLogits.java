package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.kernels.FloatKernels;
import org.losses4j.kernels.Kernels;

/**
 * Binary cross-entropy on logits (sigmoid + BCE in one stable step).
 *
 * <p>Term, with {@code y' = y(1 − ε) + ε/2} (label smoothing ε, Keras style):
 * {@code ℓ = −w[pw·y'·log σ(z) + (1 − y')·log(1 − σ(z))] = w[pw·y'·softplus(−z) + (1 − y')·softplus(z)]},
 * with {@code softplus(z) = max(z, 0) + log1p(exp(−|z|))}, exact and finite for any finite z
 * (logits ±1e4 included). Gradient {@code w[(1 − y')σ(z) − pw·y'·σ(−z)]}; second derivative
 * {@code w(pw·y' + 1 − y')σ(z)σ(−z)}.
 *
 * <p>Shapes: input (logits) and target (in [0, 1]) of the same (any) shape; optional
 * {@code weight} of input's shape; optional {@code pos_weight} of shape [last dim of input]
 * (one weight per class of a multi-label problem, broadcast over the other dimensions;
 * [1] for a 0-dim input). {@code mean} divides by the number of elements.
 *
 * <p>With {@code ignore_index} v set, an element whose target equals v gives term 0, gradient 0 and
 * Hessian 0, and is still counted by {@code mean} (segmentation_models_pytorch
 * {@code SoftBCEWithLogitsLoss}, which multiplies the terms by the not-ignored mask before
 * {@code mean}); such a target may lie outside [0, 1].
 *
 * <p>Reference: PyTorch {@code BCEWithLogitsLoss}; label smoothing as Keras
 * {@code BinaryCrossentropy(label_smoothing)}.
 */
public final class BceWithLogits extends ElementwiseLoss {
    /** {@code label_smoothing}: ε: targets become y(1 − ε) + ε/2. Default {@code 0.0}; allowed: in [0, 1]. */
    public static final OptionSpec<Double> LABEL_SMOOTHING = OptionSpec.real("label_smoothing", 0.0,
            OptionSpec.Range.UNIT_CLOSED, "ε: targets become y(1 − ε) + ε/2");
    /**
     * {@code ignore_index}: Target value whose elements give no loss and no gradient; mean still counts them
     * (segmentation_models_pytorch SoftBCEWithLogitsLoss); null: none. Default {@code null}; allowed: a number.
     */
    public static final OptionSpec<Double> IGNORE_INDEX = OptionSpec.nullableReal("ignore_index", null,
            OptionSpec.Range.ANY, "target value whose elements give no loss and no gradient; mean still counts"
                    + " them (segmentation_models_pytorch SoftBCEWithLogitsLoss); null: none");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("bce_with_logits", Family.CLASSIFICATION)
            .summary("binary cross-entropy on logits, numerically stable for any logit; per-class pos_weight")
            .formula("−w[pw·y·log σ(z) + (1 − y)·log(1 − σ(z))], y → y(1 − ε) + ε/2")
            .gradInput("input", "logits, any shape")
            .input("target", "same shape as input, values in [0, 1] (or ignore_index)")
            .optionalInput("weight", "same shape as input")
            .optionalInput("pos_weight", "[last dim of input]: weight of the positive term per class")
            .options(LABEL_SMOOTHING, IGNORE_INDEX, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification", "multi-label classification", "imbalanced binary classification")
            .reference("PyTorch BCEWithLogitsLoss; Keras BinaryCrossentropy label_smoothing")
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * 3, 2), n, 3),
                    Examples.t(Examples.uniform(r, n * 3, 0, 1), n, 3))
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3))
                    .with("pos_weight", Examples.t(Examples.uniform(r, 3, 0.5, 2), 3)))
            .variable(LossInfo.Variable.LOGIT)
            .factory(BceWithLogits::new)
            .build();

    private final double smoothing;
    /** The ignored target value; NaN when none (no target equals NaN). */
    private final double ignore;
    private final FusedKernel fused;

    private BceWithLogits(Options o) {
        super(INFO, o);
        this.smoothing = o.real(LABEL_SMOOTHING);
        Double ig = o.get(IGNORE_INDEX);
        this.ignore = ig == null ? Double.NaN : ig;
        // float32 fast path (no weight, no pos_weight): t = ya·y + yb = y(1 − ε) + ε/2; the kernel
        // checks the targets in its pass (fusedKernelValidates)
        float ya = (float) (1 - smoothing);
        float yb = (float) (0.5 * smoothing);
        this.fused = ig != null ? null : (x, y, g, from, to, scale) -> {
            double s = Kernels.floats().bceWithLogits(x, y, g, from, to, scale, ya, yb);
            if (s == FloatKernels.INVALID_TARGET) {
                throw new InvalidInput();
            }
            return s;
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code BceWithLogits}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<BceWithLogits, Builder> {
        private Builder() {
            super(INFO, BceWithLogits.class);
        }

        /** {@code label_smoothing}: ε: targets become y(1 − ε) + ε/2. Default {@code 0.0}; allowed: in [0, 1]. */
        public Builder labelSmoothing(double value) {
            return set(LABEL_SMOOTHING, value);
        }

        /**
         * {@code ignore_index}: Target value whose elements give no loss and no gradient; mean still counts
         * them (segmentation_models_pytorch SoftBCEWithLogitsLoss); null: none. Default {@code null}; allowed: a
         * number.
         */
        public Builder ignoreIndex(Double value) {
            return set(IGNORE_INDEX, value);
        }
    }

    @Override
    protected FusedKernel fusedFloat32() {
        return fused;
    }

    @Override
    protected boolean fusedKernelValidates() {
        return true;
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Check.closed("target", target, 0, 1, ignore);
    }

    @Override
    protected String auxName() {
        return "pos_weight";
    }

    @Override
    protected AuxShape auxShape(Tensor input, Tensor aux) {
        int last = input.rank() == 0 ? 1 : input.dim(-1);
        if (aux.rank() != 1 || aux.dim(0) != last) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "pos_weight shape " + aux.shapeString()
                    + " must be [" + last + "] (the last dimension of input shape " + input.shapeString() + ")");
        }
        return AuxShape.LAST_DIM;
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, pwa = b.aux, t = b.term, dx = b.dx;
        boolean hasPw = b.hasAux;
        double keep = 1 - smoothing, half = 0.5 * smoothing;
        for (int k = 0, n = b.n; k < n; k++) {
            double z = x[k];
            double yk = y[k] * keep + half;
            double pw = hasPw ? pwa[k] : 1.0;
            // one exp and one log1p give both softplus(±z) and both σ(±z)
            double e = Math.exp(-Math.abs(z));
            double l = Math.log1p(e);
            double r = 1 / (1 + e);
            boolean pos = z >= 0;
            double sig = pos ? r : e * r;
            double sigNeg = pos ? e * r : r;
            double pwy = pw * yk;
            boolean kept = y[k] != ignore; // always true without ignore_index (NaN)
            t[k] = kept ? pwy * (Math.max(-z, 0) + l) + (1 - yk) * (Math.max(z, 0) + l) : 0;
            dx[k] = kept ? (1 - yk) * sig - pwy * sigNeg : 0;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, pwa = b.aux, h = b.dxx;
        boolean hasPw = b.hasAux;
        double keep = 1 - smoothing, half = 0.5 * smoothing;
        for (int k = 0, n = b.n; k < n; k++) {
            double yk = y[k] * keep + half;
            double pw = hasPw ? pwa[k] : 1.0;
            double e = Math.exp(-Math.abs(x[k]));
            double r = 1 / (1 + e);
            // σ(z)σ(−z) = e/(1 + e)² with e = exp(−|z|)
            h[k] = y[k] == ignore ? 0 : (pw * yk + 1 - yk) * e * r * r;
        }
    }
}
