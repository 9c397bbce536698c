package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.kernels.Parallel;

/**
 * The native float32 path of the region losses (dice, jaccard, tversky, combo; the sums and
 * gradient passes of {@link RegionSums} on the {@code FloatKernels} region kernels) in every
 * {@code average} mode, on shapes whose blocks are tiny, odd, just below and above the
 * {@value Parallel#CHUNK}-element chunk: against the float64 path on the same (widened) values,
 * bit-identical for 1, 2 and 3 threads, NaN propagation and the [0, 1] refusals.
 *
 * <p>Tolerance against float64: the value within 1e-5 relative (the sums are float lanes over
 * sub-blocks of 512 elements, ≤ ~2e-6 relative, then float64); each gradient element within
 * 1e-5 of the largest |gradient| of its group plus 1e-6 of its own size (the group's three
 * numbers carry the sums' error; the float32 element is then rounded a few times).
 */
class RegionFloat32Test {
    private static final String[] AVERAGES = {"global", "class", "sample_class"};
    /** Blocks of 35 (tiny, odd), 40001 (< CHUNK, odd), 70001 (two pieces), 3 (many blocks), one block over two chunks. */
    private static final int[][] SHAPES = {{2, 3, 5, 7}, {3, 2, 40001}, {2, 2, 70001}, {3000, 3, 3}, {1, 1, 131075}};

    @AfterEach
    void oneThreadAgain() {
        Parallel.setThreads(1);
    }

    private static Loss loss(String name, String avg, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("average", avg);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    /** dice (plain and squared), jaccard, focal tversky, combo in one average mode. */
    static List<Loss> losses(String avg) {
        List<Loss> out = new ArrayList<>();
        out.add(loss("dice", avg, "smooth", 1.0));
        out.add(loss("dice", avg, "smooth", 0.5, "squared", true));
        out.add(loss("jaccard", avg, "smooth", 1.0));
        out.add(loss("tversky", avg, "smooth", 1.0, "alpha", 0.3, "beta", 0.7, "gamma", 0.75));
        out.add(loss("combo", avg, "smooth", 1.0, "alpha", 0.3, "beta", 0.6));
        return out;
    }

    /** float32 probabilities in (0, 1) and a mostly binary, partly soft target; some exact 0 and 1. */
    static float[][] data(long seed, int n) {
        Random r = new Random(seed);
        float[] p = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (0.02 + 0.96 * r.nextDouble());
            g[i] = r.nextInt(4) == 0 ? (float) r.nextDouble() : (r.nextInt(3) == 0 ? 1f : 0f);
        }
        return new float[][] {p, g};
    }

    static int size(int[] shape) {
        return Data.size(shape);
    }

    /** The group of flat element i (as RegionSums numbers them). */
    static int groupOf(String avg, int[] shape, int i) {
        int s = size(shape) / (shape[0] * shape[1]);
        int b = i / s;
        return avg.equals("global") ? 0 : avg.equals("class") ? b % shape[1] : b;
    }

    @Test
    void float32AgreesWithFloat64InEveryModeAndShape() {
        long seed = 1;
        for (int[] shape : SHAPES) {
            int n = size(shape);
            float[][] d = data(seed++, n);
            Inputs f = Inputs.of(Tensor.of(d[0], shape), Tensor.of(d[1], shape));
            Inputs w = Inputs.of(Tensor.of(Data.toDouble(d[0]), shape), Tensor.of(Data.toDouble(d[1]), shape));
            for (String avg : AVERAGES) {
                int groups = avg.equals("global") ? 1 : avg.equals("class") ? shape[1] : shape[0] * shape[1];
                for (Loss l : losses(avg)) {
                    String what = l + " " + java.util.Arrays.toString(shape);
                    float[] buf = new float[n];
                    LossResult rf = l.compute(f.gradInto("input", Tensor.of(buf, shape)));
                    LossResult rd = l.compute(w);
                    assertEquals(rd.value(), rf.value(), 1e-5 * Math.abs(rd.value()), what + ": value");
                    assertEquals(rf.value(), l.value(f).value(), 0.0, what + ": value-only call, same sums");
                    double[] gd = rd.grad().f64();
                    double[] groupMax = new double[groups];
                    for (int i = 0; i < n; i++) {
                        int k = groupOf(avg, shape, i);
                        groupMax[k] = Math.max(groupMax[k], Math.abs(gd[i]));
                    }
                    for (int i = 0; i < n; i++) {
                        double tol = 1e-5 * groupMax[groupOf(avg, shape, i)] + 1e-6 * Math.abs(gd[i]);
                        if (Math.abs(gd[i] - buf[i]) > tol) {
                            assertEquals(gd[i], buf[i], tol, what + ": grad[" + i + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void bitIdenticalForOneTwoAndThreeThreads() {
        long seed = 100;
        for (int[] shape : SHAPES) {
            int n = size(shape);
            float[][] d = data(seed++, n);
            Inputs f = Inputs.of(Tensor.of(d[0], shape), Tensor.of(d[1], shape));
            for (String avg : AVERAGES) {
                for (Loss l : losses(avg)) {
                    String what = l + " " + java.util.Arrays.toString(shape);
                    Parallel.setThreads(1);
                    LossResult one = l.compute(f);
                    float[] g1 = one.grad().f32();
                    for (int t = 2; t <= 3; t++) {
                        Parallel.setThreads(t);
                        LossResult r = l.compute(f);
                        assertEquals(Double.doubleToRawLongBits(one.value()), Double.doubleToRawLongBits(r.value()),
                                what + ": value with " + t + " threads");
                        assertArrayEquals(g1, r.grad().f32(), what + ": gradient with " + t + " threads");
                    }
                }
            }
        }
    }

    @Test
    void nanPropagatesToTheValueAndToItsGroupsGradientOnly() {
        int[] shape = {2, 3, 70001};
        int n = size(shape);
        float[][] d = data(7, n);
        int at = 70001 + 65536 + 9; // block 1 (sample 0, class 1), second piece
        d[0][at] = Float.NaN;
        Inputs f = Inputs.of(Tensor.of(d[0], shape), Tensor.of(d[1], shape));
        for (String avg : AVERAGES) {
            int nanGroup = groupOf(avg, shape, at);
            for (Loss l : losses(avg)) {
                LossResult r = l.compute(f);
                assertTrue(Double.isNaN(r.value()), l + ": value");
                float[] g = r.grad().f32();
                for (int i = 0; i < n; i += 997) {
                    boolean inGroup = groupOf(avg, shape, i) == nanGroup;
                    assertEquals(inGroup, Float.isNaN(g[i]), l + ": grad[" + i + "] = " + g[i]);
                }
                assertTrue(Float.isNaN(g[at]), l + ": grad at the NaN");
            }
        }
    }

    @Test
    void valuesOutsideTheUnitIntervalAreRefusedWhereverTheyAreAndNaNIsNot() {
        int[] shape = {2, 2, 70001};
        int n = size(shape);
        int[] positions = {0, 7, 8, 16, 511, 512, 65535, 65536, 70000, 70001 + 65536 + 3, n - 1};
        for (String avg : AVERAGES) {
            Loss l = loss("dice", avg);
            for (int pos : positions) {
                for (boolean inTarget : new boolean[] {false, true}) {
                    float[][] d = data(pos, n);
                    d[1][n / 2] = Float.NaN; // a NaN elsewhere must not hide the bad value
                    (inTarget ? d[1] : d[0])[pos] = pos % 2 == 0 ? -0.125f : 1.25f;
                    Inputs f = Inputs.of(Tensor.of(d[0], shape), Tensor.of(d[1], shape));
                    String name = inTarget ? "target" : "input";
                    assertThatThrownBy(() -> l.compute(f)).isInstanceOfSatisfying(LossException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.OUT_OF_DOMAIN);
                        assertThat(e.getMessage()).startsWith(name + "[").contains("is outside [0, 1]");
                    });
                }
            }
            float[][] d = data(3, n);
            d[0][65536 + 8] = Float.NaN;
            d[1][17] = -0f;
            LossResult r = l.compute(Inputs.of(Tensor.of(d[0], shape), Tensor.of(d[1], shape)));
            assertTrue(Double.isNaN(r.value()), avg + ": NaN input is computed, not refused");
            // the NaN is in block 0 (sample 0, class 0); the last element is in block 3 (sample 1, class 1)
            assertEquals(avg.equals("global"), Float.isNaN(r.grad().f32()[n - 1]),
                    avg + ": the last block's gradient is NaN exactly when it shares the NaN's group");
        }
    }
}
