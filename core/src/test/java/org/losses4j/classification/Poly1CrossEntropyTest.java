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
 * poly1_cross_entropy: the gradient against finite differences over ε and every reduction, ε = 0 is
 * cross_entropy, the loss is affine in ε with slope 1 − p_y, closed forms at logits ±1e4 and for a
 * confident row, NaN rows, float32, refusals and the typed builder.
 */
class Poly1CrossEntropyTest {
    private static Inputs logits(Random r, int n, int c) {
        return Inputs.of(Tensor.of(MulticlassReference.uniform(r, n * c, -3, 3), n, c),
                Tensor.labels(MulticlassReference.labels(r, n, c)));
    }

    @Test
    void gradientIsTheFiniteDifference() {
        Random r = new Random(11);
        for (double eps : new double[] {-3, -1, 0, 0.5, 1, 2, 5.5}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                GradCheck.gradients(Losses.create("poly1_cross_entropy", Map.of("epsilon", eps, "reduction", red)),
                        logits(r, 5, 4), 1e-6, 1e-7);
            }
        }
    }

    @Property(tries = 40)
    void epsilonZeroIsCrossEntropy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 6) int c) {
        Inputs in = logits(new Random(seed), n, c);
        LossResult p = Losses.create("poly1_cross_entropy", Map.of("epsilon", 0.0, "reduction", "none")).compute(in);
        LossResult ce = Losses.create("cross_entropy", Map.of("reduction", "none")).compute(in);
        double[] a = p.terms().f64();
        double[] b = ce.terms().f64();
        for (int i = 0; i < n; i++) {
            assertClose(a[i], b[i], 1e-13);
        }
        double[] ga = p.grad().f64();
        double[] gb = ce.grad().f64();
        for (int i = 0; i < ga.length; i++) {
            assertThat(ga[i]).isCloseTo(gb[i], within(1e-15));
        }
    }

    /** term(ε) = term(0) + ε·(1 − p_y), p_y from an independent naive softmax; ε ≥ −1 keeps it ≥ 0. */
    @Property(tries = 40)
    void affineInEpsilon(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c, @ForAll @DoubleRange(min = -1, max = 8) double eps) {
        Random r = new Random(seed);
        Inputs in = logits(r, n, c);
        double[] x = in.get("input").f64();
        long[] y = in.get("target").i64();
        double[] lp = MulticlassReference.logSoftmax(x, new int[] {n, c});
        double[] t = Losses.create("poly1_cross_entropy", Map.of("epsilon", eps, "reduction", "none")).value(in)
                .terms().f64();
        for (int i = 0; i < n; i++) {
            double l = lp[i * c + (int) y[i]];
            assertClose(t[i], -l + eps * (1 - Math.exp(l)), 1e-12);
            assertThat(t[i]).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void extremeLogitsAndConfidentRows() {
        // right at ±1e4: exactly 0 (and a zero gradient); wrong: 2e4 + ε, gradient p − onehot = (1, −1, 0)
        LossResult r = Losses.create("poly1_cross_entropy", Map.of("epsilon", 2.0, "reduction", "none")).compute(
                Inputs.of(Tensor.of(new double[] {1e4, -1e4, 0, 1e4, -1e4, 0}, 2, 3), Tensor.labels(0, 1)));
        assertThat(r.terms().f64()[0]).isCloseTo(0.0, within(0.0));
        assertThat(r.terms().f64()[1]).isEqualTo(2e4 + 2);
        double[] g = r.grad().f64();
        assertThat(g[0] + 0.0).isZero();
        assertThat(g[1] + 0.0).isZero();
        assertThat(g[3]).isEqualTo(1.0);
        assertThat(g[4]).isEqualTo(-1.0);
        // a confident row: with ρ = e^−30 + e^−60, −log p_y = log1p(ρ), 1 − p_y = ρ/(1 + ρ)
        double rho = Math.exp(-30) + Math.exp(-60);
        double q = rho / (1 + rho);
        LossResult c = Losses.create("poly1_cross_entropy", Map.of("epsilon", 3.0, "reduction", "sum")).compute(
                Inputs.of(Tensor.of(new double[] {0, 30, -30}, 1, 3), Tensor.labels(1)));
        assertThat(c.value()).isCloseTo(Math.log1p(rho) + 3 * q, within(1e-14 * rho));
        // d/dx_y = −(1 − p_y)(1 + ε·p_y)
        assertThat(c.grad().f64()[1]).isCloseTo(-q * (1 + 3 / (1 + rho)), within(1e-14 * rho));
    }

    @Test
    void nanRowsStayNaN() {
        LossResult r = Losses.create("poly1_cross_entropy", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {Double.NaN, 1, 0.5, 0.2, -1, 2}, 2, 3), Tensor.labels(0, 2)));
        assertThat(r.terms().f64()[0]).isNaN();
        assertThat(r.terms().f64()[1]).isFinite();
        for (int j = 0; j < 3; j++) {
            assertThat(r.grad().f64()[j]).isNaN();
            assertThat(r.grad().f64()[3 + j]).isFinite();
        }
    }

    @Test
    void float32AgreesWithFloat64() {
        Random r = new Random(5);
        double[] x = MulticlassReference.roundToFloat(MulticlassReference.uniform(r, 24, -4, 4));
        Tensor y = Tensor.labels(MulticlassReference.labels(r, 6, 4));
        var loss = Poly1CrossEntropy.builder().epsilon(2.0).build();
        TestSupport.compare32(loss.compute(Inputs.of(Tensor.of(MulticlassReference.toFloat(x), 6, 4), y)),
                loss.compute(Inputs.of(Tensor.of(x, 6, 4), y)));
    }

    @Test
    void refusals() {
        var loss = Losses.create("poly1_cross_entropy");
        Tensor x = Tensor.of(new double[6], 2, 3);
        assertRefused(() -> loss.compute(Inputs.of(x, Tensor.labels(0, 3))), ErrorKind.LABEL_OUT_OF_RANGE,
                "target[1] = 3 is outside [0, 3) classes");
        assertRefused(() -> loss.compute(Inputs.of(x, Tensor.labels(0, 1, 2))), ErrorKind.SHAPE_MISMATCH,
                "target shape [3] != [2]");
        assertRefused(() -> loss.compute(Inputs.of(x, Tensor.vector(new double[] {0, 1}))), ErrorKind.INVALID_DTYPE,
                "target must be int64");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[6], 1, 2, 3), Tensor.labels(0))),
                ErrorKind.SHAPE_MISMATCH, "input must be [N, C]");
        assertRefused(() -> Poly1CrossEntropy.builder().epsilon(2e15).build(), ErrorKind.INVALID_OPTION,
                "option epsilon = 2.0E15 must be in [-1e15, 1e15]");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[0], 0, 3), Tensor.labels())),
                ErrorKind.EMPTY_INPUT, "empty");
    }
}
