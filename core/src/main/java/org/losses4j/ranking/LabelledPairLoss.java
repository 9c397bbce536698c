package org.losses4j.ranking;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * What the label-based pair losses of metric learning share (supcon, infonce, multi_similarity,
 * circle, lifted_structure, as pytorch-metric-learning defines them): embeddings {@code [N, D]}
 * and int64 labels {@code [N]} compared only for equality; the rows L2-normalised
 * ({@code u_i = e_i / max(‖e_i‖, 1e-12)}, F.normalize); the N×N matrix of cosine similarities
 * {@code u_i·u_j} (or, for {@link #euclidean()}, of distances {@code ‖u_i − u_j‖₂}); the pairs
 * {@code (i, j)}, {@code j ≠ i}, positive when the labels are equal, negative otherwise. A loss
 * writes its terms and {@code ∂(reduced loss)/∂m_ij} from the matrix ({@link #compute}); this
 * class brings that gradient back to the embeddings, through the distance and the normalisation.
 *
 * <p>Cost: O(N²·D) time, O(N²) memory (the matrix and its gradient, refused with too_large
 * beyond what the heap holds).
 */
abstract class LabelledPairLoss extends AbstractLoss {
    static final String EMBEDDINGS = "embeddings";
    static final String LABELS = "labels";
    static final String EMBEDDINGS_SHAPE = "[N, D] embeddings (one per row; L2-normalised inside)";
    static final String LABELS_SHAPE = "[N] int64 class labels, any values (compared for equality only)";

    /** The temperature option of supcon and infonce, with the loss's default. */
    static OptionSpec<Double> temperature(double def) {
        return OptionSpec.real("temperature", def, OptionSpec.Range.AT_LEAST_1E_MINUS_8, "divides the cosine"
                + " similarities: smaller is sharper (at least 1e-8: the gradient grows as 1/temperature)");
    }

    /** What a loss has a term for, and what its mean divides by. */
    enum Terms {
        /** A term per anchor, counted when the anchor has a positive and a negative (supcon, circle). */
        ANCHORS_WITH_BOTH("no anchor has both a positive (another embedding with its label) and a negative"),
        /** A term per ordered positive pair (a, p) in row-major order, all counted (infonce, lifted_structure). */
        POSITIVE_PAIRS("no two embeddings share a label (no positive pair)"),
        /** A term per anchor, all counted (multi_similarity). */
        ANCHORS("no anchor");

        /** Why a non-empty batch has nothing to divide by. */
        final String none;

        Terms(String none) {
            this.none = none;
        }
    }

    private final Terms kind;

    LabelledPairLoss(LossInfo info, Options o, Terms kind) {
        super(info, o);
        this.kind = kind;
    }

    /** The checked batch: normalised rows, the pair matrix, and each anchor's pair counts. */
    static final class Batch {
        final int n;
        final int d;
        final long[] y;
        /** Normalised rows, 1/max(‖e‖, eps), ‖e‖. */
        final double[] u;
        final double[] inv;
        final double[] norms;
        /** m_ij: cosine similarity, or distance between normalised rows; the diagonal is not a pair. */
        final double[] m;
        /** Positives (j ≠ i with y_j = y_i) and negatives (y_j ≠ y_i) of each anchor. */
        final int[] pos;
        final int[] neg;
        /** True when row i of the matrix holds a NaN off the diagonal. */
        final boolean[] nan;

        Batch(double[] e, long[] y, int n, int d, boolean euclidean) {
            this.n = n;
            this.d = d;
            this.y = y;
            u = new double[n * d];
            inv = new double[n];
            norms = new double[n];
            RowVectors.normalise(e, 0, n, d, u, inv, norms);
            m = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double v = euclidean ? RowVectors.distance(u, i * d, u, j * d, d)
                            : RowVectors.dot(u, i * d, u, j * d, d);
                    m[i * n + j] = v;
                    m[j * n + i] = v;
                }
            }
            pos = new int[n];
            neg = new int[n];
            nan = new boolean[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    if (y[j] == y[i]) {
                        pos[i]++;
                    } else {
                        neg[i]++;
                    }
                    nan[i] |= Double.isNaN(m[i * n + j]);
                }
            }
        }

        boolean positive(int i, int j) {
            return j != i && y[j] == y[i];
        }

        /** The number of ordered positive pairs (a, p). */
        int positivePairs() {
            int s = 0;
            for (int i = 0; i < n; i++) {
                s += pos[i];
            }
            return s;
        }

        /** The anchors with at least one positive and one negative. */
        int anchorsWithBoth() {
            int s = 0;
            for (int i = 0; i < n; i++) {
                s += pos[i] > 0 && neg[i] > 0 ? 1 : 0;
            }
            return s;
        }
    }

    /** True when the matrix holds distances between the normalised rows, false for cosine similarities. */
    boolean euclidean() {
        return false;
    }

    /**
     * Writes every term (zeros included: {@code terms} may be scratch) and, when {@code gm} is not
     * null, adds {@code scale·∂term/∂m_ij} into {@code gm} (row-major N×N, zero on entry).
     */
    abstract void compute(Batch b, double[] terms, double[] gm, double scale);

    @Override
    protected final LossResult evaluate(LossCall call) {
        Tensor e = call.input(EMBEDDINGS);
        Tensor l = call.input(LABELS);
        RowVectors.matrix(EMBEDDINGS, e);
        int n = e.dim(0);
        int d = e.dim(1);
        RowVectors.perRow(LABELS, l, EMBEDDINGS, n);
        Check.arraySize(2L * n * n, Double.BYTES, "the " + n + "×" + n + " pair matrix and its gradient");
        Batch b = new Batch(e.f64(), l.i64(), n, d, euclidean());
        int count = kind == Terms.POSITIVE_PAIRS ? b.positivePairs() : n;
        int divisor = kind == Terms.ANCHORS_WITH_BOTH ? b.anchorsWithBoth() : count;
        if (call.reduction() == Reduction.MEAN && n > 0 && divisor == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, LABELS + " " + l.shapeString() + ": " + kind.none
                    + ", so the mean is undefined (reduction sum gives 0)");
        }
        double scale = call.reduce(count, divisor);
        double[] g = call.gradient(EMBEDDINGS, e);
        double[] terms = call.terms(count);
        double[] gm = g == null ? null : new double[n * n];
        compute(b, terms, gm, scale);
        if (g != null) {
            back(b, gm, g);
        }
        return call.finish(terms, count);
    }

    /** From ∂L/∂m_ij to ∂L/∂e: through the cosine (or the distance), then through the normalisation. */
    private void back(Batch b, double[] gm, double[] out) {
        int n = b.n;
        int d = b.d;
        double[] u = b.u;
        double[] gu = new double[n * d];
        boolean euclid = euclidean();
        for (int i = 0; i < n; i++) {
            int oi = i * d;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double w = gm[i * n + j] + gm[j * n + i];
                if (w == 0) {
                    continue;
                }
                int oj = j * d;
                if (!euclid) {
                    for (int q = 0; q < d; q++) {
                        gu[oi + q] += w * u[oj + q]; // ∂(u_i·u_j)/∂u_i = u_j
                    }
                } else {
                    double dist = b.m[i * n + j];
                    // (u_i − u_j)/‖u_i − u_j‖; subgradient 0 at distance 0, NaN stays NaN
                    double c = dist > 0 ? w / dist : dist * 0;
                    if (c == 0) {
                        continue;
                    }
                    for (int q = 0; q < d; q++) {
                        gu[oi + q] += c * (u[oi + q] - u[oj + q]);
                    }
                }
            }
        }
        RowVectors.backThroughNormalisation(gu, u, b.inv, b.norms, 0, n, d, out);
    }

    /** Fills {@code gm}'s row i off the diagonal with NaN (a NaN similarity in the anchor's row). */
    static void nanRow(Batch b, int i, double[] gm) {
        if (gm == null) {
            return;
        }
        for (int j = 0; j < b.n; j++) {
            if (j != i) {
                gm[i * b.n + j] = Double.NaN;
            }
        }
    }

    /**
     * Example inputs of batch {@code n}: {@code 2(n + 1)} embeddings in 3 dimensions (none for
     * n = 0), labels {@code i mod (n + 1)}: n + 1 classes of two, so every anchor has a positive
     * and a negative.
     */
    static Inputs example(java.util.Random r, int n) {
        int rows = n == 0 ? 0 : 2 * (n + 1);
        long[] y = new long[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % (n + 1);
        }
        return Inputs.of(EMBEDDINGS, Examples.t(Examples.gauss(r, rows * 3, 1), rows, 3))
                .with(LABELS, Tensor.ofLabels(y, rows));
    }

    // ---- numerically stable pieces shared by the losses

    /**
     * {@code (1/a)·log Σ_k exp(a·x_k)} over {@code x[0, count)}, kept in two parts so that a loss can
     * subtract an element without cancellation: {@link #max} (−∞ for no elements) and
     * {@link #log1pRest} = log(1 + Σ_{k ≠ argmax} exp(a(x_k − max))), with the value
     * {@code max + log1pRest/a}. {@link #of} also writes its derivatives
     * {@code w_k = exp(a(x_k − max))/(1 + rest)} (the softmax of a·x). NaN anywhere gives NaN.
     */
    static final class Lse {
        double max;
        double log1pRest;

        Lse of(double[] x, int count, double a, double[] w) {
            double mx = Double.NEGATIVE_INFINITY;
            int am = -1;
            boolean nan = false;
            for (int k = 0; k < count; k++) {
                if (x[k] > mx) {
                    mx = x[k];
                    am = k;
                }
                nan |= Double.isNaN(x[k]);
            }
            if (nan) {
                max = Double.NaN;
                log1pRest = Double.NaN;
                if (w != null) {
                    java.util.Arrays.fill(w, 0, count, Double.NaN);
                }
                return this;
            }
            max = mx;
            if (am < 0) {
                log1pRest = 0;
                return this;
            }
            double rest = 0;
            for (int k = 0; k < count; k++) {
                double t = k == am ? 1 : Math.exp(a * (x[k] - mx)); // x_k − max ≤ 0: no overflow
                if (w != null) {
                    w[k] = t;
                }
                rest += k == am ? 0 : t;
            }
            log1pRest = Math.log1p(rest);
            if (w != null) {
                double inv = 1 / (1 + rest);
                for (int k = 0; k < count; k++) {
                    w[k] *= inv;
                }
            }
            return this;
        }

        double value(double a) {
            return max + log1pRest / a;
        }
    }

    /** log(1 + exp(z)) without overflow or loss of precision; NaN stays NaN. */
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** 1/(1 + exp(−z)), the derivative of {@link #softplus}. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double t = Math.exp(z);
        return t / (1 + t);
    }
}
