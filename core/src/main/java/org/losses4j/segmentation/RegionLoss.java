package org.losses4j.segmentation;

import org.losses4j.AbstractLoss;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;

/**
 * The driver shared by the overlap losses (dice, jaccard, tversky, combo): validation of
 * [N, C, *] probabilities and targets in [0, 1] and the per-group sums ({@link RegionCall},
 * {@link RegionSums}), the mean over the K coefficients, and the gradient pass; float32 and
 * float64 natively.
 * A subclass only turns one group's sums into its loss term and the three numbers of its
 * gradient, {@code ∂L/∂p_i = A_k·g_i + B_k + C_k·p_i}.
 *
 * <p>These losses are always a scalar: {@code L = mean_k f(coefficient_k)} over K = 1
 * (global), C (class) or N·C (sample_class) coefficients. With smooth = 0, a coefficient
 * whose numerator and denominator are both 0 (an empty mask predicted empty) counts as 1,
 * and its gradient is 0 (the coefficient jumps there, so no one-sided limit is preferred;
 * 0 keeps an empty class from pushing the prediction anywhere).
 */
abstract class RegionLoss extends AbstractLoss {
    static final String INPUT_SHAPE = "[N, C, *] probabilities in [0, 1], C >= 1";
    static final String TARGET_SHAPE = "same shape as input, values in [0, 1]";
    static final String DIVISOR = "always a scalar: 1 − the mean over the coefficients (1 for global, C for class, "
            + "N·C for sample_class)";

    /** The {@code average} option of every region loss. */
    static OptionSpec<String> averageOption() {
        return OptionSpec.choice("average", "global",
                "global: one coefficient from all elements; class: one per class; sample_class: one per sample and class",
                "global", "class", "sample_class");
    }

    /** The {@code smooth} option of every region loss. */
    static OptionSpec<Double> smoothOption() {
        return OptionSpec.real("smooth", 1.0, OptionSpec.Range.NON_NEGATIVE,
                "added to numerator and denominator of each coefficient");
    }

    final RegionSums.Average average;
    final double smooth;

    RegionLoss(LossInfo info, Options o, OptionSpec<String> average, OptionSpec<Double> smooth) {
        super(info, o);
        this.average = RegionSums.Average.parse(o.get(average));
        this.smooth = o.real(smooth);
    }

    /** True when the coefficient needs Σp² and Σg² (and so the gradient has a C_k·p_i part). */
    boolean squares() {
        return false;
    }

    /**
     * Group {@code k}'s term f(coefficient_k), before the mean over groups; writes
     * {@code a[k]}, {@code b[k]} (and {@code c[k]} when {@link #squares()}) of the gradient
     * of {@code w·f} with respect to each p_i of the group.
     */
    abstract double group(RegionSums s, int k, double w, double[] a, double[] b, double[] c);

    /** The weight of the region part in the loss (combo: 1 − α). */
    double regionWeight() {
        return 1.0;
    }

    /** An extra elementwise part (combo's weighted BCE): its value, its gradient added into {@code out} when not null. */
    double elementwise(double[] x, double[] y, double[] out) {
        return 0;
    }

    /** {@link #elementwise(double[], double[], double[])} on float32 data. */
    double elementwise(float[] x, float[] y, float[] out) {
        return 0;
    }

    /** Float32 input and target: float32 data, float64 sums, float32 gradient. */
    @Override
    protected boolean computesFloat32(Inputs in) {
        return RegionCall.computesFloat32(in);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        RegionCall r = RegionCall.load(call, average, squares(), false);
        RegionSums s = r.sums;
        double[] a = new double[s.groups];
        double[] b = new double[s.groups];
        double[] c = squares() ? new double[s.groups] : null;
        double value = coefficients(s, a, b, c);
        if (r.f32) {
            float[] out = r.gradient32(a, b, c);
            return call.finishValue(value + elementwise(r.xf, r.yf, out));
        }
        double[] out = r.gradient64(a, b, c);
        return call.finishValue(value + elementwise(r.xd, r.yd, out));
    }

    /** The region part of the value: regionWeight·mean_k f_k; fills the per-group gradient numbers. */
    private double coefficients(RegionSums s, double[] a, double[] b, double[] c) {
        double rw = regionWeight();
        double w = rw / s.groups;
        double total = 0;
        for (int k = 0; k < s.groups; k++) {
            total += group(s, k, w, a, b, c);
        }
        return total * w;
    }

    /**
     * {@code v / den}, the factor of every gradient number, saturated at ±{@link Double#MAX_VALUE}
     * (NaN stays NaN): a subnormal den would overflow it, and ∞ times D = 0 is NaN (see
     * {@link RegionCall#gradient64}).
     */
    static double perDen(double v, double den) {
        double f = v / den;
        return Math.abs(f) > Double.MAX_VALUE ? Math.copySign(Double.MAX_VALUE, f) : f;
    }
}
