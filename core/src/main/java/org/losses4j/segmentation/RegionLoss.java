package org.losses4j.segmentation;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * The driver shared by the overlap losses (dice, jaccard, tversky, combo): validation of
 * [N, C, *] probabilities and targets in [0, 1], the per-group sums ({@link RegionSums}),
 * the mean over the K coefficients, and the gradient pass; float32 and float64 natively.
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
        return in.get("input").dtype() == DType.FLOAT32 && in.get("target").dtype() == DType.FLOAT32;
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor x = call.input("input");
        Tensor y = call.input("target");
        validateShapes(x, y);
        boolean f32 = call.precision() == DType.FLOAT32;
        float[] xf = f32 ? x.f32() : null;
        float[] yf = f32 ? y.f32() : null;
        double[] xd = f32 ? null : x.asFloat64().f64();
        double[] yd = f32 ? null : y.asFloat64().f64(); // a float32 target of float64 input
        RegionSums s = f32 ? RegionSums.of(xf, yf, x.shape(), average, squares())
                : RegionSums.of(xd, yd, x.shape(), average, squares());
        checkDomain(s, x, y);
        double[] a = new double[s.groups];
        double[] b = new double[s.groups];
        double[] c = squares() ? new double[s.groups] : null;
        double value = coefficients(s, a, b, c);
        if (f32) {
            Tensor gt = call.gradientTensor("input", x); // every element is written: not cleared
            float[] out = gt == null ? null : gt.f32();
            if (out != null) {
                saturate(Float.MAX_VALUE, a, b, c);
                s.gradient(xf, yf, a, b, c, out);
            }
            return call.finishValue(value + elementwise(xf, yf, out));
        }
        double[] out = call.gradient("input", x);
        if (out != null) {
            saturate(Double.MAX_VALUE, a, b, c);
            s.gradient(xd, yd, a, b, c, out);
        }
        return call.finishValue(value + elementwise(xd, yd, out));
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
     * {@link #saturate}).
     */
    static double perDen(double v, double den) {
        double f = v / den;
        return Math.abs(f) > Double.MAX_VALUE ? Math.copySign(Double.MAX_VALUE, f) : f;
    }

    /**
     * Clamps the gradient numbers to ±{@code max} (NaN stays NaN). With smooth = 0, a group whose
     * target is empty and whose probabilities are all subnormal has a subnormal denominator, and
     * w/den overflows (to ±∞ in float64, or beyond the float range when rounded for float32 data)
     * although every element's gradient is A·0 + B = B, here 0: ∞·0 made it NaN. Saturated, A·0
     * is 0 again. (A group with a target of 1 somewhere has a denominator of at least 1; only
     * subnormal soft targets could still meet the clamp, and get its finite extreme.)
     */
    private static void saturate(double max, double[]... numbers) {
        for (double[] v : numbers) {
            if (v == null) {
                continue;
            }
            for (int k = 0; k < v.length; k++) {
                if (Math.abs(v[k]) > max) {
                    v[k] = Math.copySign(max, v[k]);
                }
            }
        }
    }

    private static void validateShapes(Tensor x, Tensor y) {
        if (x.rank() < 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input must have shape [N, C, *] (rank >= 2), got shape "
                    + x.shapeString());
        }
        Check.sameShape("input", x, "target", y);
        Check.nonEmpty("input", x);
    }

    /** Names the first value outside [0, 1] when the sums pass saw one. */
    private static void checkDomain(RegionSums s, Tensor x, Tensor y) {
        if (s.outOfRange) {
            Check.closed("input", x, 0, 1);
            Check.closed("target", y, 0, 1);
        }
    }
}
