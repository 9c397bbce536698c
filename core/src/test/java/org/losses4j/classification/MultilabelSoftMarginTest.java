package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
 * multilabel_soft_margin: finite differences (weights or not, every reduction, a [C] row), its mean is
 * bce_with_logits' mean and its sum 1/C of bce_with_logits' sum, unit class weights are no weights,
 * logits ±1e4 exact, σ(x) − y without cancellation, NaN, float32, refusals.
 */
class MultilabelSoftMarginTest {
    static Inputs data(Random r, int n, int c, boolean weighted, boolean soft) {
        double[] y = soft ? MulticlassReference.uniform(r, n * c, 0, 1) : new double[n * c];
        for (int i = 0; !soft && i < y.length; i++) {
            y[i] = r.nextInt(2);
        }
        Inputs in = Inputs.of(Tensor.of(MulticlassReference.uniform(r, n * c, -4, 4), n, c), Tensor.of(y, n, c));
        return weighted ? in.with("weight", Tensor.vector(MulticlassReference.uniform(r, c, 0.2, 2))) : in;
    }

    @Test
    void gradientIsTheFiniteDifference() {
        Random r = new Random(14);
        for (boolean w : new boolean[] {false, true}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                var loss = Losses.create("multilabel_soft_margin", Map.of("reduction", red));
                GradCheck.gradients(loss, data(r, 5, 4, w, red.equals("sum")), 1e-6, 1e-7);
                Inputs row = data(r, 1, 6, w, true);
                GradCheck.gradients(loss, Inputs.of(row.get("input").reshape(6), row.get("target").reshape(6))
                        .with("weight", row.get("weight")), 1e-6, 1e-7);
            }
        }
    }

    /** The mean over classes then rows is the mean over elements: bce_with_logits' mean; sum is 1/C of its sum. */
    @Property(tries = 40)
    void isBceWithLogitsAveragedOverClasses(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 6) int c) {
        Inputs in = data(new Random(seed), n, c, false, true);
        for (String red : new String[] {"mean", "sum"}) {
            LossResult m = Losses.create("multilabel_soft_margin", Map.of("reduction", red)).compute(in);
            LossResult b = Losses.create("bce_with_logits", Map.of("reduction", red)).compute(in);
            double f = red.equals("mean") ? 1 : 1.0 / c;
            assertClose(m.value(), f * b.value(), 1e-13);
            double[] gm = m.grad().f64();
            double[] gb = b.grad().f64();
            for (int i = 0; i < gm.length; i++) {
                assertThat(gm[i]).isCloseTo(f * gb[i], within(1e-15));
            }
        }
    }

    @Property(tries = 30)
    void unitWeightsAreNoWeightsAndAWeightScalesItsClass(@ForAll long seed, @ForAll @IntRange(min = 1, max = 7) int n,
            @ForAll @IntRange(min = 2, max = 6) int c) {
        Inputs in = data(new Random(seed), n, c, false, false);
        var loss = Losses.create("multilabel_soft_margin", Map.of("reduction", "sum"));
        double[] ones = new double[c];
        java.util.Arrays.fill(ones, 1);
        LossResult plain = loss.compute(in);
        LossResult unit = loss.compute(in.with("weight", Tensor.vector(ones)));
        assertThat(unit.value()).isEqualTo(plain.value());
        assertThat(unit.grad().f64()).containsExactly(plain.grad().f64());
        ones[0] = 3;
        LossResult w = loss.compute(in.with("weight", Tensor.vector(ones)));
        for (int i = 0; i < n; i++) {
            assertThat(w.grad().f64()[i * c]).isCloseTo(3 * plain.grad().f64()[i * c], within(1e-15));
            assertThat(w.grad().f64()[i * c + 1]).isEqualTo(plain.grad().f64()[i * c + 1]);
        }
    }

    @Test
    void extremeLogits() {
        LossResult r = MultilabelSoftMargin.builder().reduction(org.losses4j.Reduction.NONE).build().compute(Inputs.of(
                Tensor.of(new double[] {1e4, -1e4, 1e4, -1e4, 40, -40, 0, 0}, 2, 4),
                Tensor.of(new double[] {1, 0, 0, 1, 1, 0, 1, 0}, 2, 4)));
        assertThat(r.terms().f64()[0]).isEqualTo(2e4 / 4);
        // row 2: 2·softplus(−40) + 2·log 2, over 4; σ(40) − 1 = −e^−40/(1 + e^−40), not 0
        assertThat(r.terms().f64()[1]).isCloseTo((2 * Math.log1p(Math.exp(-40)) + 2 * Math.log(2)) / 4, within(1e-16));
        double[] g = r.grad().f64();
        assertThat(g[0] + 0.0).isZero();
        assertThat(g[2]).isEqualTo(0.25);
        assertThat(g[4]).isCloseTo(-Math.exp(-40) / (1 + Math.exp(-40)) / 4, within(1e-32));
        assertThat(g[5]).isCloseTo(Math.exp(-40) / (1 + Math.exp(-40)) / 4, within(1e-32));
        assertThat(g[6]).isEqualTo(-0.125);
        // NaN: its row's term and its own element's gradient
        LossResult nan = Losses.create("multilabel_soft_margin", Map.of("reduction", "none")).compute(Inputs.of(
                Tensor.of(new double[] {Double.NaN, 1, 0.5, 2}, 2, 2), Tensor.of(new double[] {1, 0, 0, 1}, 2, 2)));
        assertThat(nan.terms().f64()[0]).isNaN();
        assertThat(nan.terms().f64()[1]).isFinite();
        assertThat(nan.grad().f64()[0]).isNaN();
        assertThat(nan.grad().f64()[1]).isFinite();
    }

    @Test
    void float32AndRefusals() {
        Inputs in = data(new Random(9), 5, 4, true, true);
        Inputs d = Inputs.of(Tensor.of(MulticlassReference.roundToFloat(in.get("input").f64()), 5, 4),
                Tensor.of(MulticlassReference.roundToFloat(in.get("target").f64()), 5, 4))
                .with("weight", Tensor.vector(MulticlassReference.roundToFloat(in.get("weight").f64())));
        Inputs f = Inputs.of(Tensor.of(MulticlassReference.toFloat(d.get("input").f64()), 5, 4),
                Tensor.of(MulticlassReference.toFloat(d.get("target").f64()), 5, 4))
                .with("weight", Tensor.vector(MulticlassReference.toFloat(d.get("weight").f64())));
        var loss = Losses.create("multilabel_soft_margin");
        TestSupport.compare32(loss.compute(f), loss.compute(d));
        Tensor x = Tensor.of(new double[6], 2, 3);
        assertRefused(() -> loss.compute(Inputs.of(x, Tensor.of(new double[] {0, 0, 0, 0, 1.5, 0}, 2, 3))),
                ErrorKind.OUT_OF_DOMAIN, "target[1, 1] = 1.5 is outside [0, 1]");
        assertRefused(() -> loss.compute(Inputs.of(x, Tensor.of(new double[6], 3, 2))), ErrorKind.SHAPE_MISMATCH,
                "target shape [3, 2] != input shape [2, 3]");
        assertRefused(() -> loss.compute(Inputs.of(x, Tensor.of(new double[6], 2, 3)).with("weight",
                Tensor.vector(new double[2]))), ErrorKind.SHAPE_MISMATCH, "weight shape [2] must be [3]");
        assertRefused(() -> loss.compute(Inputs.of(Tensor.of(new double[6], 1, 2, 3), Tensor.of(new double[6], 1, 2, 3))),
                ErrorKind.SHAPE_MISMATCH, "input must be [N, C] or a single row [C]");
    }
}
