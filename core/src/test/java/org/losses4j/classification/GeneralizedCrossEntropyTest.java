package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.assertRefused;

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
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * generalized_cross_entropy: finite differences over q and every reduction, the naive formula,
 * q = 1 is 1 − p_y and q → 0 is cross-entropy, the bounds 0 ≤ term ≤ 1/q and |gradient| ≤ 1,
 * logits ±1e4, NaN rows, float32, refusals.
 */
class GeneralizedCrossEntropyTest {
    private static Inputs logits(Random r, int n, int c, double s) {
        return Inputs.of(Tensor.of(MulticlassReference.uniform(r, n * c, -s, s), n, c),
                Tensor.labels(MulticlassReference.labels(r, n, c)));
    }

    @Test
    void gradientIsTheFiniteDifference() {
        Random r = new Random(12);
        for (double q : new double[] {1e-3, 0.3, 0.7, 1}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                GradCheck.gradients(Losses.create("generalized_cross_entropy", Map.of("q", q, "reduction", red)),
                        logits(r, 5, 4, 3), 1e-6, 1e-7);
            }
        }
    }

    /** The naive (1 − p_y^q)/q, the bounds 0 ≤ term ≤ 1/q and |∂/∂x_j| ≤ 1 (the robustness). */
    @Property(tries = 40)
    void formulaAndBounds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll @DoubleRange(min = 0.01, max = 1) double q) {
        Inputs in = logits(new Random(seed), n, c, 4);
        double[] lp = MulticlassReference.logSoftmax(in.get("input").f64(), new int[] {n, c});
        long[] y = in.get("target").i64();
        LossResult r = Losses.create("generalized_cross_entropy", Map.of("q", q, "reduction", "none")).compute(in);
        double[] t = r.terms().f64();
        for (int i = 0; i < n; i++) {
            assertClose(t[i], (1 - Math.pow(Math.exp(lp[i * c + (int) y[i]]), q)) / q, 1e-12);
            assertThat(t[i]).isBetween(0.0, 1 / q);
        }
        for (double g : r.grad().f64()) {
            assertThat(Math.abs(g)).isLessThanOrEqualTo(1.0);
        }
    }

    @Property(tries = 30)
    void qOneIsMaeAndSmallQIsCrossEntropy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 6) int c) {
        Inputs in = logits(new Random(seed), n, c, 3);
        double[] lp = MulticlassReference.logSoftmax(in.get("input").f64(), new int[] {n, c});
        long[] y = in.get("target").i64();
        double[] mae = Losses.create("generalized_cross_entropy", Map.of("q", 1.0, "reduction", "none")).value(in)
                .terms().f64();
        double[] small = Losses.create("generalized_cross_entropy", Map.of("q", 1e-9, "reduction", "none"))
                .value(in).terms().f64();
        double[] ce = Losses.create("cross_entropy", Map.of("reduction", "none")).value(in).terms().f64();
        for (int i = 0; i < n; i++) {
            assertClose(mae[i], 1 - Math.exp(lp[i * c + (int) y[i]]), 1e-13);
            assertClose(small[i], ce[i], 1e-7);
        }
    }

    @Test
    void extremeLogits() {
        var loss = GeneralizedCrossEntropy.builder().q(0.5).reduction(org.losses4j.Reduction.NONE).build();
        LossResult r = loss.compute(Inputs.of(Tensor.of(new double[] {1e4, -1e4, 0, 1e4, -1e4, 0}, 2, 3),
                Tensor.labels(0, 1)));
        assertThat(r.terms().f64()[0]).isCloseTo(0.0, within(0.0)); // certain: 0
        assertThat(r.terms().f64()[1]).isEqualTo(2.0); // hopeless: 1/q
        for (double g : r.grad().f64()) {
            assertThat(g + 0.0).isZero(); // p_y^q·(p − onehot): 0 for both rows in double precision
        }
        // a confident row keeps its precision: (1 − p_y^q)/q ≈ ρ for ρ = e^−30 + e^−60
        double rho = Math.exp(-30) + Math.exp(-60);
        assertThat(loss.compute(Inputs.of(Tensor.of(new double[] {0, 30, -30}, 1, 3), Tensor.labels(1))).value())
                .isCloseTo(-Math.expm1(-0.5 * Math.log1p(rho)) / 0.5, within(1e-14 * rho));
    }

    @Test
    void nanRowsAndFloat32() {
        LossResult r = Losses.create("generalized_cross_entropy", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {Double.NaN, 1, 0.5, 0.2, -1, 2}, 2, 3), Tensor.labels(0, 2)));
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isFinite();
        assertThat(r.grad().f64()[1]).isNaN();
        assertThat(r.grad().f64()[4]).isFinite();
        Random rnd = new Random(6);
        double[] x = MulticlassReference.roundToFloat(MulticlassReference.uniform(rnd, 24, -4, 4));
        Tensor y = Tensor.labels(MulticlassReference.labels(rnd, 6, 4));
        var loss = Losses.create("generalized_cross_entropy", Map.of("q", 0.4));
        TestSupport.compare32(loss.compute(Inputs.of(Tensor.of(MulticlassReference.toFloat(x), 6, 4), y)),
                loss.compute(Inputs.of(Tensor.of(x, 6, 4), y)));
    }

    @Test
    void refusals() {
        for (double q : new double[] {0, -0.5, 1.5}) {
            assertRefused(() -> Losses.create("generalized_cross_entropy", Map.of("q", q)), ErrorKind.INVALID_OPTION,
                    "must be in (0, 1]");
        }
        var loss = Losses.create("generalized_cross_entropy");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[6], 2, 3), Tensor.labels(-1, 0))),
                ErrorKind.LABEL_OUT_OF_RANGE, "target[0] = -1 is outside [0, 3) classes");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[6], 2, 3), Tensor.labels(0))),
                ErrorKind.SHAPE_MISMATCH, "target shape [1] != [2]");
    }
}
