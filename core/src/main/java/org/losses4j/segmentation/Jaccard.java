package org.losses4j.segmentation;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;

/**
 * Jaccard (soft IoU) loss: one minus the intersection over union of a predicted mask and the
 * ground truth.
 *
 * <p>Coefficient per group: {@code J = (Σp·g + s) / (Σp + Σg − Σp·g + s)}; loss
 * {@code 1 − mean J} over the coefficients of {@code average} (global, class or
 * sample_class, as {@link Dice}). With smooth = 0, 0/0 counts as J = 1 with gradient 0.
 * Gradient: {@code ∂J/∂p_i = ((1 + J)·g_i − J) / den}.
 *
 * <p>Shapes: input (probabilities) and target, both [N, C, *] with values in [0, 1]. Always
 * a scalar.
 *
 * <p>Reference: Rahman &amp; Wang 2016, "Optimizing Intersection-Over-Union in Deep Neural
 * Networks for Image Segmentation".
 */
public final class Jaccard extends RegionLoss {
    /**
     * {@code smooth}: Added to numerator and denominator of each coefficient. Default {@code 1.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> SMOOTH = smoothOption();
    /**
     * {@code average}: Global: one coefficient from all elements; class: one per class; sample_class: one per sample
     * and class. Default {@code global}; allowed: one of global, class, sample_class.
     */
    public static final OptionSpec<String> AVERAGE = averageOption();

    public static final LossInfo INFO = LossInfo.builder("jaccard", Family.SEGMENTATION)
            .summary("one minus the soft intersection over union (IoU) of masks")
            .formula("1 − mean (Σpg + s) / (Σp + Σg − Σpg + s)")
            .gradInput("input", INPUT_SHAPE)
            .input("target", TARGET_SHAPE)
            .options(SMOOTH, AVERAGE)
            .divisor(DIVISOR)
            .tasks("image segmentation", "IoU optimisation")
            .reference("Rahman & Wang 2016")
            .layout(LossInfo.Layout.REGION)
            .example(Examples::regions)
            .variable(LossInfo.Variable.PROBABILITY)
            .factory(Jaccard::new)
            .build();

    private Jaccard(Options o) {
        super(INFO, o, AVERAGE, SMOOTH);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Jaccard}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Jaccard, Builder> {
        private Builder() {
            super(INFO, Jaccard.class);
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
        double i = s.pg[k];
        double num = i + smooth;
        double den = s.p[k] + (s.g[k] - i) + smooth; // Σp + Σg − Σpg, each part >= 0
        if (num == 0 && den == 0) {
            return 0;
        }
        double j = num / den;
        double f = perDen(w, den);
        a[k] = -(1 + j) * f;
        b[k] = j * f;
        return 1 - j;
    }
}
