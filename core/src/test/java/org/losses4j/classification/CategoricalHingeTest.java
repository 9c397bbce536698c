package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.assertRefused;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * categorical_hinge: finite differences (one-hot and soft targets, every reduction) away from ties
 * and the kink, Keras' formula where the true class enters neg as 0 (then it is multiclass_hinge when
 * some wrong class scores ≥ 0, else max(0, 1 − x_y)), the first maximum's subgradient on a tie, zero
 * beyond the margin, NaN, float32, refusals.
 */
class CategoricalHingeTest {
    /** Scores and one-hot (or soft) targets [n, c] with a unique max of (1 − y)·x and the hinge 0.05 from its kink. */
    static Inputs data(Random r, int n, int c, boolean soft) {
        double[] x = new double[n * c];
        double[] y = new double[n * c];
        for (int i = 0; i < n; i++) {
            while (true) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    x[i * c + k] = 4 * r.nextDouble() - 2;
                    y[i * c + k] = soft ? r.nextDouble() : 0;
                    sum += y[i * c + k];
                }
                if (soft) {
                    for (int k = 0; k < c; k++) {
                        y[i * c + k] /= sum;
                    }
                } else {
                    y[i * c + r.nextInt(c)] = 1;
                }
                double best = Double.NEGATIVE_INFINITY;
                double second = Double.NEGATIVE_INFINITY;
                double pos = 0;
                for (int k = 0; k < c; k++) {
                    double v = (1 - y[i * c + k]) * x[i * c + k];
                    pos += y[i * c + k] * x[i * c + k];
                    if (v > best) {
                        second = best;
                        best = v;
                    } else if (v > second) {
                        second = v;
                    }
                }
                if (best - second > 0.05 && Math.abs(best - pos + 1) > 0.05) {
                    break;
                }
            }
        }
        return Inputs.of(Tensor.of(x, n, c), Tensor.of(y, n, c));
    }

    @Test
    void gradientIsTheFiniteDifference() {
        Random r = new Random(13);
        for (boolean soft : new boolean[] {false, true}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                for (int rep = 0; rep < 3; rep++) {
                    GradCheck.gradients(Losses.create("categorical_hinge", Map.of("reduction", red)),
                            data(r, 6, 4, soft), 1e-6, 1e-7);
                }
            }
        }
    }

    /** On one-hot targets: max(0, 1 + max(0, max_{j≠y} x_j) − x_y), i.e. multiclass_hinge where a wrong class is ≥ 0. */
    @Property(tries = 40)
    void oneHotIsTheFlooredCrammerSingerHinge(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c) {
        Random r = new Random(seed);
        long[] y = MulticlassReference.labels(r, n, c);
        double[] x = MulticlassReference.uniform(r, n * c, -3, 3);
        double[] onehot = new double[n * c];
        for (int i = 0; i < n; i++) {
            onehot[i * c + (int) y[i]] = 1;
        }
        double[] t = Losses.create("categorical_hinge", Map.of("reduction", "none"))
                .value(Inputs.of(Tensor.of(x, n, c), Tensor.of(onehot, n, c))).terms().f64();
        double[] h = Losses.create("multiclass_hinge", Map.of("reduction", "none"))
                .value(Inputs.of(Tensor.of(x, n, c), Tensor.labels(y))).terms().f64();
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                if (k != y[i]) {
                    best = Math.max(best, x[i * c + k]);
                }
            }
            assertClose(t[i], Math.max(0, 1 + Math.max(0, best) - x[i * c + (int) y[i]]), 1e-15);
            if (best >= 0) {
                assertClose(t[i], h[i], 1e-15);
            }
        }
    }

    @Test
    void tiesKinksAndExtremes() {
        // a tie of the wrong classes: the first takes the +1; the true class −1
        LossResult tie = Losses.create("categorical_hinge", Map.of("reduction", "sum")).compute(Inputs.of(
                Tensor.of(new double[] {0, 2, 2}, 1, 3), Tensor.of(new double[] {1, 0, 0}, 1, 3)));
        assertThat(tie.value()).isEqualTo(3.0);
        assertThat(plus0(tie.grad().f64())).containsExactly(-1.0, 1.0, 0.0);
        // every wrong score negative: neg is the true class's 0, so only x_y ≥ 1 gives 0
        LossResult neg = Losses.create("categorical_hinge", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {0.5, -1, -2, 1, -1, -2}, 2, 3), Tensor.of(new double[] {1, 0, 0, 1, 0, 0}, 2, 3)));
        assertThat(neg.terms().f64()).containsExactly(0.5, 0.0);
        assertThat(plus0(neg.grad().f64())).containsExactly(-1.0, 0.0, 0.0, 0.0, 0.0, 0.0); // the kink: subgradient 0
        // ±1e4 and 1e300: exact, finite
        LossResult big = Losses.create("categorical_hinge", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {1e4, -1e4, 0, -1e300, 1e300, 0}, 2, 3), Tensor.of(new double[] {1, 0, 0, 1, 0, 0}, 2, 3)));
        assertThat(plus0(big.terms().f64())).containsExactly(0.0, 2e300);
        // NaN: its row
        LossResult nan = Losses.create("categorical_hinge", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {Double.NaN, 1, 0, 0, 1, 0}, 2, 3), Tensor.of(new double[] {1, 0, 0, 1, 0, 0}, 2, 3)));
        assertThat(nan.terms().f64()[0]).isNaN();
        assertThat(nan.terms().f64()[1]).isEqualTo(2.0);
        assertThat(nan.grad().f64()[2]).isNaN();
        assertThat(nan.grad().f64()[3]).isEqualTo(-1.0);
    }

    /** The values with −0.0 as 0.0. */
    static double[] plus0(double[] a) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] + 0.0;
        }
        return b;
    }

    @Test
    void float32AndRefusals() {
        Inputs in = data(new Random(8), 5, 4, true);
        double[] x = MulticlassReference.roundToFloat(in.get("input").f64());
        double[] y = MulticlassReference.roundToFloat(in.get("target").f64());
        var loss = CategoricalHinge.builder().build();
        TestSupport.compare32(loss.compute(Inputs.of(Tensor.of(MulticlassReference.toFloat(x), 5, 4),
                Tensor.of(MulticlassReference.toFloat(y), 5, 4))), loss.compute(Inputs.of(Tensor.of(x, 5, 4),
                Tensor.of(y, 5, 4))));
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[4], 2, 2), Tensor.of(new double[] {0, 1.5, 1, 0},
                2, 2))), ErrorKind.OUT_OF_DOMAIN, "target[0, 1] = 1.5 is outside [0, 1]");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[4], 2, 2), Tensor.of(new double[4], 4))),
                ErrorKind.SHAPE_MISMATCH, "target shape [4] != input shape [2, 2]");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[4], 4), Tensor.of(new double[4], 4))),
                ErrorKind.SHAPE_MISMATCH, "input must be [N, C]");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[4], 2, 2), Tensor.labels(0, 1))),
                ErrorKind.INVALID_DTYPE, "target must be float32 or float64");
    }
}
