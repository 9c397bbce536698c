package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * dice (with and without log), jaccard, tversky, combo: gradients over every option combination, closed forms,
 * extremes, refusals; generalized_dice's NaN and float32 lines ({@link GeneralizedDiceTest} has the rest).
 */
public class RegionLossesTest {
    private static final String[] AVERAGES = {"global", "class", "sample_class"};
    private static final double[] SMOOTHS = {0.0, 0.3, 1.0};
    private static final int[][] SHAPES = {{2, 3, 5}, {3, 2, 2, 2}, {2, 1}};

    private static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    /** Every option combination of the four losses. */
    static List<Loss> allCombinations() {
        List<Loss> out = new ArrayList<>();
        for (String avg : AVERAGES) {
            for (double s : SMOOTHS) {
                for (boolean sq : new boolean[] {false, true}) {
                    for (boolean log : new boolean[] {false, true}) {
                        out.add(loss("dice", "average", avg, "smooth", s, "squared", sq, "log", log));
                    }
                }
                out.add(loss("jaccard", "average", avg, "smooth", s));
                for (double[] ab : new double[][] {{0.5, 0.5}, {0.3, 0.7}, {0, 1}, {1, 0}, {1, 1}}) {
                    for (double gamma : new double[] {0.75, 1.0, 2.0}) {
                        out.add(loss("tversky", "average", avg, "smooth", s, "alpha", ab[0], "beta", ab[1],
                                "gamma", gamma));
                    }
                }
                for (double alpha : new double[] {0, 0.3, 1}) {
                    for (double beta : new double[] {0.2, 0.5}) {
                        out.add(loss("combo", "average", avg, "smooth", s, "alpha", alpha, "beta", beta));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOptionCombination() {
        int checked = 0;
        long seed = 1;
        for (Loss l : allCombinations()) {
            for (int[] shape : SHAPES) {
                for (boolean binary : new boolean[] {false, true}) {
                    GradCheck.gradients(l, Data.region(seed++, binary, shape), 1e-6, 2e-6);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(allCombinations().size() * SHAPES.length * 2);
    }

    // p = [0.2, 0.7 | 0.4, 0.9], g = [0, 1 | 1, 1], shape [1, 2, 2]: Σpg = 2, Σp = 2.2, Σg = 3, Σp² = 1.5
    private static final double[] P = {0.2, 0.7, 0.4, 0.9};
    private static final double[] G = {0, 1, 1, 1};

    private static Inputs small() {
        return Inputs.of(Tensor.of(P.clone(), 1, 2, 2), Tensor.of(G.clone(), 1, 2, 2));
    }

    @Test
    void diceClosedForms() {
        assertEquals(1 - 5 / 6.2, loss("dice").compute(small()).value(), 1e-15);
        assertEquals(1 - 5 / 5.5, loss("dice", "squared", true).compute(small()).value(), 1e-15);
        // class 0: Σpg = .7, Σp = .9, Σg = 1; class 1: Σpg = 1.3, Σp = 1.3, Σg = 2
        double d0 = 2.4 / 2.9, d1 = 3.6 / 4.3;
        assertEquals(1 - (d0 + d1) / 2, loss("dice", "average", "class").compute(small()).value(), 1e-15);
        // gradient of 1 − (2I + s)/(P + G + s): −(2g_i·den − num)/den²
        double[] grad = loss("dice").compute(small()).grad().f64();
        for (int i = 0; i < 4; i++) {
            assertEquals(-(2 * G[i] * 6.2 - 5) / (6.2 * 6.2), grad[i], 1e-15);
        }
        // squared: −(2g_i·den − num·2p_i)/den²
        double[] gs = loss("dice", "squared", true).compute(small()).grad().f64();
        for (int i = 0; i < 4; i++) {
            assertEquals(-(2 * G[i] * 5.5 - 5 * 2 * P[i]) / (5.5 * 5.5), gs[i], 1e-15);
        }
    }

    @Test
    void diceLogIsMinusTheLogOfTheCoefficientClampedAt1eMinus7() {
        // D = 5/6.2: −log D, gradient (∂(1 − D)/∂p)/D
        LossResult r = loss("dice", "log", true).compute(small());
        assertEquals(-Math.log(5 / 6.2), r.value(), 1e-15);
        double[] plain = loss("dice").compute(small()).grad().f64();
        for (int i = 0; i < 4; i++) {
            assertEquals(plain[i] / (5 / 6.2), r.grad().f64()[i], 1e-15);
        }
        // class average: the mean of −log D_c
        double d0 = 2.4 / 2.9, d1 = 3.6 / 4.3;
        assertEquals(-(Math.log(d0) + Math.log(d1)) / 2, loss("dice", "average", "class", "log", true)
                .compute(small()).value(), 1e-15);
        // no overlap with smooth 0: D = 0 is clamped to 1e-7, whose gradient is 0 (SMP's clamp_min)
        Inputs apart = Inputs.of(Tensor.of(new double[] {0.5, 0.5, 0, 0}, 1, 1, 4),
                Tensor.of(new double[] {0, 0, 1, 1}, 1, 1, 4));
        LossResult c = loss("dice", "smooth", 0.0, "log", true).compute(apart);
        assertEquals(-Math.log(1e-7), c.value(), 1e-12);
        assertThat(c.grad().f64()).containsOnly(0.0);
        // 0/0 (empty predicted empty, smooth 0) is D = 1: loss 0, gradient 0; a perfect mask too
        Inputs empty = Inputs.of(Tensor.of(new double[4], 1, 2, 2), Tensor.of(new double[4], 1, 2, 2));
        LossResult e = loss("dice", "smooth", 0.0, "log", true).compute(empty);
        assertEquals(0.0, e.value(), 0.0);
        assertThat(e.grad().f64()).containsOnly(0.0);
        assertEquals(0.0, loss("dice", "log", true, "squared", true).compute(Inputs.of(Tensor.of(G.clone(), 1, 2, 2),
                Tensor.of(G.clone(), 1, 2, 2))).value(), 1e-15);
        // log false is untouched: the default
        assertEquals(loss("dice").compute(small()).value(), loss("dice", "log", false).compute(small()).value(), 0.0);
    }

    @Test
    void jaccardTverskyComboClosedForms() {
        assertEquals(1 - 3 / 4.2, loss("jaccard").compute(small()).value(), 1e-15);
        // TP = 2, FP = 0.2, FN = 1: TI = 3 / (2 + 0.3·0.2 + 0.7·1 + 1)
        double ti = 3 / 3.76;
        assertEquals(1 - ti, loss("tversky", "alpha", 0.3, "beta", 0.7).compute(small()).value(), 1e-15);
        assertEquals(Math.pow(1 - ti, 2), loss("tversky", "alpha", 0.3, "beta", 0.7, "gamma", 2.0)
                .compute(small()).value(), 1e-15);
        double bce = -0.25 * 0.5 * (Math.log(0.8) + Math.log(0.7) + Math.log(0.4) + Math.log(0.9));
        assertEquals(0.5 * bce + 0.5 * (1 - 5 / 6.2), loss("combo").compute(small()).value(), 1e-15);
        // combo with alpha 1 is the weighted BCE alone: gradient −(1/M)[β·g/p − (1 − β)(1 − g)/(1 − p)]
        double[] g = loss("combo", "alpha", 1.0, "beta", 0.25).compute(small()).grad().f64();
        for (int i = 0; i < 4; i++) {
            assertEquals(-0.25 * (0.25 * G[i] / P[i] - 0.75 * (1 - G[i]) / (1 - P[i])), g[i], 1e-15);
        }
    }

    @Test
    void emptyMaskPredictedEmptyCountsAsOneWithSmoothZero() {
        // class 0 empty in both (0/0 → coefficient 1), class 1: p = [.5, .5], g = [1, 0] → D = 1/2, J = 1/3
        Inputs in = Inputs.of(Tensor.of(new double[] {0, 0, 0.5, 0.5}, 1, 2, 2),
                Tensor.of(new double[] {0, 0, 1, 0}, 1, 2, 2));
        LossResult d = loss("dice", "smooth", 0.0, "average", "class").compute(in);
        assertEquals((0 + 0.5) / 2, d.value(), 1e-15);
        assertEquals(0.0, d.grad().f64()[0]);
        assertEquals(0.0, d.grad().f64()[1]);
        assertEquals((0 + 2.0 / 3) / 2, loss("jaccard", "smooth", 0.0, "average", "class").compute(in).value(), 1e-15);
        // everything empty: every coefficient 1, loss 0, region gradient 0
        Inputs empty = Inputs.of(Tensor.of(new double[4], 1, 2, 2), Tensor.of(new double[4], 1, 2, 2));
        for (String name : new String[] {"dice", "jaccard", "tversky", "combo"}) {
            LossResult r = loss(name, "smooth", 0.0).compute(empty);
            assertEquals(0.0, r.value(), name);
            // combo's BCE part still pulls towards 1 − p: α(1 − β)/((1 − p)·M) = 0.5·0.5/4
            double expected = name.equals("combo") ? 0.0625 : 0.0;
            for (double v : r.grad().f64()) {
                assertEquals(expected, v, 1e-15, name);
            }
        }
    }

    @Test
    void comboAtProbabilitiesExactlyZeroAndOneUsesTheClampedLogs() {
        // p = [0, 1], g = [1, 0]: each BCE term is 0.5·(−100); the clamp makes the gradient 0
        Inputs in = Inputs.of(Tensor.of(new double[] {0, 1}, 1, 1, 2), Tensor.of(new double[] {1, 0}, 1, 1, 2));
        LossResult r = loss("combo", "alpha", 1.0).compute(in);
        assertEquals(50.0, r.value(), 1e-12);
        assertThat(r.grad().f64()).containsExactly(0.0, 0.0);
        // p = [0, 1], g = [0, 1]: perfect; the clamped −100 is multiplied by 0
        Inputs perfect = Inputs.of(Tensor.of(new double[] {0, 1}, 1, 1, 2), Tensor.of(new double[] {0, 1}, 1, 1, 2));
        LossResult q = loss("combo").compute(perfect);
        assertEquals(0.0, q.value(), 1e-15);
        for (double v : q.grad().f64()) {
            assertTrue(Double.isFinite(v));
        }
        // dice at 0/1 probabilities: D = (2·0 + 1)/(1 + 1 + 1) → finite gradient −(2g·3 − 1)/9
        LossResult d = loss("dice").compute(in);
        assertEquals(1 - 1.0 / 3, d.value(), 1e-15);
        assertEquals(-(2 * 3 - 1) / 9.0, d.grad().f64()[0], 1e-15);
        assertEquals(1 / 9.0, d.grad().f64()[1], 1e-15);
    }

    @Test
    void focalTverskyAtAPerfectMaskHasValueZeroAndAFiniteGradient() {
        Inputs in = Inputs.of(Tensor.of(new double[] {1, 0, 1, 1}, 1, 1, 4), Tensor.of(new double[] {1, 0, 1, 1}, 1, 1, 4));
        for (double gamma : new double[] {0.5, 0.75, 1.0, 2.0}) {
            LossResult r = loss("tversky", "gamma", gamma).compute(in);
            assertEquals(0.0, r.value(), 1e-15);
            for (double v : r.grad().f64()) {
                assertTrue(Double.isFinite(v), "gamma " + gamma);
            }
        }
        // γ = 1 there: ∂(1 − TI)/∂p_i = −((α + β)g_i − α)/den with den = TP + s = 4
        double[] g = loss("tversky").compute(in).grad().f64();
        assertEquals(-0.5 / 4, g[0], 1e-15);
        assertEquals(0.5 / 4, g[1], 1e-15);
    }

    @Test
    void nanPropagates() {
        for (String name : new String[] {"dice", "jaccard", "tversky", "combo", "generalized_dice"}) {
            double[] p = {0.2, Double.NaN, 0.4, 0.9};
            LossResult r = loss(name).compute(Inputs.of(Tensor.of(p, 1, 2, 2), Tensor.of(G.clone(), 1, 2, 2)));
            assertTrue(Double.isNaN(r.value()), name);
            float[] pf = {0.2f, Float.NaN, 0.4f, 0.9f};
            LossResult rf = loss(name).compute(Inputs.of(Tensor.of(pf, 1, 2, 2),
                    Tensor.of(Data.toFloat(G), 1, 2, 2)));
            assertTrue(Double.isNaN(rf.value()), name + " float32");
            assertTrue(Float.isNaN(rf.grad().f32()[1]), name + " float32");
        }
    }

    @Test
    void float32PathWritesIntoTheCallersBufferAndAgreesWithFloat64() {
        Inputs d = Data.region(7, true, 4, 3, 16, 16);
        Inputs f = Data.asFloat32(d);
        Inputs w = Data.widened(f);
        for (Loss l : new Loss[] {loss("dice"), loss("dice", "squared", true, "average", "class"),
                loss("dice", "log", true, "average", "sample_class"), loss("generalized_dice"),
                loss("jaccard", "average", "sample_class"), loss("tversky", "gamma", 0.75), loss("combo")}) {
            float[] buf = new float[Data.size(4, 3, 16, 16)];
            LossResult rf = l.compute(f.gradInto("input", Tensor.of(buf, 4, 3, 16, 16)));
            assertSame(buf, rf.grad().f32(), l.toString());
            LossResult rd = l.compute(w);
            // float32 data: the sums are float lanes over sub-blocks of 512 elements, then float64
            // (FloatKernels.regionSums), so the value agrees to float32 rounding of those sums
            assertEquals(rd.value(), rf.value(), 1e-6 * Math.abs(rd.value()), l.toString());
            double[] gd = rd.grad().f64();
            for (int i = 0; i < buf.length; i++) {
                assertEquals(gd[i], buf[i], 1e-6 * Math.abs(gd[i]) + 1e-12, l + " [" + i + "]");
            }
            assertEquals(rf.value(), l.value(f).value(), 0.0, "value-only call");
            assertThat(l.value(f).grads()).isEmpty();
        }
    }

    @Test
    void mixedDtypesComputeInFloat64AndReturnTheInputsDtype() {
        Inputs d = Data.region(3, false, 2, 2, 3);
        Tensor xf = Tensor.of(Data.toFloat(d.get("input").f64()), 2, 2, 3);
        LossResult r = loss("dice").compute(Inputs.of(xf, d.get("target")));
        assertEquals(DType.FLOAT32, r.grad().dtype());
        LossResult ref = loss("dice").compute(Inputs.of(Tensor.of(Data.toDouble(xf.f32()), 2, 2, 3), d.get("target")));
        assertEquals(ref.value(), r.value(), 1e-14);
    }

    @Test
    void refusals() {
        Inputs ok = Data.region(1, true, 2, 3, 4);
        for (String name : new String[] {"dice", "jaccard", "tversky", "combo"}) {
            Loss l = loss(name);
            assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[] {0.1, 0.2, 0.3, 0.4}, 4),
                    Tensor.of(new double[] {0, 1, 0, 1}, 4))), ErrorKind.SHAPE_MISMATCH, "[N, C, *] (rank >= 2), got shape [4]");
            assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.of(new double[12], 1, 3, 4))),
                    ErrorKind.SHAPE_MISMATCH, "target shape [1, 3, 4] != input shape [2, 3, 4]");
            double[] bad = ok.get("input").f64().clone();
            bad[5] = 1.5;
            assertRefused(() -> l.compute(Inputs.of(Tensor.of(bad, 2, 3, 4), ok.get("target"))),
                    ErrorKind.OUT_OF_DOMAIN, "input[0, 1, 1] = 1.5 is outside [0, 1]");
            float[] badT = Data.toFloat(ok.get("target").f64());
            badT[23] = -0.25f;
            assertRefused(() -> l.compute(Inputs.of(Tensor.of(Data.toFloat(ok.get("input").f64()), 2, 3, 4),
                    Tensor.of(badT, 2, 3, 4))), ErrorKind.OUT_OF_DOMAIN, "target[1, 2, 3] = -0.25 is outside [0, 1]");
            assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[0], 0, 3), Tensor.of(new double[0], 0, 3))),
                    ErrorKind.EMPTY_INPUT, "is empty");
            assertRefused(() -> loss(name, "average", "micro"), ErrorKind.INVALID_OPTION,
                    "average = 'micro' must be one of global, class, sample_class");
            assertRefused(() -> loss(name, "smooth", -1.0), ErrorKind.INVALID_OPTION, "smooth = -1.0 must be >= 0");
            assertRefused(() -> loss(name, "reduction", "sum"), ErrorKind.UNKNOWN_OPTION, "has no option 'reduction'");
        }
        assertRefused(() -> loss("tversky", "gamma", 0.0), ErrorKind.INVALID_OPTION, "gamma = 0.0 must be > 0");
        assertRefused(() -> loss("tversky", "alpha", -0.1), ErrorKind.INVALID_OPTION, "alpha = -0.1 must be >= 0");
        assertRefused(() -> loss("combo", "alpha", 1.5), ErrorKind.INVALID_OPTION, "alpha = 1.5 must be in [0, 1]");
        assertRefused(() -> loss("combo", "beta", -0.5), ErrorKind.INVALID_OPTION, "beta = -0.5 must be in [0, 1]");
        assertRefused(() -> loss("dice", "squared", "yes"), ErrorKind.INVALID_OPTION, "squared = 'yes' must be true or false");
        assertRefused(() -> loss("dice", "log", "yes"), ErrorKind.INVALID_OPTION, "log = 'yes' must be true or false");
    }

    public static void assertRefused(Runnable r, ErrorKind kind, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(LossException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void typedBuildersMatchTheRegistry() {
        Inputs in = Data.region(5, false, 2, 3, 4);
        assertEquals(loss("dice", "smooth", 0.5, "squared", true).compute(in).value(),
                Dice.builder().set(Dice.SMOOTH, 0.5).set(Dice.SQUARED, true).build().compute(in).value(), 0.0);
        assertEquals(loss("dice", "log", true).compute(in).value(), Dice.builder().log(true).build().compute(in).value(),
                0.0);
        assertEquals(loss("tversky", "gamma", 2.0, "average", "class").compute(in).value(),
                Tversky.builder().set(Tversky.GAMMA, 2.0).set(Tversky.AVERAGE, "class").build().compute(in).value(), 0.0);
        assertThat(Losses.info("dice").divisor()).contains("always a scalar");
    }
}
