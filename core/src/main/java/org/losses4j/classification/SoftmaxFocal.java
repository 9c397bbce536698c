package org.losses4j.classification;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Multi-class (softmax) focal loss: cross-entropy down-weighted on well-classified rows.
 *
 * <p>Term, one per row, with {@code p = softmax(input)}: {@code −α_y·(1 − p_y)^γ·log p_y}
 * ({@code α_y = 1} without {@code alpha}). With {@code q = 1 − p_y} and {@code ℓ = log p_y},
 * the gradient with respect to logit j is {@code α_y·q^γ·(γ·p_y·ℓ/q − 1)·([j = y] − p_j)};
 * {@code ℓ/q → −1} as {@code q → 0}. {@code γ = 0} is cross-entropy weighted by α.
 *
 * <p>Numerics: {@code ℓ} from a stable log-sum-exp and {@code q = −expm1(ℓ)}, so
 * {@code (1 − p_y)} keeps its relative precision for confident rows and logits of ±1e4 are exact.
 *
 * <p>Shapes: input logits {@code [N, C]}; target int64 {@code [N]}; optional {@code alpha [C]};
 * {@code none} gives {@code [N]}. {@code mean} divides by the number of rows N (α does not
 * change the divisor).
 *
 * <p>Reference: Lin et al. (2017), "Focal Loss for Dense Object Detection" (softmax form).
 */
public final class SoftmaxFocal extends IndexRowLoss {
    /**
     * {@code gamma}: Focusing exponent γ: larger values down-weight well-classified rows more. Default {@code 2.0};
     * allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> GAMMA = OptionSpec.real("gamma", 2.0, OptionSpec.Range.NON_NEGATIVE,
            "focusing exponent γ: larger values down-weight well-classified rows more");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("softmax_focal", Family.CLASSIFICATION)
            .summary("softmax cross-entropy scaled by (1 − p_y)^γ: focuses training on hard examples")
            .formula("−α_y·(1 − p_y)^γ·log p_y, p = softmax(x)")
            .gradInput("input", "logits [N, C]")
            .labelInput("target", "int64 class indices [N]")
            .optionalInput("alpha", "[C] per-class weights")
            .options(GAMMA, REDUCTION)
            .divisor("the number of rows N")
            .tasks("multi-class classification with class imbalance", "dense object detection")
            .reference("Lin et al. 2017, Focal Loss for Dense Object Detection")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Examples.logits(r, n, o)
                    .with("alpha", Examples.t(Examples.uniform(r, Examples.CLASSES, 0.2, 1), Examples.CLASSES)))
            .variable(LossInfo.Variable.TWO_CLASS)
            .factory(SoftmaxFocal::new)
            .build();

    private final double gamma;

    private SoftmaxFocal(Options o) {
        super(INFO, o);
        this.gamma = o.real(GAMMA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code SoftmaxFocal}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<SoftmaxFocal, Builder> {
        private Builder() {
            super(INFO, SoftmaxFocal.class);
        }

        /**
         * {@code gamma}: Focusing exponent γ: larger values down-weight well-classified rows more. Default
         * {@code 2.0}; allowed: &gt;= 0.
         */
        public Builder gamma(double value) {
            return set(GAMMA, value);
        }
    }

    @Override
    RowTerm rows(Inputs in, Tensor x, ClassLayout l) {
        double[] alpha = l.classVector("alpha", in.get("alpha"));
        SoftmaxRow row = new SoftmaxRow(l.c);
        double gm = gamma;
        return (xs, base, cc, lab, gx, scale) -> {
            double lp = row.logP(xs, base, cc, lab);
            double q = -Math.expm1(lp); // 1 − p_y, accurate when p_y is close to 1
            double py = Math.exp(lp);
            double qg = Math.pow(q, gm);
            if (lp != lp) {
                qg = Double.NaN; // pow(NaN, 0) is 1: keep a NaN row NaN
            }
            double a = alpha == null ? 1.0 : alpha[lab];
            if (gx != null) {
                // p_y·ℓ/q: → −p_y as q → 0; 0 when p_y = 0 (ℓ = −∞)
                double pr = py == 0 ? 0 : q == 0 ? -py : py * lp / q;
                double k = scale * a * qg * (gm * pr - 1);
                row.probabilitiesTimes(-k, gx, base, cc);
                gx[base + lab] = k * q; // k·(1 − p_y) with the accurate q, no cancellation
            }
            return -a * qg * lp;
        };
    }
}
