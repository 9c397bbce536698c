package org.losses4j.segmentation;

import org.losses4j.AbstractLoss;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Generalised Dice loss: one Dice overlap over all classes of a sample, each class weighted by
 * the inverse (square) of its target volume, so that small structures count as much as large
 * ones.
 *
 * <p>Per sample n (or once over the batch with {@code batch}), with sums over the spatial
 * positions (and the batch with {@code batch}) of class c: {@code TP_c = Σp·g},
 * {@code P_c = Σp}, {@code G_c = Σg}; weights {@code w_c = 1/G_c²} ({@code square}, the
 * default), {@code 1/G_c} ({@code simple}) or 1 ({@code uniform}); the term
 * {@code 1 − (2Σ_c w_c·TP_c + s_nr) / (Σ_c w_c·(P_c + G_c) + s_dr)}. A class absent from the
 * target (G_c = 0) has an infinite weight, which is replaced, as in MONAI, by the largest
 * finite weight of the sample (of the batch with {@code batch}); when every class is absent all
 * weights are 0 and the term is 1 − s_nr/s_dr (0 with the defaults). A term whose numerator and
 * denominator are both 0 (possible only with both smooths 0) counts as coefficient 1 (term 0,
 * gradient 0), as in {@link Dice}; MONAI gives NaN there. The weights depend on the target only
 * and carry no gradient: {@code ∂term/∂p_i = −w_c·(2g_i − R)/den} with R the ratio.
 *
 * <p>Reduction: {@code mean} (the default) over the N terms, {@code sum}, or {@code none}
 * (shape [N]; with {@code batch} there is one term, shape [1]). Shapes: input (probabilities)
 * and target (one-hot or soft, in [0, 1]), both [N, C, *] (rank 2, [N, C], is one position per
 * sample).
 *
 * <p>MONAI {@code GeneralizedDiceLoss} semantics with its defaults (include_background,
 * soft_label false), except: the weights are computed in float64 (MONAI casts G_c to float32
 * before the reciprocal, which moves the result by float32 rounding of the weights, and for
 * soft targets moves where 1/G_c² overflows to ∞), and the 0/0 rule above.
 *
 * <p>Reference: Sudre et al. 2017, "Generalised Dice overlap as a deep learning loss function
 * for highly unbalanced segmentations"; MONAI {@code monai.losses.GeneralizedDiceLoss}.
 */
public final class GeneralizedDice extends AbstractLoss {
    /**
     * {@code weight_type}: Class weight from the target volume G_c: square 1/G_c², simple 1/G_c, uniform 1. Default
     * {@code square}; allowed: one of square, simple, uniform.
     */
    public static final OptionSpec<String> WEIGHT_TYPE = OptionSpec.choice("weight_type", "square",
            "class weight from the target volume G_c: square 1/G_c², simple 1/G_c, uniform 1", "square", "simple",
            "uniform");
    /**
     * {@code smooth_nr}: Added to the numerator (bounded so that s_nr/s_dr stays finite). Default {@code 1.0E-5};
     * allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> SMOOTH_NR = OptionSpec.real("smooth_nr", 1e-5,
            OptionSpec.Range.BOUNDED_NON_NEGATIVE, "added to the numerator (bounded so that s_nr/s_dr stays finite)");
    /**
     * {@code smooth_dr}: Added to the denominator (bounded so that s_nr/s_dr stays finite). Default {@code 1.0E-5};
     * allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> SMOOTH_DR = OptionSpec.real("smooth_dr", 1e-5,
            OptionSpec.Range.BOUNDED_NON_NEGATIVE, "added to the denominator (bounded so that s_nr/s_dr stays finite)");
    /**
     * {@code batch}: Sum over the batch too: one term for the whole batch instead of one per sample. Default
     * {@code false}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> BATCH = OptionSpec.bool("batch", false,
            "sum over the batch too: one term for the whole batch instead of one per sample");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("generalized_dice", Family.SEGMENTATION)
            .summary("generalised Dice: one Dice over all classes, weighted by inverse squared volume (rare classes)")
            .formula("1 − (2Σ_c w_c·Σpg + s_nr) / (Σ_c w_c·(Σp + Σg) + s_dr), w_c = 1/(Σg)² per sample")
            .gradInput("input", RegionLoss.INPUT_SHAPE)
            .input("target", "same shape as input, one-hot (or soft) values in [0, 1]")
            .options(WEIGHT_TYPE, SMOOTH_NR, SMOOTH_DR, BATCH, REDUCTION)
            .divisor("the batch size N (one term per sample; with batch, one term)")
            .tasks("multi-class segmentation", "highly unbalanced segmentation", "medical imaging")
            .reference("Sudre et al. 2017; MONAI GeneralizedDiceLoss")
            .layout(LossInfo.Layout.REGION)
            .example(Examples::regions)
            .factory(GeneralizedDice::new)
            .build();

    private enum Weight { SQUARE, SIMPLE, UNIFORM }

    private final Weight weight;
    private final double smoothNr;
    private final double smoothDr;
    private final boolean batch;

    private GeneralizedDice(Options o) {
        super(INFO, o);
        String w = o.get(WEIGHT_TYPE);
        this.weight = w.equals("square") ? Weight.SQUARE : w.equals("simple") ? Weight.SIMPLE : Weight.UNIFORM;
        this.smoothNr = o.real(SMOOTH_NR);
        this.smoothDr = o.real(SMOOTH_DR);
        this.batch = o.get(BATCH);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code GeneralizedDice}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<GeneralizedDice, Builder> {
        private Builder() {
            super(INFO, GeneralizedDice.class);
        }

        /**
         * {@code weight_type}: Class weight from the target volume G_c: square 1/G_c², simple 1/G_c, uniform
         * 1. Default {@code square}; allowed: one of square, simple, uniform.
         */
        public Builder weightType(String value) {
            return set(WEIGHT_TYPE, value);
        }

        /**
         * {@code smooth_nr}: Added to the numerator (bounded so that s_nr/s_dr stays finite). Default
         * {@code 1.0E-5}; allowed: in [0, 1e15].
         */
        public Builder smoothNr(double value) {
            return set(SMOOTH_NR, value);
        }

        /**
         * {@code smooth_dr}: Added to the denominator (bounded so that s_nr/s_dr stays finite). Default
         * {@code 1.0E-5}; allowed: in [0, 1e15].
         */
        public Builder smoothDr(double value) {
            return set(SMOOTH_DR, value);
        }

        /**
         * {@code batch}: Sum over the batch too: one term for the whole batch instead of one per sample.
         * Default {@code false}; allowed: true or false.
         */
        public Builder batch(boolean value) {
            return set(BATCH, value);
        }
    }

    @Override
    protected boolean computesFloat32(Inputs in) {
        return RegionCall.computesFloat32(in);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        RegionCall.checkShapes(call.input("input"), call.input("target"));
        int n = call.input("input").dim(0);
        int classes = call.input("input").dim(1);
        int terms = batch ? Math.min(n, 1) : n; // with batch: one term, none for an empty batch
        double scale = call.reduce(terms); // refuses the mean of an empty batch
        RegionCall r = RegionCall.load(call, batch ? RegionSums.Average.CLASS : RegionSums.Average.SAMPLE_CLASS,
                false, true);
        RegionSums s = r.sums;
        double[] a = new double[s.groups];
        double[] b = new double[s.groups];
        double[] w = new double[classes];
        boolean[] absent = new boolean[classes];
        double[] t = call.terms(terms);
        for (int m = 0; m < terms; m++) {
            int k0 = m * classes; // group of class c: k0 + c (sample m's, or with batch the class itself)
            weights(s.g, k0, w, absent);
            double num = smoothNr;
            double den = smoothDr;
            for (int c = 0; c < classes; c++) {
                num += 2 * w[c] * s.pg[k0 + c];
                den += w[c] * (s.p[k0 + c] + s.g[k0 + c]);
            }
            if (num == 0 && den == 0) {
                continue; // coefficient 1 (as dice's 0/0): term 0, gradient 0
            }
            double ratio = num / den;
            t[m] = 1 - ratio;
            double f = RegionLoss.perDen(scale, den);
            for (int c = 0; c < classes; c++) {
                // ∂(1 − R)/∂p_i = −w_c·(2g_i − R)/den
                a[k0 + c] = -2 * w[c] * f;
                b[k0 + c] = w[c] * ratio * f;
            }
        }
        r.gradient(a, b, null);
        return call.finish(t, terms);
    }

    /**
     * The class weights from the target volumes {@code g[k0 + c]}, as MONAI: the reciprocal
     * (of the square); infinite ones (absent classes) set to 0, then the largest weight added to
     * them. {@code Math.max} propagates a NaN like {@code torch.max}, and then, as in MONAI, every
     * weight is NaN (0·NaN is added to the finite ones).
     */
    private void weights(double[] g, int k0, double[] w, boolean[] absent) {
        double max = 0;
        for (int c = 0; c < w.length; c++) {
            double v = g[k0 + c];
            double wc = weight == Weight.SQUARE ? 1 / (v * v) : weight == Weight.SIMPLE ? 1 / v : 1;
            absent[c] = Double.isInfinite(wc);
            w[c] = absent[c] ? 0 : wc;
            max = Math.max(max, w[c]);
        }
        for (int c = 0; c < w.length; c++) {
            w[c] += (absent[c] ? 1 : 0) * max;
        }
    }
}
