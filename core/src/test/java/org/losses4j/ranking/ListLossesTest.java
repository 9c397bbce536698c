package org.losses4j.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.TestSupport;
import org.losses4j.Tensor;

/**
 * The learning-to-rank list losses (pairwise_logistic, pairwise_hinge, lambda_rank, listnet,
 * listmle, approx_ndcg) and bpr beyond their conformance cases (conformance/generate/ranking.py):
 * finite-difference gradients over every option and reduction, lambda_rank's λ and Hessian where
 * they are derivatives (its weights constant) and against PyTorch's Hessian (ranking.py --hessian),
 * properties (permutation within a list, padding, ≥ 0, sum = Q·mean, a fully masked list left out
 * of the mean), ±1e4 scores, NaN, refusals with their messages.
 */
class ListLossesTest {
    static final List<String> LISTS = List.of("pairwise_logistic", "pairwise_hinge", "lambda_rank", "listnet",
            "listmle", "approx_ndcg");

    /** Every option setting worth a gradient check, per loss (reduction added by the tests). */
    static final Map<String, List<Map<String, Object>>> OPTIONS = Map.of(
            "pairwise_logistic", List.of(Map.of(), Map.of("mean_over_pairs", false)),
            "pairwise_hinge", List.of(Map.of(), Map.of("mean_over_pairs", false), Map.of("margin", 0.3),
                    Map.of("margin", -0.5, "mean_over_pairs", false)),
            // λ is the value's derivative only where the weights do not move with the scores
            "lambda_rank", List.of(Map.of("score_normalization", false, "normalization", false),
                    Map.of("score_normalization", false, "normalization", false, "truncation", 2L),
                    Map.of("score_normalization", false, "normalization", false, "exp_gain", false)),
            "listnet", List.of(Map.of(), Map.of("normalize_labels", true)),
            "listmle", List.of(Map.of()),
            "approx_ndcg", List.of(Map.of(), Map.of("temperature", 1.0), Map.of("temperature", 0.5)));

    static Loss loss(String name, Map<String, Object> opts, String reduction) {
        Map<String, Object> o = new LinkedHashMap<>(opts);
        o.put("reduction", reduction);
        return Losses.create(name, o);
    }

    /** q lists of l items: gaussian scores, relevance in {0 .. levels − 1} (continuous when levels = 0), ragged. */
    static Inputs lists(Random r, int q, int l, int levels, boolean ragged) {
        double[] s = new double[q * l];
        double[] y = new double[q * l];
        double[] m = new double[q * l];
        for (int i = 0; i < q; i++) {
            int present = ragged ? Math.max(1, l - r.nextInt(l)) : l;
            for (int j = 0; j < l; j++) {
                s[i * l + j] = r.nextGaussian();
                y[i * l + j] = levels == 0 ? 3 * r.nextDouble() : r.nextInt(levels);
                m[i * l + j] = j < present ? 1 : 0;
            }
        }
        return Inputs.of("scores", Tensor.of(s, q, l)).with("relevance", Tensor.of(y, q, l)).with("mask",
                Tensor.of(m, q, l));
    }

    // ---------------------------------------------------------------- derivatives

    @Test
    void gradientIsTheFiniteDifferenceForEveryOptionAndReduction() {
        Random r = new Random(11);
        for (String name : LISTS) {
            for (Map<String, Object> opts : OPTIONS.get(name)) {
                for (String red : List.of("mean", "sum", "none")) {
                    for (int rep = 0; rep < 3; rep++) {
                        Inputs in = lists(r, 3, 2 + rep * 3, 4, rep > 0);
                        GradCheck.gradients(loss(name, opts, red), in, 1e-6, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void bprGradientIsTheFiniteDifference() {
        Random r = new Random(12);
        for (String red : List.of("mean", "sum", "none")) {
            for (int k : new int[] {0, 1, 4}) {
                int n = 5;
                Tensor p = Tensor.of(gauss(r, n, 2), n);
                Tensor q = k == 0 ? Tensor.of(gauss(r, n, 2), n) : Tensor.of(gauss(r, n * k, 2), n, k);
                GradCheck.gradients(Losses.create("bpr", Map.of("reduction", red)),
                        Inputs.of("positive_scores", p).with("negative_scores", q), 1e-6, 1e-7);
            }
        }
    }

    /**
     * With score_normalization and normalization off, w is constant between ties and XGBoost's
     * Hessian is twice the derivative of λ: checked against central differences of the gradient.
     */
    @Test
    void lambdaRankHessianIsTwiceTheDerivativeOfLambdaWhereTheWeightsAreConstant() {
        Random r = new Random(13);
        LambdaRank l = LambdaRank.builder().scoreNormalization(false).normalization(false)
                .reduction(org.losses4j.Reduction.SUM).build();
        for (int rep = 0; rep < 5; rep++) {
            Inputs in = lists(r, 2, 7, 4, rep % 2 == 1);
            double[] s = in.get("scores").f64();
            double[] h = l.computeWithHessian(in).hessian().f64();
            double[] mask = in.get("mask").f64();
            for (int i = 0; i < s.length; i++) {
                double old = s[i];
                s[i] = old + 1e-6;
                double gp = l.compute(in).grad("scores").f64()[i];
                s[i] = old - 1e-6;
                double gm = l.compute(in).grad("scores").f64()[i];
                s[i] = old;
                double fd = (gp - gm) / 2e-6;
                assertThat(h[i]).as("h[%d]", i).isCloseTo(2 * fd, within(1e-6 * (1 + Math.abs(fd))));
                if (mask[i] == 0) {
                    assertThat(h[i]).isEqualTo(0.0);
                }
            }
        }
    }

    /** conformance/generate/ranking.py --hessian: 2 × PyTorch's Hessian diagonal of the value with w, ν constant. */
    @Test
    void lambdaRankHessianMatchesPyTorch() {
        double[][] s = {{0.3, -1.2, 0.8, 0.1, 2.0}, {0.5, 0.4, -0.3, 1.1, -2.0, 0.0}, {1.0, -1.0, 0.5, 0.25},
            {0.2, 0.1, -0.4, 0.3}};
        double[][] y = {{1.0, 0.0, 3.0, 2.0, 0.0}, {2.0, 2.0, 0.0, 1.0, 3.0, 0.0}, {1.0, 2.0, 0.0, 4.0},
            {0.0, 1.0, 1.0, 2.0}};
        List<Map<String, Object>> opts = List.of(Map.of(), Map.of("truncation", 2L),
                Map.of("score_normalization", false, "normalization", false), Map.of("exp_gain", false));
        double[][] want = {
            {0.12674989690854566, 0.025870195875591653, 0.23842834200108054, 0.11724093224693008, 0.1145007366865384},
            {0.17704811929992942, 0.07108753824238559, 0.059729208821051025, 0.18335937959043186,
                0.018649902011628985, 0.08489567940245264},
            {0.19911107151306012, 0.04060929045973245, 0.07586226118572247, 0.24753496196841102},
            {0.8184709594308983, 0.35460583375565335, 0.10119750944530381, 0.9766070196785968},
        };
        for (int c = 0; c < s.length; c++) {
            LambdaRank l = (LambdaRank) loss("lambda_rank", opts.get(c), "sum");
            int n = s[c].length;
            LossResult res = l.computeWithHessian(Inputs.of("scores", Tensor.of(s[c], 1, n))
                    .with("relevance", Tensor.of(y[c], 1, n)));
            double[] h = res.hessian().f64();
            for (int i = 0; i < n; i++) {
                assertThat(h[i]).as("case %d h[%d]", c, i).isCloseTo(want[c][i], within(1e-12 * (1 + want[c][i])));
            }
        }
        assertThat(Losses.info("lambda_rank").exactGradient()).isFalse();
        assertThat(Losses.info("lambda_rank").heldConstant()).contains("|ΔNDCG|");
        for (String n : List.of("pairwise_logistic", "listnet", "listmle", "approx_ndcg", "bpr")) {
            assertThat(Losses.info(n).exactGradient()).as(n).isTrue();
        }
    }

    // ---------------------------------------------------------------- properties

    @Provide
    Arbitrary<String> listLosses() {
        return Arbitraries.of(LISTS);
    }

    /** Defaults (lambda_rank's too: its weights move with the scores, its value and λ are still defined). */
    private static Loss defaults(String name, String red) {
        return loss(name, Map.of(), red);
    }

    /** sum = Q·mean when every list has an item; none's terms sum to sum; gradients scale alike. */
    @Property(tries = 60)
    void sumIsListsTimesMean(@ForAll("listLosses") String name, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5) int q, @ForAll @IntRange(min = 1, max = 8) int l) {
        Inputs in = lists(new Random(seed), q, l, 4, true);
        LossResult mean = defaults(name, "mean").compute(in);
        LossResult sum = defaults(name, "sum").compute(in);
        LossResult none = defaults(name, "none").compute(in);
        GradCheck.sumIsNTimesMean(sum.value(), mean.value(), q);
        assertThat(none.terms().shape()).containsExactly(q);
        double t = 0;
        for (double v : none.terms().f64()) {
            t += v;
        }
        TestSupport.assertClose(t, sum.value(), 1e-12);
        double[] gs = sum.grad("scores").f64();
        double[] gm = mean.grad("scores").f64();
        for (int i = 0; i < gs.length; i++) {
            TestSupport.assertClose(gm[i] * q, gs[i], 1e-12);
        }
    }

    /** Reordering the items of a list (relevance continuous: no ties) changes no term; gradients follow the items. */
    @Property(tries = 60)
    void permutationWithinAListChangesNothing(@ForAll("listLosses") String name, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 9) int l) {
        Random r = new Random(seed);
        Inputs in = lists(r, 2, l, 0, false);
        int[] perm = permutation(r, l);
        Inputs moved = Inputs.of("scores", permuted(in.get("scores"), perm))
                .with("relevance", permuted(in.get("relevance"), perm));
        Inputs plain = Inputs.of("scores", in.get("scores")).with("relevance", in.get("relevance"));
        LossResult a = defaults(name, "none").compute(plain);
        LossResult b = defaults(name, "none").compute(moved);
        for (int i = 0; i < 2; i++) {
            TestSupport.assertClose(b.terms().f64()[i], a.terms().f64()[i], 1e-12);
        }
        double[] ga = a.grad("scores").f64();
        double[] gb = b.grad("scores").f64();
        for (int row = 0; row < 2; row++) {
            for (int j = 0; j < l; j++) {
                TestSupport.assertClose(gb[row * l + j], ga[row * l + perm[j]], 1e-12);
            }
        }
    }

    /** Padding with junk, anywhere in a list, changes no term and no gradient, and gets gradient 0. */
    @Property(tries = 60)
    void paddingChangesNothing(@ForAll("listLosses") String name, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 7) int l) {
        Random r = new Random(seed);
        Inputs in = lists(r, 3, l, 4, false);
        int wide = 2 * l;
        double[] s = new double[3 * wide];
        double[] y = new double[3 * wide];
        double[] m = new double[3 * wide];
        int[] where = new int[3 * l];
        for (int q = 0; q < 3; q++) {
            int k = 0;
            for (int j = 0; j < wide; j++) {
                int at = q * wide + j;
                boolean real = k < l && (wide - j == l - k || r.nextBoolean());
                if (real) {
                    s[at] = in.get("scores").f64()[q * l + k];
                    y[at] = in.get("relevance").f64()[q * l + k];
                    m[at] = 1;
                    where[q * l + k++] = at;
                } else {
                    s[at] = r.nextBoolean() ? Double.NaN : 1e300;
                    y[at] = r.nextBoolean() ? -5 : Double.NaN;
                }
            }
        }
        Inputs padded = Inputs.of("scores", Tensor.of(s, 3, wide)).with("relevance", Tensor.of(y, 3, wide))
                .with("mask", Tensor.of(m, 3, wide));
        LossResult a = defaults(name, "none").compute(Inputs.of("scores", in.get("scores"))
                .with("relevance", in.get("relevance")));
        LossResult b = defaults(name, "none").compute(padded);
        for (int q = 0; q < 3; q++) {
            assertThat(b.terms().f64()[q]).isEqualTo(a.terms().f64()[q]);
        }
        double[] ga = a.grad("scores").f64();
        double[] gb = b.grad("scores").f64();
        double[] expect = new double[3 * wide];
        for (int i = 0; i < where.length; i++) {
            expect[where[i]] = ga[i];
        }
        assertThat(gb).containsExactly(expect);
    }

    /** Every term is ≥ 0, but approx_ndcg's (−NDCG), which lies in [−1, 0]. */
    @Property(tries = 60)
    void termsHaveTheirSign(@ForAll("listLosses") String name, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int l) {
        LossResult res = defaults(name, "none").compute(lists(new Random(seed), 4, l, 3, true));
        for (double t : res.terms().f64()) {
            if (name.equals("approx_ndcg")) {
                assertThat(t).isBetween(-1.0 - 1e-12, 0.0);
            } else {
                assertThat(t).isGreaterThanOrEqualTo(0.0);
            }
        }
    }

    /** A list with every item masked is no term of the mean (Optax); every list masked: 0 (Optax's _safe_reduce). */
    @Test
    void aFullyMaskedListIsLeftOutOfTheMean() {
        Random r = new Random(5);
        for (String name : LISTS) {
            Inputs in = lists(r, 3, 4, 4, false);
            double[] m = in.get("mask").f64();
            for (int j = 4; j < 8; j++) {
                m[j] = 0;
            }
            LossResult mean = defaults(name, "mean").compute(in);
            LossResult sum = defaults(name, "sum").compute(in);
            TestSupport.assertClose(mean.value() * 2, sum.value(), 1e-12);
            java.util.Arrays.fill(m, 0);
            LossResult none = defaults(name, "mean").compute(in);
            assertThat(none.value()).as(name).isEqualTo(0.0);
            assertThat(none.grad("scores").f64()).containsOnly(0.0);
            assertThat(defaults(name, "sum").compute(in).value()).as(name).isEqualTo(0.0);
        }
    }

    // ---------------------------------------------------------------- particular values and extremes

    @Test
    void knownValues() {
        Inputs one = Inputs.of("scores", Tensor.of(new double[] {0.7}, 1, 1)).with("relevance",
                Tensor.of(new double[] {2}, 1, 1));
        for (String name : LISTS) {
            double want = name.equals("approx_ndcg") ? -1 : 0;
            TestSupport.assertClose(defaults(name, "sum").compute(one).value(), want, 1e-15);
        }
        // two items: the pairwise logistic term is log(1 + e^{−(s_1 − s_0)}) for the relevant one at index 1
        Inputs two = Inputs.of("scores", Tensor.of(new double[] {0.5, 1.5}, 1, 2)).with("relevance",
                Tensor.of(new double[] {0, 1}, 1, 2));
        TestSupport.assertClose(defaults("pairwise_logistic", "sum").compute(two).value(), Math.log1p(Math.exp(-1)),
                1e-15);
        TestSupport.assertClose(defaults("pairwise_hinge", "sum").compute(two).value(), 0.0, 1e-15);
        TestSupport.assertClose(defaults("listnet", "sum").compute(two).value(), Math.log1p(Math.exp(-1)), 1e-15);
        TestSupport.assertClose(defaults("listmle", "sum").compute(two).value(), Math.log1p(Math.exp(-1)), 1e-15);
        // far apart in the ideal order with a small temperature: ApproxNDCG is the NDCG, 1
        Inputs ideal = Inputs.of("scores", Tensor.of(new double[] {30, 20, 10, 0}, 1, 4)).with("relevance",
                Tensor.of(new double[] {3, 2, 1, 0}, 1, 4));
        TestSupport.assertClose(defaults("approx_ndcg", "sum").compute(ideal).value(), -1.0, 1e-12);
        TestSupport.assertClose(defaults("pairwise_hinge", "sum").compute(ideal).value(), 0.0, 1e-15);
        // bpr at p = q: log 2
        TestSupport.assertClose(Losses.create("bpr").compute(Inputs.of("positive_scores", Tensor.vector(
                new double[] {0.3})).with("negative_scores", Tensor.vector(new double[] {0.3}))).value(), Math.log(2),
                1e-15);
    }

    @Test
    void hugeScoresGiveFiniteValuesAndGradients() {
        double[] s = {1e4, -1e4, 0, 1e4, -1e4, 3, -1e4, 1e4};
        double[] y = {0, 2, 1, 3, 1, 0, 2, 1};
        for (String name : LISTS) {
            for (String red : List.of("mean", "sum")) {
                LossResult res = defaults(name, red).compute(Inputs.of("scores", Tensor.of(s, 2, 4))
                        .with("relevance", Tensor.of(y, 2, 4)));
                assertThat(res.value()).as(name).isFinite();
                for (double g : res.grad("scores").f64()) {
                    assertThat(g).as(name).isFinite();
                }
            }
        }
        LossResult b = Losses.create("bpr", Map.of("reduction", "sum")).compute(Inputs.of("positive_scores",
                Tensor.vector(new double[] {1e4, -1e4})).with("negative_scores", Tensor.vector(new double[] {-1e4, 1e4})));
        assertThat(b.value()).isCloseTo(2e4, within(1e-9));
        assertThat(b.grad("positive_scores").f64()[0]).isCloseTo(0.0, within(1e-300));
        assertThat(b.grad("positive_scores").f64()[1]).isEqualTo(-1.0);
    }

    @Test
    void nanInAPresentItemGivesNaNForItsListOnly() {
        double[] s = {Double.NaN, 0.5, 1.0, 0.2, 0.3, 0.9};
        double[] y = {1, 0, 2, 1, 0, 2};
        for (String name : LISTS) {
            LossResult res = defaults(name, "none").compute(Inputs.of("scores", Tensor.of(s, 2, 3))
                    .with("relevance", Tensor.of(y, 2, 3)));
            assertThat(res.terms().f64()[0]).as(name).isNaN();
            assertThat(res.terms().f64()[1]).as(name).isFinite();
            double[] g = res.grad("scores").f64();
            assertThat(g[1]).as(name).isNaN();
            assertThat(g[4]).as(name).isFinite();
            double[] y2 = y.clone();
            y2[4] = Double.NaN;
            assertThat(defaults(name, "none").compute(Inputs.of("scores", Tensor.of(new double[] {0, 1, 2, 3, 4, 5}, 2,
                    3)).with("relevance", Tensor.of(y2, 2, 3))).terms().f64()[1]).isNaN();
        }
        LossResult b = Losses.create("bpr", Map.of("reduction", "none")).compute(Inputs.of("positive_scores",
                Tensor.vector(new double[] {Double.NaN, 1})).with("negative_scores", Tensor.vector(new double[] {0, 0})));
        assertThat(b.terms().f64()[0]).isNaN();
        assertThat(b.terms().f64()[1]).isFinite();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void refusalsNameTheArgumentAndTheValue() {
        Tensor s = Tensor.of(new double[] {0.1, 0.2, 0.3, 0.4}, 2, 2);
        for (String name : LISTS) {
            Loss l = defaults(name, "mean");
            TestSupport.assertRefused(() -> l.compute(Inputs.of("scores", s).with("relevance",
                    Tensor.of(new double[] {1, 0, -1, 2}, 2, 2))), ErrorKind.OUT_OF_DOMAIN,
                    "relevance[1, 0] = -1.0 must be finite and >= 0");
            TestSupport.assertRefused(() -> l.compute(Inputs.of("scores", s).with("relevance",
                    Tensor.of(new double[] {1, 0, Double.POSITIVE_INFINITY, 2}, 2, 2))), ErrorKind.OUT_OF_DOMAIN,
                    "relevance[1, 0] = Infinity");
            TestSupport.assertRefused(() -> l.compute(Inputs.of("scores", s).with("relevance",
                    Tensor.of(new double[] {1, 0, 0, 2}, 2, 2)).with("mask", Tensor.of(new double[] {1, 0.5, 1, 1}, 2,
                    2))), ErrorKind.OUT_OF_DOMAIN, "mask[0, 1]");
            TestSupport.assertRefused(() -> l.compute(Inputs.of("scores", s).with("relevance",
                    Tensor.of(new double[] {1, 0, 0}, 1, 3))), ErrorKind.SHAPE_MISMATCH, "relevance");
            TestSupport.assertRefused(() -> l.compute(Inputs.of("scores", Tensor.vector(new double[] {1, 2}))
                    .with("relevance", Tensor.vector(new double[] {1, 0}))), ErrorKind.SHAPE_MISMATCH,
                    "scores must be a [Q, L] matrix");
            TestSupport.assertRefused(() -> l.compute(Inputs.of("scores", Tensor.of(new double[0], 0, 3))
                    .with("relevance", Tensor.of(new double[0], 0, 3))), ErrorKind.EMPTY_INPUT, "scores");
            // a negative relevance in padding is never read
            assertThat(l.compute(Inputs.of("scores", s).with("relevance", Tensor.of(new double[] {1, 0, -1, 2}, 2, 2))
                    .with("mask", Tensor.of(new double[] {1, 1, 0, 1}, 2, 2))).value()).isFinite();
        }
        TestSupport.assertRefused(() -> Losses.create("lambda_rank", Map.of("truncation", 0)), ErrorKind.INVALID_OPTION,
                "truncation");
        TestSupport.assertRefused(() -> Losses.create("approx_ndcg", Map.of("temperature", 0.0)),
                ErrorKind.INVALID_OPTION, "temperature");
        Loss b = Losses.create("bpr");
        TestSupport.assertRefused(() -> b.compute(Inputs.of("positive_scores", Tensor.vector(new double[] {1, 2}))
                .with("negative_scores", Tensor.vector(new double[] {1, 2, 3}))), ErrorKind.SHAPE_MISMATCH,
                "negative_scores shape [3] must be [2] or [2, K]");
        TestSupport.assertRefused(() -> b.compute(Inputs.of("positive_scores", Tensor.of(new double[] {1, 2}, 2, 1))
                .with("negative_scores", Tensor.of(new double[] {1, 2}, 2, 1))), ErrorKind.SHAPE_MISMATCH,
                "positive_scores");
    }

    @Test
    void everyListLossIsRegisteredAtTheEndOfTheRankingFamily() {
        List<String> names = new ArrayList<>();
        for (LossInfo i : RankingLosses.all()) {
            names.add(i.name());
        }
        List<String> want = new ArrayList<>(LISTS);
        want.add("bpr");
        assertThat(names.subList(names.size() - want.size(), names.size())).containsExactlyElementsOf(want);
    }

    // ---------------------------------------------------------------- helpers

    private static double[] gauss(Random r, int n, double sd) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = sd * r.nextGaussian();
        }
        return a;
    }

    private static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Row-wise: column j of the result is column perm[j] of t. */
    private static Tensor permuted(Tensor t, int[] perm) {
        int q = t.dim(0);
        int l = t.dim(1);
        double[] a = t.f64();
        double[] b = new double[a.length];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < l; j++) {
                b[i * l + j] = a[i * l + perm[j]];
            }
        }
        return Tensor.of(b, q, l);
    }
}
