package org.losses4j.segmentation;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;

/**
 * Tversky loss, and focal Tversky loss for γ ≠ 1: Dice with separate weights on false
 * positives and false negatives.
 *
 * <p>Index per group: {@code TI = (TP + s) / (TP + α·FP + β·FN + s)} with
 * {@code TP = Σp·g}, {@code FP = Σp(1 − g)}, {@code FN = Σ(1 − p)g}; loss
 * {@code mean (1 − TI)^γ} over the coefficients of {@code average} (global, class or
 * sample_class, as {@link Dice}). α = β = ½ is Dice; α = β = 1 is Jaccard. With smooth = 0,
 * 0/0 counts as TI = 1 with gradient 0. At TI = 1 with γ &lt; 1 the exact derivative is
 * unbounded; the gradient returned there is 0 (the loss is at its minimum).
 *
 * <p>Shapes: input (probabilities) and target, both [N, C, *] with values in [0, 1]. Always
 * a scalar.
 *
 * <p>Reference: Salehi et al. 2017, "Tversky loss function for image segmentation using 3D
 * fully convolutional deep networks"; Abraham &amp; Khan 2019, "A Novel Focal Tversky loss".
 */
public final class Tversky extends RegionLoss {
    /** {@code alpha}: Weight of false positives. Default {@code 0.5}; allowed: &gt;= 0. */
    public static final OptionSpec<Double> ALPHA = OptionSpec.real("alpha", 0.5, OptionSpec.Range.NON_NEGATIVE,
            "weight of false positives");
    /** {@code beta}: Weight of false negatives. Default {@code 0.5}; allowed: &gt;= 0. */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 0.5, OptionSpec.Range.NON_NEGATIVE,
            "weight of false negatives");
    /** {@code gamma}: Focal exponent: the loss is the mean of (1 − TI)^γ. Default {@code 1.0}; allowed: &gt; 0. */
    public static final OptionSpec<Double> GAMMA = OptionSpec.real("gamma", 1.0, OptionSpec.Range.POSITIVE,
            "focal exponent: the loss is the mean of (1 − TI)^γ");
    /**
     * {@code smooth}: Added to numerator and denominator of each coefficient. Default {@code 1.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> SMOOTH = smoothOption();
    /**
     * {@code average}: Global: one coefficient from all elements; class: one per class; sample_class: one per sample
     * and class. Default {@code global}; allowed: one of global, class, sample_class.
     */
    public static final OptionSpec<String> AVERAGE = averageOption();

    public static final LossInfo INFO = LossInfo.builder("tversky", Family.SEGMENTATION)
            .summary("Dice with separate false-positive / false-negative weights; focal Tversky for gamma != 1")
            .formula("mean (1 − TI)^γ, TI = (TP + s) / (TP + α·FP + β·FN + s)")
            .gradInput("input", INPUT_SHAPE)
            .input("target", TARGET_SHAPE)
            .options(ALPHA, BETA, GAMMA, SMOOTH, AVERAGE)
            .divisor("always a scalar: the mean of (1 − TI)^γ over the coefficients (1 for global, C for class, N·C for "
                    + "sample_class)")
            .tasks("image segmentation", "recall-weighted segmentation", "small lesion segmentation")
            .reference("Salehi et al. 2017; Abraham & Khan 2019 (focal Tversky)")
            .layout(LossInfo.Layout.REGION)
            .example(Examples::regions)
            .variable(LossInfo.Variable.PROBABILITY)
            .factory(Tversky::new)
            .build();

    private final double alpha;
    private final double beta;
    private final double gamma;

    private Tversky(Options o) {
        super(INFO, o, AVERAGE, SMOOTH);
        this.alpha = o.real(ALPHA);
        this.beta = o.real(BETA);
        this.gamma = o.real(GAMMA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Tversky}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Tversky, Builder> {
        private Builder() {
            super(INFO, Tversky.class);
        }

        /** {@code alpha}: Weight of false positives. Default {@code 0.5}; allowed: &gt;= 0. */
        public Builder alpha(double value) {
            return set(ALPHA, value);
        }

        /** {@code beta}: Weight of false negatives. Default {@code 0.5}; allowed: &gt;= 0. */
        public Builder beta(double value) {
            return set(BETA, value);
        }

        /**
         * {@code gamma}: Focal exponent: the loss is the mean of (1 − TI)^γ. Default {@code 1.0}; allowed:
         * &gt; 0.
         */
        public Builder gamma(double value) {
            return set(GAMMA, value);
        }

        /**
         * {@code smooth}: Added to numerator and denominator of each coefficient. Default {@code 1.0};
         * allowed: &gt;= 0.
         */
        public Builder smooth(double value) {
            return set(SMOOTH, value);
        }

        /**
         * {@code average}: Global: one coefficient from all elements; class: one per class; sample_class: one
         * per sample and class. Default {@code global}; allowed: one of global, class, sample_class.
         */
        public Builder average(String value) {
            return set(AVERAGE, value);
        }
    }

    @Override
    double group(RegionSums s, int k, double w, double[] a, double[] b, double[] c) {
        double tp = s.pg[k];
        double fp = s.p[k] - tp; // Σp(1 − g) >= 0: p·g <= p element by element
        double fn = s.g[k] - tp;
        double num = tp + smooth;
        double den = tp + alpha * fp + beta * fn + smooth;
        if (num == 0 && den == 0) {
            return 0;
        }
        double ti = num / den;
        double one = Math.max(0.0, 1 - ti); // TI <= 1; the max only guards pow against a rounding sign
        double term;
        double df; // d(1 − TI)^γ / dTI
        if (gamma == 1) {
            term = one;
            df = -1;
        } else {
            term = Math.pow(one, gamma);
            df = one == 0 && gamma < 1 ? 0 : -gamma * Math.pow(one, gamma - 1);
        }
        // ∂TI/∂p_i = (g_i − TI·((1 − α − β)·g_i + α)) / den
        double f = perDen(df * w, den);
        a[k] = f * (1 - ti * (1 - alpha - beta));
        b[k] = -f * ti * alpha;
        return term;
    }
}
