package org.losses4j.segmentation;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;

/**
 * Combo loss: a weighted sum of a weighted binary cross-entropy and the Dice loss.
 *
 * <p>{@code L = α·wBCE + (1 − α)·dice}, with
 * {@code wBCE = −mean[β·g·log p + (1 − β)(1 − g)·log(1 − p)]} over every element (each log
 * clamped at −100, where its derivative is then 0: the exact derivative of the clamped value)
 * and the plain Dice loss of {@link Dice} with the same smooth and average.
 *
 * <p>Shapes: input (probabilities) and target, both [N, C, *] with values in [0, 1]. Always
 * a scalar; the BCE mean divides by the number of elements.
 *
 * <p>Reference: Taghanaki et al. 2019, "Combo loss: Handling input and output imbalance in
 * multi-organ segmentation".
 */
public final class Combo extends RegionLoss {
    /**
     * {@code alpha}: Weight of the BCE part (the Dice part gets 1 − alpha). Default {@code 0.5}; allowed: in [0, 1].
     */
    public static final OptionSpec<Double> ALPHA = OptionSpec.real("alpha", 0.5, OptionSpec.Range.UNIT_CLOSED,
            "weight of the BCE part (the Dice part gets 1 − alpha)");
    /**
     * {@code beta}: Weight of the positive (g·log p) BCE term (the negative term gets 1 − beta). Default {@code 0.5};
     * allowed: in [0, 1].
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 0.5, OptionSpec.Range.UNIT_CLOSED,
            "weight of the positive (g·log p) BCE term (the negative term gets 1 − beta)");
    /**
     * {@code smooth}: Added to numerator and denominator of each coefficient. Default {@code 1.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> SMOOTH = smoothOption();
    /**
     * {@code average}: Global: one coefficient from all elements; class: one per class; sample_class: one per sample
     * and class. Default {@code global}; allowed: one of global, class, sample_class.
     */
    public static final OptionSpec<String> AVERAGE = averageOption();

    public static final LossInfo INFO = LossInfo.builder("combo", Family.SEGMENTATION)
            .summary("weighted BCE plus Dice: pixel-wise and region-wise imbalance handled together")
            .formula("α·(−mean[β·g·log p + (1 − β)(1 − g)·log(1 − p)]) + (1 − α)·(1 − mean dice coefficient)")
            .gradInput("input", INPUT_SHAPE)
            .input("target", TARGET_SHAPE)
            .options(ALPHA, BETA, SMOOTH, AVERAGE)
            .divisor("always a scalar: the BCE part is a mean over every element, the Dice part a mean over the "
                    + "coefficients (1 for global, C for class, N·C for sample_class)")
            .tasks("image segmentation", "multi-organ segmentation", "imbalanced segmentation")
            .reference("Taghanaki et al. 2019")
            .layout(LossInfo.Layout.REGION)
            .example(Examples::regions)
            .variable(LossInfo.Variable.PROBABILITY)
            .factory(Combo::new)
            .build();

    private static final double LOG_FLOOR = -100;

    private final double alpha;
    private final double beta;

    private Combo(Options o) {
        super(INFO, o, AVERAGE, SMOOTH);
        this.alpha = o.real(ALPHA);
        this.beta = o.real(BETA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Combo}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Combo, Builder> {
        private Builder() {
            super(INFO, Combo.class);
        }

        /**
         * {@code alpha}: Weight of the BCE part (the Dice part gets 1 − alpha). Default {@code 0.5}; allowed:
         * in [0, 1].
         */
        public Builder alpha(double value) {
            return set(ALPHA, value);
        }

        /**
         * {@code beta}: Weight of the positive (g·log p) BCE term (the negative term gets 1 − beta). Default
         * {@code 0.5}; allowed: in [0, 1].
         */
        public Builder beta(double value) {
            return set(BETA, value);
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
    double regionWeight() {
        return 1 - alpha;
    }

    @Override
    double group(RegionSums s, int k, double w, double[] a, double[] b, double[] c) {
        return Dice.plain(s.pg[k], s.p[k], s.g[k], smooth, w, a, b, k);
    }

    @Override
    double elementwise(double[] x, double[] y, double[] out) {
        int n = x.length;
        double scale = alpha / n;
        double bt = beta;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = x[i];
            double g = y[i];
            double lp = Math.log(p);
            double lq = Math.log1p(-p);
            double pos = bt * g;
            double neg = (1 - bt) * (1 - g);
            sum -= pos * Math.max(lp, LOG_FLOOR) + neg * Math.max(lq, LOG_FLOOR);
            if (out != null) {
                // d/dp of the clamped logs: 1/p and −1/(1 − p), 0 where the clamp is active
                double d = (lp < LOG_FLOOR ? 0 : pos / p) - (lq < LOG_FLOOR ? 0 : neg / (1 - p));
                out[i] -= scale * d;
            }
        }
        return sum * scale;
    }

    @Override
    double elementwise(float[] x, float[] y, float[] out) {
        int n = x.length;
        double scale = alpha / n;
        double bt = beta;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = x[i];
            double g = y[i];
            double lp = Math.log(p);
            double lq = Math.log1p(-p);
            double pos = bt * g;
            double neg = (1 - bt) * (1 - g);
            sum -= pos * Math.max(lp, LOG_FLOOR) + neg * Math.max(lq, LOG_FLOOR);
            if (out != null) {
                double d = (lp < LOG_FLOOR ? 0 : pos / p) - (lq < LOG_FLOOR ? 0 : neg / (1 - p));
                out[i] = (float) (out[i] - scale * d);
            }
        }
        return sum * scale;
    }
}
