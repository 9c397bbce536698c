package org.losses4j.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.ranking.Data.loss;
import static org.losses4j.ranking.Data.normal;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.data.Offset;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/** Properties of the ranking family that must hold on any input. */
class RankingPropertiesTest {
    @Provide
    Arbitrary<String> losses() {
        return Arbitraries.of(Data.LOSSES);
    }

    @Provide
    Arbitrary<String> distances() {
        return Arbitraries.of("euclidean", "squared_euclidean", "cosine");
    }

    /** Every element is zero (either sign: −0.0 is a zero gradient too). */
    static void assertAllZero(double[] a) {
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isEqualTo(0.0, Offset.offset(0.0));
        }
    }

    private static Offset<Double> rel(double expected, double tol) {
        return Offset.offset(tol * (1 + Math.abs(expected)));
    }

    /** sum = (number of terms as the catalog counts them)·mean, for the value and every gradient; none sums to sum. */
    @Property(tries = 60)
    void sumIsTermsTimesMean(@ForAll("losses") String name, @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 5) int d) {
        Inputs in = Data.random(name, new Random(seed), n, d);
        LossResult mean = loss(name, "reduction", "mean").compute(in);
        LossResult sum = loss(name, "reduction", "sum").compute(in);
        LossResult none = loss(name, "reduction", "none").compute(in);
        int terms = Data.terms(name, n, d);
        GradCheck.sumIsNTimesMean(sum.value(), mean.value(), terms);
        assertThat(none.terms().size()).isEqualTo(terms);
        double s = 0;
        for (double t : none.terms().f64()) {
            s += t;
        }
        assertThat(s).isCloseTo(sum.value(), rel(sum.value(), 1e-12));
        for (Map.Entry<String, Tensor> e : sum.grads().entrySet()) {
            double[] gs = e.getValue().f64();
            double[] gm = mean.grad(e.getKey()).f64();
            double[] gn = none.grad(e.getKey()).f64();
            for (int i = 0; i < gs.length; i++) {
                assertThat(gm[i] * terms).isCloseTo(gs[i], rel(gs[i], 1e-12));
                assertThat(gn[i]).isEqualTo(gs[i]);
            }
        }
    }

    /**
     * The swap replaces d(a, n) by min(d(a, n), d(p, n)) ≤ d(a, n): the hinge argument can only
     * grow, so each term with swap is at least the term without (the harder negative distance).
     */
    @Property(tries = 100)
    void tripletSwapNeverLowersATerm(@ForAll("distances") String kind, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 6) int d,
            @ForAll @DoubleRange(min = 0, max = 2) double margin) {
        Inputs in = Data.random("triplet", new Random(seed), n, d);
        double[] plain = loss("triplet", "distance", kind, "margin", margin, "reduction", "none").value(in).terms().f64();
        double[] swapped = loss("triplet", "distance", kind, "margin", margin, "swap", true, "reduction", "none")
                .value(in).terms().f64();
        for (int i = 0; i < n; i++) {
            assertThat(swapped[i]).isGreaterThanOrEqualTo(plain[i]);
            // and it is exactly the term with the smaller negative distance (test-side formula)
            double[] a = Data.row(in.get("anchor").f64(), i, d);
            double[] p = Data.row(in.get("positive").f64(), i, d);
            double[] ng = Data.row(in.get("negative").f64(), i, d);
            double neg = Math.min(Data.dist(kind, a, ng), Data.dist(kind, p, ng));
            double expected = Math.max(0, Data.dist(kind, a, p) - neg + margin);
            assertThat(swapped[i]).isCloseTo(expected, rel(expected, 1e-12));
        }
    }

    /** Identical similar pairs, and dissimilar pairs already a margin apart, cost nothing and get no gradient. */
    @Property(tries = 60)
    void contrastiveZeroLossWhereItHolds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 5) int d, @ForAll @IntRange(min = 0, max = 1) int similarLabel,
            @ForAll @DoubleRange(min = 0, max = 3) double margin) {
        Random r = new Random(seed);
        double[] x1 = normal(r, n * d);
        double[] x2 = x1.clone();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            boolean similar = r.nextBoolean();
            t[i] = similar ? similarLabel : 1 - similarLabel;
            if (!similar) { // push x2 at least the margin away
                for (int k = 0; k < d; k++) {
                    x2[i * d + k] = x1[i * d + k] + (margin + 0.1) * (r.nextBoolean() ? 1 : -1);
                }
            }
        }
        LossResult res = loss("contrastive", "margin", margin, "similar_label", similarLabel)
                .compute(Data.contrastive(x1, x2, t, n, d));
        assertThat(res.value()).isZero();
        assertAllZero(res.grad("x1").f64());
        assertAllZero(res.grad("x2").f64());
    }

    /** Relabelling: similar_label 0 with targets t equals similar_label 1 with targets 1 − t. */
    @Property(tries = 40)
    void contrastiveLabelConventionsAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n) {
        int d = 3;
        Inputs in = Data.random("contrastive", new Random(seed), n, d);
        double[] flipped = in.get("target").f64().clone();
        for (int i = 0; i < n; i++) {
            flipped[i] = 1 - flipped[i];
        }
        Inputs other = in.with("target", Tensor.vector(flipped));
        LossResult a = loss("contrastive", "similar_label", 1).compute(in);
        LossResult b = loss("contrastive", "similar_label", 0).compute(other);
        assertThat(b.value()).isEqualTo(a.value());
        assertThat(b.grad("x1").f64()).containsExactly(a.grad("x1").f64());
    }

    /** Negatives far beyond the positives: zero loss and zero gradient, with or without swap. */
    @Property(tries = 60)
    void tripletZeroLossWhenNegativesAreFar(@ForAll("distances") String kind, @ForAll boolean swap, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 5) int d,
            @ForAll @DoubleRange(min = 0, max = 1.5) double margin) {
        Random r = new Random(seed);
        double[] a = normal(r, n * d);
        double[] p = a.clone();
        double[] ng = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            if (kind.equals("cosine")) {
                ng[i] = -a[i]; // cos(a, n) = −1: d = 2 > 0 + margin
            } else {
                p[i] = a[i] + 0.1 * r.nextGaussian();
                ng[i] = a[i] + 100; // d(a, n), d(p, n) ≥ ~99.7
            }
        }
        LossResult res = loss("triplet", "distance", kind, "swap", swap, "margin", margin)
                .compute(Data.triplet(a, p, ng, n, d));
        assertThat(res.value()).isZero();
        for (Tensor g : res.grads().values()) {
            assertAllZero(g.f64());
        }
    }

    /** Pairs ordered by at least the margin cost nothing; swapping the inputs and the target changes nothing. */
    @Property(tries = 60)
    void marginRankingZeroLossAndAntisymmetry(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n,
            @ForAll @DoubleRange(min = -1, max = 2) double margin) {
        Random r = new Random(seed);
        double[] x1 = normal(r, n);
        double[] x2 = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean() ? 1 : -1;
            x2[i] = x1[i] - y[i] * (margin + r.nextDouble()); // y·(x1 − x2) ≥ margin
        }
        Loss l = loss("margin_ranking", "margin", margin);
        LossResult res = l.compute(Data.marginRanking(x1, x2, y, n));
        assertThat(res.value()).isZero();
        assertAllZero(res.grad("input1").f64());

        Inputs in = Data.random("margin_ranking", r, n, 1);
        double[] neg = in.get("target").f64().clone();
        for (int i = 0; i < neg.length; i++) {
            neg[i] = -neg[i];
        }
        Inputs swapped = Data.marginRanking(in.get("input2").f64(), in.get("input1").f64(), neg, n, 1);
        assertThat(l.value(swapped).value()).isEqualTo(l.value(in).value());
    }

    /** Each term lies in [−1, 1] at any scale; a target that is a positive multiple of the input gives −1 and no gradient. */
    @Property(tries = 100)
    void cosineSimilarityBounded(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll @IntRange(min = 1, max = 6) int d, @ForAll @IntRange(min = -200, max = 200) int exponent) {
        Random r = new Random(seed);
        double[] x = normal(r, n * d);
        double[] y = normal(r, n * d);
        double s = Math.pow(10, exponent);
        for (int i = 0; i < x.length; i++) {
            x[i] *= s;
        }
        Loss l = loss("cosine_similarity", "reduction", "none");
        for (double t : l.value(Data.cosine(x, y, n, d)).terms().f64()) {
            assertThat(t).isBetween(-1 - 1e-15, 1 + 1e-15);
        }
        if (Math.abs(exponent) > 100) {
            return; // the alignment check below is for rows of ordinary scale
        }
        double[] aligned = x.clone();
        for (int i = 0; i < aligned.length; i++) {
            aligned[i] *= 3.5;
        }
        LossResult res = l.compute(Data.cosine(x, aligned, n, d));
        for (int i = 0; i < n; i++) {
            if (Data.norm(Data.row(x, i, d)) > 1e-10) {
                assertThat(res.terms().f64()[i]).isCloseTo(-1.0, Offset.offset(1e-14));
                for (int k = 0; k < d; k++) {
                    double g = res.grad("input").f64()[i * d + k];
                    // the gradient scales like 1/‖x‖: compare its size with that
                    assertThat(Math.abs(g) * Data.norm(Data.row(x, i, d))).isLessThan(1e-14);
                }
            }
        }
    }

    /** Scaling one embedding by c > 0 leaves the loss unchanged and divides that row's gradient by c. */
    @Property(tries = 60)
    void ntXentInvariantToScalingAnEmbedding(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll @IntRange(min = 1, max = 5) int d, @ForAll @IntRange(min = -30, max = 30) int tenthsOfDecade,
            @ForAll boolean inZ2, @ForAll @DoubleRange(min = 0.05, max = 2) double tau) {
        double c = Math.pow(10, tenthsOfDecade / 10.0); // 1e-3 … 1e3
        Random r = new Random(seed);
        double[] z1 = normal(r, n * d);
        double[] z2 = normal(r, n * d);
        int row = r.nextInt(n);
        double[] scaled = (inZ2 ? z2 : z1).clone();
        for (int k = 0; k < d; k++) {
            scaled[row * d + k] *= c;
        }
        Loss l = loss("nt_xent", "temperature", tau, "reduction", "none");
        LossResult base = l.compute(Data.ntXent(z1, z2, n, d));
        LossResult res = l.compute(inZ2 ? Data.ntXent(z1, scaled, n, d) : Data.ntXent(scaled, z2, n, d));
        double[] t0 = base.terms().f64();
        double[] t1 = res.terms().f64();
        for (int i = 0; i < t0.length; i++) {
            assertThat(t1[i]).isCloseTo(t0[i], rel(t0[i], 1e-10));
        }
        String name = inZ2 ? "z2" : "z1";
        double[] g0 = base.grad(name).f64();
        double[] g1 = res.grad(name).f64();
        for (int i = 0; i < g0.length; i++) {
            double expected = i / d == row ? g0[i] / c : g0[i];
            assertThat(g1[i]).isCloseTo(expected, Offset.offset(1e-9 * (1 + Math.abs(expected))));
        }
    }

    /** The two views play symmetric roles: exchanging z1 and z2 exchanges the halves of the terms. */
    @Property(tries = 40)
    void ntXentViewsAreSymmetric(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n) {
        int d = 3;
        Random r = new Random(seed);
        double[] z1 = normal(r, n * d);
        double[] z2 = normal(r, n * d);
        Loss l = loss("nt_xent", "reduction", "none");
        double[] a = l.value(Data.ntXent(z1, z2, n, d)).terms().f64();
        double[] b = l.value(Data.ntXent(z2, z1, n, d)).terms().f64();
        for (int i = 0; i < 2 * n; i++) {
            double e = a[(i + n) % (2 * n)];
            assertThat(b[i]).isCloseTo(e, rel(e, 1e-12));
        }
    }

    /** Float32 inputs give the float64 result on the same (float32-representable) numbers within 1e-5 relative. */
    @Property(tries = 80)
    void float32MatchesFloat64(@ForAll("losses") String name, @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 6) int d, @ForAll boolean sum) {
        Random r = new Random(seed);
        Inputs in64 = Data.roundedToFloat32(Data.random(name, r, n, d));
        Inputs in32 = Data.toFloat32(in64);
        String[] opts = name.equals("triplet")
                ? new String[] {"distance", new String[] {"euclidean", "squared_euclidean", "cosine"}[r.nextInt(3)]}
                : new String[0];
        Loss l = opts.length == 0 ? loss(name, "reduction", sum ? "sum" : "none")
                : loss(name, "reduction", sum ? "sum" : "none", opts[0], opts[1], "swap", r.nextBoolean());
        LossResult a = l.compute(in64);
        LossResult b = l.compute(in32);
        assertThat(b.value()).isCloseTo(a.value(), rel(a.value(), 1e-5));
        if (!sum) {
            assertThat(b.terms().dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
            double[] ta = a.terms().f64();
            float[] tb = b.terms().f32();
            for (int i = 0; i < ta.length; i++) {
                assertThat((double) tb[i]).isCloseTo(ta[i], rel(ta[i], 1e-5));
            }
        }
        assertThat(b.grads().keySet()).isEqualTo(a.grads().keySet());
        for (Map.Entry<String, Tensor> e : a.grads().entrySet()) {
            double[] ga = e.getValue().f64();
            float[] gb = b.grad(e.getKey()).f32();
            double scale = 0;
            for (double v : ga) {
                scale = Math.max(scale, Math.abs(v));
            }
            double inputScale = 0;
            for (Tensor t : in64.tensors().values()) {
                for (double v : t.f64()) {
                    inputScale = Math.max(inputScale, Math.abs(v));
                }
            }
            for (int i = 0; i < ga.length; i++) {
                // relative to the largest element, with a floor for float rounding residues where the float64
                // gradient cancels to ~0 (e.g. D = 1 rows, where two unit directions or two differences cancel):
                // float32 arithmetic leaves ~2^-24 of the cancelled terms, whose size is set by the inputs
                assertThat((double) gb[i]).isCloseTo(ga[i], Offset.offset(1e-5 * scale + 1e-6 * (1 + inputScale)));
            }
        }
    }

    /** Mixed precision (float32 anchor, float64 others) is computed in float64 and returns each gradient in its input's dtype. */
    @Property(tries = 20)
    void tripletMixedPrecision(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n) {
        int d = 4;
        Inputs in64 = Data.roundedToFloat32(Data.random("triplet", new Random(seed), n, d));
        Inputs mixed = in64.with("anchor", Tensor.of(Data.f32(in64.get("anchor").f64()), n, d));
        Loss l = loss("triplet", "swap", true);
        LossResult a = l.compute(in64);
        LossResult b = l.compute(mixed);
        assertThat(b.value()).isCloseTo(a.value(), rel(a.value(), 1e-12));
        assertThat(b.grad("anchor").dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
        assertThat(b.grad("positive").f64()).containsExactly(a.grad("positive").f64());
    }
}
