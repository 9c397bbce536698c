package org.losses4j.cli.demo;

import java.util.SplittableRandom;

/** A one-hidden-layer ReLU network d → h → c with a hand-written backward pass. */
final class Mlp {
    final int d;
    final int h;
    final int c;
    final double[] params;
    private double[] hidden;

    Mlp(int d, int h, int c, SplittableRandom r) {
        this.d = d;
        this.h = h;
        this.c = c;
        params = new double[d * h + h + h * c + c];
        double s1 = Math.sqrt(2.0 / d);
        double s2 = Math.sqrt(1.0 / h);
        for (int i = 0; i < d * h; i++) {
            params[i] = s1 * Train.normal(r);
        }
        for (int i = 0; i < h * c; i++) {
            params[d * h + h + i] = s2 * Train.normal(r);
        }
    }

    /** Logits [n, c] for inputs [n, d]; keeps the hidden activations for {@link #backward}. */
    double[] forward(double[] x, int n) {
        hidden = new double[n * h];
        double[] out = new double[n * c];
        int b1 = d * h;
        int w2 = b1 + h;
        int b2 = w2 + h * c;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < h; k++) {
                double s = params[b1 + k];
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * params[j * h + k];
                }
                hidden[i * h + k] = Math.max(0, s);
            }
            for (int m = 0; m < c; m++) {
                double s = params[b2 + m];
                for (int k = 0; k < h; k++) {
                    s += hidden[i * h + k] * params[w2 + k * c + m];
                }
                out[i * c + m] = s;
            }
        }
        return out;
    }

    /** Gradient w.r.t. the parameters from the gradient w.r.t. the last forward's logits. */
    double[] backward(double[] x, int n, double[] gOut) {
        double[] g = new double[params.length];
        int b1 = d * h;
        int w2 = b1 + h;
        int b2 = w2 + h * c;
        double[] gh = new double[h];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(gh, 0);
            for (int m = 0; m < c; m++) {
                double go = gOut[i * c + m];
                g[b2 + m] += go;
                for (int k = 0; k < h; k++) {
                    g[w2 + k * c + m] += hidden[i * h + k] * go;
                    gh[k] += params[w2 + k * c + m] * go;
                }
            }
            for (int k = 0; k < h; k++) {
                if (hidden[i * h + k] <= 0) {
                    continue;
                }
                g[b1 + k] += gh[k];
                for (int j = 0; j < d; j++) {
                    g[j * h + k] += x[i * d + j] * gh[k];
                }
            }
        }
        return g;
    }
}
