package org.losses4j.ranking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Test data and test-side reference formulas for the ranking family. The formulas here are
 * written directly from CATALOG.md, independently of the library's kernels.
 */
final class Data {
    private Data() {
    }

    static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    static double[] normal(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    static double[] row(double[] m, int i, int d) {
        double[] out = new double[d];
        System.arraycopy(m, i * d, out, 0, d);
        return out;
    }

    static double euclid(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += (u[k] - v[k]) * (u[k] - v[k]);
        }
        return Math.sqrt(s);
    }

    static double norm(double[] u) {
        double s = 0;
        for (double x : u) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double cos(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s / (Math.max(norm(u), 1e-12) * Math.max(norm(v), 1e-12));
    }

    /** The triplet distance named by the catalog. */
    static double dist(String kind, double[] u, double[] v) {
        switch (kind) {
            case "euclidean":
                return euclid(u, v);
            case "squared_euclidean":
                return euclid(u, v) * euclid(u, v);
            default:
                return 1 - cos(u, v);
        }
    }

    /** NT-Xent terms from the catalog formula with the full 2N×2N similarity matrix (test reference). */
    static double[] ntXentTerms(double[] z1, double[] z2, int n, int d, double tau) {
        int m = 2 * n;
        double[][] e = new double[m][];
        for (int i = 0; i < n; i++) {
            e[i] = row(z1, i, d);
            e[n + i] = row(z2, i, d);
        }
        double[] terms = new double[m];
        for (int i = 0; i < m; i++) {
            double denom = 0;
            for (int k = 0; k < m; k++) {
                if (k != i) {
                    denom += Math.exp(cos(e[i], e[k]) / tau);
                }
            }
            int j = (i + n) % m;
            terms[i] = -Math.log(Math.exp(cos(e[i], e[j]) / tau) / denom);
        }
        return terms;
    }

    static float[] f32(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    /** The same inputs in float32 (every tensor narrowed). */
    static Inputs toFloat32(Inputs in) {
        Inputs out = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
            Tensor t = e.getValue();
            out = out.with(e.getKey(), Tensor.of(f32(t.f64()), t.shape()));
        }
        return out;
    }

    /** The same inputs rounded to float32 values but kept in float64. */
    static Inputs roundedToFloat32(Inputs in) {
        Inputs out = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
            Tensor t = e.getValue();
            double[] a = t.f64().clone();
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) a[i];
            }
            out = out.with(e.getKey(), Tensor.of(a, t.shape()));
        }
        return out;
    }

    // ----- inputs of each loss -----

    static Inputs contrastive(double[] x1, double[] x2, double[] target, int n, int d) {
        return Inputs.of("x1", Tensor.of(x1, n, d)).with("x2", Tensor.of(x2, n, d)).with("target",
                Tensor.vector(target));
    }

    static Inputs triplet(double[] a, double[] p, double[] ng, int n, int d) {
        return Inputs.of("anchor", Tensor.of(a, n, d)).with("positive", Tensor.of(p, n, d)).with("negative",
                Tensor.of(ng, n, d));
    }

    static Inputs marginRanking(double[] x1, double[] x2, double[] y, int... shape) {
        return Inputs.of("input1", Tensor.of(x1, shape)).with("input2", Tensor.of(x2, shape)).with("target",
                Tensor.of(y, shape));
    }

    static Inputs cosine(double[] x, double[] y, int n, int d) {
        return Inputs.of("input", Tensor.of(x, n, d)).with("target", Tensor.of(y, n, d));
    }

    static Inputs ntXent(double[] z1, double[] z2, int n, int d) {
        return Inputs.of("z1", Tensor.of(z1, n, d)).with("z2", Tensor.of(z2, n, d));
    }

    /** Random inputs of any of the five losses (for properties that hold for all of them). */
    static Inputs random(String loss, Random r, int n, int d) {
        switch (loss) {
            case "contrastive": {
                double[] x1 = normal(r, n * d);
                double[] x2 = normal(r, n * d);
                double[] t = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = r.nextBoolean() ? 1 : 0;
                }
                return contrastive(x1, x2, t, n, d);
            }
            case "triplet":
                return triplet(normal(r, n * d), normal(r, n * d), normal(r, n * d), n, d);
            case "margin_ranking": {
                double[] y = new double[n * d];
                for (int i = 0; i < y.length; i++) {
                    y[i] = r.nextBoolean() ? 1 : -1;
                }
                return marginRanking(normal(r, n * d), normal(r, n * d), y, n, d);
            }
            case "cosine_similarity":
                return cosine(normal(r, n * d), normal(r, n * d), n, d);
            default:
                return ntXent(normal(r, n * d), normal(r, n * d), n, d);
        }
    }

    /** The number of terms "mean" divides by, from the catalog. */
    static int terms(String loss, int n, int d) {
        switch (loss) {
            case "margin_ranking":
                return n * d;
            case "nt_xent":
                return 2 * n;
            default:
                return n;
        }
    }

    static final String[] LOSSES = {"contrastive", "triplet", "margin_ranking", "cosine_similarity", "nt_xent"};
}
