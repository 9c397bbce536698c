package org.losses4j.segmentation;

import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.Tensor;

/**
 * One call of a region loss (dice, jaccard, tversky, combo, generalized_dice): the validated
 * [N, C, *] probabilities and targets in [0, 1] at the call's precision (float32 natively,
 * else float64), their per-group sums ({@link RegionSums}), and the gradient pass that writes
 * {@code ∂L/∂p_i = A_k·g_i + B_k + C_k·p_i} from three numbers per group.
 */
final class RegionCall {
    final LossCall call;
    final Tensor x;
    /** True on the float32-native path: {@link #xf}, {@link #yf} hold the data, else {@link #xd}, {@link #yd}. */
    final boolean f32;
    final float[] xf;
    final float[] yf;
    final double[] xd;
    final double[] yd;
    final RegionSums sums;

    private RegionCall(LossCall call, Tensor x, Tensor y, RegionSums.Average average, boolean squares) {
        this.call = call;
        this.x = x;
        this.f32 = call.precision() == DType.FLOAT32;
        this.xf = f32 ? x.f32() : null;
        this.yf = f32 ? y.f32() : null;
        this.xd = f32 ? null : x.asFloat64().f64();
        this.yd = f32 ? null : y.asFloat64().f64(); // a float32 target of float64 input
        if (x.size() == 0) {
            // no element: every sum is 0 (the float32 kernels' split needs a non-empty block)
            this.sums = RegionSums.of(new double[0], new double[0], x.shape(), average, squares);
        } else {
            this.sums = f32 ? RegionSums.of(xf, yf, x.shape(), average, squares)
                    : RegionSums.of(xd, yd, x.shape(), average, squares);
        }
        if (sums.outOfRange) {
            // name the first value outside [0, 1] that the sums pass saw
            Check.closed("input", x, 0, 1);
            Check.closed("target", y, 0, 1);
        }
    }

    /** Float32 input and target: float32 data, float64 sums, float32 gradient. */
    static boolean computesFloat32(Inputs in) {
        return in.get("input").dtype() == DType.FLOAT32 && in.get("target").dtype() == DType.FLOAT32;
    }

    /**
     * The call's input and target checked ([N, C, *], same shape, non-empty unless
     * {@code emptyAllowed}, values in [0, 1]) and summed per group of {@code average}.
     */
    static RegionCall load(LossCall call, RegionSums.Average average, boolean squares, boolean emptyAllowed) {
        Tensor x = call.input("input");
        Tensor y = call.input("target");
        checkShapes(x, y);
        if (!emptyAllowed) {
            Check.nonEmpty("input", x);
        }
        return new RegionCall(call, x, y, average, squares);
    }

    /** Input [N, C, *] (rank ≥ 2) and a target of its shape. */
    static void checkShapes(Tensor x, Tensor y) {
        if (x.rank() < 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input must have shape [N, C, *] (rank >= 2), got shape "
                    + x.shapeString());
        }
        Check.sameShape("input", x, "target", y);
    }

    /**
     * The gradient with respect to input, {@code A[k]·g_i + B[k] + C[k]·p_i} for each element of
     * group k ({@code c} may be null), the numbers saturated first (see {@link #saturate}), in
     * the caller's buffer or a new array; null on a value-only call. Float64 path only.
     */
    double[] gradient64(double[] a, double[] b, double[] c) {
        double[] out = call.gradient("input", x);
        if (out != null && out.length > 0) {
            saturate(Double.MAX_VALUE, a, b, c);
            sums.gradient(xd, yd, a, b, c, out);
        }
        return out;
    }

    /** {@link #gradient64} on the float32-native path. */
    float[] gradient32(double[] a, double[] b, double[] c) {
        Tensor gt = call.gradientTensor("input", x); // every element is written: not cleared
        float[] out = gt == null ? null : gt.f32();
        if (out != null && out.length > 0) {
            saturate(Float.MAX_VALUE, a, b, c);
            sums.gradient(xf, yf, a, b, c, out);
        }
        return out;
    }

    /** The gradient at the call's precision (for a loss with no elementwise part). */
    void gradient(double[] a, double[] b, double[] c) {
        if (f32) {
            gradient32(a, b, c);
        } else {
            gradient64(a, b, c);
        }
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
}
