package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
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
import org.losses4j.classification.MulticlassReference.Ref;

/** Properties of cross_entropy over random shapes, options and data. */
class CrossEntropyPropertiesTest {

    /** A random problem: logits of a random layout, index or probability target, optional weights. */
    private static final class Case {
        int[] shape;
        int[] termShape;
        int n;
        int c;
        int s;
        double[] x;
        long[] labels;
        double[] probs;
        double[] w;

        Tensor target() {
            return labels != null ? Tensor.ofLabels(labels, termShape) : Tensor.of(probs, shape);
        }

        Inputs inputs() {
            return Inputs.of(Tensor.of(x, shape), target()).with("weight", w == null ? null : Tensor.vector(w));
        }
    }

    private static Case make(long seed, int layout, int n, int c, boolean index, boolean weighted) {
        Random rnd = new Random(seed);
        Case k = new Case();
        k.shape = layout == 0 ? new int[] {c} : layout == 1 ? new int[] {n, c} : new int[] {n, c, 1 + rnd.nextInt(3), 2};
        k.termShape = MulticlassReference.termShape(k.shape);
        int[] l = MulticlassReference.ncs(k.shape);
        k.n = l[0];
        k.c = l[1];
        k.s = l[2];
        k.x = MulticlassReference.uniform(rnd, MulticlassReference.size(k.shape), -5, 5);
        if (index) {
            k.labels = MulticlassReference.labels(rnd, k.n * k.s, k.c);
        } else {
            k.probs = MulticlassReference.distributions(rnd, k.shape);
        }
        k.w = weighted ? MulticlassReference.uniform(rnd, k.c, 0.1, 3) : null;
        return k;
    }

    private static Loss ce(String reduction, long ignore, double eps) {
        return Losses.create("cross_entropy", CrossEntropyGradientTest.options(reduction, ignore, eps));
    }

    @Property(tries = 60)
    void matchesTheCatalogFormula(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int c,
            @ForAll boolean index, @ForAll boolean weighted, @ForAll @DoubleRange(min = 0, max = 1) double eps) {
        Case k = make(seed, layout, n, c, index, weighted);
        Ref ref = index ? MulticlassReference.crossEntropyIndex(k.x, k.shape, k.labels, k.w, -100, eps)
                : MulticlassReference.crossEntropyProb(k.x, k.shape, k.probs, k.w, eps);
        for (String red : new String[] {"mean", "sum"}) {
            double v = ce(red, -100, eps).value(k.inputs()).value();
            double e = ref.reduced(red);
            assertThat(v).as(red).isCloseTo(e, within(1e-11 * (1 + Math.abs(e))));
        }
    }

    @Property(tries = 60)
    void sumIsDivisorTimesMean(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 2, max = 7) int c,
            @ForAll boolean index, @ForAll boolean weighted, @ForAll @DoubleRange(min = 0, max = 1) double eps) {
        Case k = make(seed, layout, n, c, index, weighted);
        if (index && k.labels.length > 1) {
            k.labels[0] = -100; // one ignored term, not counted by the divisor
        }
        // the catalog's divisor: Σ w_y over non-ignored terms (index), the number of terms (probabilities)
        double divisor = 0;
        if (index) {
            for (long y : k.labels) {
                if (y != -100) {
                    divisor += k.w == null ? 1 : k.w[(int) y];
                }
            }
        } else {
            divisor = k.n * k.s;
        }
        LossResult mean = ce("mean", -100, eps).compute(k.inputs());
        LossResult sum = ce("sum", -100, eps).compute(k.inputs());
        LossResult none = ce("none", -100, eps).compute(k.inputs());
        GradCheck.sumIsNTimesMean(sum.value(), mean.value(), divisor);
        assertThat(none.value()).isCloseTo(sum.value(), within(1e-12 * (1 + Math.abs(sum.value()))));
        double[] gm = mean.grad().f64();
        double[] gs = sum.grad().f64();
        double[] gn = none.grad().f64();
        for (int i = 0; i < gm.length; i++) {
            assertThat(gs[i]).isCloseTo(divisor * gm[i], within(1e-12 * (1 + Math.abs(gs[i]))));
            assertThat(gn[i]).isEqualTo(gs[i]);
        }
    }

    @Property(tries = 40)
    void unitWeightsEqualNoWeights(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int c,
            @ForAll boolean index, @ForAll @DoubleRange(min = 0, max = 1) double eps) {
        Case k = make(seed, layout, n, c, index, false);
        double[] ones = new double[k.c];
        Arrays.fill(ones, 1.0);
        for (String red : new String[] {"mean", "sum", "none"}) {
            Loss loss = ce(red, -100, eps);
            LossResult plain = loss.compute(k.inputs());
            LossResult unit = loss.compute(k.inputs().with("weight", Tensor.vector(ones)));
            assertThat(unit.value()).isCloseTo(plain.value(), within(1e-13 * (1 + Math.abs(plain.value()))));
            double[] a = plain.grad().f64();
            double[] b = unit.grad().f64();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).isCloseTo(a[i], within(1e-15));
            }
        }
    }

    /**
     * Ignored targets: zero gradient on their positions, a zero term, and the value of the
     * remaining terms alone (sum and mean over the kept rows of an [N, C] batch).
     */
    @Property(tries = 50)
    void ignoredTargetsHaveNoEffect(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll boolean weighted,
            @ForAll @DoubleRange(min = 0, max = 1) double eps, @ForAll @IntRange(min = -3, max = 5) int ignore) {
        Case k = make(seed, 1, n, c, true, weighted);
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        boolean[] ign = new boolean[n];
        int kept = 0;
        for (int r = 0; r < n; r++) {
            ign[r] = k.labels[r] == ignore || (r > 0 && rnd.nextBoolean());
            if (ign[r]) {
                k.labels[r] = ignore;
                // the logits of an ignored row do not matter: make them wild
                for (int j = 0; j < c; j++) {
                    k.x[r * c + j] = rnd.nextGaussian() * 1e3;
                }
            } else {
                kept++;
            }
        }
        if (kept == 0) {
            return; // every row ignored: see the extremes test
        }
        double[] xk = new double[kept * c];
        long[] yk = new long[kept];
        for (int r = 0, j = 0; r < n; r++) {
            if (!ign[r]) {
                System.arraycopy(k.x, r * c, xk, j * c, c);
                yk[j++] = k.labels[r];
            }
        }
        Inputs keptIn = Inputs.of(Tensor.of(xk, kept, c), Tensor.labels(yk)).with("weight",
                k.w == null ? null : Tensor.vector(k.w));
        for (String red : new String[] {"mean", "sum", "none"}) {
            LossResult all = ce(red, ignore, eps).compute(k.inputs());
            LossResult only = ce(red, ignore, eps).compute(keptIn);
            assertThat(all.value()).as(red).isCloseTo(only.value(), within(1e-12 * (1 + Math.abs(only.value()))));
            double[] g = all.grad().f64();
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < c; j++) {
                    if (ign[r]) {
                        assertThat(g[r * c + j]).isZero();
                    }
                }
                if (ign[r] && "none".equals(red)) {
                    assertThat(all.terms().f64()[r]).isZero();
                }
            }
        }
    }

    @Property(tries = 40)
    void labelSmoothingZeroIsPlain(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int c,
            @ForAll boolean index, @ForAll boolean weighted) {
        Case k = make(seed, layout, n, c, index, weighted);
        Loss plain = Losses.create("cross_entropy", Map.of("reduction", "sum"));
        Loss zero = Losses.create("cross_entropy", Map.of("reduction", "sum", "label_smoothing", 0.0));
        LossResult a = plain.compute(k.inputs());
        LossResult b = zero.compute(k.inputs());
        assertThat(b.value()).isEqualTo(a.value());
        assertThat(b.grad().f64()).containsExactly(a.grad().f64());
        // and plain is −Σ w_y·log p_y (or −Σ w_c·y_c·log p_c) without any smoothing mass
        Ref ref = index ? MulticlassReference.crossEntropyIndex(k.x, k.shape, k.labels, k.w, -100, 0)
                : MulticlassReference.crossEntropyProb(k.x, k.shape, k.probs, k.w, 0);
        assertThat(a.value()).isCloseTo(ref.sum(), within(1e-11 * (1 + Math.abs(ref.sum()))));
    }

    /**
     * An index target with label smoothing ε gives the same terms and gradient as its one-hot
     * probability target with the same ε (the two code paths agree), weighted or not.
     */
    @Property(tries = 40)
    void smoothedIndexEqualsSmoothedOneHot(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int c,
            @ForAll boolean weighted, @ForAll @DoubleRange(min = 0, max = 1) double eps) {
        Case k = make(seed, layout, n, c, true, weighted);
        double[] onehot = new double[k.x.length];
        for (int t = 0; t < k.labels.length; t++) {
            onehot[(t / k.s) * k.c * k.s + (int) k.labels[t] * k.s + t % k.s] = 1;
        }
        Inputs probIn = Inputs.of(Tensor.of(k.x, k.shape), Tensor.of(onehot, k.shape)).with("weight",
                k.w == null ? null : Tensor.vector(k.w));
        LossResult a = ce("none", -100, eps).compute(k.inputs());
        LossResult b = ce("none", -100, eps).compute(probIn);
        double[] ta = a.terms().f64();
        double[] tb = b.terms().f64();
        for (int i = 0; i < ta.length; i++) {
            assertThat(ta[i]).isCloseTo(tb[i], within(1e-12 * (1 + Math.abs(tb[i]))));
        }
        double[] ga = a.grad().f64();
        double[] gb = b.grad().f64();
        for (int i = 0; i < ga.length; i++) {
            assertThat(ga[i]).isCloseTo(gb[i], within(1e-14));
        }
    }

    /** Softmax is shift-invariant: adding a constant (up to 1e4) to every logit of a row changes nothing. */
    @Property(tries = 40)
    void shiftInvariant(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll boolean index,
            @ForAll @DoubleRange(min = -1e4, max = 1e4) double shift) {
        Case k = make(seed, 1, n, c, index, false);
        double[] shifted = k.x.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += shift;
        }
        Loss loss = ce("sum", -100, 0.1);
        LossResult a = loss.compute(k.inputs());
        LossResult b = loss.compute(Inputs.of(Tensor.of(shifted, k.shape), k.target()));
        // the shift rounds the logits by up to ulp(1e4) ≈ 2e-12
        assertThat(b.value()).isCloseTo(a.value(), within(1e-10 * n * (1 + Math.abs(a.value()))));
        double[] ga = a.grad().f64();
        double[] gb = b.grad().f64();
        for (int i = 0; i < ga.length; i++) {
            assertThat(gb[i]).isCloseTo(ga[i], within(1e-10));
        }
    }

    /** Each gradient row sums to zero (the softmax is invariant to adding a constant to a row). */
    @Property(tries = 40)
    void gradientRowsSumToZero(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int c,
            @ForAll boolean index, @ForAll boolean weighted, @ForAll @DoubleRange(min = 0, max = 1) double eps) {
        Case k = make(seed, layout, n, c, index, weighted);
        double[] g = ce("sum", -100, eps).compute(k.inputs()).grad().f64();
        for (int t = 0; t < k.n * k.s; t++) {
            int base = (t / k.s) * k.c * k.s + t % k.s;
            double sum = 0;
            double mag = 0;
            for (int j = 0; j < k.c; j++) {
                sum += g[base + j * k.s];
                mag += Math.abs(g[base + j * k.s]);
            }
            assertThat(sum).isCloseTo(0, within(1e-14 * (1 + mag)));
        }
    }

    /** The native float32 path agrees with float64 on the same (float-representable) numbers within 1e-5. */
    @Property(tries = 60)
    void float32WithinTolOfFloat64(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int layout,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 40) int c,
            @ForAll boolean index, @ForAll boolean weighted, @ForAll @DoubleRange(min = 0, max = 1) double eps,
            @ForAll @IntRange(min = 0, max = 2) int reduction) {
        Case k = make(seed, layout, n, c, index, weighted);
        k.x = MulticlassReference.roundToFloat(k.x);
        if (!index) {
            k.probs = MulticlassReference.roundToFloat(k.probs);
        }
        if (k.w != null) {
            k.w = MulticlassReference.roundToFloat(k.w);
        }
        String red = new String[] {"mean", "sum", "none"}[reduction];
        Loss loss = ce(red, -100, eps);
        LossResult d = loss.compute(k.inputs());
        Tensor t32 = index ? k.target() : Tensor.of(MulticlassReference.toFloat(k.probs), k.shape);
        Inputs in32 = Inputs.of(Tensor.of(MulticlassReference.toFloat(k.x), k.shape), t32).with("weight",
                k.w == null ? null : Tensor.vector(MulticlassReference.toFloat(k.w)));
        LossResult f = loss.compute(in32);
        assertThat(f.value()).isCloseTo(d.value(), within(1e-5 * Math.abs(d.value()) + 1e-7));
        float[] gf = f.grad().f32();
        double[] gd = d.grad().f64();
        double largest = 0;
        for (double v : gd) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < gd.length; i++) {
            // relative to the element, with a floor relative to the largest element: p_c − ε/C cancels when
            // p_c ≈ ε/C, and the float32 kernel's exp (relative error ~1e-7 of p_c) then dominates the small difference
            assertThat((double) gf[i]).isCloseTo(gd[i], within(1e-5 * Math.abs(gd[i]) + 1e-6 * largest + 1e-9));
        }
        if (d.isUnreduced()) {
            float[] tf = f.terms().f32();
            double[] td = d.terms().f64();
            for (int i = 0; i < td.length; i++) {
                assertThat((double) tf[i]).isCloseTo(td[i], within(1e-5 * Math.abs(td[i]) + 1e-7));
            }
        }
    }

    /** A caller's float32 gradient buffer is filled (stale contents overwritten) and returned. */
    @Property(tries = 20)
    void float32GradientBufferIsOverwritten(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int n,
            @ForAll @IntRange(min = 2, max = 9) int c) {
        Case k = make(seed, 2, n, c, true, true);
        k.labels[0] = -100;
        float[] x32 = MulticlassReference.toFloat(k.x);
        float[] buf = new float[x32.length];
        Arrays.fill(buf, 123f);
        Tensor bufT = Tensor.of(buf, k.shape);
        Inputs in = Inputs.of(Tensor.of(x32, k.shape), k.target()).with("weight",
                Tensor.vector(MulticlassReference.toFloat(k.w))).gradInto("input", bufT);
        Loss loss = ce("mean", -100, 0.1);
        LossResult r = loss.compute(in);
        assertThat(r.grad()).isSameAs(bufT);
        Inputs fresh = Inputs.of(Tensor.of(x32, k.shape), k.target()).with("weight",
                Tensor.vector(MulticlassReference.toFloat(k.w)));
        assertThat(buf).containsExactly(loss.compute(fresh).grad().f32());
    }
}
