package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losses4j.segmentation.RegionLossesTest.assertRefused;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * generalized_dice: gradients for every option combination, a hand-computed case, MONAI's
 * rule for absent classes, uniform weights as the per-sample global dice, reductions, the
 * empty batch, float32 and refusals.
 */
class GeneralizedDiceTest {
    private static Loss loss(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create("generalized_dice", m);
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOptionCombination() {
        long seed = 1;
        int checked = 0;
        for (String wt : new String[] {"square", "simple", "uniform"}) {
            for (boolean batch : new boolean[] {false, true}) {
                for (String red : new String[] {"mean", "sum", "none"}) {
                    for (double[] s : new double[][] {{1e-5, 1e-5}, {0, 0.5}, {1, 1}}) {
                        for (int[] shape : new int[][] {{2, 3, 5}, {3, 2, 2, 2}, {2, 1}}) {
                            Loss l = loss("weight_type", wt, "batch", batch, "reduction", red, "smooth_nr", s[0],
                                    "smooth_dr", s[1]);
                            GradCheck.gradients(l, Data.region(seed++, seed % 2 == 0, shape), 1e-6, 2e-6);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(162);
    }

    // one sample, two classes of two positions: p = [.2, .7 | .4, .9], g = [0, 1 | 1, 1]
    private static Inputs small() {
        return Inputs.of(Tensor.of(new double[] {0.2, 0.7, 0.4, 0.9}, 1, 2, 2),
                Tensor.of(new double[] {0, 1, 1, 1}, 1, 2, 2));
    }

    @Test
    void closedForm() {
        // class 0: TP .7, P .9, G 1, w 1; class 1: TP 1.3, P 1.3, G 2, w 1/4
        double num = 2 * (0.7 + 1.3 / 4) + 1e-5;
        double den = (0.9 + 1) + (1.3 + 2) / 4 + 1e-5;
        LossResult r = loss().compute(small());
        assertEquals(1 - num / den, r.value(), 1e-15);
        // ∂/∂p_i = −w_c(2g_i − R)/den
        double ratio = num / den;
        double[] w = {1, 1, 0.25, 0.25};
        double[] g = {0, 1, 1, 1};
        for (int i = 0; i < 4; i++) {
            assertEquals(-w[i] * (2 * g[i] - ratio) / den, r.grad().f64()[i], 1e-15);
        }
        // simple: w = 1/G
        double num2 = 2 * (0.7 + 1.3 / 2) + 1e-5;
        double den2 = 1.9 + 3.3 / 2 + 1e-5;
        assertEquals(1 - num2 / den2, loss("weight_type", "simple").compute(small()).value(), 1e-15);
    }

    @Test
    void anAbsentClassTakesTheLargestFiniteWeightOfItsSample() {
        // class 1 absent (G = 0): its weight is class 0's, 1/G_0² = 1/4 (square), and it adds w·P_1 to the denominator
        Inputs in = Inputs.of(Tensor.of(new double[] {0.6, 0.8, 0.3, 0.1}, 1, 2, 2),
                Tensor.of(new double[] {1, 1, 0, 0}, 1, 2, 2));
        double w = 0.25;
        double num = 2 * w * 1.4 + 1e-5;
        double den = w * (1.4 + 2) + w * 0.4 + 1e-5;
        assertEquals(1 - num / den, loss().compute(in).value(), 1e-15);
        // every class absent: all weights 0, the term is 1 − s_nr/s_dr
        Inputs none = Inputs.of(Tensor.of(new double[] {0.6, 0.8, 0.3, 0.1}, 1, 2, 2), Tensor.of(new double[4], 1, 2, 2));
        assertEquals(0.0, loss().compute(none).value(), 0.0);
        assertEquals(1 - 0.5 / 2, loss("smooth_nr", 0.5, "smooth_dr", 2.0).compute(none).value(), 1e-15);
        for (double v : loss().compute(none).grad().f64()) {
            assertEquals(0.0, v, 0.0);
        }
        // with both smooths 0 that is 0/0: coefficient 1, term 0, gradient 0
        LossResult z = loss("smooth_nr", 0.0, "smooth_dr", 0.0).compute(none);
        assertEquals(0.0, z.value(), 0.0);
        for (double v : z.grad().f64()) {
            assertEquals(0.0, v, 0.0);
        }
    }

    @Test
    void uniformWeightsArePerSampleGlobalDice() {
        Inputs in = Data.region(3, false, 3, 2, 4);
        double[] p = in.get("input").f64();
        double[] g = in.get("target").f64();
        double[] terms = loss("weight_type", "uniform", "smooth_nr", 0.5, "smooth_dr", 0.5, "reduction", "none")
                .compute(in).terms().f64();
        for (int n = 0; n < 3; n++) {
            Inputs one = Inputs.of(Tensor.of(Arrays.copyOfRange(p, 8 * n, 8 * n + 8), 1, 2, 4),
                    Tensor.of(Arrays.copyOfRange(g, 8 * n, 8 * n + 8), 1, 2, 4));
            assertEquals(Losses.create("dice", Map.of("smooth", 0.5)).compute(one).value(), terms[n], 1e-14);
        }
        // batch: the global dice of the whole batch
        assertEquals(Losses.create("dice", Map.of("smooth", 0.5)).compute(in).value(),
                loss("weight_type", "uniform", "smooth_nr", 0.5, "smooth_dr", 0.5, "batch", true).compute(in).value(),
                1e-14);
    }

    @Test
    void reductionsAgree() {
        Inputs in = Data.region(5, true, 2, 3, 6);
        double v = loss().compute(in).value();
        assertThat(v).isBetween(0.0, 1.0);
        LossResult sum = loss("reduction", "sum").compute(in);
        GradCheck.sumIsNTimesMean(sum.value(), v, 2);
        double[] terms = loss("reduction", "none").compute(in).terms().f64();
        assertEquals(sum.value(), terms[0] + terms[1], 1e-15);
        assertEquals(1, loss("batch", true, "reduction", "none").compute(in).terms().size());
    }

    @Test
    void anEmptyBatchSumsToZeroAndHasNoTermsButItsMeanIsRefused() {
        Inputs empty = Inputs.of(Tensor.of(new double[0], 0, 3, 4), Tensor.of(new double[0], 0, 3, 4));
        assertEquals(0.0, loss("reduction", "sum").compute(empty).value(), 0.0);
        assertEquals(0, loss("reduction", "none").compute(empty).terms().size());
        assertEquals(0.0, loss("reduction", "sum", "batch", true).compute(empty).value(), 0.0);
        assertRefused(() -> loss().compute(empty), ErrorKind.EMPTY_INPUT, "is empty");
        // no positions (S = 0): every class absent, term 1 − s_nr/s_dr = 0
        Inputs noPixels = Inputs.of(Tensor.of(new double[0], 2, 3, 0), Tensor.of(new double[0], 2, 3, 0));
        assertEquals(0.0, loss().compute(noPixels).value(), 0.0);
        assertEquals(0.0, loss().compute(Data.asFloat32(noPixels)).value(), 0.0);
    }

    @Test
    void float32PathAgreesWithFloat64AndWritesTheCallersBuffer() {
        Inputs d = Data.region(7, true, 4, 3, 16, 16);
        Inputs f = Data.asFloat32(d);
        Inputs w = Data.widened(f);
        for (Loss l : new Loss[] {loss(), loss("batch", true, "weight_type", "simple"), loss("reduction", "none")}) {
            float[] buf = new float[Data.size(4, 3, 16, 16)];
            LossResult rf = l.compute(f.gradInto("input", Tensor.of(buf, 4, 3, 16, 16)));
            assertSame(buf, rf.grad().f32());
            LossResult rd = l.compute(w);
            assertEquals(rd.value(), rf.value(), 1e-6 * Math.abs(rd.value()), l.toString());
            double[] gd = rd.grad().f64();
            for (int i = 0; i < buf.length; i++) {
                assertEquals(gd[i], buf[i], 1e-6 * Math.abs(gd[i]) + 1e-12, l + " [" + i + "]");
            }
        }
    }

    @Test
    void nanPropagates() {
        double[] p = {0.2, Double.NaN, 0.4, 0.9};
        LossResult r = loss().compute(Inputs.of(Tensor.of(p, 1, 2, 2), Tensor.of(new double[] {0, 1, 1, 1}, 1, 2, 2)));
        assertTrue(Double.isNaN(r.value()));
        // a NaN target makes its sample's weights NaN (torch.max propagates it, as MONAI)
        LossResult t = loss().compute(Inputs.of(Tensor.of(new double[] {0.2, 0.7, 0.4, 0.9}, 1, 2, 2),
                Tensor.of(new double[] {0, Double.NaN, 1, 1}, 1, 2, 2)));
        assertTrue(Double.isNaN(t.value()));
    }

    @Test
    void refusals() {
        Inputs ok = Data.region(1, true, 2, 3, 4);
        Loss l = loss();
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[] {0.1, 0.2, 0.3}, 3), Tensor.of(new double[3], 3))),
                ErrorKind.SHAPE_MISMATCH, "[N, C, *] (rank >= 2), got shape [3]");
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.of(new double[12], 1, 3, 4))),
                ErrorKind.SHAPE_MISMATCH, "target shape [1, 3, 4] != input shape [2, 3, 4]");
        double[] bad = ok.get("input").f64().clone();
        bad[5] = 1.5;
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(bad, 2, 3, 4), ok.get("target"))), ErrorKind.OUT_OF_DOMAIN,
                "input[0, 1, 1] = 1.5 is outside [0, 1]");
        assertRefused(() -> loss("weight_type", "log"), ErrorKind.INVALID_OPTION,
                "weight_type = 'log' must be one of square, simple, uniform");
        assertRefused(() -> loss("smooth_nr", -1.0), ErrorKind.INVALID_OPTION, "smooth_nr = -1.0 must be in [0, 1e15]");
        assertRefused(() -> loss("smooth_dr", 2e15), ErrorKind.INVALID_OPTION, "smooth_dr = 2.0E15 must be in [0, 1e15]");
        assertRefused(() -> loss("reduction", "batchmean"), ErrorKind.INVALID_OPTION, "reduction = 'batchmean'");
    }

    @Test
    void typedBuilderMatchesTheRegistry() {
        Inputs in = Data.region(9, false, 2, 3, 4);
        assertEquals(loss("weight_type", "simple", "batch", true, "smooth_nr", 0.1, "smooth_dr", 0.2).compute(in).value(),
                GeneralizedDice.builder().weightType("simple").batch(true).smoothNr(0.1).smoothDr(0.2).build()
                        .compute(in).value(), 0.0);
    }
}
