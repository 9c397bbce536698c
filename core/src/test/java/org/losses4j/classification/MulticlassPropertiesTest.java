package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Properties of nll, categorical_cross_entropy, sparse_categorical_cross_entropy,
 * softmax_focal, multiclass_hinge, multi_margin, zero_one, poly1_cross_entropy,
 * generalized_cross_entropy and categorical_hinge on random data.
 */
class MulticlassPropertiesTest {
    private static final String[] LOSSES = {"nll", "categorical_cross_entropy", "sparse_categorical_cross_entropy",
        "softmax_focal", "multiclass_hinge", "multi_margin", "zero_one", "poly1_cross_entropy",
        "generalized_cross_entropy", "categorical_hinge"};

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Random valid inputs for {@code loss} on an [n, c] batch (probabilities where the loss wants them). */
    private static Inputs inputs(String loss, Random rnd, int n, int c, boolean weighted) {
        long[] y = MulticlassReference.labels(rnd, n, c);
        Tensor labels = Tensor.labels(y);
        double[] w = weighted ? MulticlassReference.uniform(rnd, c, 0.2, 2) : null;
        switch (loss) {
            case "nll":
                return Inputs.of(Tensor.of(MulticlassReference.logSoftmax(
                        MulticlassReference.uniform(rnd, n * c, -3, 3), new int[] {n, c}), n, c), labels)
                        .with("weight", w == null ? null : Tensor.vector(w));
            case "categorical_cross_entropy":
                return Inputs.of(Tensor.of(MulticlassReference.uniform(rnd, n * c, 0.01, 1), n, c),
                        Tensor.of(MulticlassReference.distributions(rnd, new int[] {n, c}), n, c));
            case "sparse_categorical_cross_entropy":
                return Inputs.of(Tensor.of(MulticlassReference.uniform(rnd, n * c, 0.01, 1), n, c), labels);
            case "softmax_focal":
                return Inputs.of(Tensor.of(MulticlassReference.uniform(rnd, n * c, -4, 4), n, c), labels)
                        .with("alpha", w == null ? null : Tensor.vector(w));
            case "multi_margin":
                return Inputs.of(Tensor.of(MulticlassReference.uniform(rnd, n * c, -2, 2), n, c), labels)
                        .with("weight", w == null ? null : Tensor.vector(w));
            case "categorical_hinge":
                return CategoricalHingeTest.data(rnd, n, c, weighted);
            default: // multiclass_hinge, zero_one, poly1_cross_entropy, generalized_cross_entropy
                return Inputs.of(Tensor.of(MulticlassReference.uniform(rnd, n * c, -2, 2), n, c), labels);
        }
    }

    /** Element-wise numeric equality (0.0 equals −0.0). */
    static void sameNumbers(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(b[i], within(0.0));
        }
    }

    private static String classWeightName(String loss) {
        return "softmax_focal".equals(loss) ? "alpha" : "weight";
    }

    private static boolean hasClassWeights(String loss) {
        return loss.equals("nll") || loss.equals("softmax_focal") || loss.equals("multi_margin");
    }

    @Property(tries = 80)
    void sumIsDivisorTimesMean(@ForAll @IntRange(min = 0, max = 9) int which, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 2, max = 6) int c,
            @ForAll boolean weighted) {
        String name = LOSSES[which];
        Inputs in = inputs(name, new Random(seed), n, c, weighted && hasClassWeights(name));
        double divisor = n; // one term per row ...
        if (name.equals("nll") && in.get("weight") != null) { // ... except nll: Σ w_y
            divisor = 0;
            for (long y : in.get("target").i64()) {
                divisor += in.get("weight").f64()[(int) y];
            }
        }
        LossResult mean = Losses.create(name, opts("reduction", "mean")).compute(in);
        LossResult sum = Losses.create(name, opts("reduction", "sum")).compute(in);
        LossResult none = Losses.create(name, opts("reduction", "none")).compute(in);
        GradCheck.sumIsNTimesMean(sum.value(), mean.value(), divisor);
        double s = 0;
        for (double t : none.terms().f64()) {
            s += t;
        }
        assertThat(s).isCloseTo(sum.value(), within(1e-12 * (1 + Math.abs(s))));
        assertThat(none.terms().shape()).containsExactly(n);
        double[] gm = mean.grad().f64();
        double[] gs = sum.grad().f64();
        for (int i = 0; i < gm.length; i++) {
            assertThat(gs[i]).isCloseTo(divisor * gm[i], within(1e-12 * (1 + Math.abs(gs[i]))));
        }
        sameNumbers(none.grad().f64(), gs);
    }

    @Property(tries = 40)
    void unitClassWeightsEqualNoWeights(@ForAll @IntRange(min = 0, max = 2) int which, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 2, max = 6) int c,
            @ForAll @IntRange(min = 0, max = 2) int reduction) {
        String name = new String[] {"nll", "softmax_focal", "multi_margin"}[which];
        Inputs in = inputs(name, new Random(seed), n, c, false);
        double[] ones = new double[c];
        Arrays.fill(ones, 1);
        Loss loss = Losses.create(name, opts("reduction", new String[] {"mean", "sum", "none"}[reduction]));
        LossResult a = loss.compute(in);
        LossResult b = loss.compute(in.with(classWeightName(name), Tensor.vector(ones)));
        assertThat(b.value()).isEqualTo(a.value());
        sameNumbers(b.grad().f64(), a.grad().f64());
    }

    @Property(tries = 40)
    void nllIgnoredTargetsHaveNoEffect(@ForAll long seed, @ForAll @IntRange(min = 2, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll boolean weighted,
            @ForAll @IntRange(min = -2, max = 7) int ignore) {
        Random rnd = new Random(seed);
        Inputs in = inputs("nll", rnd, n, c, weighted);
        long[] y = in.get("target").i64();
        double[] x = in.get("input").f64();
        boolean[] ign = new boolean[n];
        int kept = 0;
        for (int r = 0; r < n; r++) {
            ign[r] = y[r] == ignore || (r > 0 && rnd.nextBoolean());
            if (ign[r]) {
                y[r] = ignore;
                x[r * c] = Double.NaN; // not even a NaN in an ignored row matters
            } else {
                kept++;
            }
        }
        if (kept == 0) {
            return;
        }
        double[] xk = new double[kept * c];
        long[] yk = new long[kept];
        for (int r = 0, j = 0; r < n; r++) {
            if (!ign[r]) {
                System.arraycopy(x, r * c, xk, j * c, c);
                yk[j++] = y[r];
            }
        }
        Inputs keptIn = Inputs.of(Tensor.of(xk, kept, c), Tensor.labels(yk)).with("weight", in.get("weight"));
        for (String red : new String[] {"mean", "sum"}) {
            Loss loss = Losses.create("nll", opts("reduction", red, "ignore_index", ignore));
            LossResult all = loss.compute(in);
            assertThat(all.value()).isCloseTo(loss.value(keptIn).value(), within(1e-12 * (1 + Math.abs(all.value()))));
            double[] g = all.grad().f64();
            for (int r = 0; r < n; r++) {
                for (int j = 0; ign[r] && j < c; j++) {
                    assertThat(g[r * c + j]).isZero();
                }
            }
        }
    }

    /** nll of a log-softmax is cross_entropy, for every reduction, weights and ignored targets. */
    @Property(tries = 40)
    void nllOfLogSoftmaxIsCrossEntropy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 6) int c, @ForAll boolean weighted,
            @ForAll @IntRange(min = 0, max = 2) int reduction) {
        Random rnd = new Random(seed);
        double[] x = MulticlassReference.uniform(rnd, n * c, -3, 3);
        long[] y = MulticlassReference.labels(rnd, n, c);
        if (n > 1) {
            y[n - 1] = -100;
        }
        double[] w = weighted ? MulticlassReference.uniform(rnd, c, 0.2, 2) : null;
        String red = new String[] {"mean", "sum", "none"}[reduction];
        Tensor wt = w == null ? null : Tensor.vector(w);
        LossResult ce = Losses.create("cross_entropy", opts("reduction", red))
                .compute(Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)).with("weight", wt));
        LossResult nll = Losses.create("nll", opts("reduction", red)).compute(Inputs.of(
                Tensor.of(MulticlassReference.logSoftmax(x, new int[] {n, c}), n, c), Tensor.labels(y)).with("weight", wt));
        assertThat(nll.value()).isCloseTo(ce.value(), within(1e-12 * (1 + Math.abs(ce.value()))));
    }

    /** sparse categorical cross-entropy is categorical cross-entropy on the one-hot target. */
    @Property(tries = 40)
    void sparseIsCategoricalOfOneHot(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 0, max = 2) int reduction) {
        Random rnd = new Random(seed);
        double[] p = MulticlassReference.uniform(rnd, n * c, 0, 1);
        p[0] = 0; // clamped log, finite gradient
        long[] y = MulticlassReference.labels(rnd, n, c);
        y[0] = 0;
        double[] onehot = new double[n * c];
        for (int r = 0; r < n; r++) {
            onehot[r * c + (int) y[r]] = 1;
        }
        Map<String, Object> o = opts("reduction", new String[] {"mean", "sum", "none"}[reduction]);
        LossResult s = Losses.create("sparse_categorical_cross_entropy", o)
                .compute(Inputs.of(Tensor.of(p, n, c), Tensor.labels(y)));
        LossResult d = Losses.create("categorical_cross_entropy", o)
                .compute(Inputs.of(Tensor.of(p, n, c), Tensor.of(onehot, n, c)));
        assertThat(s.value()).isCloseTo(d.value(), within(1e-14 * (1 + Math.abs(d.value()))));
        double[] gs = s.grad().f64();
        double[] gd = d.grad().f64();
        for (int i = 0; i < gs.length; i++) {
            assertThat(gs[i]).isCloseTo(gd[i], within(1e-15 * (1 + Math.abs(gd[i]))));
        }
    }

    /** γ = 0 makes softmax_focal the (α-weighted) cross-entropy: same terms and gradients. */
    @Property(tries = 40)
    void focalWithGammaZeroIsCrossEntropy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 8) int c, @ForAll boolean withAlpha) {
        Random rnd = new Random(seed);
        double[] x = MulticlassReference.uniform(rnd, n * c, -6, 6);
        long[] y = MulticlassReference.labels(rnd, n, c);
        Tensor alpha = withAlpha ? Tensor.vector(MulticlassReference.uniform(rnd, c, 0.1, 2)) : null;
        // sum and none: the same per-row terms; mean differs only in the divisor when weighted (N vs Σ w_y)
        for (String red : withAlpha ? new String[] {"sum", "none"} : new String[] {"mean", "sum", "none"}) {
            LossResult f = Losses.create("softmax_focal", opts("reduction", red, "gamma", 0.0))
                    .compute(Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)).with("alpha", alpha));
            LossResult e = Losses.create("cross_entropy", opts("reduction", red))
                    .compute(Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)).with("weight", alpha));
            assertThat(f.value()).isCloseTo(e.value(), within(1e-13 * (1 + Math.abs(e.value()))));
            double[] gf = f.grad().f64();
            double[] ge = e.grad().f64();
            for (int i = 0; i < gf.length; i++) {
                assertThat(gf[i]).isCloseTo(ge[i], within(1e-15));
            }
        }
    }

    /** (1 − p_y)^γ ≤ 1, decreasing in γ: focal ≤ cross-entropy, and larger γ never increases a term. */
    @Property(tries = 40)
    void focalIsBelowCrossEntropyAndDecreasingInGamma(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 8) int c, @ForAll @DoubleRange(min = 0, max = 5) double g1,
            @ForAll @DoubleRange(min = 0, max = 5) double g2) {
        Random rnd = new Random(seed);
        Inputs in = inputs("softmax_focal", rnd, n, c, false);
        double lo = Math.min(g1, g2);
        double hi = Math.max(g1, g2);
        double[] tLo = Losses.create("softmax_focal", opts("reduction", "none", "gamma", lo)).value(in).terms().f64();
        double[] tHi = Losses.create("softmax_focal", opts("reduction", "none", "gamma", hi)).value(in).terms().f64();
        double[] tCe = Losses.create("cross_entropy", opts("reduction", "none")).value(in).terms().f64();
        for (int r = 0; r < n; r++) {
            assertThat(tHi[r]).isLessThanOrEqualTo(tLo[r] * (1 + 1e-15));
            assertThat(tLo[r]).isLessThanOrEqualTo(tCe[r] * (1 + 1e-15));
            assertThat(tHi[r]).isGreaterThanOrEqualTo(0);
        }
    }

    /** The Crammer–Singer hinge with margin 1 bounds the 0-1 loss from above. */
    @Property(tries = 40)
    void hingeBoundsZeroOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll @DoubleRange(min = 0, max = 3) double margin) {
        Inputs in = inputs("multiclass_hinge", new Random(seed), n, c, false);
        double[] h = Losses.create("multiclass_hinge", opts("reduction", "none", "margin", margin)).value(in).terms().f64();
        double[] z = Losses.create("zero_one", opts("reduction", "none")).value(in).terms().f64();
        for (int r = 0; r < n; r++) {
            assertThat(h[r]).isGreaterThanOrEqualTo(margin * z[r]);
        }
    }

    /** Zero loss at a perfect prediction, for every loss where the catalog's definition allows it. */
    @Property(tries = 40)
    void zeroAtPerfectPrediction(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll @DoubleRange(min = 0, max = 3) double margin) {
        Random rnd = new Random(seed);
        long[] y = MulticlassReference.labels(rnd, n, c);
        double[] onehot = new double[n * c];
        double[] logOneHot = new double[n * c];
        double[] scores = MulticlassReference.uniform(rnd, n * c, -1, 1);
        Arrays.fill(logOneHot, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < n; r++) {
            int k = r * c + (int) y[r];
            onehot[k] = 1;
            logOneHot[k] = 0;
            scores[k] = 1 + margin + 1e-9; // beats every other score by more than the margin
        }
        Tensor labels = Tensor.labels(y);
        assertThat(Losses.create("nll").value(Inputs.of(Tensor.of(logOneHot, n, c), labels)).value()).isZero();
        assertThat(Losses.create("categorical_cross_entropy").value(
                Inputs.of(Tensor.of(onehot, n, c), Tensor.of(onehot, n, c))).value()).isZero();
        LossResult s = Losses.create("sparse_categorical_cross_entropy").compute(Inputs.of(Tensor.of(onehot, n, c), labels));
        assertThat(s.value()).isZero();
        MulticlassReference.assertAllZero(Losses.create("multiclass_hinge", opts("margin", margin)).compute(Inputs.of(Tensor.of(scores, n, c),
                labels)).grad().f64());
        assertThat(Losses.create("multiclass_hinge", opts("margin", margin)).value(Inputs.of(Tensor.of(scores, n, c),
                labels)).value()).isZero();
        for (int p = 1; p <= 2; p++) {
            LossResult m = Losses.create("multi_margin", opts("margin", margin, "p", p))
                    .compute(Inputs.of(Tensor.of(scores, n, c), labels));
            assertThat(m.value()).isZero();
            MulticlassReference.assertAllZero(m.grad().f64());
        }
        assertThat(Losses.create("zero_one").value(Inputs.of(Tensor.of(scores, n, c), labels)).value()).isZero();
        // softmax_focal: logits 1e4 apart give p_y = 1 exactly in double
        double[] logits = new double[n * c];
        for (int r = 0; r < n; r++) {
            logits[r * c + (int) y[r]] = 1e4;
        }
        LossResult f = Losses.create("softmax_focal").compute(Inputs.of(Tensor.of(logits, n, c), labels));
        assertThat(f.value()).isZero();
        MulticlassReference.assertAllZero(f.grad().f64());
    }

    /** float32 inputs give float32 results within 1e-5 (relative) of float64 on the same numbers. */
    @Property(tries = 70)
    void float32WithinTolOfFloat64(@ForAll @IntRange(min = 0, max = 6) int which, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 2, max = 9) int c,
            @ForAll boolean weighted, @ForAll @IntRange(min = 0, max = 2) int reduction) {
        String name = LOSSES[which];
        Inputs in64 = inputs(name, new Random(seed), n, c, weighted && hasClassWeights(name));
        Inputs d = Inputs.empty();
        Inputs f = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in64.tensors().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() == org.losses4j.DType.INT64) {
                d = d.with(e.getKey(), t);
                f = f.with(e.getKey(), t);
            } else {
                double[] r = MulticlassReference.roundToFloat(t.f64());
                d = d.with(e.getKey(), Tensor.of(r, t.shape()));
                f = f.with(e.getKey(), Tensor.of(MulticlassReference.toFloat(r), t.shape()));
            }
        }
        Loss loss = Losses.create(name, opts("reduction", new String[] {"mean", "sum", "none"}[reduction]));
        LossResult rd = loss.compute(d);
        LossResult rf = loss.compute(f);
        assertThat(rf.value()).isCloseTo(rd.value(), within(1e-5 * Math.abs(rd.value()) + 1e-7));
        double[] gd = rd.grad().f64();
        float[] gf = rf.grad().f32();
        for (int i = 0; i < gd.length; i++) {
            assertThat((double) gf[i]).isCloseTo(gd[i], within(1e-5 * Math.abs(gd[i]) + 1e-9));
        }
        if (rd.isUnreduced()) {
            assertThat(rf.terms().dtype()).isEqualTo(org.losses4j.DType.FLOAT32);
        }
    }
}
