package org.losses4j.ranking;

import java.util.Random;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Options;
import org.losses4j.Sorting;
import org.losses4j.Tensor;

/**
 * The base of the learning-to-rank losses over lists: {@code scores} and {@code relevance}
 * {@code [Q, L]} (Q lists of at most L items) with an optional {@code mask} {@code [Q, L]} (1 where
 * an item is present, 0 for padding). It checks the inputs, compacts each list's present items
 * (padding is never read: it enters no sum and gets a zero gradient), hands them to the loss's
 * {@link #term}, and scatters the list's gradient (and diagonal Hessian, for lambda_rank) back.
 *
 * <p>One term per list (layout ROW: {@code none} gives {@code [Q]}, {@code sample_weight [Q]} weighs
 * lists). {@code mean} divides by the number of lists with at least one item present, as Optax's
 * ranking losses (a list with no item present is excluded; every item masked gives 0, as Optax's
 * {@code _safe_reduce}). A NaN score, relevance or mask of a present item
 * makes its list's term and gradients NaN.
 */
abstract class RankedLists extends AbstractLoss {
    static final String SCORES = "scores";
    static final String RELEVANCE = "relevance";
    static final String MASK = "mask";

    RankedLists(LossInfo info, Options o) {
        super(info, o);
    }

    /** The inputs, layout and divisor every list loss declares. */
    static LossInfo.Builder lists(LossInfo.Builder b) {
        return b.gradInput(SCORES, "[Q, L] scores: Q lists of L items, one model score per item")
                .input(RELEVANCE, "same shape: graded relevance of each item, finite and >= 0 (0: not relevant)")
                .optionalInput(MASK, "same shape: 1 where an item is present, 0 for padding (its scores and"
                        + " relevance are never read); default every item present")
                .layout(LossInfo.Layout.ROW)
                .divisor("the number of lists with at least one item present (Optax; 0 when every item is masked)");
    }

    /**
     * Example lists of 6 items with relevance in {0, 1, 2, 3} and ragged lengths (list q has
     * 6 − (q mod 4) items present, the rest padded), scores away from ties.
     */
    static Inputs example(Random r, int q, Options o) {
        int l = 6;
        double[] s = new double[q * l];
        double[] y = new double[q * l];
        double[] m = new double[q * l];
        for (int i = 0; i < q; i++) {
            int present = l - (i % 4);
            for (int j = 0; j < l; j++) {
                s[i * l + j] = r.nextGaussian();
                y[i * l + j] = r.nextInt(4);
                m[i * l + j] = j < present ? 1 : 0;
            }
            y[i * l] = 1 + r.nextInt(3); // every list has a relevant item
        }
        return Inputs.of(SCORES, Tensor.of(s, q, l)).with(RELEVANCE, Tensor.of(y, q, l)).with(MASK, Tensor.of(m, q, l));
    }

    /**
     * One list's present items, in list order: what a loss's mathematics reads ({@code n}, {@code s},
     * {@code y}) and writes ({@code g} = ∂term/∂s, {@code h} = the Hessian diagonal, when not null),
     * with scratch for orderings. One per call, reused for every list.
     */
    static final class Items {
        int n;
        final double[] s;
        final double[] y;
        final double[] g;
        final double[] h;
        final int[] order;
        final int[] tmp;
        final double[] aux;
        final double[] aux2;
        private final double[] keys;
        private final double[] keysTmp;

        Items(int capacity, boolean hessian) {
            s = new double[capacity];
            y = new double[capacity];
            g = new double[capacity];
            h = hessian ? new double[capacity] : null;
            order = new int[capacity];
            tmp = new int[capacity];
            aux = new double[capacity];
            aux2 = new double[capacity];
            keys = new double[capacity];
            keysTmp = new double[capacity];
        }

        /**
         * {@code order[0 .. n)} = the items sorted by {@code key} decreasing; stable (equal keys keep their
         * list order, as XGBoost's ArgSort with greater and torch.sort(stable=True)).
         */
        int[] sortDescending(double[] key) {
            Sorting.decreasing(key, n, order, tmp, keys, keysTmp);
            return order;
        }
    }

    /** The term of one list of {@code it.n ≥ 1} present items (finite inputs); fills {@code it.g} (and {@code it.h}). */
    protected abstract double term(Items it);

    @Override
    protected final LossResult evaluate(LossCall call) {
        Tensor st = call.require(SCORES);
        Tensor yt = call.require(RELEVANCE);
        Tensor mt = call.input(MASK);
        if (st.rank() != 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, SCORES + " must be a [Q, L] matrix (one list per row),"
                    + " got shape " + st.shapeString());
        }
        Check.sameShape(SCORES, st, RELEVANCE, yt);
        if (mt != null) {
            Check.sameShape(SCORES, st, MASK, mt);
            Check.oneOf(MASK, mt, 0, 1);
        }
        int q = st.dim(0);
        int l = st.dim(1);
        double[] s = st.f64();
        double[] y = yt.f64();
        double[] m = mt == null ? null : mt.f64();
        int lists = 0;
        for (int r = 0; r < q; r++) {
            boolean any = false;
            for (int j = r * l; j < (r + 1) * l; j++) {
                if (m == null || m[j] != 0) {
                    any = true;
                    double v = y[j];
                    if (v < 0 || v == Double.POSITIVE_INFINITY) {
                        throw new LossException(ErrorKind.OUT_OF_DOMAIN, Check.at(RELEVANCE, yt, j) + " = " + v
                                + " must be finite and >= 0 (graded relevance)");
                    }
                }
            }
            lists += any ? 1 : 0;
        }
        // every item masked: nothing to average, 0 with zero gradients (Optax's _safe_reduce), not 0/0
        double scale = call.reduce(q, lists == 0 && q > 0 ? 1 : lists);
        double[] g = call.gradient(SCORES, st);
        double[] h = call.wantsHessian() ? new double[q * l] : null;
        double[] terms = call.terms(q);
        Items it = new Items(l, h != null);
        int[] at = new int[l];
        double sum = 0;
        for (int r = 0; r < q; r++) {
            int n = 0;
            boolean nan = false;
            for (int j = 0; j < l; j++) {
                int k = r * l + j;
                if (m == null || m[k] != 0) {
                    nan |= Double.isNaN(s[k]) || Double.isNaN(y[k]) || (m != null && Double.isNaN(m[k]));
                    it.s[n] = s[k];
                    it.y[n] = y[k];
                    it.g[n] = 0;
                    if (it.h != null) {
                        it.h[n] = 0;
                    }
                    at[n++] = k;
                }
            }
            it.n = n;
            double t;
            if (n == 0) {
                t = 0;
            } else if (nan) {
                t = Double.NaN;
                java.util.Arrays.fill(it.g, 0, n, Double.NaN);
                if (it.h != null) {
                    java.util.Arrays.fill(it.h, 0, n, Double.NaN);
                }
            } else {
                t = term(it);
            }
            terms[r] = t;
            sum += t;
            for (int i = 0; i < n; i++) {
                if (g != null) {
                    g[at[i]] = scale * it.g[i];
                }
                if (h != null) {
                    h[at[i]] = scale * it.h[i];
                }
            }
        }
        if (h != null) {
            call.hessian(Tensor.of(h, st.shape()));
        }
        return call.finish(terms, sum, q);
    }

    // ---- stable pieces of the pairwise and listwise mathematics

    /** log(1 + e^{−d}) without overflow or cancellation. */
    static double softplusNeg(double d) {
        return Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
    }

    /** σ(−d) = 1/(1 + e^{d}), exact for any d. */
    static double sigmoidNeg(double d) {
        return d >= 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
    }

    /** σ(d)·(1 − σ(d)) = e^{−|d|}/(1 + e^{−|d|})², without overflow. */
    static double sigmoidSlope(double d) {
        double e = Math.exp(-Math.abs(d));
        return e / ((1 + e) * (1 + e));
    }

    /** 1/log2(p + 2): the DCG discount of 0-based position p (rank p + 1). */
    static double discount(int p) {
        return LN2 / Math.log(p + 2.0);
    }

    static final double LN2 = Math.log(2);

    /**
     * The DCG gains 2^y − 1 (exponential) or y (linear) into {@code out}, the exponential ones
     * scaled by 2^{−max y} as 2^{y − max} − 2^{−max} (TF-Ranking's safe gain): the scale cancels in
     * any NDCG, and no relevance overflows it.
     */
    static void gains(Items it, boolean exponential, double[] out) {
        double max = 0;
        for (int i = 0; i < it.n; i++) {
            max = Math.max(max, it.y[i]);
        }
        double floor = Math.pow(2, -max);
        for (int i = 0; i < it.n; i++) {
            out[i] = exponential ? Math.pow(2, it.y[i] - max) - floor : it.y[i];
        }
    }

    /**
     * The gains of the list into {@code gain} ({@link #gains}) and the ideal DCG over the first
     * {@code k} positions of the ideal order (sorts {@code it.order}); 0 when no item is relevant.
     */
    static double gainsAndIdealDcg(Items it, boolean exponential, int k, double[] gain) {
        gains(it, exponential, gain);
        int[] o = it.sortDescending(gain);
        double idcg = 0;
        for (int p = 0, e = Math.min(k, it.n); p < e; p++) {
            idcg += gain[o[p]] * discount(p);
        }
        return idcg;
    }
}
