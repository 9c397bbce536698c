package org.losses4j.segmentation;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;

/**
 * Dice loss: one minus the (soft) Dice coefficient, the F1 overlap of a predicted mask and
 * the ground truth.
 *
 * <p>Coefficient per group: {@code D = (2Σp·g + s) / (Σp + Σg + s)}; with {@code squared}
 * the V-Net denominator {@code Σp² + Σg² + s}. Loss {@code 1 − mean D} over the coefficients
 * of {@code average}: {@code global} (one, from every element), {@code class} (one per class,
 * summed over batch and space) or {@code sample_class} (one per sample and class). With
 * smooth = 0 an empty mask predicted empty (0/0) counts as D = 1, with gradient 0.
 * Gradient: {@code ∂D/∂p_i = (2g_i − D) / den} (squared: {@code (2g_i − 2D·p_i) / den}).
 *
 * <p>Shapes: input (probabilities) and target, both [N, C, *] with values in [0, 1]. Always
 * a scalar (no reduction option).
 *
 * <p>Reference: Milletari et al. 2016, "V-Net" (squared form); Sudre et al. 2017,
 * "Generalised Dice overlap as a deep learning loss function".
 */
public final class Dice extends RegionLoss {
    /**
     * {@code smooth}: Added to numerator and denominator of each coefficient. Default {@code 1.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> SMOOTH = smoothOption();
    /**
     * {@code squared}: V-Net denominator Σp² + Σg² instead of Σp + Σg. Default {@code false}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> SQUARED = OptionSpec.bool("squared", false,
            "V-Net denominator Σp² + Σg² instead of Σp + Σg");
    /**
     * {@code average}: Global: one coefficient from all elements; class: one per class; sample_class: one per sample
     * and class. Default {@code global}; allowed: one of global, class, sample_class.
     */
    public static final OptionSpec<String> AVERAGE = averageOption();

    public static final LossInfo INFO = LossInfo.builder("dice", Family.SEGMENTATION)
            .summary("one minus the soft Dice overlap: segmentation with imbalanced foreground")
            .formula("1 − mean (2Σpg + s) / (Σp + Σg + s); squared: denominator Σp² + Σg² + s")
            .gradInput("input", INPUT_SHAPE)
            .input("target", TARGET_SHAPE)
            .options(SMOOTH, SQUARED, AVERAGE)
            .divisor(DIVISOR)
            .tasks("image segmentation", "imbalanced segmentation", "medical imaging")
            .reference("Milletari et al. 2016 (V-Net); Sudre et al. 2017")
            .layout(LossInfo.Layout.REGION)
            .example(Examples::regions)
            .factory(Dice::new)
            .build();

    private final boolean squared;

    private Dice(Options o) {
        super(INFO, o, AVERAGE, SMOOTH);
        this.squared = o.get(SQUARED);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Dice}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Dice, Builder> {
        private Builder() {
            super(INFO, Dice.class);
        }

        /**
         * {@code smooth}: Added to numerator and denominator of each coefficient. Default {@code 1.0};
         * allowed: &gt;= 0.
         */
        public Builder smooth(double value) {
            return set(SMOOTH, value);
        }

        /**
         * {@code squared}: V-Net denominator Σp² + Σg² instead of Σp + Σg. Default {@code false}; allowed:
         * true or false.
         */
        public Builder squared(boolean value) {
            return set(SQUARED, value);
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
    boolean squares() {
        return squared;
    }

    @Override
    double group(RegionSums s, int k, double w, double[] a, double[] b, double[] c) {
        if (squared) {
            double num = 2 * s.pg[k] + smooth;
            double den = s.pp[k] + s.gg[k] + smooth;
            if (num == 0 && den == 0) {
                return 0; // empty predicted empty: D = 1, gradient 0
            }
            double d = num / den;
            double f = perDen(w, den);
            a[k] = -2 * f;
            c[k] = 2 * d * f;
            return 1 - d;
        }
        return plain(s.pg[k], s.p[k], s.g[k], smooth, w, a, b, k);
    }

    /**
     * The plain Dice term 1 − D of one group (shared with combo), and the gradient numbers
     * {@code a[k] = −2w/den}, {@code b[k] = w·D/den}.
     */
    static double plain(double pg, double p, double g, double smooth, double w, double[] a, double[] b, int k) {
        double num = 2 * pg + smooth;
        double den = p + g + smooth;
        if (num == 0 && den == 0) {
            return 0; // empty predicted empty: D = 1, gradient 0
        }
        double d = num / den;
        double f = perDen(w, den);
        a[k] = -2 * f;
        b[k] = d * f;
        return 1 - d;
    }
}
