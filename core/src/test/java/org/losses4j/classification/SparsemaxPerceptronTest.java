package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * sparsemax and multiclass_perceptron: values against independent formulas (sparsemax's τ by
 * bisection, not by sorting; the perceptron as multiclass_hinge with margin 0), finite-difference
 * gradients for every reduction, and the invariants: never negative, zero exactly at a margin of 1
 * (sparsemax) or with the label on top (perceptron), invariant to a constant added to a row,
 * gradient rows summing to 0 with sparsemax's p − e_y on the simplex.
 */
class SparsemaxPerceptronTest {
    private static Loss loss(String name, String red) {
        return Losses.create(name, Map.of("reduction", red));
    }

    private static Inputs inputs(double[] x, int n, int c, long[] y) {
        return Inputs.of(Tensor.of(x, n, c), Tensor.ofLabels(y, n));
    }

    private static double[] gauss(Random r, int n, double s) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * s;
        }
        return x;
    }

    private static long[] labels(Random r, int n, int c) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(c);
        }
        return y;
    }

    /** The simplex projection of one row with τ found by bisection on Σ max(x − τ, 0) = 1. */
    static double[] projection(double[] x, int from, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            max = Math.max(max, x[from + k]);
        }
        double lo = max - 1;
        double hi = max;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double s = 0;
            for (int k = 0; k < c; k++) {
                s += Math.max(x[from + k] - mid, 0);
            }
            if (s > 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double tau = 0.5 * (lo + hi);
        double[] p = new double[c];
        for (int k = 0; k < c; k++) {
            p[k] = Math.max(x[from + k] - tau, 0);
        }
        return p;
    }

    /** Optax's form: Σ_c p_c·(x_c − x_y) + ½(1 − ‖p‖²). */
    static double sparsemaxTerm(double[] x, int from, int c, int y) {
        double[] p = projection(x, from, c);
        double t = 0.5;
        for (int k = 0; k < c; k++) {
            t += p[k] * (x[from + k] - x[from + y]) - 0.5 * p[k] * p[k];
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "sum", "none"})
    void sparsemaxValueAndGradient(String red) {
        Random r = new Random(red.hashCode());
        for (int[] nc : new int[][] {{1, 2}, {4, 3}, {3, 7}, {2, 1}, {5, 12}}) {
            int n = nc[0];
            int c = nc[1];
            for (double scale : new double[] {0.1, 1, 4}) {
                double[] x = gauss(r, n * c, scale);
                long[] y = labels(r, n, c);
                Loss l = loss("sparsemax", red);
                LossResult res = l.compute(inputs(x, n, c, y));
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double t = sparsemaxTerm(x, i * c, c, (int) y[i]);
                    sum += t;
                    if (red.equals("none")) {
                        assertThat(res.terms().f64()[i]).isCloseTo(t, within(1e-10));
                    }
                }
                if (!red.equals("none")) {
                    assertThat(res.value()).isCloseTo(red.equals("mean") ? sum / n : sum, within(1e-10));
                }
                GradCheck.gradients(l, inputs(x, n, c, y), 1e-6, 1e-6);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean", "sum", "none"})
    void perceptronIsMulticlassHingeWithMarginZeroAndItsGradientAwayFromTies(String red) {
        Random r = new Random(31 + red.hashCode());
        Loss p = loss("multiclass_perceptron", red);
        Loss h = Losses.create("multiclass_hinge", Map.of("reduction", red, "margin", 0.0));
        for (int[] nc : new int[][] {{1, 2}, {4, 3}, {6, 9}}) {
            double[] x = gauss(r, nc[0] * nc[1], 2);
            long[] y = labels(r, nc[0], nc[1]);
            Inputs in = inputs(x, nc[0], nc[1], y);
            assertThat(p.compute(in).value()).isCloseTo(h.compute(in).value(), within(1e-12));
            GradCheck.gradients(p, in, 1e-7, 1e-6);
        }
    }

    @Test
    void perceptronSplitsTheGradientAmongTiedMaxima() {
        LossResult r = loss("multiclass_perceptron", "sum").compute(inputs(new double[] {3, 3, 1, 2, 2, 2}, 2, 3,
                new long[] {2, 0}));
        assertThat(r.terms() == null ? r.value() : 0).isEqualTo(2.0 + 0.0);
        assertThat(r.grad("input").f64()).containsExactly(new double[] {0.5, 0.5, -1, 1.0 / 3 - 1, 1.0 / 3, 1.0 / 3},
                within(1e-15));
    }

    /** Never negative; zero exactly when the label leads every other class by at least 1. */
    @Property(tries = 80)
    void sparsemaxIsZeroExactlyAtAMarginOfOne(@ForAll @IntRange(min = 2, max = 9) int c,
            @ForAll @DoubleRange(min = -0.5, max = 0.5) double gap, @ForAll long seed) {
        Random r = new Random(seed);
        double[] x = gauss(r, c, 3);
        int y = r.nextInt(c);
        double best = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            if (k != y) {
                best = Math.max(best, x[k]);
            }
        }
        x[y] = best + 1 + gap;
        double v = loss("sparsemax", "sum").value(inputs(x, 1, c, new long[] {y})).value();
        assertThat(v).isGreaterThanOrEqualTo(0.0);
        if (gap > 1e-9) {
            assertThat(v).isEqualTo(0.0);
        } else if (gap < -1e-9) {
            assertThat(v).isGreaterThan(0.0);
        } else {
            assertThat(v).isLessThan(1e-15); // x_y − best rounds to either side of 1
        }
    }

    /** Adding a constant to a row changes nothing; gradient rows sum to 0; sparsemax's is p − e_y on the simplex. */
    @Property(tries = 60)
    void shiftInvarianceAndGradientRows(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 8) int c,
            @ForAll @DoubleRange(min = -50, max = 50) double shift, @ForAll long seed) {
        Random r = new Random(seed);
        double[] x = gauss(r, n * c, 2);
        long[] y = labels(r, n, c);
        double[] xs = x.clone();
        for (int i = 0; i < xs.length; i++) {
            xs[i] += shift;
        }
        for (String name : new String[] {"sparsemax", "multiclass_perceptron"}) {
            LossResult a = loss(name, "sum").compute(inputs(x, n, c, y));
            LossResult b = loss(name, "sum").compute(inputs(xs, n, c, y));
            assertThat(b.value()).isCloseTo(a.value(), within(1e-9 * (1 + Math.abs(a.value()))));
            double[] g = a.grad("input").f64();
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += g[i * c + k];
                    double pk = g[i * c + k] + (k == y[i] ? 1 : 0);
                    assertThat(pk).isBetween(-1e-12, 1 + 1e-12);
                }
                assertThat(s).isCloseTo(0.0, within(1e-12));
            }
            GradCheck.sumIsNTimesMean(a.value(), loss(name, "mean").value(inputs(x, n, c, y)).value(), n);
        }
    }

    @Test
    void hugeScoresAndFloat32() {
        double[] x = {1e4, -1e4, 0, -1e4, 1e4, 1e4, 1e4, 1e4 - 0.5, -1e4};
        long[] y = {1, 0, 1};
        LossResult s = loss("sparsemax", "none").compute(inputs(x, 3, 3, y));
        // row 0: p = e_0, term x_0 − x_1 + 0 = 2e4; row 1: p = (0, ½, ½), term ½·2e4 + ½·2e4 + ¼ = 2e4 + ¼;
        // row 2: p = (¾, ¼, 0), term ¾·0.5 + ½(1 − 10/16) = 0.5625
        assertThat(s.terms().f64()).containsExactly(new double[] {2e4, 2e4 + 0.25, 0.5625}, within(1e-9));
        for (String name : new String[] {"sparsemax", "multiclass_perceptron"}) {
            Random r = new Random(name.hashCode());
            double[] z = gauss(r, 24, 3);
            float[] z32 = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                z32[i] = (float) z[i];
                z[i] = z32[i];
            }
            long[] lab = labels(r, 4, 6);
            TestSupport.compare32(loss(name, "mean").compute(Inputs.of(Tensor.of(z32, 4, 6), Tensor.ofLabels(lab, 4))),
                    loss(name, "mean").compute(inputs(z, 4, 6, lab)));
        }
    }
}
