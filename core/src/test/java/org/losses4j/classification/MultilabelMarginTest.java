package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.assertRefused;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * multilabel_margin: finite differences (every reduction, a [C] row), sum = N·mean, terms ≥ 0 and 0
 * exactly when every positive class outscores every negative by 1, invariance to a shift of a row, to
 * the order of the listed classes and to what follows the terminator, one listed class is multi_margin,
 * a closed form, the kink, extremes, NaN, float32, refusals naming row and column.
 */
class MultilabelMarginTest {
    private static Loss loss(String reduction) {
        return Losses.create("multilabel_margin", Map.of("reduction", reduction));
    }

    /** n rows of c: a random list of distinct positive classes (maybe empty or all), −1, then padding −1. */
    static long[] targets(Random r, int n, int c) {
        long[] t = new long[n * c];
        java.util.Arrays.fill(t, -1);
        for (int s = 0; s < n; s++) {
            List<Integer> classes = new ArrayList<>();
            for (int j = 0; j < c; j++) {
                classes.add(j);
            }
            Collections.shuffle(classes, r);
            int k = r.nextInt(c + 1);
            for (int j = 0; j < k; j++) {
                t[s * c + j] = classes.get(j);
            }
        }
        return t;
    }

    static Inputs data(Random r, int n, int c) {
        return Inputs.of(Tensor.of(MulticlassReference.uniform(r, n * c, -2, 2), n, c),
                Tensor.ofLabels(targets(r, n, c), n, c));
    }

    @Test
    void gradientIsTheFiniteDifference() {
        Random r = new Random(17);
        for (String red : new String[] {"mean", "sum", "none"}) {
            for (int rep = 0; rep < 4; rep++) {
                GradCheck.gradients(loss(red), data(r, 5, 4 + rep), 1e-6, 1e-7);
            }
            Inputs row = data(r, 1, 6);
            GradCheck.gradients(loss(red), Inputs.of(row.get("input").reshape(6), row.get("target").reshape(6)),
                    1e-6, 1e-7);
        }
    }

    @Property(tries = 40)
    void sumIsNTimesMeanAndTermsAreNonNegative(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int n,
            @ForAll @IntRange(min = 1, max = 7) int c) {
        Inputs in = data(new Random(seed), n, c);
        LossResult none = loss("none").compute(in);
        double sum = 0;
        for (double t : none.terms().f64()) {
            assertThat(t).isGreaterThanOrEqualTo(0.0);
            sum += t;
        }
        double s = loss("sum").value(in).value();
        assertClose(s, sum, 1e-14);
        GradCheck.sumIsNTimesMean(s, loss("mean").value(in).value(), n);
    }

    /** Zero (value and gradient) when every listed class scores at least 1 above every other class. */
    @Property(tries = 30)
    void zeroWhenPositivesLeadByTheMargin(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 2, max = 7) int c) {
        Random r = new Random(seed);
        long[] t = targets(r, n, c);
        double[] x = new double[n * c];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < c; j++) {
                x[s * c + j] = r.nextDouble(); // negatives in [0, 1)
            }
            for (int k = 0; k < c && t[s * c + k] >= 0; k++) {
                x[s * c + (int) t[s * c + k]] = 2 + r.nextDouble(); // positives in [2, 3): a lead of > 1
            }
        }
        LossResult res = loss("sum").compute(Inputs.of(Tensor.of(x, n, c), Tensor.ofLabels(t, n, c)));
        assertThat(res.value()).isZero();
        assertThat(res.grad().f64()).containsOnly(0.0);
    }

    /** Adding a constant to a row changes nothing; neither does the order of the listed classes nor the padding. */
    @Property(tries = 30)
    void shiftOrderAndPaddingInvariance(@ForAll long seed, @ForAll @DoubleRange(min = -50, max = 50) double shift) {
        Random r = new Random(seed);
        int n = 4, c = 6;
        Inputs in = data(r, n, c);
        double[] x = in.get("input").f64().clone();
        long[] t = in.get("target").i64().clone();
        LossResult base = loss("none").compute(in);
        for (int i = 0; i < x.length; i++) {
            x[i] += shift * (1 + i / c); // one shift per row
        }
        for (int s = 0; s < n; s++) {
            int k = 0;
            while (k < c && t[s * c + k] >= 0) {
                k++;
            }
            // reverse the listed classes; fill what follows the terminator with arbitrary valid indices
            for (int a = 0, b = k - 1; a < b; a++, b--) {
                long v = t[s * c + a];
                t[s * c + a] = t[s * c + b];
                t[s * c + b] = v;
            }
            for (int j = k + 1; j < c; j++) {
                t[s * c + j] = r.nextInt(c + 1) - 1;
            }
        }
        LossResult moved = loss("none").compute(Inputs.of(Tensor.of(x, n, c), Tensor.ofLabels(t, n, c)));
        for (int s = 0; s < n; s++) {
            assertClose(moved.terms().f64()[s], base.terms().f64()[s], 1e-11 * (1 + Math.abs(shift)));
        }
        double[] g0 = base.grad().f64();
        double[] g1 = moved.grad().f64();
        for (int i = 0; i < g0.length; i++) {
            assertThat(g1[i]).isEqualTo(g0[i]);
        }
    }

    /** With one listed class y, the term is multi_margin's Σ_{i≠y} max(0, 1 − x_y + x_i)/C. */
    @Property(tries = 30)
    void oneListedClassIsMultiMargin(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 2, max = 7) int c) {
        Random r = new Random(seed);
        double[] x = MulticlassReference.uniform(r, n * c, -2, 2);
        long[] t = new long[n * c];
        long[] y = new long[n];
        java.util.Arrays.fill(t, -1);
        for (int s = 0; s < n; s++) {
            y[s] = r.nextInt(c);
            t[s * c] = y[s];
        }
        LossResult a = loss("none").compute(Inputs.of(Tensor.of(x, n, c), Tensor.ofLabels(t, n, c)));
        LossResult m = Losses.create("multi_margin", Map.of("reduction", "none"))
                .compute(Inputs.of(Tensor.of(x, n, c), Tensor.ofLabels(y, n)));
        for (int s = 0; s < n; s++) {
            assertClose(a.terms().f64()[s], m.terms().f64()[s], 1e-15);
        }
        double[] ga = a.grad().f64();
        double[] gm = m.grad().f64();
        for (int i = 0; i < ga.length; i++) {
            assertThat(ga[i]).isCloseTo(gm[i], org.assertj.core.api.Assertions.within(1e-15));
        }
    }

    @Test
    void closedFormKinkAndRepeats() {
        // row [0.1, 0.2, 0.4, 0.8], listed {3, 0}: pairs (3,1) 0.4, (3,2) 0.6, (0,1) 1.1, (0,2) 1.3 → 3.4 / 4
        Tensor x = Tensor.of(new double[] {0.1, 0.2, 0.4, 0.8}, 1, 4);
        LossResult r = loss("mean").compute(Inputs.of(x, Tensor.ofLabels(new long[] {3, 0, -1, 1}, 1, 4)));
        assertClose(r.value(), 0.85, 1e-15);
        assertThat(r.grad().f64()).containsExactly(-0.5, 0.5, 0.5, -0.5);
        // a repeated index counts twice (PyTorch): listed {3, 3}: 2·(0.3 + 0.4 + 0.6) / 4
        r = loss("mean").compute(Inputs.of(x, Tensor.ofLabels(new long[] {3, 3, -1, 1}, 1, 4)));
        assertClose(r.value(), 0.65, 1e-15);
        assertThat(r.grad().f64()).containsExactly(0.5, 0.5, 0.5, -1.5);
        // the kink 1 − x_j + x_i = 0: term 0, subgradient 0; no listed class, or every class: 0
        r = loss("none").compute(Inputs.of(Tensor.of(new double[] {1, 0, -1, 0, 0, 0, 5, 6}, 4, 2),
                Tensor.ofLabels(new long[] {0, -1, 1, -1, -1, 1, 0, 1}, 4, 2)));
        assertThat(r.terms().f64()).containsExactly(0.0, 0.0, 0.0, 0.0);
        assertThat(r.grad().f64()).containsOnly(0.0);
        // a [C] row: a number for none
        r = loss("none").compute(Inputs.of(Tensor.vector(new double[] {0.1, 0.2, 0.4, 0.8}),
                Tensor.ofLabels(new long[] {3, 0, -1, 1}, 4)));
        assertClose(r.value(), 0.85, 1e-15);
    }

    @Test
    void extremesNaNAndFloat32() {
        LossResult r = loss("none").compute(Inputs.of(Tensor.of(new double[] {1e4, -1e4, 0, -1e4, 1e4, 0.5,
            1e300, -1e300, 0}, 3, 3), Tensor.ofLabels(new long[] {0, -1, -1, 0, 2, -1, 1, -1, 0}, 3, 3)));
        assertThat(r.terms().f64()).containsExactly(0.0, (20001 + 10000.5) / 3, 3e300 / 3);
        for (double g : r.grad().f64()) {
            assertThat(g).isFinite();
        }
        // NaN in a row: that row's term and gradient NaN, the others untouched
        r = loss("none").compute(Inputs.of(Tensor.of(new double[] {Double.NaN, 0.5, 0.1, 0.2, 0.3, 0.4}, 2, 3),
                Tensor.ofLabels(new long[] {1, -1, -1, 0, -1, -1}, 2, 3)));
        assertThat(r.terms().f64()[0]).isNaN();
        assertClose(r.terms().f64()[1], (1.1 + 1.2) / 3, 1e-15);
        double[] g = r.grad().f64();
        for (int i = 0; i < 3; i++) {
            assertThat(g[i]).isNaN();
            assertThat(g[3 + i]).isFinite();
        }
        assertThat(loss("mean").value(Inputs.of(Tensor.of(new double[] {Double.NaN, 0.5, 0.1, 0.2, 0.3, 0.4}, 2, 3),
                Tensor.ofLabels(new long[] {1, -1, -1, 0, -1, -1}, 2, 3))).value()).isNaN();
        // float32 scores: the float64 result on the rounded values
        Random rnd = new Random(3);
        Inputs d = data(rnd, 6, 5);
        double[] xd = d.get("input").f64();
        float[] xf = new float[xd.length];
        double[] xr = new double[xd.length];
        for (int i = 0; i < xd.length; i++) {
            xf[i] = (float) xd[i];
            xr[i] = xf[i];
        }
        for (String red : new String[] {"mean", "sum", "none"}) {
            TestSupport.compare32(loss(red).compute(Inputs.of(Tensor.of(xf, 6, 5), d.get("target"))),
                    loss(red).compute(Inputs.of(Tensor.of(xr, 6, 5), d.get("target"))));
        }
    }

    @Test
    void refusals() {
        Tensor x = Tensor.of(new double[12], 3, 4);
        assertRefused(() -> loss("mean").compute(Inputs.of(x, Tensor.ofLabels(new long[] {0, -1, -1, -1, 1, 2, 3, -1,
            0, -1, 7, -1}, 3, 4))), ErrorKind.LABEL_OUT_OF_RANGE, "target[2, 2] = 7 is outside [-1, 4)");
        assertRefused(() -> loss("mean").compute(Inputs.of(x, Tensor.ofLabels(new long[] {0, -1, -1, -1, 1, 4, 3, -1,
            0, -1, -1, -1}, 3, 4))), ErrorKind.LABEL_OUT_OF_RANGE, "target[1, 1] = 4 is outside [-1, 4)");
        assertRefused(() -> loss("mean").compute(Inputs.of(x, Tensor.ofLabels(new long[] {-2, -1, -1, -1, 1, 2, 3, -1,
            0, -1, -1, -1}, 3, 4))), ErrorKind.LABEL_OUT_OF_RANGE, "target[0, 0] = -2 is outside [-1, 4)");
        assertRefused(() -> loss("mean").compute(Inputs.of(x, Tensor.ofLabels(new long[12], 4, 3))),
                ErrorKind.SHAPE_MISMATCH, "target");
        assertRefused(() -> loss("mean").compute(Inputs.of(Tensor.of(new double[12], 3, 2, 2),
                Tensor.ofLabels(new long[12], 3, 2, 2))), ErrorKind.SHAPE_MISMATCH, "[N, C] or a single row [C]");
        assertRefused(() -> loss("mean").compute(Inputs.of(x, Tensor.of(new double[12], 3, 4))),
                ErrorKind.INVALID_DTYPE, "target");
        assertRefused(() -> Losses.create("multilabel_margin", Map.of("margin", 1.0)), ErrorKind.UNKNOWN_OPTION,
                "margin");
    }
}
