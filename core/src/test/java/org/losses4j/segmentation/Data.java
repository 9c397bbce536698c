package org.losses4j.segmentation;

import java.util.Random;
import org.losses4j.DType;
import org.losses4j.Inputs;
import org.losses4j.Tensor;

/** Random test inputs for the segmentation tests (fixed seeds, so every run sees the same data). */
public final class Data {
    private Data() {
    }

    public static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Uniform values in [lo, hi). */
    public static double[] uniform(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    /** Values in {0, 1}. */
    public static double[] binary(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextBoolean() ? 1 : 0;
        }
        return a;
    }

    /** Probabilities away from 0 and 1 and a soft or binary target, shaped [N, C, *]. */
    public static Inputs region(long seed, boolean binaryTarget, int... shape) {
        Random r = new Random(seed);
        int n = size(shape);
        double[] p = uniform(r, n, 0.05, 0.95);
        double[] g = binaryTarget ? binary(r, n) : uniform(r, n, 0, 1);
        return Inputs.of(Tensor.of(p, shape), Tensor.of(g, shape));
    }

    /** Random valid boxes (x1, y1, x2, y2) with positive width and height, [n, 4]. */
    public static double[] boxes(Random r, int n, double spread) {
        double[] b = new double[4 * n];
        for (int i = 0; i < n; i++) {
            double x = spread * (r.nextDouble() - 0.5);
            double y = spread * (r.nextDouble() - 0.5);
            b[4 * i] = x;
            b[4 * i + 1] = y;
            b[4 * i + 2] = x + 0.2 + 3 * r.nextDouble();
            b[4 * i + 3] = y + 0.2 + 3 * r.nextDouble();
        }
        return b;
    }

    /** Pairs of boxes that mostly overlap: target = input shifted and resized a little. */
    public static Inputs boxPairs(long seed, int n) {
        Random r = new Random(seed);
        double[] a = boxes(r, n, 4);
        double[] b = new double[a.length];
        for (int i = 0; i < n; i++) {
            double dx = r.nextDouble() - 0.5, dy = r.nextDouble() - 0.5;
            b[4 * i] = a[4 * i] + dx;
            b[4 * i + 1] = a[4 * i + 1] + dy;
            b[4 * i + 2] = a[4 * i + 2] + dx + 0.6 * (r.nextDouble() - 0.5);
            b[4 * i + 3] = a[4 * i + 3] + dy + 0.6 * (r.nextDouble() - 0.5);
            b[4 * i + 2] = Math.max(b[4 * i + 2], b[4 * i] + 0.1);
            b[4 * i + 3] = Math.max(b[4 * i + 3], b[4 * i + 1] + 0.1);
        }
        return Inputs.of(Tensor.of(a, n, 4), Tensor.of(b, n, 4));
    }

    public static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** The same inputs rounded to float32 (as float32 tensors; int64 labels as they are). */
    public static Inputs asFloat32(Inputs in) {
        Inputs out = Inputs.empty();
        for (var e : in.tensors().entrySet()) {
            Tensor t = e.getValue();
            out = out.with(e.getKey(), t.dtype() == DType.INT64 ? t : Tensor.of(toFloat(t.f64()), t.shape()));
        }
        return out;
    }

    /** The float32 inputs widened back to float64 (exactly the float32 values; int64 labels as they are). */
    public static Inputs widened(Inputs f32) {
        Inputs out = Inputs.empty();
        for (var e : f32.tensors().entrySet()) {
            Tensor t = e.getValue();
            out = out.with(e.getKey(), t.dtype() == DType.INT64 ? t : Tensor.of(toDouble(t.f32()), t.shape()));
        }
        return out;
    }
}
