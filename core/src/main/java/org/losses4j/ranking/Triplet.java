package org.losses4j.ranking;

import java.util.Arrays;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.Workspace;
import org.losses4j.kernels.Parallel;

/**
 * Triplet margin loss: an anchor should be closer to its positive than to its negative by a
 * margin.
 *
 * <p>Term: {@code max(0, d(a, p) − d(a, n) + m)}; with {@code swap}, {@code d(a, n)} is replaced
 * by {@code min(d(a, n), d(p, n))} (the "distance swap" of Balntas et al.), and the gradient then
 * flows to the positive through {@code d(p, n)} when that distance is the smaller one. Distances:
 * {@code euclidean} (the exact {@code ‖u − v‖₂}, no epsilon; subgradient 0 at zero distance),
 * {@code squared_euclidean} ({@code ‖u − v‖₂²}, the FaceNet form), {@code cosine}
 * ({@code 1 − u·v / (max(‖u‖, 1e-12)·max(‖v‖, 1e-12))}). At the hinge's kink ({@code z = 0})
 * the subgradient is 0.
 *
 * <p>Shapes: anchor, positive, negative {@code [N, D]}. {@code mean} divides by N; {@code none}
 * gives {@code [N]}. Gradients with respect to all three inputs. Float32 inputs are computed
 * natively (float32 arrays, float64 accumulation).
 *
 * <p>Reference: Schroff, Kalenichenko, Philbin (2015), "FaceNet"; Balntas et al. (2016),
 * "Learning local feature descriptors with triplets and shallow convolutional neural networks";
 * PyTorch {@code TripletMarginLoss} (with {@code eps = 0}).
 */
public final class Triplet extends AbstractLoss {
    /**
     * {@code margin}: How much closer the positive must be than the negative (at most 1e15: a larger margin overflows
     * the summed loss). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "how much closer the positive must be than the negative (at most 1e15: a larger margin overflows the summed loss)");
    /**
     * {@code distance}: The distance between embeddings. Default {@code euclidean}; allowed: one of euclidean,
     * squared_euclidean, cosine.
     */
    public static final OptionSpec<String> DISTANCE = OptionSpec.choice("distance", "euclidean",
            "the distance between embeddings", "euclidean", "squared_euclidean", "cosine");
    /**
     * {@code swap}: Use min(d(a, n), d(p, n)) as the negative distance (distance swap). Default {@code false}; allowed:
     * true or false.
     */
    public static final OptionSpec<Boolean> SWAP = OptionSpec.bool("swap", false,
            "use min(d(a, n), d(p, n)) as the negative distance (distance swap)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("triplet", Family.RANKING)
            .summary("anchor closer to its positive than to its negative by a margin: metric and embedding learning")
            .formula("max(0, d(a, p) − d(a, n) + m); swap: d(a, n) → min(d(a, n), d(p, n))")
            .gradInput("anchor", "[N, D] embeddings")
            .gradInput("positive", "[N, D] embeddings of the same class as the anchors")
            .gradInput("negative", "[N, D] embeddings of another class")
            .options(MARGIN, DISTANCE, SWAP, REDUCTION)
            .divisor("the number of triplets N")
            .tasks("metric learning", "face recognition", "person re-identification", "image retrieval")
            .reference("Schroff et al. 2015 (FaceNet); Balntas et al. 2016 (swap); PyTorch TripletMarginLoss")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("anchor", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("positive", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("negative", Examples.t(Examples.gauss(r, n * 3, 1), n, 3)))
            .kinks(true)
            .factory(Triplet::new)
            .build();

    private static final int EUCLIDEAN = 0;
    private static final int SQUARED = 1;
    private static final int COSINE = 2;

    private final double margin;
    private final int distance;
    private final boolean swap;

    private Triplet(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
        String dist = o.get(DISTANCE);
        this.distance = dist.equals("euclidean") ? EUCLIDEAN : dist.equals("squared_euclidean") ? SQUARED : COSINE;
        this.swap = o.get(SWAP);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Triplet}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Triplet, Builder> {
        private Builder() {
            super(INFO, Triplet.class);
        }

        /**
         * {@code margin}: How much closer the positive must be than the negative (at most 1e15: a larger
         * margin overflows the summed loss). Default {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }

        /**
         * {@code distance}: The distance between embeddings. Default {@code euclidean}; allowed: one of
         * euclidean, squared_euclidean, cosine.
         */
        public Builder distance(String value) {
            return set(DISTANCE, value);
        }

        /**
         * {@code swap}: Use min(d(a, n), d(p, n)) as the negative distance (distance swap). Default {@code
         * false}; allowed: true or false.
         */
        public Builder swap(boolean value) {
            return set(SWAP, value);
        }
    }

    private static void validate(Tensor a, Tensor p, Tensor n) {
        RowVectors.matrix("anchor", a);
        Check.sameShape("anchor", a, "positive", p);
        Check.sameShape("anchor", a, "negative", n);
    }

    /** All three inputs float32: computed natively (float64 sums); mixed precision is widened to float64. */
    @Override
    protected boolean computesFloat32(Inputs in) {
        return in.get("anchor").dtype() == DType.FLOAT32 && in.get("positive").dtype() == DType.FLOAT32
                && in.get("negative").dtype() == DType.FLOAT32;
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        return batch(call);
    }

    /** Both precisions: the float32 rows write every row of a caller's buffer, so those are not cleared. */
    private LossResult batch(LossCall call) {
        Tensor a = call.input("anchor");
        Tensor p = call.input("positive");
        Tensor n = call.input("negative");
        validate(a, p, n);
        int rows = a.dim(0);
        double scale = call.reduce(rows);
        double[] terms = call.terms(rows);
        if (call.precision() == DType.FLOAT64) {
            rows64(a.f64(), p.f64(), n.f64(), rows, a.dim(1), scale, terms, call.gradient("anchor", a),
                    call.gradient("positive", p), call.gradient("negative", n));
            return call.finish(terms, rows);
        }
        boolean fresh = !call.hasCallerBuffer("anchor") && !call.hasCallerBuffer("positive")
                && !call.hasCallerBuffer("negative");
        Tensor ga = call.gradientTensor("anchor", a);
        Tensor gp = call.gradientTensor("positive", p);
        Tensor gn = call.gradientTensor("negative", n);
        rows32(a.f32(), p.f32(), n.f32(), rows, a.dim(1), scale, terms, ga == null ? null : ga.f32(),
                gp == null ? null : gp.f32(), gn == null ? null : gn.f32(), fresh);
        return call.finish(terms, rows);
    }

    // ---------------------------------------------------------------------------------------
    // One row in three steps: statistics (a dtype-specific pass over D), the term and gradient
    // coefficients (scalar, shared), and the gradients as linear combinations of the row's
    // vectors (a dtype-specific pass over D, skipped for rows where the hinge is inactive).
    //
    // Euclidean and squared: st = {d(a,p), d(a,n), d(p,n)}; the gradients are combinations of
    // the differences a − p, a − n, p − n (never of a, p, n separately, which would cancel):
    //   ∂a = c0(a − p) − c1(a − n),  ∂p = −c0(a − p) − c2(p − n),  ∂n = c1(a − n) + c2(p − n).
    // Cosine: st = {‖a‖, ‖p‖, ‖n‖, cos(a,p), cos(a,n), cos(p,n)}; with u = x / max(‖x‖, eps),
    //   ∂cos(x,y)/∂x = (1/max(‖x‖, eps))·(u_y − [‖x‖ > eps]·cos·u_x), so every gradient is
    //   (1/max(‖x‖, eps)) times a combination of u_a, u_p, u_n (no overflow for large inputs).
    // ---------------------------------------------------------------------------------------

    /** Below this, gradient coefficients and their products with float32 differences stay in float range. */
    private static final double FLOAT_SAFE = 1e30;
    /** Below this Euclidean length, the differences of a row cannot overflow float32. */
    private static final double FLOAT_SAFE_DISTANCE = 1e38;

    /** Coefficient slots for the cosine distance. */
    private static final int IA = 9;
    private static final int IP = 10;
    private static final int IN = 11;

    /**
     * From the row statistics, the row's term; writes the gradient coefficients (already
     * multiplied by the reduction's scale) into {@code co}, and {@code co[12]} = 1 when any is
     * non-zero (or NaN), 0 when the row has no gradient.
     */
    private double coefficients(double[] st, double scale, double[] co) {
        boolean cos = distance == COSINE;
        double dap = cos ? 1 - st[3] : st[0];
        double dan = cos ? 1 - st[4] : st[1];
        double dpn = cos ? 1 - st[5] : st[2];
        // tie or NaN: the ordinary negative distance
        boolean swapped = swap && dpn < dan;
        double z = dap - (swapped ? dpn : dan) + margin;
        double term = RowVectors.hinge(z);
        double h = RowVectors.hingeSlope(z) * scale;
        co[12] = h == 0 ? 0 : 1;
        if (h == 0) {
            return term;
        }
        double wan = swapped ? 0 : h;
        double wpn = swapped ? h : 0;
        if (!cos) {
            co[0] = h * slope(dap);
            co[1] = wan * slope(dan);
            co[2] = wpn * slope(dpn);
            return term;
        }
        double na = st[0], np = st[1], nn = st[2];
        double cap = st[3], can = st[4], cpn = st[5];
        // the norm's own derivative only where it is not clamped
        double ka = na > RowVectors.NORM_EPS ? 1 : na * 0; // NaN stays NaN
        double kp = np > RowVectors.NORM_EPS ? 1 : np * 0;
        double kn = nn > RowVectors.NORM_EPS ? 1 : nn * 0;
        // d = 1 − cos: ∂a = (1/Na)[−h·u_p + wan·u_n + ka(h·cap − wan·can)·u_a], etc.
        co[0] = ka * (h * cap - wan * can);
        co[1] = -h;
        co[2] = wan;
        co[3] = -h;
        co[4] = kp * (h * cap - wpn * cpn);
        co[5] = wpn;
        co[6] = wan;
        co[7] = wpn;
        co[8] = -kn * (wan * can + wpn * cpn);
        co[IA] = 1 / Math.max(na, RowVectors.NORM_EPS);
        co[IP] = 1 / Math.max(np, RowVectors.NORM_EPS);
        co[IN] = 1 / Math.max(nn, RowVectors.NORM_EPS);
        return term;
    }

    /** The derivative of the distance with respect to the Euclidean length of the difference. */
    private double slope(double dist) {
        if (distance == SQUARED) {
            return 2; // d = ‖u − v‖²: ∂d/∂u = 2(u − v)
        }
        return dist > 0 ? 1 / dist : dist * 0; // (u − v)/‖u − v‖, subgradient 0 at 0; NaN stays NaN
    }

    private void rows64(double[] a, double[] p, double[] n, int rows, int d, double scale, double[] terms,
            double[] ga, double[] gp, double[] gn) {
        double[] st = new double[6];
        double[] co = new double[13];
        boolean cos = distance == COSINE;
        for (int i = 0; i < rows; i++) {
            int o = i * d;
            if (!cos) {
                if (distance == EUCLIDEAN) {
                    st[0] = RowVectors.distance(a, o, p, o, d);
                    st[1] = RowVectors.distance(a, o, n, o, d);
                    st[2] = swap ? RowVectors.distance(p, o, n, o, d) : 0;
                } else {
                    squaredDistances64(a, p, n, o, d, st);
                }
            } else {
                double na = RowVectors.norm(a, o, d), np = RowVectors.norm(p, o, d), nn = RowVectors.norm(n, o, d);
                double ia = 1 / Math.max(na, RowVectors.NORM_EPS);
                double ip = 1 / Math.max(np, RowVectors.NORM_EPS);
                double in = 1 / Math.max(nn, RowVectors.NORM_EPS);
                st[0] = na;
                st[1] = np;
                st[2] = nn;
                st[3] = RowVectors.cosine(a, o, ia, p, o, ip, d);
                st[4] = RowVectors.cosine(a, o, ia, n, o, in, d);
                st[5] = swap ? RowVectors.cosine(p, o, ip, n, o, in, d) : 0;
            }
            terms[i] = coefficients(st, scale, co);
            if (ga == null || co[12] == 0) {
                continue;
            }
            if (!cos) {
                double c0 = co[0], c1 = co[1], c2 = co[2];
                for (int k = o, e = o + d; k < e; k++) {
                    double ap = a[k] - p[k];
                    double an = a[k] - n[k];
                    double pn = p[k] - n[k];
                    ga[k] = c0 * ap - c1 * an;
                    gp[k] = -c0 * ap - c2 * pn;
                    gn[k] = c1 * an + c2 * pn;
                }
            } else {
                double ia = co[IA], ip = co[IP], in = co[IN];
                for (int k = o, e = o + d; k < e; k++) {
                    double ua = a[k] * ia;
                    double up = p[k] * ip;
                    double un = n[k] * in;
                    ga[k] = ia * (co[0] * ua + co[1] * up + co[2] * un);
                    gp[k] = ip * (co[3] * ua + co[4] * up + co[5] * un);
                    gn[k] = in * (co[6] * ua + co[7] * up + co[8] * un);
                }
            }
        }
    }

    private void squaredDistances64(double[] a, double[] p, double[] n, int o, int d, double[] st) {
        double sap = 0, san = 0, spn = 0;
        for (int k = o, e = o + d; k < e; k++) {
            double ap = a[k] - p[k];
            double an = a[k] - n[k];
            sap += ap * ap;
            san += an * an;
        }
        if (swap) {
            for (int k = o, e = o + d; k < e; k++) {
                double pn = p[k] - n[k];
                spn += pn * pn;
            }
        }
        st[0] = sap;
        st[1] = san;
        st[2] = spn;
    }

    /**
     * The float32 rows: float32 data; the distances and cosines accumulated in float64
     * (differences of two floats are exact in float64, and squares of floats cannot overflow
     * it); the gradients, a few operations per element on float32 data, formed in float32
     * arithmetic so that the loop vectorises. Each gradient row is written exactly once (zeros
     * for inactive rows unless the arrays are {@code fresh}, i.e. already zero).
     */
    private void rows32(float[] a, float[] p, float[] n, int rows, int d, double scale, double[] terms,
            float[] ga, float[] gp, float[] gn, boolean fresh) {
        // fixed chunks of ~CHUNK elements (rows independent, terms at their row's index and
        // summed in row order afterwards): the same bits on any number of threads
        int rowsPerChunk = Math.max(1, Parallel.CHUNK / Math.max(d, 1));
        Parallel.forChunks(rows, rowsPerChunk,
                (c, from, to) -> rows32(a, p, n, from, to, d, scale, terms, ga, gp, gn, fresh));
    }

    private void rows32(float[] a, float[] p, float[] n, int rowFrom, int rowTo, int d, double scale,
            double[] terms, float[] ga, float[] gp, float[] gn, boolean fresh) {
        try (Workspace ws = Workspace.acquire()) {
            rows32(a, p, n, rowFrom, rowTo, d, scale, terms, ga, gp, gn, fresh, ws.doubles(6), ws.doubles(13));
        }
    }

    private void rows32(float[] a, float[] p, float[] n, int rowFrom, int rowTo, int d, double scale,
            double[] terms, float[] ga, float[] gp, float[] gn, boolean fresh, double[] st, double[] co) {
        boolean cos = distance == COSINE;
        for (int i = rowFrom; i < rowTo; i++) {
            int o = i * d;
            if (!cos) {
                squaredDistances32(a, p, n, o, d, st);
                if (distance == EUCLIDEAN) {
                    st[0] = Math.sqrt(st[0]);
                    st[1] = Math.sqrt(st[1]);
                    st[2] = Math.sqrt(st[2]);
                }
            } else {
                dots32(a, p, n, o, d, st);
            }
            terms[i] = coefficients(st, scale, co);
            if (ga == null) {
                continue;
            }
            if (co[12] == 0) {
                if (!fresh) {
                    Arrays.fill(ga, o, o + d, 0f);
                    Arrays.fill(gp, o, o + d, 0f);
                    Arrays.fill(gn, o, o + d, 0f);
                }
                continue;
            }
            // float32 arithmetic when no difference can overflow it (every |x_k − y_k| ≤ its distance)
            // and the coefficients are in range; otherwise (huge or near-subnormal rows, NaN) float64
            double big = distance == SQUARED ? FLOAT_SAFE_DISTANCE * FLOAT_SAFE_DISTANCE : FLOAT_SAFE_DISTANCE;
            if (!cos && st[0] < big && st[1] < big && st[2] < big
                    && Math.abs(co[0]) + Math.abs(co[1]) + Math.abs(co[2]) < FLOAT_SAFE) {
                float c0 = (float) co[0], c1 = (float) co[1], c2 = (float) co[2];
                for (int k = o, e = o + d; k < e; k++) {
                    float ak = a[k], pk = p[k], nk = n[k];
                    float ap = ak - pk;
                    float an = ak - nk;
                    float pn = pk - nk;
                    ga[k] = c0 * ap - c1 * an;
                    gp[k] = -c0 * ap - c2 * pn;
                    gn[k] = c1 * an + c2 * pn;
                }
            } else if (!cos) {
                double c0 = co[0], c1 = co[1], c2 = co[2];
                for (int k = o, e = o + d; k < e; k++) {
                    double ak = a[k], pk = p[k], nk = n[k];
                    double ap = ak - pk;
                    double an = ak - nk;
                    double pn = pk - nk;
                    ga[k] = (float) (c0 * ap - c1 * an);
                    gp[k] = (float) (-c0 * ap - c2 * pn);
                    gn[k] = (float) (c1 * an + c2 * pn);
                }
            } else {
                // float64 arithmetic: 1/max(‖x‖, eps) spans 1e-39 … 1e12, too wide to fold in float32
                double ia = co[IA], ip = co[IP], in = co[IN];
                for (int k = o, e = o + d; k < e; k++) {
                    double ua = a[k] * ia;
                    double up = p[k] * ip;
                    double un = n[k] * in;
                    ga[k] = (float) (ia * (co[0] * ua + co[1] * up + co[2] * un));
                    gp[k] = (float) (ip * (co[3] * ua + co[4] * up + co[5] * un));
                    gn[k] = (float) (in * (co[6] * ua + co[7] * up + co[8] * un));
                }
            }
        }
    }

    private void squaredDistances32(float[] a, float[] p, float[] n, int o, int d, double[] st) {
        // two accumulators per sum: the additions of a floating-point sum do not reorder by themselves
        double sap0 = 0, sap1 = 0, san0 = 0, san1 = 0;
        int k = o;
        int e = o + d;
        for (; k + 1 < e; k += 2) {
            double a0 = a[k], a1 = a[k + 1];
            double ap0 = a0 - p[k], ap1 = a1 - p[k + 1];
            double an0 = a0 - n[k], an1 = a1 - n[k + 1];
            sap0 += ap0 * ap0;
            sap1 += ap1 * ap1;
            san0 += an0 * an0;
            san1 += an1 * an1;
        }
        for (; k < e; k++) {
            double ak = a[k];
            double ap = ak - p[k];
            double an = ak - n[k];
            sap0 += ap * ap;
            san0 += an * an;
        }
        double spn = 0;
        if (swap) {
            for (k = o; k < e; k++) {
                double pn = (double) p[k] - n[k];
                spn += pn * pn;
            }
        }
        st[0] = sap0 + sap1;
        st[1] = san0 + san1;
        st[2] = spn;
    }

    private void dots32(float[] a, float[] p, float[] n, int o, int d, double[] st) {
        double aa = 0, pp = 0, nn = 0, ap = 0, an = 0, pn = 0;
        for (int k = o, e = o + d; k < e; k++) {
            double ak = a[k], pk = p[k], nk = n[k];
            aa += ak * ak;
            pp += pk * pk;
            nn += nk * nk;
            ap += ak * pk;
            an += ak * nk;
            pn += pk * nk;
        }
        double na = Math.sqrt(aa), np = Math.sqrt(pp), nNorm = Math.sqrt(nn);
        double ia = 1 / Math.max(na, RowVectors.NORM_EPS);
        double ip = 1 / Math.max(np, RowVectors.NORM_EPS);
        double in = 1 / Math.max(nNorm, RowVectors.NORM_EPS);
        st[0] = na;
        st[1] = np;
        st[2] = nNorm;
        st[3] = ap * ia * ip;
        st[4] = an * ia * in;
        st[5] = pn * ip * in;
    }
}
