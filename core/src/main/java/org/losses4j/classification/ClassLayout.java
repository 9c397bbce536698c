package org.losses4j.classification;

import java.util.Arrays;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * The layout of multi-class scores shared by the multi-class losses (cross_entropy, nll, ...):
 * {@code [N, C]}, {@code [N, C, d1, ...]} (classes on dimension 1) or, where allowed, a single
 * row {@code [C]}. Element {@code (n, c, s)} of the flattened trailing dimensions sits at
 * {@code n·C·S + c·S + s}, where {@code S = d1·d2·…} (1 without trailing dimensions).
 * One loss term per {@code (n, s)}; the terms have shape {@code [N, d1, ...]} ({@code []} for
 * a {@code [C]} input). Also holds the validation and numerics those losses share.
 */
final class ClassLayout {
    /** Batch size N (1 for a [C] input). */
    final int n;
    /** Number of classes C. */
    final int c;
    /** Product S of the dimensions after the class dimension. */
    final int s;
    /** Shape of the terms: input's shape without the class dimension. */
    final int[] termShape;

    private ClassLayout(int n, int c, int s, int[] termShape) {
        this.n = n;
        this.c = c;
        this.s = s;
        this.termShape = termShape;
    }

    /**
     * The layout of {@code input}: {@code [N, C]}; also {@code [N, C, d1, ...]} when
     * {@code spatial}, and {@code [C]} when {@code vector}.
     */
    static ClassLayout of(Tensor input, boolean spatial, boolean vector) {
        int[] sh = input.shape();
        boolean ok = sh.length == 2 || (spatial && sh.length > 2) || (vector && sh.length == 1);
        if (!ok) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input must be " + accepted(spatial, vector)
                    + ", got shape " + input.shapeString());
        }
        if (sh.length == 1) {
            requireClasses(input, sh[0]);
            return new ClassLayout(1, sh[0], 1, new int[0]);
        }
        requireClasses(input, sh[1]);
        int s = 1;
        int[] ts = new int[sh.length - 1];
        ts[0] = sh[0];
        for (int d = 2; d < sh.length; d++) {
            s *= sh[d];
            ts[d - 1] = sh[d];
        }
        return new ClassLayout(sh[0], sh[1], s, ts);
    }

    private static String accepted(boolean spatial, boolean vector) {
        String s = "[N, C]";
        if (spatial) {
            s += " or [N, C, d1, ...] (classes on dimension 1)";
        }
        if (vector) {
            s += " or a single row [C]";
        }
        return s;
    }

    private static void requireClasses(Tensor input, int classes) {
        if (classes == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, "input " + input.shapeString()
                    + " has no classes: C must be at least 1");
        }
    }

    /** Number of terms N·S. */
    int terms() {
        return n * s;
    }

    /** Requires C ≥ {@code min}. */
    void requireAtLeastClasses(Tensor input, int min, String why) {
        if (c < min) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input " + input.shapeString() + " has " + c
                    + " class" + (c == 1 ? "" : "es") + " but " + why + " needs C >= " + min);
        }
    }

    /** An int64 index target must have the terms' shape: input's shape without dimension 1. */
    void requireIndexTarget(Tensor input, Tensor target) {
        if (!Arrays.equals(target.shape(), termShape)) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "target shape " + target.shapeString() + " != "
                    + Arrays.toString(termShape) + " (input shape " + input.shapeString()
                    + " without its class dimension)");
        }
    }

    /** The optional per-class vector {@code name} ([C]) as float64, or null when absent. */
    double[] classVector(String name, Tensor t) {
        if (t == null) {
            return null;
        }
        if (t.rank() != 1 || t.dim(0) != c) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, name + " shape " + t.shapeString() + " must be [" + c
                    + "]: one value per class");
        }
        return t.toDoubleArray();
    }

    /**
     * The class weights a weighted mean {@code Σ w_y·ℓ / Σ w_y} is computed with: for reduction
     * {@code mean}, {@code w} divided by its largest magnitude, so that neither the products nor
     * {@code Σ w_y} underflow and {@code 1 / Σ w_y} cannot overflow (the mean does not depend on
     * the scale: equal weights of any positive finite size give the unweighted mean). Other
     * reductions are defined in the weights' own units and get {@code w} itself, as do weights
     * whose largest magnitude is 0, infinite or NaN (nothing to scale by). Null stays null.
     */
    static double[] forMean(double[] w, Reduction r) {
        if (w == null || r != Reduction.MEAN) {
            return w;
        }
        double max = 0;
        for (double v : w) {
            max = Math.max(max, Math.abs(v));
        }
        if (!(max > 0) || Double.isInfinite(max)) {
            return w;
        }
        double[] out = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            out[k] = w[k] / max;
        }
        return out;
    }

    /** {@code Σ w_y} over the labels other than {@code ignore} (their count when {@code w} is null). */
    static double weightSum(long[] y, double[] w, long ignore) {
        double d = 0;
        for (long v : y) {
            if (v != ignore) {
                d += w == null ? 1.0 : w[(int) v];
            }
        }
        return d;
    }

    /**
     * Loads row {@code (n, s)} (offset {@code base} of element {@code (n, 0, s)}, stride S)
     * of a float32 or float64 tensor into {@code z[0..C)}.
     */
    void load(Tensor t, int base, double[] z) {
        int cc = c;
        int st = s;
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.f32();
            if (st == 1) {
                for (int k = 0; k < cc; k++) {
                    z[k] = a[base + k];
                }
            } else {
                for (int k = 0, i = base; k < cc; k++, i += st) {
                    z[k] = a[i];
                }
            }
        } else {
            double[] a = t.f64();
            if (st == 1) {
                System.arraycopy(a, base, z, 0, cc);
            } else {
                for (int k = 0, i = base; k < cc; k++, i += st) {
                    z[k] = a[i];
                }
            }
        }
    }

    /** Offset of element {@code (n, 0, s)} for term {@code t = n·S + s}. */
    int base(int term) {
        int nn = term / s;
        return nn * c * s + (term - nn * s);
    }

    /**
     * Index of the first maximum of {@code z[0..C)} (NaN entries are skipped; they reach
     * the result through the sum of exponentials). Returns 0 when every entry is NaN.
     */
    static int argmax(double[] z, int cc) {
        int am = 0;
        double m = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < cc; k++) {
            double v = z[k];
            if (v > m) {
                m = v;
                am = k;
            }
        }
        return am;
    }

    /**
     * Replaces {@code z[k]} by {@code exp(z[k] − m)} with {@code m = z[am]} the row maximum, and
     * returns {@code Σ_{k ≠ am} exp(z[k] − m)}: the softmax normaliser is {@code 1 + rest},
     * and {@code log1p(rest)} keeps full relative precision when one class dominates
     * (no log(0), no overflowing exp, whatever the logits). A NaN entry, or a row whose
     * maximum is ±∞, makes {@code rest} NaN.
     */
    static double expShifted(double[] z, int cc, int am) {
        double m = z[am];
        double rest = expSum(z, 0, am, m) + expSum(z, am + 1, cc, m);
        // m − m: 0 for a finite maximum; NaN for ±∞ (an all −∞ or a +∞ row has no softmax)
        double e0 = Math.exp(m - m);
        z[am] = e0;
        return e0 != e0 ? Double.NaN : rest;
    }

    private static final int SUM_BLOCK = 256;

    /**
     * Replaces {@code z[k]} by {@code exp(z[k] − m)} for k in [from, to) and returns their sum,
     * accumulated in blocks with four partial sums: the rounding error grows with
     * {@code SUM_BLOCK/4 + n/SUM_BLOCK} instead of n (1e-13 relative at 100,000 classes),
     * and the independent accumulators let the additions overlap.
     */
    private static double expSum(double[] z, int from, int to, double m) {
        double total = 0;
        for (int b = from; b < to; b += SUM_BLOCK) {
            int end = Math.min(to, b + SUM_BLOCK);
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int k = b;
            for (; k + 3 < end; k += 4) {
                double e0 = Math.exp(z[k] - m);
                double e1 = Math.exp(z[k + 1] - m);
                double e2 = Math.exp(z[k + 2] - m);
                double e3 = Math.exp(z[k + 3] - m);
                z[k] = e0;
                z[k + 1] = e1;
                z[k + 2] = e2;
                z[k + 3] = e3;
                s0 += e0;
                s1 += e1;
                s2 += e2;
                s3 += e3;
            }
            for (; k < end; k++) {
                double e = Math.exp(z[k] - m);
                z[k] = e;
                s0 += e;
            }
            total += (s0 + s1) + (s2 + s3);
        }
        return total;
    }
}
