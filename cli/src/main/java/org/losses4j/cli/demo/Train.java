package org.losses4j.cli.demo;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Small, dependency-free training utilities: the Adam optimiser, data helpers, metrics. */
final class Train {
    private Train() {
    }

    /** Adam (Kingma and Ba, 2015) over one flat parameter vector. */
    static final class Adam {
        private final double lr;
        private final double[] m;
        private final double[] v;
        private int t;

        Adam(int n, double lr) {
            this.lr = lr;
            this.m = new double[n];
            this.v = new double[n];
        }

        void step(double[] params, double[] grad) {
            t++;
            double b1 = 0.9;
            double b2 = 0.999;
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < params.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * grad[i];
                v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
                params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            }
        }
    }

    /** Row-major [n, d] standard normal matrix. */
    static double[] gaussian(SplittableRandom r, int n, int d) {
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = normal(r);
        }
        return x;
    }

    static double normal(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** Linear predictions X·w + b for X [n, d], params = (w[0..d), b). */
    static double[] linear(double[] x, int n, int d, double[] params) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = params[d];
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * params[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** Backprop of the linear model: gradient w.r.t. (w, b) from the gradient w.r.t. predictions. */
    static double[] linearBackward(double[] x, int n, int d, double[] gPred) {
        double[] g = new double[d + 1];
        for (int i = 0; i < n; i++) {
            double gi = gPred[i];
            for (int j = 0; j < d; j++) {
                g[j] += x[i * d + j] * gi;
            }
            g[d] += gi;
        }
        return g;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    /** Area under the precision–recall curve (average precision) of scores for labels in {0, 1}. */
    static double averagePrecision(double[] score, double[] label) {
        Integer[] idx = new Integer[score.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(score[b], score[a]));
        double positives = 0;
        for (double l : label) {
            positives += l;
        }
        double tp = 0;
        double ap = 0;
        for (int k = 0; k < idx.length; k++) {
            if (label[idx[k]] == 1) {
                tp++;
                ap += tp / (k + 1);
            }
        }
        return positives == 0 ? 0 : ap / positives;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(java.util.Locale.ROOT, "%.3e", v);
        }
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
