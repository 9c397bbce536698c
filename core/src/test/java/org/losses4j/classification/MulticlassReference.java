package org.losses4j.classification;

import java.util.Random;
import org.losses4j.Tensor;

/**
 * Naive, independent evaluations of the catalog formulas for the multi-class losses (direct
 * {@code log Σ exp} without any stabilisation, so only for moderate logits), plus random data
 * helpers. Used as the expected values of the tests; shares no code with the implementation.
 */
final class MulticlassReference {
    private MulticlassReference() {
    }

    /** N, C, S of a shape: [C] → (1, C, 1); [N, C, d...] → (N, C, Πd). */
    static int[] ncs(int[] shape) {
        if (shape.length == 1) {
            return new int[] {1, shape[0], 1};
        }
        int s = 1;
        for (int d = 2; d < shape.length; d++) {
            s *= shape[d];
        }
        return new int[] {shape[0], shape[1], s};
    }

    /** The shape without dimension 1 ([] for [C]). */
    static int[] termShape(int[] shape) {
        if (shape.length == 1) {
            return new int[0];
        }
        int[] t = new int[shape.length - 1];
        t[0] = shape[0];
        System.arraycopy(shape, 2, t, 1, shape.length - 2);
        return t;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Naive log-softmax over the class dimension. */
    static double[] logSoftmax(double[] x, int[] shape) {
        int[] l = ncs(shape);
        int n = l[0];
        int c = l[1];
        int s = l[2];
        double[] out = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    sum += Math.exp(x[i * c * s + k * s + j]);
                }
                double lse = Math.log(sum);
                for (int k = 0; k < c; k++) {
                    int idx = i * c * s + k * s + j;
                    out[idx] = x[idx] - lse;
                }
            }
        }
        return out;
    }

    /** Result of a reference evaluation: the reduced value, the terms and the mean divisor. */
    static final class Ref {
        final double[] terms;
        final double divisor;

        Ref(double[] terms, double divisor) {
            this.terms = terms;
            this.divisor = divisor;
        }

        double sum() {
            double s = 0;
            for (double t : terms) {
                s += t;
            }
            return s;
        }

        double mean() {
            return sum() / divisor;
        }

        double reduced(String reduction) {
            return "mean".equals(reduction) ? mean() : sum();
        }
    }

    /** cross_entropy with index targets, from the catalog's formula. */
    static Ref crossEntropyIndex(double[] x, int[] shape, long[] y, double[] w, long ignore, double eps) {
        int[] l = ncs(shape);
        int c = l[1];
        int s = l[2];
        double[] lp = logSoftmax(x, shape);
        double[] terms = new double[l[0] * s];
        double div = 0;
        for (int t = 0; t < terms.length; t++) {
            if (y[t] == ignore) {
                continue;
            }
            int base = (t / s) * c * s + t % s;
            int yy = (int) y[t];
            double wy = w == null ? 1 : w[yy];
            double smooth = 0;
            for (int k = 0; k < c; k++) {
                smooth -= (w == null ? 1 : w[k]) * lp[base + k * s];
            }
            terms[t] = (1 - eps) * (-wy * lp[base + yy * s]) + eps / c * smooth;
            div += wy;
        }
        return new Ref(terms, div);
    }

    /**
     * cross_entropy's z-loss added to reference terms: c·w_y·(log Z)² per non-ignored index term
     * ({@code y} not null; w_y = 1 without weights), c·(log Z)² per probability term ({@code y} null),
     * log Z the naive log of the row's sum of exponentials; the divisor is unchanged.
     */
    static Ref withZLoss(Ref ref, double[] x, int[] shape, long[] y, double[] w, long ignore, double z) {
        int[] l = ncs(shape);
        int c = l[1];
        int s = l[2];
        double[] terms = ref.terms.clone();
        for (int t = 0; t < terms.length; t++) {
            if (y != null && y[t] == ignore) {
                continue;
            }
            int base = (t / s) * c * s + t % s;
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(x[base + k * s]);
            }
            double lz = Math.log(sum);
            double wy = y == null || w == null ? 1 : w[(int) y[t]];
            terms[t] += z * wy * lz * lz;
        }
        return new Ref(terms, ref.divisor);
    }

    /** cross_entropy with probability targets, from the catalog's formula. */
    static Ref crossEntropyProb(double[] x, int[] shape, double[] y, double[] w, double eps) {
        int[] l = ncs(shape);
        int c = l[1];
        int s = l[2];
        double[] lp = logSoftmax(x, shape);
        double[] terms = new double[l[0] * s];
        for (int t = 0; t < terms.length; t++) {
            int base = (t / s) * c * s + t % s;
            for (int k = 0; k < c; k++) {
                double yk = y[base + k * s] * (1 - eps) + eps / c;
                terms[t] -= (w == null ? 1 : w[k]) * yk * lp[base + k * s];
            }
        }
        return new Ref(terms, terms.length);
    }

    /** nll from the catalog's formula. */
    static Ref nll(double[] x, int[] shape, long[] y, double[] w, long ignore) {
        int[] l = ncs(shape);
        int c = l[1];
        int s = l[2];
        double[] terms = new double[l[0] * s];
        double div = 0;
        for (int t = 0; t < terms.length; t++) {
            if (y[t] == ignore) {
                continue;
            }
            double wy = w == null ? 1 : w[(int) y[t]];
            terms[t] = -wy * x[(t / s) * c * s + (int) y[t] * s + t % s];
            div += wy;
        }
        return new Ref(terms, div);
    }

    /** softmax_focal from the catalog's formula (direct 1 − p). */
    static Ref softmaxFocal(double[] x, int n, int c, long[] y, double[] alpha, double gamma) {
        double[] lp = logSoftmax(x, new int[] {n, c});
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            int yy = (int) y[r];
            double l = lp[r * c + yy];
            double a = alpha == null ? 1 : alpha[yy];
            terms[r] = -a * Math.pow(1 - Math.exp(l), gamma) * l;
        }
        return new Ref(terms, n);
    }

    /** poly1_cross_entropy from the catalog's formula (direct 1 − p). */
    static Ref poly1(double[] x, int n, int c, long[] y, double eps) {
        double[] lp = logSoftmax(x, new int[] {n, c});
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            double l = lp[r * c + (int) y[r]];
            terms[r] = -l + eps * (1 - Math.exp(l));
        }
        return new Ref(terms, n);
    }

    /** generalized_cross_entropy from the catalog's formula. */
    static Ref generalizedCrossEntropy(double[] x, int n, int c, long[] y, double q) {
        double[] lp = logSoftmax(x, new int[] {n, c});
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            terms[r] = (1 - Math.pow(Math.exp(lp[r * c + (int) y[r]]), q)) / q;
        }
        return new Ref(terms, n);
    }

    /** categorical_hinge from the catalog's (Keras') formula. */
    static Ref categoricalHinge(double[] x, double[] y, int n, int c) {
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            double pos = 0;
            double neg = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                pos += y[r * c + k] * x[r * c + k];
                neg = Math.max(neg, (1 - y[r * c + k]) * x[r * c + k]);
            }
            terms[r] = Math.max(0, neg - pos + 1);
        }
        return new Ref(terms, n);
    }

    /** multiclass_hinge from the catalog's formula. */
    static Ref multiclassHinge(double[] x, int n, int c, long[] y, double margin) {
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                if (k != y[r]) {
                    best = Math.max(best, x[r * c + k]);
                }
            }
            terms[r] = Math.max(0, margin + best - x[r * c + (int) y[r]]);
        }
        return new Ref(terms, n);
    }

    /** multi_margin from the catalog's formula. */
    static Ref multiMargin(double[] x, int n, int c, long[] y, double[] w, int p, double margin) {
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            int yy = (int) y[r];
            for (int k = 0; k < c; k++) {
                if (k != yy) {
                    terms[r] += (w == null ? 1 : w[yy]) * Math.pow(Math.max(0, margin - x[r * c + yy] + x[r * c + k]), p)
                            / c;
                }
            }
        }
        return new Ref(terms, n);
    }

    /** categorical_cross_entropy from the catalog's formula. */
    static Ref categorical(double[] p, double[] y, int n, int c) {
        double[] terms = new double[n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < c; k++) {
                terms[r] -= y[r * c + k] * Math.max(Math.log(p[r * c + k]), -100);
            }
        }
        return new Ref(terms, n);
    }

    /** Every element is zero (of either sign). */
    static void assertAllZero(double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0) {
                throw new AssertionError("element " + i + " is " + a[i] + ", not 0");
            }
        }
    }

    // ---- random data ----

    static double[] uniform(Random rnd, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return a;
    }

    static long[] labels(Random rnd, int n, int c) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(c);
        }
        return y;
    }

    /** Random probability rows along dimension 1 (each (n, s) sums to 1). */
    static double[] distributions(Random rnd, int[] shape) {
        int[] l = ncs(shape);
        double[] a = new double[size(shape)];
        int c = l[1];
        int s = l[2];
        for (int t = 0; t < l[0] * s; t++) {
            int base = (t / s) * c * s + t % s;
            double sum = 0;
            for (int k = 0; k < c; k++) {
                double v = 0.05 + rnd.nextDouble();
                a[base + k * s] = v;
                sum += v;
            }
            for (int k = 0; k < c; k++) {
                a[base + k * s] /= sum;
            }
        }
        return a;
    }

    static Tensor labelTensor(long[] y, int[] shape) {
        return Tensor.ofLabels(y, shape);
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** The array rounded to float32 and back (so float32 and float64 runs see the same numbers). */
    static double[] roundToFloat(double[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (float) a[i];
        }
        return d;
    }
}
