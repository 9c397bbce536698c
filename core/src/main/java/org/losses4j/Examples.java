package org.losses4j;

import java.util.Random;

/**
 * Example inputs of the losses ({@link LossInfo#example}): generators shared by losses whose
 * inputs look alike, and the random helpers they are made of. Values stay away from kinks and
 * clamps, so finite differences and float32 comparisons of them are meaningful. For loss
 * implementations; library users call {@link LossInfo#example(Random, int)}.
 */
public final class Examples {
    /** Classes of the class-score examples. */
    public static final int CLASSES = 4;
    /** Frames of the CTC example. */
    public static final int CTC_T = 7;
    /** Target length (padded) of the CTC example. */
    public static final int CTC_S = 3;

    private Examples() {
    }

    // ---- shared example generators (batch n)

    /** Prediction and target [n, 3], normal with standard deviation 1.5: the regression losses. */
    public static Inputs regression(Random r, int n, Options o) {
        return Inputs.of(t(gauss(r, n * 3, 1.5), n, 3), t(gauss(r, n * 3, 1.5), n, 3));
    }

    /** Prediction and target [n, 3] in (−0.5, 3): the log1p losses (msle, rmsle). */
    public static Inputs aboveMinusOne(Random r, int n, Options o) {
        return Inputs.of(t(uniform(r, n * 3, -0.5, 3), n, 3), t(uniform(r, n * 3, -0.5, 3), n, 3));
    }

    /** Scores [n, 3] and ±1 labels: the margin losses (hinge, squared_hinge, ...). */
    public static Inputs margins(Random r, int n, Options o) {
        return Inputs.of(t(gauss(r, n * 3, 1.5), n, 3), t(binary(r, n * 3, -1), n, 3));
    }

    /** Logits [n, C] with int64 labels and class weights [C] (cross_entropy, multi_margin). */
    public static Inputs logitsWithWeights(Random r, int n, Options o) {
        return Inputs.of(t(gauss(r, n * CLASSES, 1.5), n, CLASSES), labels(r, n, CLASSES))
                .with("weight", t(uniform(r, CLASSES, 0.5, 2), CLASSES));
    }

    /** Logits [n, C] with int64 labels. */
    public static Inputs logits(Random r, int n, Options o) {
        return Inputs.of(t(gauss(r, n * CLASSES, 1.5), n, CLASSES), labels(r, n, CLASSES));
    }

    /** Log-probabilities [n, C] (log-softmax rows) with int64 labels (perplexity). */
    public static Inputs logProbabilities(Random r, int n, Options o) {
        return Inputs.of(t(logSoftmaxRows(gauss(r, n * CLASSES, 1), CLASSES), n, CLASSES), labels(r, n, CLASSES));
    }

    /**
     * Predicted log-probabilities [n, C] and a target distribution, as log-probabilities when
     * the option {@code log_target} is true: the divergences.
     */
    public static Inputs distributions(Random r, int n, Options o) {
        double[] q = logSoftmaxRows(gauss(r, n * CLASSES, 1), CLASSES);
        double[] p = softmaxRows(gauss(r, n * CLASSES, 1), CLASSES);
        if (Boolean.TRUE.equals(o.values().get("log_target"))) {
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.log(p[i]);
            }
        }
        return Inputs.of(t(q, n, CLASSES), t(p, n, CLASSES));
    }

    /** Probabilities and soft targets [n, 2, 3, 3] in (0, 1): the region losses. */
    public static Inputs regions(Random r, int n, Options o) {
        return Inputs.of(t(uniform(r, n * 18, 0.05, 0.95), n, 2, 3, 3), t(uniform(r, n * 18, 0, 1), n, 2, 3, 3));
    }

    /** Parameters {@code weights} [n, 3]: the regularisers. */
    public static Inputs weights(Random r, int n, Options o) {
        return Inputs.of("weights", t(gauss(r, n * 3, 1), n, 3));
    }

    /**
     * CTC: log_probs [T, n, C] (log-softmax rows), targets [n, S] padded with labels in [1, C),
     * input_lengths in [2S + 1, T] (so every target is feasible), target_lengths in [1, S].
     */
    public static Inputs ctc(Random r, int n, Options o) {
        int c = CLASSES;
        double[] lp = logSoftmaxRows(gauss(r, CTC_T * n * c, 1), c);
        long[] tg = new long[n * CTC_S];
        long[] il = new long[n];
        long[] tl = new long[n];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < CTC_S; s++) {
                tg[i * CTC_S + s] = 1 + r.nextInt(c - 1);
            }
            il[i] = 2 * CTC_S + 1 + r.nextInt(CTC_T - 2 * CTC_S);
            tl[i] = 1 + r.nextInt(CTC_S);
        }
        return Inputs.of("log_probs", Tensor.of(lp, CTC_T, n, c)).with("targets", Tensor.ofLabels(tg, n, CTC_S))
                .with("input_lengths", Tensor.ofLabels(il, n)).with("target_lengths", Tensor.ofLabels(tl, n));
    }

    // ---- helpers

    /** A float64 tensor of {@code a} in {@code shape}. */
    public static Tensor t(double[] a, int... shape) {
        return Tensor.of(a, shape);
    }

    /** {@code n} normal values with standard deviation {@code sd}. */
    public static double[] gauss(Random r, int n, double sd) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = sd * r.nextGaussian();
        }
        return a;
    }

    /** {@code n} values uniform in [lo, hi). */
    public static double[] uniform(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    /** {@code n} values in {lo, 1}, equally likely. */
    public static double[] binary(Random r, int n, double lo) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextBoolean() ? 1 : lo;
        }
        return a;
    }

    /** {@code n} int64 class indices in [0, c). */
    public static Tensor labels(Random r, int n, int c) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(c);
        }
        return Tensor.ofLabels(a, n);
    }

    /** {@code n} boxes (x1, y1, x2, y2) with x2 − x1 and y2 − y1 at least 0.5. */
    public static double[] boxes(Random r, int n) {
        double[] b = new double[4 * n];
        for (int i = 0; i < n; i++) {
            double x = 2 * r.nextDouble();
            double y = 2 * r.nextDouble();
            b[4 * i] = x;
            b[4 * i + 1] = y;
            b[4 * i + 2] = x + 0.5 + 2 * r.nextDouble();
            b[4 * i + 3] = y + 0.5 + 2 * r.nextDouble();
        }
        return b;
    }

    /** Softmax of each row of {@code c} values. */
    public static double[] softmaxRows(double[] x, int c) {
        double[] out = logSoftmaxRows(x, c);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(out[i]);
        }
        return out;
    }

    /** Log-softmax of each row of {@code c} values. */
    public static double[] logSoftmaxRows(double[] x, int c) {
        double[] out = new double[x.length];
        for (int row = 0; row < x.length / c; row++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, x[row * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(x[row * c + j] - m);
            }
            double lse = m + Math.log(s);
            for (int j = 0; j < c; j++) {
                out[row * c + j] = x[row * c + j] - lse;
            }
        }
        return out;
    }
}
