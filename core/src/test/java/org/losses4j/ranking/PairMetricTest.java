package org.losses4j.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.losses4j.ranking.Data.loss;
import static org.losses4j.ranking.Data.normal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * The label-based pair losses (supcon, infonce, multi_similarity, circle, lifted_structure):
 * finite differences over every option away from the mining and hinge thresholds (circle against
 * the derivative with its weights frozen, as it is defined), properties (divisors, ≥ 0, invariance
 * to the scale of the rows, to a permutation of the batch and to a relabelling; infonce and supcon
 * equal nt_xent on two views), extremes and refusals.
 */
class PairMetricTest {
    static final String[] LOSSES = {"supcon", "infonce", "multi_similarity", "circle", "lifted_structure"};
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};

    static Inputs in(double[] e, long[] y, int d) {
        return Inputs.of("embeddings", Tensor.of(e, y.length, d)).with("labels", Tensor.ofLabels(y, y.length));
    }

    /** The same call with float32 embeddings (the labels stay int64). */
    static Inputs f32(Inputs in) {
        Tensor e = in.get("embeddings");
        return Inputs.of("embeddings", Tensor.of(Data.f32(e.f64()), e.shape())).with("labels", in.get("labels"));
    }

    /** n labels in [0, classes), every class used at least twice when n ≥ 2·classes. */
    static long[] labels(Random r, int n, int classes) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = y[i];
            y[i] = y[j];
            y[j] = t;
        }
        return y;
    }

    static Loss make(String name, Map<String, Object> opts) {
        return org.losses4j.Losses.create(name, opts);
    }

    /** Every option combination the gradient check runs (besides the reductions). */
    static List<Map<String, Object>> options(String name) {
        List<Map<String, Object>> out = new ArrayList<>();
        switch (name) {
            case "supcon":
            case "infonce":
                for (double t : new double[] {0.07, 0.1, 0.5, 2.0}) {
                    out.add(Map.of("temperature", t));
                }
                break;
            case "multi_similarity":
                out.add(Map.of());
                out.add(Map.of("alpha", 1.0, "beta", 10.0, "base", 0.2));
                Map<String, Object> none = new LinkedHashMap<>();
                none.put("epsilon", null);
                out.add(none);
                out.add(Map.of("epsilon", 0.3, "base", 0.0));
                break;
            case "circle":
                out.add(Map.of());
                out.add(Map.of("m", 0.25, "gamma", 32.0));
                out.add(Map.of("m", -0.1, "gamma", 4.0));
                break;
            default:
                out.add(Map.of());
                out.add(Map.of("neg_margin", 0.5, "pos_margin", 0.2));
                out.add(Map.of("neg_margin", 2.0));
        }
        return out;
    }

    /** Cosine similarity of two rows as the catalog defines it (norms clamped at 1e-12). */
    static double cos(double[] e, int i, int j, int d) {
        return Data.cos(Data.row(e, i, d), Data.row(e, j, d));
    }

    static double dist(double[] e, int i, int j, int d) {
        double[] u = Data.row(e, i, d);
        double[] v = Data.row(e, j, d);
        double nu = Math.max(Data.norm(u), 1e-12);
        double nv = Math.max(Data.norm(v), 1e-12);
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = u[k] / nu - v[k] / nv;
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /**
     * True when the data is at least {@code gap} away from every threshold of the loss: the
     * miner's comparisons, lifted_structure's hinge (J = 0), circle's weights (α = 0).
     */
    static boolean awayFromThresholds(String name, Map<String, Object> o, double[] e, long[] y, int d, double gap) {
        int n = y.length;
        for (int i = 0; i < n; i++) {
            double minPos = Double.POSITIVE_INFINITY;
            double maxNeg = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    double s = cos(e, i, k, d);
                    if (y[k] == y[i]) {
                        minPos = Math.min(minPos, s);
                    } else {
                        maxNeg = Math.max(maxNeg, s);
                    }
                    if (name.equals("circle")) {
                        double m = ((Number) o.getOrDefault("m", 0.4)).doubleValue();
                        if (Math.abs(y[k] == y[i] ? 1 + m - s : s + m) < gap) {
                            return false;
                        }
                    }
                }
            }
            if (name.equals("multi_similarity") && o.getOrDefault("epsilon", 0.1) != null) {
                double eps = ((Number) o.getOrDefault("epsilon", 0.1)).doubleValue();
                for (int k = 0; k < n; k++) {
                    if (k != i) {
                        double s = cos(e, i, k, d);
                        double margin = y[k] == y[i] ? maxNeg - (s - eps) : s + eps - minPos;
                        if (Double.isFinite(margin) && Math.abs(margin) < gap) {
                            return false;
                        }
                    }
                }
            }
            if (name.equals("lifted_structure")) {
                for (int p = 0; p < n; p++) {
                    if (p != i && y[p] == y[i] && Math.abs(liftedJ(o, e, y, d, i, p)) < gap) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** J_ap of the catalog, written directly (test reference). */
    static double liftedJ(Map<String, Object> o, double[] e, long[] y, int d, int a, int p) {
        double neg = ((Number) o.getOrDefault("neg_margin", 1.0)).doubleValue();
        double pos = ((Number) o.getOrDefault("pos_margin", 0.0)).doubleValue();
        double s = 0;
        for (int k = 0; k < y.length; k++) {
            if (y[k] != y[a]) {
                s += Math.exp(neg - dist(e, a, k, d)) + Math.exp(neg - dist(e, p, k, d));
            }
        }
        return Math.log(s) + dist(e, a, p, d) - pos;
    }

    // ---------------------------------------------------------------- gradients

    @TestFactory
    List<DynamicTest> gradientIsTheFiniteDifference() {
        List<DynamicTest> tests = new ArrayList<>();
        Random r = new Random(181);
        for (String name : LOSSES) {
            for (Map<String, Object> o : options(name)) {
                for (String red : REDUCTIONS) {
                    int d = 4;
                    int n = 9;
                    double[] e;
                    long[] y;
                    do {
                        e = normal(r, n * d);
                        y = labels(r, n, 3);
                    } while (!awayFromThresholds(name, o, e, y, d, 1e-3));
                    Map<String, Object> opts = new LinkedHashMap<>(o);
                    opts.put("reduction", red);
                    Loss l = make(name, opts);
                    Inputs input = in(e, y, d);
                    tests.add(DynamicTest.dynamicTest(l.toString(), () -> {
                        LossResult res = l.compute(input);
                        assertThat(res.grads().keySet()).containsExactly("embeddings");
                        assertThat(Arrays.stream(res.grad("embeddings").f64()).anyMatch(v -> v != 0))
                                .as("some gradient is non-zero").isTrue();
                        if (name.equals("circle")) {
                            circleAgainstFrozenWeights(opts, input, d);
                        } else {
                            GradCheck.gradients(l, input, 1e-6, 1e-6);
                        }
                    }));
                }
            }
        }
        return tests;
    }

    /**
     * Circle's gradient is the derivative with α_p, α_n held at their values at the point: its
     * finite difference is taken of the catalog's formula with the weights frozen (test reference).
     */
    static void circleAgainstFrozenWeights(Map<String, Object> o, Inputs input, int d) {
        double[] e = input.get("embeddings").f64().clone();
        long[] y = input.get("labels").i64();
        double m = ((Number) o.getOrDefault("m", 0.4)).doubleValue();
        double gamma = ((Number) o.getOrDefault("gamma", 80.0)).doubleValue();
        String red = (String) o.getOrDefault("reduction", "mean");
        int n = y.length;
        double[] alpha = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    double s = cos(e, i, k, d);
                    alpha[i * n + k] = Math.max(0, y[k] == y[i] ? 1 + m - s : s + m);
                }
            }
        }
        double[] g = make("circle", o).compute(input).grad("embeddings").f64();
        for (int q = 0; q < e.length; q++) {
            double h = 1e-6 * Math.max(1, Math.abs(e[q]));
            double old = e[q];
            e[q] = old + h;
            double up = circleFrozen(e, y, d, m, gamma, alpha, red);
            e[q] = old - h;
            double down = circleFrozen(e, y, d, m, gamma, alpha, red);
            e[q] = old;
            double fd = (up - down) / (2 * h);
            assertThat(g[q]).as("d/de[%d]", q).isCloseTo(fd, Offset.offset(1e-6 * (1 + Math.abs(fd))));
        }
    }

    static double circleFrozen(double[] e, long[] y, int d, double m, double gamma, double[] alpha, String red) {
        int n = y.length;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            double sp = 0;
            double sn = 0;
            for (int k = 0; k < n; k++) {
                if (k == i) {
                    continue;
                }
                double s = cos(e, i, k, d);
                if (y[k] == y[i]) {
                    sp += Math.exp(-gamma * alpha[i * n + k] * (s - (1 - m)));
                } else {
                    sn += Math.exp(gamma * alpha[i * n + k] * (s - m));
                }
            }
            if (sp > 0 && sn > 0) {
                sum += Math.log1p(sp * sn); // softplus(log sp + log sn)
                count++;
            }
        }
        return red.equals("mean") ? sum / count : sum;
    }

    // ---------------------------------------------------------------- properties

    @Provide
    Arbitrary<String> losses() {
        return Arbitraries.of(LOSSES);
    }

    /** What mean divides by, per CATALOG.md (test-side count). */
    static int divisor(String name, long[] y) {
        int n = y.length;
        int pairs = 0;
        int both = 0;
        for (int i = 0; i < n; i++) {
            int pos = 0;
            int neg = 0;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    if (y[k] == y[i]) {
                        pos++;
                    } else {
                        neg++;
                    }
                }
            }
            pairs += pos;
            both += pos > 0 && neg > 0 ? 1 : 0;
        }
        switch (name) {
            case "infonce":
            case "lifted_structure":
                return pairs;
            case "multi_similarity":
                return n;
            default:
                return both;
        }
    }

    @Property(tries = 60)
    void sumIsTheDivisorTimesTheMeanAndTermsAreNonNegative(@ForAll("losses") String name, @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 9) int n, @ForAll @IntRange(min = 1, max = 5) int d,
            @ForAll @IntRange(min = 1, max = 4) int classes) {
        Random r = new Random(seed);
        long[] y = labels(r, n, classes);
        Inputs input = in(normal(r, n * d), y, d);
        int div = divisor(name, y);
        LossResult sum = loss(name, "reduction", "sum").compute(input);
        LossResult none = loss(name, "reduction", "none").compute(input);
        double s = 0;
        for (double t : none.terms().f64()) {
            assertThat(t).isGreaterThanOrEqualTo(0.0);
            s += t;
        }
        assertThat(s).isCloseTo(sum.value(), Offset.offset(1e-12 * (1 + Math.abs(s))));
        assertThat(none.terms().size()).isEqualTo(name.equals("infonce") || name.equals("lifted_structure")
                ? div : n);
        if (div == 0) {
            assertThatThrownBy(() -> loss(name).compute(input)).isInstanceOfSatisfying(LossException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.EMPTY_INPUT));
            assertThat(sum.value()).isZero();
            return;
        }
        LossResult mean = loss(name).compute(input);
        GradCheck.sumIsNTimesMean(sum.value(), mean.value(), div);
        double[] gs = sum.grad("embeddings").f64();
        double[] gm = mean.grad("embeddings").f64();
        double[] gn = none.grad("embeddings").f64();
        for (int i = 0; i < gs.length; i++) {
            assertThat(gm[i] * div).isCloseTo(gs[i], Offset.offset(1e-12 * (1 + Math.abs(gs[i]))));
            assertThat(gn[i]).isEqualTo(gs[i]);
        }
    }

    /** Normalised inside: scaling each row by its own positive factor changes nothing but the gradient's scale. */
    @Property(tries = 40)
    void invariantToTheScaleOfEachRow(@ForAll("losses") String name, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.01, max = 100) double k) {
        Random r = new Random(seed);
        int n = 8;
        int d = 3;
        long[] y = labels(r, n, 3);
        double[] e = normal(r, n * d);
        double[] scaled = e.clone();
        double[] factor = new double[n];
        for (int i = 0; i < n; i++) {
            factor[i] = i % 2 == 0 ? k : 1 / k;
            for (int q = 0; q < d; q++) {
                scaled[i * d + q] *= factor[i];
            }
        }
        LossResult a = loss(name).compute(in(e, y, d));
        LossResult b = loss(name).compute(in(scaled, y, d));
        assertThat(b.value()).isCloseTo(a.value(), Offset.offset(1e-9 * (1 + Math.abs(a.value()))));
        double[] ga = a.grad("embeddings").f64();
        double[] gb = b.grad("embeddings").f64();
        for (int q = 0; q < ga.length; q++) {
            // ∂/∂(c·e) = (1/c)·∂/∂e
            double want = ga[q] / factor[q / d];
            assertThat(gb[q]).isCloseTo(want, Offset.offset(1e-8 * (1 + Math.abs(want)) / factor[q / d]));
        }
    }

    /** A permutation of the batch (embeddings and labels together) and a relabelling change nothing. */
    @Property(tries = 40)
    void invariantToPermutationAndRelabelling(@ForAll("losses") String name, @ForAll long seed) {
        Random r = new Random(seed);
        int n = 9;
        int d = 3;
        long[] y = labels(r, n, 3);
        double[] e = normal(r, n * d);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] pe = new double[n * d];
        long[] py = new long[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(e, perm[i] * d, pe, i * d, d);
            py[i] = 1_000_003L * y[perm[i]] - 77; // relabelled one-to-one too
        }
        LossResult a = loss(name).compute(in(e, y, d));
        LossResult b = loss(name).compute(in(pe, py, d));
        assertThat(b.value()).isCloseTo(a.value(), Offset.offset(1e-12 * (1 + Math.abs(a.value()))));
        double[] ga = a.grad("embeddings").f64();
        double[] gb = b.grad("embeddings").f64();
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < d; q++) {
                assertThat(gb[i * d + q]).isCloseTo(ga[perm[i] * d + q], Offset.offset(1e-12
                        * (1 + Math.abs(ga[perm[i] * d + q]))));
            }
        }
    }

    /**
     * Two views in classes of two: infonce's terms (one positive per anchor, in anchor order) and
     * supcon's are nt_xent's, whose denominator is every other embedding.
     */
    @Property(tries = 30)
    void infonceAndSupconOnTwoViewsAreNtXent(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int n,
            @ForAll @DoubleRange(min = 0.05, max = 2) double tau) {
        Random r = new Random(seed);
        int d = 3;
        double[] z1 = normal(r, n * d);
        double[] z2 = normal(r, n * d);
        double[] e = new double[2 * n * d];
        System.arraycopy(z1, 0, e, 0, n * d);
        System.arraycopy(z2, 0, e, n * d, n * d);
        long[] y = new long[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            y[i] = i % n;
        }
        double[] nt = loss("nt_xent", "temperature", tau, "reduction", "none").compute(Data.ntXent(z1, z2, n, d))
                .terms().f64();
        for (String name : new String[] {"infonce", "supcon"}) {
            double[] t = loss(name, "temperature", tau, "reduction", "none").compute(in(e, y, d)).terms().f64();
            assertThat(t).hasSize(2 * n);
            for (int i = 0; i < 2 * n; i++) {
                assertThat(t[i]).as("%s term %d", name, i).isCloseTo(nt[i], Offset.offset(1e-12 * (1 + nt[i])));
            }
        }
    }

    /** A mining margin wider than any gap between cosines (ε > 2) keeps every pair of anchors with both kinds: no mining. */
    @Property(tries = 30)
    void multiSimilarityWithAWideMarginIsWithoutMining(@ForAll long seed, @ForAll @IntRange(min = 4, max = 9) int n) {
        Random r = new Random(seed);
        int d = 3;
        Inputs input = in(normal(r, n * d), labels(r, n, 2), d);
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("epsilon", null);
        LossResult a = make("multi_similarity", off).compute(input);
        LossResult b = loss("multi_similarity", "epsilon", 2.5).compute(input);
        assertThat(b.value()).isEqualTo(a.value());
        assertThat(b.grad("embeddings").f64()).containsExactly(a.grad("embeddings").f64());
        // and mining never adds a pair: each term with mining is at most the term without
        double[] mined = loss("multi_similarity", "reduction", "none").compute(input).terms().f64();
        off.put("reduction", "none");
        double[] all = make("multi_similarity", off).compute(input).terms().f64();
        for (int i = 0; i < n; i++) {
            assertThat(mined[i]).isLessThanOrEqualTo(all[i] + 1e-15);
        }
    }

    // ---------------------------------------------------------------- extremes

    /** ±1e4 and 1e30 entries, temperatures down to 1e-8 and scales up to 1e15: finite values and gradients. */
    @Test
    void extremeInputsAndOptionsStayFinite() {
        Random r = new Random(183);
        int n = 8;
        int d = 3;
        long[] y = labels(r, n, 2);
        double[] e = normal(r, n * d);
        for (int i = 0; i < e.length; i++) {
            e[i] = i % 3 == 0 ? 1e4 : i % 3 == 1 ? -1e4 * e[i] : 1e30 * e[i]; // 1e30: still finite in float32
        }
        List<Object[]> calls = List.of(new Object[] {"supcon", "temperature", 1e-8},
                new Object[] {"infonce", "temperature", 1e-8}, new Object[] {"multi_similarity", "beta", 1e15},
                new Object[] {"multi_similarity", "alpha", 1e-8}, new Object[] {"circle", "gamma", 1e15},
                new Object[] {"lifted_structure", "neg_margin", 1e15}, new Object[] {"supcon", "temperature", 0.1});
        for (Object[] c : calls) {
            for (Inputs input : List.of(in(e, y, d), f32(in(e, y, d)))) {
                LossResult res = loss((String) c[0], c[1], c[2]).compute(input);
                assertThat(res.value()).as("%s %s=%s", c[0], c[1], c[2]).isFinite();
                for (int i = 0; i < n * d; i++) {
                    assertThat(res.grad("embeddings").getDouble(i)).as("%s grad %d", c[0], i).isFinite();
                }
            }
        }
    }

    /** A NaN in one embedding makes the value NaN; an identical pair (distance 0) keeps the gradient finite. */
    @Test
    void nanInNanOutAndZeroDistances() {
        Random r = new Random(184);
        int n = 6;
        int d = 3;
        long[] y = {0, 0, 1, 1, 2, 2};
        double[] e = normal(r, n * d);
        double[] bad = e.clone();
        bad[4] = Double.NaN;
        double[] twin = e.clone();
        System.arraycopy(twin, 0, twin, d, d); // rows 0 and 1 (one class) identical
        for (String name : LOSSES) {
            for (String red : REDUCTIONS) {
                assertThat(loss(name, "reduction", red).compute(in(bad, y, d)).value()).as(name).isNaN();
            }
            LossResult res = loss(name).compute(in(twin, y, d));
            assertThat(res.value()).isFinite();
            assertThat(Arrays.stream(res.grad("embeddings").f64()).allMatch(Double::isFinite)).as(name).isTrue();
        }
    }

    /** float32 embeddings give the float64 result on the same values, in float32 arrays. */
    @Test
    void float32AgreesWithFloat64() {
        Random r = new Random(185);
        int n = 10;
        int d = 4;
        double[] e = normal(r, n * d);
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) e[i];
        }
        Inputs in64 = in(e, labels(r, n, 3), d);
        Inputs in32 = f32(in64);
        for (String name : LOSSES) {
            LossResult a = loss(name).compute(in64);
            LossResult b = loss(name).compute(in32);
            assertThat(b.value()).isCloseTo(a.value(), Offset.offset(1e-6 * Math.abs(a.value())));
            assertThat(b.grad("embeddings").dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
            double[] g = a.grad("embeddings").f64();
            for (int i = 0; i < g.length; i++) {
                assertThat(b.grad("embeddings").getDouble(i)).isCloseTo(g[i], Offset.offset(1e-6 * (1 + Math.abs(g[i]))));
            }
        }
    }

    // ---------------------------------------------------------------- refusals

    static LossException refusal(Loss l, Inputs input) {
        try {
            l.compute(input);
        } catch (LossException e) {
            return e;
        }
        throw new AssertionError(l + " accepted the call");
    }

    @Test
    void refusalsNameTheArgument() {
        double[] e = normal(new Random(186), 4 * 3);
        for (String name : LOSSES) {
            Loss l = loss(name);
            LossException count = refusal(l, Inputs.of("embeddings", Tensor.of(e, 4, 3)).with("labels",
                    Tensor.ofLabels(new long[] {0, 1, 0}, 3)));
            assertThat(count.kind()).isEqualTo(ErrorKind.SHAPE_MISMATCH);
            assertThat(count.getMessage()).contains("labels", "[3]", "4");
            LossException rank = refusal(l, Inputs.of("embeddings", Tensor.of(e, 12)).with("labels",
                    Tensor.ofLabels(new long[12], 12)));
            assertThat(rank.kind()).isEqualTo(ErrorKind.SHAPE_MISMATCH);
            assertThat(rank.getMessage()).contains("embeddings", "[N, D]");
            LossException dtype = refusal(l, Inputs.of("embeddings", Tensor.of(e, 4, 3)).with("labels",
                    Tensor.vector(new double[] {0, 1, 0, 1})));
            assertThat(dtype.kind()).isEqualTo(ErrorKind.INVALID_DTYPE);
            assertThat(dtype.getMessage()).contains("labels");
            if (!name.equals("multi_similarity")) {
                LossException empty = refusal(l, in(e, new long[] {0, 1, 2, 3}, 3));
                assertThat(empty.kind()).isEqualTo(ErrorKind.EMPTY_INPUT);
                assertThat(empty.getMessage()).contains("labels", "mean", "sum");
                assertThat(loss(name, "reduction", "sum").compute(in(e, new long[] {0, 1, 2, 3}, 3)).value()).isZero();
            }
        }
        // one class: supcon and circle have no anchor with a negative
        for (String name : new String[] {"supcon", "circle"}) {
            LossException one = refusal(loss(name), in(e, new long[] {7, 7, 7, 7}, 3));
            assertThat(one.kind()).isEqualTo(ErrorKind.EMPTY_INPUT);
            assertThat(one.getMessage()).contains("negative");
        }
        assertThatThrownBy(() -> loss("multi_similarity", "epsilon", -0.5)).isInstanceOfSatisfying(
                LossException.class, x -> assertThat(x.kind()).isEqualTo(ErrorKind.INVALID_OPTION));
        assertThatThrownBy(() -> loss("circle", "m", 1.5)).isInstanceOfSatisfying(
                LossException.class, x -> assertThat(x.kind()).isEqualTo(ErrorKind.INVALID_OPTION));
    }
}
