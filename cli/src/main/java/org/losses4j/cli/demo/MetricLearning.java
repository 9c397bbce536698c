package org.losses4j.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 5. Learning a linear embedding of clustered data hidden among noisy nuisance features. */
final class MetricLearning implements Experiment {
    private static final int D = 16;
    private static final int E = 4;
    private static final int CLASSES = 8;

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] centres = Train.gaussian(r, CLASSES, D);
        int nTrain = quick ? 400 : 1000;
        int nTest = 800;
        double[][] train = data(r, centres, nTrain);
        double[][] test = data(r, centres, nTest);
        int steps = quick ? 300 : 800;
        int batch = 64;
        Outcome o = new Outcome("test recall@1");
        o.higherIsBetter.add("test recall@1");
        o.row("raw features (16-d)", recallAt1(test[0], test[1], nTest, D));
        long initSeed = r.nextLong();
        double[] w0 = init(new SplittableRandom(initSeed));
        Map<String, double[]> projections = new LinkedHashMap<>();
        projections.put("untrained", w0);
        o.row("untrained projection (4-d)", recallAt1(embed(test[0], nTest, w0), test[1], nTest, E));
        for (String name : new String[] {"contrastive", "triplet"}) {
            progress.step(name);
            Loss loss = Losses.create(name);
            double[] w = init(new SplittableRandom(initSeed));
            Train.Adam adam = new Train.Adam(w.length, 0.01);
            SplittableRandom br = new SplittableRandom(seed + name.hashCode());
            double[] curve = new double[steps];
            Trace trace = new Trace(steps);
            DoubleSupplier recall = () -> recallAt1(embed(test[0], nTest, w), test[1], nTest, E);
            for (int t = 0; t < steps; t++) {
                trace.before(t, recall);
                int[][] idx = name.equals("triplet") ? triplets(br, train[1], batch) : pairs(br, train[1], batch);
                double[][] xs = new double[idx.length][];
                Inputs in;
                if (name.equals("triplet")) {
                    for (int k = 0; k < 3; k++) {
                        xs[k] = gather(train[0], idx[k]);
                    }
                    in = Inputs.of("anchor", Tensor.of(embed(xs[0], batch, w), batch, E))
                            .with("positive", Tensor.of(embed(xs[1], batch, w), batch, E))
                            .with("negative", Tensor.of(embed(xs[2], batch, w), batch, E));
                } else {
                    xs[0] = gather(train[0], idx[0]);
                    xs[1] = gather(train[0], idx[1]);
                    double[] same = new double[batch];
                    for (int i = 0; i < batch; i++) {
                        same[i] = train[1][idx[0][i]] == train[1][idx[1][i]] ? 1 : 0;
                    }
                    in = Inputs.of("x1", Tensor.of(embed(xs[0], batch, w), batch, E))
                            .with("x2", Tensor.of(embed(xs[1], batch, w), batch, E))
                            .with("target", Tensor.vector(same));
                }
                LossResult res = loss.compute(in);
                curve[t] = res.value();
                double[] g = new double[w.length];
                String[] inputsNames = name.equals("triplet") ? new String[] {"anchor", "positive", "negative"}
                        : new String[] {"x1", "x2"};
                for (int k = 0; k < inputsNames.length; k++) {
                    accumulate(g, xs[k], batch, res.grad(inputsNames[k]).f64());
                }
                adam.step(w, g);
            }
            o.curve(name, curve);
            o.row(name, trace.last(steps, recall));
            o.testCurve(name, trace);
            projections.put(name, w);
        }
        o.shows(0, false, embeddings(o, test, nTest, projections),
                "the 4-d test embeddings of " + SHOWN + " test points, each panel projected onto its own"
                + " first two principal components, coloured by class (8 classes): before training the classes"
                + " overlap; a useful embedding puts each class in its own cluster.");
        double base = o.get("untrained projection (4-d)", 0);
        double c = o.get("contrastive", 0);
        double tr = o.get("triplet", 0);
        boolean borne = c > base && tr > base;
        o.rule = "borne out if both contrastive and triplet beat the untrained projection on nearest-neighbour"
                + " accuracy";
        o.verdict(borne, (borne ? "both losses learned embeddings whose nearest neighbour shares the class far more"
                + " often than before training" : "not both losses improved on the untrained projection")
                + " (contrastive " + Train.fmt(c) + ", triplet " + Train.fmt(tr) + ", untrained " + Train.fmt(base)
                + ", raw " + Train.fmt(o.get("raw features (16-d)", 0)) + ")");
        return o;
    }

    static final int SHOWN = 400;

    /** One scatter panel per projection: test embeddings on their first two principal components. */
    static String embeddings(Outcome o, double[][] test, int nTest, Map<String, double[]> projections) {
        int n = Math.min(SHOWN, nTest);
        int pw = 300;
        java.util.List<String> placed = new java.util.ArrayList<>();
        int col = 0;
        for (Map.Entry<String, double[]> pr : projections.entrySet()) {
            double[][] xy = pca2(embed(test[0], n, pr.getValue()), n);
            Svg.Plot p = new Svg.Plot(pr.getKey(), "principal component 1", col == 0 ? "principal component 2" : "")
                    .size(pw, 300).noLegend();
            for (int k = 0; k < CLASSES; k++) {
                java.util.List<Integer> rows = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (test[1][i] == k) {
                        rows.add(i);
                    }
                }
                p.points("class " + k, rows.stream().mapToDouble(i -> xy[0][i]).toArray(),
                        rows.stream().mapToDouble(i -> xy[1][i]).toArray(), Svg.colour(k));
            }
            placed.add(p.render(col++ * pw, 0));
        }
        return Svg.row("learned-plot", " data-kind=\"embeddings\"", col * pw, 300, placed);
    }

    /** Coordinates of the rows of e [n, E] on its first two principal components (power iteration). */
    static double[][] pca2(double[] e, int n) {
        double[] mean = new double[E];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < E; k++) {
                mean[k] += e[i * E + k] / n;
            }
        }
        double[][] cov = new double[E][E];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < E; a++) {
                for (int b = 0; b < E; b++) {
                    cov[a][b] += (e[i * E + a] - mean[a]) * (e[i * E + b] - mean[b]) / n;
                }
            }
        }
        double[][] out = new double[2][n];
        double[] prev = null;
        for (int c = 0; c < 2; c++) {
            double[] v = {1, 0.5, 0.25, 0.125};
            for (int it = 0; it < 200; it++) {
                double[] nv = new double[E];
                for (int a = 0; a < E; a++) {
                    for (int b = 0; b < E; b++) {
                        nv[a] += cov[a][b] * v[b];
                    }
                }
                if (prev != null) { // deflate: stay orthogonal to the first component
                    double dot = 0;
                    for (int a = 0; a < E; a++) {
                        dot += nv[a] * prev[a];
                    }
                    for (int a = 0; a < E; a++) {
                        nv[a] -= dot * prev[a];
                    }
                }
                double norm = Math.sqrt(java.util.Arrays.stream(nv).map(x -> x * x).sum());
                for (int a = 0; a < E; a++) {
                    v[a] = norm > 0 ? nv[a] / norm : 0;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < E; a++) {
                    out[c][i] += (e[i * E + a] - mean[a]) * v[a];
                }
            }
            prev = v;
        }
        return out;
    }

    /** Class signal in the first 4 features; 12 nuisance features of large variance. */
    static double[][] data(SplittableRandom r, double[] centres, int n) {
        double[] x = new double[n * D];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(CLASSES);
            y[i] = k;
            for (int j = 0; j < D; j++) {
                x[i * D + j] = j < 4 ? 2 * centres[k * D + j] + 0.4 * Train.normal(r) : 3 * Train.normal(r);
            }
        }
        return new double[][] {x, y};
    }

    static double[] init(SplittableRandom r) {
        double[] w = Train.gaussian(r, D, E);
        for (int i = 0; i < w.length; i++) {
            w[i] *= 0.25;
        }
        return w;
    }

    static double[] embed(double[] x, int n, double[] w) {
        double[] e = new double[n * E];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                double xv = x[i * D + j];
                for (int k = 0; k < E; k++) {
                    e[i * E + k] += xv * w[j * E + k];
                }
            }
        }
        return e;
    }

    static void accumulate(double[] gw, double[] x, int n, double[] ge) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                double xv = x[i * D + j];
                for (int k = 0; k < E; k++) {
                    gw[j * E + k] += xv * ge[i * E + k];
                }
            }
        }
    }

    static double[] gather(double[] x, int[] rows) {
        double[] out = new double[rows.length * D];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * D, out, i * D, D);
        }
        return out;
    }

    /** Pairs, half of the same class. */
    static int[][] pairs(SplittableRandom r, double[] y, int batch) {
        int[][] idx = new int[2][batch];
        for (int i = 0; i < batch; i++) {
            int a = r.nextInt(y.length);
            int b = r.nextInt(y.length);
            if (i % 2 == 0) {
                while (y[b] != y[a] || b == a) {
                    b = r.nextInt(y.length);
                }
            } else {
                while (y[b] == y[a]) {
                    b = r.nextInt(y.length);
                }
            }
            idx[0][i] = a;
            idx[1][i] = b;
        }
        return idx;
    }

    static int[][] triplets(SplittableRandom r, double[] y, int batch) {
        int[][] idx = new int[3][batch];
        for (int i = 0; i < batch; i++) {
            int a = r.nextInt(y.length);
            int p = r.nextInt(y.length);
            while (y[p] != y[a] || p == a) {
                p = r.nextInt(y.length);
            }
            int q = r.nextInt(y.length);
            while (y[q] == y[a]) {
                q = r.nextInt(y.length);
            }
            idx[0][i] = a;
            idx[1][i] = p;
            idx[2][i] = q;
        }
        return idx;
    }

    /** Fraction of points whose nearest other point (Euclidean) has the same class. */
    static double recallAt1(double[] e, double[] y, int n, int dim) {
        int hits = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            int arg = -1;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    double d = e[i * dim + k] - e[j * dim + k];
                    s += d * d;
                }
                if (s < best) {
                    best = s;
                    arg = j;
                }
            }
            hits += y[arg] == y[i] ? 1 : 0;
        }
        return (double) hits / n;
    }
}
