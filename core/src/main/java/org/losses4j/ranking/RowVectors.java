package org.losses4j.ranking;

import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.Tensor;

/**
 * Row kernels and boundary checks shared by the embedding losses of this package: Euclidean
 * norms and distances of rows of a flat row-major {@code [N, D]} array that neither overflow
 * nor underflow in their squares, and dot products with several accumulators.
 */
final class RowVectors {
    /** The norm clamp of the cosine similarity (as PyTorch's cosine_similarity and F.normalize). */
    static final double NORM_EPS = 1e-12;

    /**
     * Below this a sum of squares may have lost components to underflow; above
     * {@code Double.MAX_VALUE} it overflowed. Either way the norm is recomputed with scaling.
     */
    private static final double TINY = 1e-280;

    private RowVectors() {
    }

    /** {@code ‖a[ao, ao + d) − b[bo, bo + d)‖₂}, exact up to rounding for any finite inputs. */
    static double distance(double[] a, int ao, double[] b, int bo, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = a[ao + k] - b[bo + k];
            s += t * t;
        }
        // NaN fails both tests and goes straight to sqrt(NaN) = NaN
        if (s < TINY || s == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (int k = 0; k < d; k++) {
                m = Math.max(m, Math.abs(a[ao + k] - b[bo + k]));
            }
            if (m == 0 || m == Double.POSITIVE_INFINITY) {
                return m;
            }
            // divide (not multiply by 1/m): 1/m overflows to ∞ for a subnormal m, and 0·∞ is NaN
            double t2 = 0;
            for (int k = 0; k < d; k++) {
                double t = (a[ao + k] - b[bo + k]) / m;
                t2 += t * t;
            }
            return m * Math.sqrt(t2);
        }
        return Math.sqrt(s);
    }

    /** {@code ‖a[ao, ao + d)‖₂}, without overflow or underflow in the squares. */
    static double norm(double[] a, int ao, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = a[ao + k];
            s += t * t;
        }
        if (s < TINY || s == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (int k = 0; k < d; k++) {
                m = Math.max(m, Math.abs(a[ao + k]));
            }
            if (m == 0 || m == Double.POSITIVE_INFINITY) {
                return m;
            }
            double t2 = 0;
            for (int k = 0; k < d; k++) {
                double t = a[ao + k] / m; // not ·(1/m): see distance
                t2 += t * t;
            }
            return m * Math.sqrt(t2);
        }
        return Math.sqrt(s);
    }

    /** {@code Σ a[ao + k]·b[bo + k]} with four accumulators. */
    static double dot(double[] a, int ao, double[] b, int bo, int d) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < d; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code (a/‖a‖c)·(b/‖b‖c)} with both norms clamped at {@link #NORM_EPS}, given
     * {@code ia = 1/max(‖a‖, eps)} and {@code ib}: the products are formed from normalised
     * elements, so the result never overflows however large the inputs.
     */
    static double cosine(double[] a, int ao, double ia, double[] b, int bo, double ib, int d) {
        double s0 = 0, s1 = 0;
        int k = 0;
        for (; k + 1 < d; k += 2) {
            s0 += (a[ao + k] * ia) * (b[bo + k] * ib);
            s1 += (a[ao + k + 1] * ia) * (b[bo + k + 1] * ib);
        }
        for (; k < d; k++) {
            s0 += (a[ao + k] * ia) * (b[bo + k] * ib);
        }
        return s0 + s1;
    }

    /** max(x, 0) that propagates NaN. */
    static double hinge(double z) {
        return z > 0 ? z : z <= 0 ? 0 : Double.NaN;
    }

    /** The derivative of {@link #hinge}: 1 above the kink, 0 at and below it, NaN for NaN. */
    static double hingeSlope(double z) {
        return z > 0 ? 1 : z <= 0 ? 0 : Double.NaN;
    }

    /**
     * Rows {@code first … first + n − 1} of {@code u}: the rows of {@code z} divided by max(‖z_r‖, 1e-12)
     * (F.normalize), with {@code inv} = 1/max(‖z_r‖, eps) and {@code norms} = ‖z_r‖.
     */
    static void normalise(double[] z, int first, int n, int d, double[] u, double[] inv, double[] norms) {
        for (int r = 0; r < n; r++) {
            double nr = RowVectors.norm(z, r * d, d);
            double ir = 1 / Math.max(nr, RowVectors.NORM_EPS);
            norms[first + r] = nr;
            inv[first + r] = ir;
            int o = r * d;
            int ou = (first + r) * d;
            for (int q = 0; q < d; q++) {
                u[ou + q] = z[o + q] * ir;
            }
        }
    }

    /** ∂/∂e = (1/max(‖e‖, eps))·(G − [‖e‖ > eps]·(G·u)·u), for rows first … first + n − 1. */
    static void backThroughNormalisation(double[] gu, double[] u, double[] inv, double[] norms, int first,
            int n, int d, double[] out) {
        for (int r = 0; r < n; r++) {
            int ou = (first + r) * d;
            int o = r * d;
            double nr = norms[first + r];
            double gdotu = nr > RowVectors.NORM_EPS ? RowVectors.dot(gu, ou, u, ou, d) : nr * 0; // NaN stays NaN
            double ir = inv[first + r];
            for (int q = 0; q < d; q++) {
                out[o + q] = ir * (gu[ou + q] - gdotu * u[ou + q]);
            }
        }
    }

    /** Requires an {@code [N, D]} matrix. */
    static void matrix(String name, Tensor t) {
        if (t.rank() != 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, name
                    + " must be an [N, D] matrix (one embedding per row), got shape " + t.shapeString());
        }
    }

    /** Requires {@code t} to be a vector of {@code n} entries, one per row of {@code rowsName}. */
    static void perRow(String name, Tensor t, String rowsName, int n) {
        Check.rank(name, t, 1);
        Check.dim(name, t, 0, n, "one entry per row of " + rowsName);
    }

}
