package org.losses4j.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.losses4j.ranking.Data.loss;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Kinks, extreme magnitudes, zero vectors, NaN propagation and refusals, each against a closed
 * form evaluated here (never against the library's own output).
 */
class RankingEdgeCaseTest {
    private static Offset<Double> rel(double expected) {
        return Offset.offset(1e-12 * Math.max(1e-300, Math.abs(expected)));
    }

    private static void assertClose(double[] got, double... expected) {
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(expected[i], Offset.offset(1e-12 * (1e-300 + Math.abs(expected[i]))));
        }
    }

    // ----- kinks and subgradients -----

    @Test
    void contrastiveIdenticalPairs() {
        // row 0 similar and identical: 0; row 1 dissimilar and identical: ½m², subgradient 0 at d = 0
        double[] x = {1, 2, -3, 4};
        LossResult r = loss("contrastive", "margin", 1.5, "reduction", "none")
                .compute(Data.contrastive(x, x.clone(), new double[] {1, 0}, 2, 2));
        assertClose(r.terms().f64(), 0, 0.5 * 1.5 * 1.5);
        assertClose(r.grad("x1").f64(), 0, 0, 0, 0);
        assertClose(r.grad("x2").f64(), 0, 0, 0, 0);
    }

    @Test
    void tripletZeroDistanceToThePositive() {
        // a = p: d(a,p) = 0 (subgradient 0); n = a + (3, 4): d(a,n) = 5; margin 6 → term 1
        double[] a = {1, 1};
        double[] n = {4, 5};
        LossResult r = loss("triplet", "margin", 6.0, "reduction", "sum").compute(Data.triplet(a, a.clone(), n, 1, 2));
        assertThat(r.value()).isCloseTo(1.0, rel(1));
        // ∂/∂a = 0 − (a − n)/5 = (0.6, 0.8); ∂/∂p = 0; ∂/∂n = (a − n)/5 = (−0.6, −0.8)
        assertClose(r.grad("anchor").f64(), 0.6, 0.8);
        assertClose(r.grad("positive").f64(), 0, 0);
        assertClose(r.grad("negative").f64(), -0.6, -0.8);

        // all three equal: every distance 0, the term is the margin, every gradient 0
        LossResult same = loss("triplet", "margin", 0.7, "swap", true).compute(Data.triplet(a, a.clone(), a.clone(), 1, 2));
        assertThat(same.value()).isCloseTo(0.7, rel(0.7));
        for (Tensor g : same.grads().values()) {
            assertClose(g.f64(), 0, 0);
        }
    }

    @Test
    void tripletSwapSendsTheGradientThroughThePositive() {
        double[] a = {0, 0};
        double[] p = {0, 2};
        double[] n = {0, 2.5}; // d(a,n) = 2.5, d(p,n) = 0.5 < 2.5: the swap is taken
        LossResult r = loss("triplet", "swap", true, "reduction", "sum").compute(Data.triplet(a, p, n, 1, 2));
        // z = d(a,p) − d(p,n) + 1 = 2 − 0.5 + 1 = 2.5
        assertThat(r.value()).isCloseTo(2.5, rel(2.5));
        // ∂/∂a = (a − p)/2 = (0, −1); ∂/∂p = −(a − p)/2 − (p − n)/0.5 = (0, 1) − (0, −1) = (0, 2);
        // ∂/∂n = (p − n)/0.5 = (0, −1)
        assertClose(r.grad("anchor").f64(), 0, -1);
        assertClose(r.grad("positive").f64(), 0, 2);
        assertClose(r.grad("negative").f64(), 0, -1);
    }

    @Test
    void hingeKinksHaveSubgradientZero() {
        // margin_ranking at −y(x1 − x2) + m = 0 exactly
        LossResult r = loss("margin_ranking", "margin", 1.0, "reduction", "sum")
                .compute(Data.marginRanking(new double[] {1}, new double[] {0}, new double[] {1}, 1));
        assertThat(r.value()).isZero();
        assertClose(r.grad("input1").f64(), 0);
        // triplet at z = 0: d(a,p) = 1, d(a,n) = 2, margin 1
        LossResult t = loss("triplet").compute(Data.triplet(new double[] {0, 0}, new double[] {1, 0},
                new double[] {0, 2}, 1, 2));
        assertThat(t.value()).isZero();
        assertClose(t.grad("anchor").f64(), 0, 0);
    }

    // ----- extreme magnitudes -----

    @Test
    void tripletEuclideanHugeAndTinyValues() {
        for (double s : new double[] {1e200, 1e-200, 1e150, 1e-160}) {
            // a = s(3, 0), p = s(0, 4), n = s(3, 1): d(a,p) = 5s, d(a,n) = s, margin 0
            double[] a = {3 * s, 0};
            double[] p = {0, 4 * s};
            double[] n = {3 * s, s};
            LossResult r = loss("triplet", "margin", 0.0, "reduction", "sum").compute(Data.triplet(a, p, n, 1, 2));
            assertThat(r.value()).as("scale %s", s).isCloseTo(4 * s, rel(4 * s));
            // ∂/∂a = (a − p)/5s − (a − n)/s = (0.6, −0.8) − (0, −1) = (0.6, 0.2)
            assertClose(r.grad("anchor").f64(), 0.6, 0.2);
            assertClose(r.grad("positive").f64(), -0.6, 0.8);
            assertClose(r.grad("negative").f64(), 0, -1);
        }
    }

    @Test
    void tripletFloat32HugeValues() {
        float s = 1e30f;
        Inputs in = Inputs.of("anchor", Tensor.of(new float[] {3 * s, 0}, 1, 2))
                .with("positive", Tensor.of(new float[] {0, 4 * s}, 1, 2))
                .with("negative", Tensor.of(new float[] {3 * s, s}, 1, 2));
        LossResult r = loss("triplet", "margin", 0.0).compute(in);
        double expected = 4.0 * (double) s; // d(a,p) − d(a,n) with the float32 values of 3s, 4s, s
        assertThat(r.value()).isCloseTo(expected, Offset.offset(1e-6 * expected));
        float[] ga = r.grad("anchor").f32();
        assertThat((double) ga[0]).isCloseTo(0.6, Offset.offset(1e-6));
        assertThat((double) ga[1]).isCloseTo(0.2, Offset.offset(1e-6));
    }

    private static Inputs triplet32(float[] a, float[] p, float[] n) {
        return Inputs.of("anchor", Tensor.of(a, 1, a.length)).with("positive", Tensor.of(p, 1, p.length))
                .with("negative", Tensor.of(n, 1, n.length));
    }

    private static void assertClose32(float[] got, double tol, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) got[i]).as("element %d", i).isCloseTo(expected[i], Offset.offset(tol));
        }
    }

    @Test
    void tripletFloat32SubnormalAndNearMaximumDifferences() {
        // d(a, p) = Float.MIN_VALUE (1/d overflows float32), d(a, n) = 1, margin 2: active;
        // ∂a = (a − p)/d(a,p) − (a − n)/d(a,n) = (−1, 0) − (0, −1) = (−1, 1), ∂p = (1, 0), ∂n = (0, −1)
        LossResult r = loss("triplet", "margin", 2.0)
                .compute(triplet32(new float[] {0, 0}, new float[] {Float.MIN_VALUE, 0}, new float[] {0, 1}));
        assertClose32(r.grad("anchor").f32(), 1e-7, -1, 1);
        assertClose32(r.grad("positive").f32(), 1e-7, 1, 0);
        assertClose32(r.grad("negative").f32(), 1e-7, 0, -1);

        // a − p = 6e38 overflows float32 (but not float64): d(a,p) = 6e38, d(a,n) = √(9e76 + 1) ≈ 3e38;
        // value 3e38; ∂p = −(a − p)/d(a,p) = (−1, 0), ∂n = (a − n)/d(a,n) ≈ (1, −3.3e-39), ∂a = their negated sum
        float m = 3e38f;
        LossResult h = loss("triplet", "reduction", "sum").compute(triplet32(new float[] {m, 0}, new float[] {-m, 0},
                new float[] {0, 1}));
        assertThat(h.value()).isCloseTo((double) m, Offset.offset(1e-6 * m));
        assertClose32(h.grad("positive").f32(), 1e-7, -1, 0);
        assertClose32(h.grad("negative").f32(), 1e-7, 1, 0);
        assertClose32(h.grad("anchor").f32(), 1e-7, 0, 0);
    }

    @Test
    void cosineSimilarityHugeValues() {
        // x = s(1, 2, 2) with ‖x‖ = 3s; y = (2, −1, 2), ‖y‖ = 3; cos = 4/9
        for (double s : new double[] {1e200, 1e150, 1, 1e-5}) {
            double[] x = {s, 2 * s, 2 * s};
            double[] y = {2, -1, 2};
            LossResult r = loss("cosine_similarity", "reduction", "sum").compute(Data.cosine(x, y, 1, 3));
            assertThat(r.value()).isCloseTo(-4.0 / 9, rel(4.0 / 9));
            // ∂/∂x = −(1/‖x‖)(y/‖y‖ − cos·x/‖x‖)
            double[] ux = {1.0 / 3, 2.0 / 3, 2.0 / 3};
            double[] uy = {2.0 / 3, -1.0 / 3, 2.0 / 3};
            double[] g = new double[3];
            for (int k = 0; k < 3; k++) {
                g[k] = -(uy[k] - 4.0 / 9 * ux[k]) / (3 * s);
            }
            assertClose(r.grad("input").f64(), g);
        }
    }

    @Test
    void cosineSimilarityZeroAndClampedVectors() {
        double[] y = {2, -1, 2}; // ‖y‖ = 3
        // x = 0: value 0; the clamped formula x·y/(1e-12·‖y‖) has gradient y/(1e-12·3), negated
        LossResult r = loss("cosine_similarity", "reduction", "sum").compute(Data.cosine(new double[3], y, 1, 3));
        assertThat(r.value()).isZero();
        assertClose(r.grad("input").f64(), -2 / 3e-12, 1 / 3e-12, -2 / 3e-12);
        // target 0: value 0, gradient 0
        LossResult z = loss("cosine_similarity").compute(Data.cosine(y.clone(), new double[3], 1, 3));
        assertThat(z.value()).isZero();
        assertClose(z.grad("input").f64(), 0, 0, 0);
        // ‖x‖ = 3e-200 (clamped): value −x·y/(1e-12·3) = −4e-200/3e-12
        double[] tiny = {1e-200, 2e-200, 2e-200};
        LossResult t = loss("cosine_similarity").compute(Data.cosine(tiny, y, 1, 3));
        assertThat(t.value()).isCloseTo(-4e-200 / 3e-12, rel(4e-200 / 3e-12));
    }

    @Test
    void ntXentTinyTemperatureIsStable() {
        // u0 = (1, 0), u1 = (0, 1) in z1; their positives u2 = (−1, 0), u3 = (0, −1) in z2.
        // Each anchor: s = −1 with its positive, 0 with the two others:
        // term = 1/τ + log(2 + exp(−1/τ)), the same for all four.
        double[] z1 = {1, 0, 0, 1};
        double[] z2 = {-1, 0, 0, -1};
        for (double tau : new double[] {1e-3, 1e-6, 0.5}) {
            LossResult r = loss("nt_xent", "temperature", tau, "reduction", "none").compute(Data.ntXent(z1, z2, 2, 2));
            double expected = 1 / tau + Math.log(2 + Math.exp(-1 / tau));
            assertClose(r.terms().f64(), expected, expected, expected, expected);
            for (Tensor g : r.grads().values()) {
                for (double v : g.f64()) {
                    assertThat(v).isFinite();
                }
            }
        }
    }

    @Test
    void ntXentHugeAndZeroEmbeddings() {
        Random rnd = new Random(3);
        double[] z1 = Data.normal(rnd, 6);
        double[] z2 = Data.normal(rnd, 6);
        double[] big = z1.clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1e250;
        }
        double v = loss("nt_xent").value(Data.ntXent(z1, z2, 3, 2)).value();
        double vBig = loss("nt_xent").value(Data.ntXent(big, z2, 3, 2)).value();
        assertThat(vBig).isCloseTo(v, rel(v));
        // a zero embedding has cosine 0 with everything: N = 2, z1_0 = 0, the rest orthonormal
        double[] b = {1, 0, 0, 0, 1, 0};
        LossResult r = loss("nt_xent", "temperature", 1.0, "reduction", "none")
                .compute(Data.ntXent(new double[] {0, 0, 0, 1, 0, 0}, b, 2, 3));
        // z1 = [(0,0,0), (1,0,0)], z2 = [(1,0,0), (0,1,0)], τ = 1; s_ik for each anchor:
        // s01 = 0, s02 = 0, s03 = 0                         → term0 = log 3 − s02 = log 3
        // s10 = 0, s12 = 1, s13 = 0; positive 3            → term1 = log(1 + e + 1) − 0
        // s20 = 0, s21 = 1, s23 = 0; positive 0            → term2 = log(2 + e) − 0
        // s30 = 0, s31 = 0, s32 = 0; positive 1            → term3 = log 3
        double l3 = Math.log(3);
        double le = Math.log(2 + Math.E);
        assertClose(r.terms().f64(), l3, le, le, l3);
        for (double g : r.grad("z1").f64()) {
            assertThat(g).isFinite();
        }
    }

    // ----- NaN propagation -----

    @Test
    void nanPropagatesToItsTermsAndGradients() {
        double nan = Double.NaN;
        // contrastive: NaN in x1 row 0 (a dissimilar pair) and NaN target in row 2
        double[] x1 = {nan, 1, 2, 3, 4, 5};
        double[] x2 = {0, 0, 0, 0, 0, 0};
        LossResult c = loss("contrastive", "margin", 10.0, "reduction", "none")
                .compute(Data.contrastive(x1, x2, new double[] {0, 1, nan}, 3, 2));
        assertThat(c.terms().f64()[0]).isNaN();
        assertThat(c.terms().f64()[1]).isCloseTo(0.5 * 13, rel(6.5)); // similar, x1 − x2 = (2, 3)
        assertThat(c.terms().f64()[2]).isNaN();
        assertThat(c.grad("x1").f64()[1]).isNaN();
        assertClose(new double[] {c.grad("x1").f64()[2], c.grad("x1").f64()[3]}, 2, 3);

        // triplet, every distance: NaN in the negative of row 1
        for (String kind : new String[] {"euclidean", "squared_euclidean", "cosine"}) {
            for (boolean swap : new boolean[] {false, true}) {
                double[] a = {1, 2, 3, 4};
                double[] p = {1.5, 2, 3, 4.5};
                double[] n = {-1, 0, nan, 4};
                LossResult t = loss("triplet", "distance", kind, "swap", swap, "reduction", "none")
                        .compute(Data.triplet(a, p, n, 2, 2));
                assertThat(t.terms().f64()[0]).isFinite();
                assertThat(t.terms().f64()[1]).isNaN();
                assertThat(t.grad("anchor").f64()[2]).isNaN();
                assertThat(t.grad("anchor").f64()[0]).isFinite();
            }
        }

        // margin_ranking: element-wise
        LossResult m = loss("margin_ranking", "reduction", "none").compute(Data.marginRanking(
                new double[] {nan, 1, 2}, new double[] {0, 3, 0}, new double[] {1, 1, nan}, 3));
        assertThat(m.terms().f64()[0]).isNaN();
        assertThat(m.terms().f64()[1]).isEqualTo(2.0);
        assertThat(m.terms().f64()[2]).isNaN();
        assertThat(m.grad("input1").f64()[1]).isEqualTo(-1.0);

        // cosine_similarity: per row
        LossResult cs = loss("cosine_similarity", "reduction", "none")
                .compute(Data.cosine(new double[] {nan, 1, 1, 0}, new double[] {1, 1, 1, 1}, 2, 2));
        assertThat(cs.terms().f64()[0]).isNaN();
        assertThat(cs.terms().f64()[1]).isCloseTo(-Math.sqrt(0.5), rel(Math.sqrt(0.5)));
        assertThat(cs.grad("input").f64()[1]).isNaN();

        // nt_xent: a NaN embedding enters every anchor's denominator
        LossResult nx = loss("nt_xent", "reduction", "none")
                .compute(Data.ntXent(new double[] {nan, 1, 0, 1}, new double[] {1, 1, 1, 0}, 2, 2));
        for (double t : nx.terms().f64()) {
            assertThat(t).isNaN();
        }
        assertThat(loss("nt_xent").value(Data.ntXent(new double[] {nan, 1, 0, 1}, new double[] {1, 1, 1, 0}, 2, 2))
                .value()).isNaN();
    }

    // ----- refusals -----

    private static void refused(String loss, Map<String, ?> opts, Inputs in, ErrorKind kind, String... fragments) {
        assertThatThrownBy(() -> Losses.create(loss, opts).compute(in))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .message().contains(List.of(fragments));
    }

    private static void refusedOption(String loss, Map<String, ?> opts, String... fragments) {
        assertThatThrownBy(() -> Losses.create(loss, opts))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_OPTION))
                .message().contains(List.of(fragments));
    }

    @Test
    void refusesMismatchedShapes() {
        double[] m6 = new double[6];
        refused("contrastive", Map.of(), Inputs.of("x1", Tensor.of(m6, 3, 2)).with("x2", Tensor.of(m6, 2, 3))
                .with("target", Tensor.vector(new double[3])), ErrorKind.SHAPE_MISMATCH, "x2 shape [2, 3]",
                "x1 shape [3, 2]");
        refused("contrastive", Map.of(), Data.contrastive(m6, m6, new double[4], 3, 2), ErrorKind.SHAPE_MISMATCH,
                "target shape [4]", "must be 3");
        refused("contrastive", Map.of(), Inputs.of("x1", Tensor.vector(m6)).with("x2", Tensor.vector(m6))
                .with("target", Tensor.vector(new double[6])), ErrorKind.SHAPE_MISMATCH, "x1 must be an [N, D] matrix",
                "[6]");
        refused("triplet", Map.of(), Inputs.of("anchor", Tensor.of(m6, 3, 2)).with("positive", Tensor.of(m6, 3, 2))
                .with("negative", Tensor.of(new double[8], 4, 2)), ErrorKind.SHAPE_MISMATCH, "negative shape [4, 2]");
        refused("margin_ranking", Map.of(), Data.marginRanking(m6, m6, new double[] {1, 1, 1, 1, 1, 1}, 2, 3)
                .with("input2", Tensor.vector(m6)), ErrorKind.SHAPE_MISMATCH, "input2 shape [6]");
        refused("cosine_similarity", Map.of(), Inputs.of(Tensor.of(m6, 3, 2), Tensor.of(m6, 2, 3)),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 3]");
        refused("nt_xent", Map.of(), Inputs.of("z1", Tensor.of(m6, 3, 2)).with("z2", Tensor.of(new double[8], 4, 2)),
                ErrorKind.SHAPE_MISMATCH, "z2 shape [4, 2]");
    }

    @Test
    void refusesTargetsOutsideTheirLabelSets() {
        double[] m6 = new double[6];
        refused("contrastive", Map.of(), Data.contrastive(m6, m6, new double[] {1, 0.5, 0}, 3, 2),
                ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.5", "{0, 1}");
        refused("contrastive", Map.of(), Data.contrastive(m6, m6, new double[] {1, 0, -1}, 3, 2),
                ErrorKind.OUT_OF_DOMAIN, "target[2] = -1.0", "{0, 1}");
        refused("margin_ranking", Map.of(), Data.marginRanking(new double[3], new double[3], new double[] {1, 0, -1}, 3),
                ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.0", "{-1, 1}");
        refused("margin_ranking", Map.of(), Data.marginRanking(new double[3], new double[3], new double[] {2, 1, -1}, 3),
                ErrorKind.OUT_OF_DOMAIN, "target[0] = 2.0", "{-1, 1}");
    }

    @Test
    void refusesBadOptions() {
        refusedOption("nt_xent", Map.of("temperature", 0.0), "temperature", ">= 1e-8");
        refusedOption("nt_xent", Map.of("temperature", -0.5), "temperature", ">= 1e-8");
        refusedOption("contrastive", Map.of("similar_label", 2), "similar_label", "[0, 1]");
        refusedOption("contrastive", Map.of("similar_label", 0.5), "similar_label", "integer");
        refusedOption("contrastive", Map.of("margin", -1.0), "margin", "in [0, 1e15]");
        refusedOption("triplet", Map.of("distance", "manhattan"), "distance", "euclidean, squared_euclidean, cosine");
        refusedOption("triplet", Map.of("margin", -0.1), "margin", "in [0, 1e15]");
        refusedOption("cosine_similarity", Map.of("reduction", "avg"), "reduction", "mean, sum, none");
        assertThatThrownBy(() -> Losses.create("cosine_similarity", Map.of("eps", 1e-8)))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_OPTION));
    }

    @Test
    void refusesTheMeanOfNoTermsButSumsThemToZero() {
        Inputs empty = Data.triplet(new double[0], new double[0], new double[0], 0, 3);
        refused("triplet", Map.of(), empty, ErrorKind.EMPTY_INPUT, "anchor [0, 3]");
        refused("triplet", Map.of(), Data.toFloat32(empty), ErrorKind.EMPTY_INPUT, "anchor [0, 3]");
        refused("nt_xent", Map.of(), Data.ntXent(new double[0], new double[0], 0, 2), ErrorKind.EMPTY_INPUT, "z1");
        refused("margin_ranking", Map.of(), Data.marginRanking(new double[0], new double[0], new double[0], 0),
                ErrorKind.EMPTY_INPUT, "input1");
        assertThat(loss("triplet", "reduction", "sum").compute(empty).value()).isZero();
        assertThat(loss("contrastive", "reduction", "sum")
                .compute(Data.contrastive(new double[0], new double[0], new double[0], 0, 2)).value()).isZero();
    }

    @Test
    void refusesIntegerEmbeddings() {
        Inputs in = Inputs.of("anchor", Tensor.ofLabels(new long[4], 2, 2))
                .with("positive", Tensor.of(new double[4], 2, 2)).with("negative", Tensor.of(new double[4], 2, 2));
        refused("triplet", Map.of(), in, ErrorKind.INVALID_DTYPE, "anchor");
    }

    /** The conformance harness checks only the error kind; here each refusal must also name its reason. */
    @Test
    @SuppressWarnings("unchecked")
    void conformanceErrorCasesAreRefusedForTheRightReason() throws java.io.IOException {
        Map<String, String> reasons = Map.ofEntries(
            Map.entry("contrastive-021", "x2 shape [7, 6] != x1 shape [7, 5]"),
            Map.entry("contrastive-022", "target shape [8]"),
            Map.entry("contrastive-023", "target[0] = 0.5 is not one of {0, 1}"),
            Map.entry("contrastive-024", "target[0] = -1.0 is not one of {0, 1}"),
            Map.entry("contrastive-025", "option similar_label = 2"),
            Map.entry("contrastive-026", "option reduction = 'avg'"),
            Map.entry("triplet-032", "negative shape [8, 6] != anchor shape [8, 5]"),
            Map.entry("triplet-033", "positive shape [9, 5] != anchor shape [8, 5]"),
            Map.entry("triplet-034", "option distance = 'manhattan'"),
            Map.entry("triplet-035", "option reduction = 'avg'"),
            Map.entry("margin_ranking-021", "target[0] = 0.0 is not one of {-1, 1}"),
            Map.entry("margin_ranking-022", "target[0] = 2.0 is not one of {-1, 1}"),
            Map.entry("margin_ranking-023", "input2 shape [8] != input1 shape [7]"),
            Map.entry("margin_ranking-024", "target shape [9] != input1 shape [7]"),
            Map.entry("margin_ranking-025", "option reduction = 'avg'"),
            Map.entry("cosine_similarity-024", "target shape [7, 5] != input shape [7, 4]"),
            Map.entry("cosine_similarity-025", "target shape [8, 4] != input shape [7, 4]"),
            Map.entry("cosine_similarity-026", "option reduction = 'avg'"),
            Map.entry("nt_xent-020", "z2 shape [7, 6] != z1 shape [7, 5]"),
            Map.entry("nt_xent-021", "z2 shape [8, 5] != z1 shape [7, 5]"),
            Map.entry("nt_xent-022", "option temperature = 0.0 must be >= 1e-8"),
            Map.entry("nt_xent-023", "option temperature = -0.5 must be >= 1e-8"),
            Map.entry("nt_xent-024", "option reduction = 'avg'"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int seen = 0;
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                getClass().getResourceAsStream("/conformance/ranking.jsonl"), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Map<String, Object> c = json.readValue(line, Map.class);
                if (!((Map<String, Object>) c.get("expect")).containsKey("error")) {
                    continue;
                }
                Map<String, Object> ans = org.losses4j.conformance.Conformance.answer(c);
                assertThat(ans).as("%s", c.get("id")).containsKey("error");
                String message = (String) ((Map<String, Object>) ans.get("error")).get("message");
                assertThat(message).as("%s (%s)", c.get("id"), c.get("note")).contains(reasons.get(c.get("id")));
                seen++;
            }
        }
        assertThat(seen).isEqualTo(reasons.size());
    }

    @Test
    void float32ResultsKeepTheirDtype() {
        Inputs in = Data.toFloat32(Data.random("triplet", new Random(5), 3, 4));
        LossResult r = loss("triplet", "reduction", "none").compute(in);
        assertThat(r.terms().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(r.grad("anchor").dtype()).isEqualTo(DType.FLOAT32);
        LossResult v = loss("triplet").value(in);
        assertThat(v.grads()).isEmpty();
    }
}
