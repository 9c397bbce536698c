package org.losses4j.probabilistic;

import java.util.Random;
import org.losses4j.Inputs;
import org.losses4j.Tensor;

/** Random test data for the divergence tests: distributions, log-probabilities, latents. */
final class DivergenceData {
    private DivergenceData() {
    }

    /**
     * Rows of probabilities summing to 1 over dimension 1 of shape [n, c, inner]
     * (inner = 1 for [n, c]), each at least {@code floor}·(something) away from 0 and 1.
     */
    static double[] distributions(Random r, int n, int c, int inner, double floor) {
        double[] p = new double[n * c * inner];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inner; j++) {
                double z = 0;
                for (int k = 0; k < c; k++) {
                    double v = floor + r.nextDouble();
                    p[(i * c + k) * inner + j] = v;
                    z += v;
                }
                for (int k = 0; k < c; k++) {
                    p[(i * c + k) * inner + j] /= z;
                }
            }
        }
        return p;
    }

    /** Like {@link #distributions} but about a third of the entries exactly 0 (never a whole row). */
    static double[] sparseDistributions(Random r, int n, int c) {
        double[] p = new double[n * c];
        for (int i = 0; i < n; i++) {
            double z = 0;
            int keep = r.nextInt(c);
            for (int k = 0; k < c; k++) {
                double v = k == keep || r.nextInt(3) != 0 ? 0.05 + r.nextDouble() : 0.0;
                p[i * c + k] = v;
                z += v;
            }
            for (int k = 0; k < c; k++) {
                p[i * c + k] /= z;
            }
        }
        return p;
    }

    static double[] log(double[] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Math.log(p[i]);
        }
        return out;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** The same values as float64, after rounding to float32 (so both dtypes see identical data). */
    static double[] roundedToFloat(double[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (float) a[i];
        }
        return d;
    }

    static Inputs pair(double[] input, double[] target, int... shape) {
        return Inputs.of(Tensor.of(input, shape), Tensor.of(target, shape));
    }

    static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }
}
