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
 * <p>With {@code log}, the loss is {@code mean −log(max(D, 1e-7))} over the coefficients
 * instead (segmentation_models_pytorch {@code DiceLoss(log_loss=True)}: {@code
 * −log(score.clamp_min(eps))} with its default eps = 1e-7); its derivative is {@code −(∂D/∂p)/D}
 * where D ≥ 1e-7 and 0 below, where the clamp holds it (torch's clamp_min passes the gradient
 * at D = eps). Only the outer function is SMP's: the coefficient, smooth and average stay as
 * above (SMP's own score adds smooth twice over, counts Σ min(p, g) as the intersection of soft
 * targets, and zeroes the loss of classes absent from the target).
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
    /**
     * {@code log}: Loss −log(max(D, 1e-7)) per coefficient instead of 1 − D (SMP DiceLoss log_loss). Default
     * {@code false}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> LOG = OptionSpec.bool("log", false,
            "loss −log(max(D, 1e-7)) per coefficient instead of 1 − D (SMP DiceLoss log_loss)");
    /** The clamp of the {@code log} form: D below it counts as it (SMP DiceLoss's default eps). */
    public static final double LOG_EPS = 1e-7;

    public static final LossInfo INFO = LossInfo.builder("dice", Family.SEGMENTATION)
            .summary("one minus the soft Dice overlap: segmentation with imbalanced foreground")
            .formula("1 − mean (2Σpg + s) / (Σp + Σg + s); squared: denominator Σp² + Σg² + s; log: mean −log(max(D, 1e-7))")
            .gradInput("input", INPUT_SHAPE)
            .input("target", TARGET_SHAPE)
            .options(SMOOTH, SQUARED, AVERAGE, LOG)
            .divisor(DIVISOR)
            .tasks("image segmentation", "imbalanced segmentation", "medical imaging")
            .reference("Milletari et al. 2016 (V-Net); Sudre et al. 2017")
            .layout(LossInfo.Layout.REGION)
            .example(Examples::regions)
            .variable(LossInfo.Variable.PROBABILITY)
            .factory(Dice::new)
            .build();

    private final boolean squared;
    private final boolean log;

    private Dice(Options o) {
        super(INFO, o, AVERAGE, SMOOTH);
        this.squared = o.get(SQUARED);
        this.log = o.get(LOG);
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

        /**
         * {@code log}: Loss −log(max(D, 1e-7)) per coefficient instead of 1 − D (SMP DiceLoss log_loss).
         * Default {@code false}; allowed: true or false.
         */
        public Builder log(boolean value) {
            return set(LOG, value);
        }
    }

    @Override
    boolean squares() {
        return squared;
    }

    @Override
    double group(RegionSums s, int k, double w, double[] a, double[] b, double[] c) {
        double d = squared ? squaredCoefficient(s, k, w, a, c) : coefficient(s.pg[k], s.p[k], s.g[k], smooth, w, a, b, k);
        if (!log) {
            return 1 - d;
        }
        // the numbers are those of w·(1 − D), i.e. −w·∂D/∂p; −log D has −(∂D/∂p)/D (0 where clamped)
        double f = d >= LOG_EPS ? 1 / d : 0;
        a[k] *= f;
        b[k] *= f;
        if (c != null) {
            c[k] *= f;
        }
        return -Math.log(Math.max(d, LOG_EPS));
    }

    /** The squared (V-Net) coefficient of group k, with the gradient numbers of w·(1 − D). */
    private double squaredCoefficient(RegionSums s, int k, double w, double[] a, double[] c) {
        double num = 2 * s.pg[k] + smooth;
        double den = s.pp[k] + s.gg[k] + smooth;
        if (num == 0 && den == 0) {
            return 1; // empty predicted empty: D = 1, gradient 0
        }
        double d = num / den;
        double f = perDen(w, den);
        a[k] = -2 * f;
        c[k] = 2 * d * f;
        return d;
    }

    /**
     * The plain Dice term 1 − D of one group (shared with combo), and the gradient numbers
     * {@code a[k] = −2w/den}, {@code b[k] = w·D/den}.
     */
    static double plain(double pg, double p, double g, double smooth, double w, double[] a, double[] b, int k) {
        return 1 - coefficient(pg, p, g, smooth, w, a, b, k);
    }

    /** The plain coefficient D of one group, with the gradient numbers of {@link #plain}. */
    private static double coefficient(double pg, double p, double g, double smooth, double w, double[] a, double[] b,
            int k) {
        double num = 2 * pg + smooth;
        double den = p + g + smooth;
        if (num == 0 && den == 0) {
            return 1; // empty predicted empty: D = 1, gradient 0
        }
        double d = num / den;
        double f = perDen(w, den);
        a[k] = -2 * f;
        b[k] = d * f;
        return d;
    }
}
