package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * {@link FloatKernels#crossEntropy} on both kernel paths against a float64 softmax
 * cross-entropy evaluated here from its definition ({@code log Σ exp} by a plain sum after
 * subtracting the maximum; the probabilities by division), over class counts around the lane
 * widths, with ignored rows, label smoothing, confident rows, ties and special values.
 *
 * <p>Tolerance: the sum within 1e-5 of Σ|reference term| + 1e-6 per row (float exp, float lane
 * sums); each gradient element within 4e-6·(|reference| + scale) (float32 exp ~2 ulp, rounding of the product).
 */
class CrossEntropyKernelTest {
    static final int[] CLASSES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 64, 100, 511, 513, 1025, 2049};

    static Stream<String> paths() {
        return KernelPathsTest.paths().stream().map(FloatKernels::path);
    }

    /** {terms..., then the gradient row} for one row, float64. */
    static double[] reference(float[] x, int base, int c, long lab, double keep, double uni, long ignore,
            double scale, double[] gOut) {
        if (lab == ignore) {
            java.util.Arrays.fill(gOut, 0);
            return new double[] {0};
        }
        int y = (int) lab;
        double m = Double.NEGATIVE_INFINITY;
        boolean nan = false;
        for (int j = 0; j < c; j++) {
            m = Math.max(m, x[base + j]);
            nan |= Float.isNaN(x[base + j]);
        }
        if (nan) {
            java.util.Arrays.fill(gOut, Double.NaN);
            return new double[] {Double.NaN};
        }
        double s = 0;
        double sd = 0;
        for (int j = 0; j < c; j++) {
            s += Math.exp(x[base + j] - m);
            sd += x[base + j] - m;
        }
        double logS = Math.log(s);
        double term = keep * (logS - (x[base + y] - m)) + (uni == 0 ? 0 : uni * (c * logS - sd));
        for (int j = 0; j < c; j++) {
            double p = Math.exp(x[base + j] - m) / s;
            gOut[j] = scale * ((keep + uni * c) * p - uni - (j == y ? keep : 0));
        }
        return new double[] {term};
    }

    static void check(String what, FloatKernels k, float[] x, long[] labels, int c, int rows, double keep,
            double uni, float scale) {
        long ignore = -100;
        float[] g = new float[rows * c + 3];
        java.util.Arrays.fill(g, KernelPathsTest.SENTINEL);
        double sum = k.crossEntropy(x, labels, g, c, 0, rows, scale, keep, uni, ignore);
        double ref = 0;
        double abs = 0;
        double[] gr = new double[c];
        for (int r = 0; r < rows; r++) {
            double t = reference(x, r * c, c, labels[r], keep, uni, ignore, scale, gr)[0];
            ref += t;
            abs += Math.abs(t);
            for (int j = 0; j < c; j++) {
                float got = g[r * c + j];
                String at = what + " " + k.path() + " c=" + c + " keep=" + keep + ": g[" + r + ", " + j + "] (x="
                        + x[r * c + j] + ", y=" + labels[r] + ")";
                if (Double.isNaN(gr[j])) {
                    assertTrue(Float.isNaN(got), at + " = " + got + ", expected NaN");
                } else {
                    assertEquals(gr[j], got, 4e-6 * (Math.abs(gr[j]) + scale), at);
                }
            }
        }
        for (int i = rows * c; i < g.length; i++) {
            assertEquals(KernelPathsTest.SENTINEL, g[i], 0f, what + ": g[" + i + "] beyond the rows written");
        }
        String at = what + " " + k.path() + " c=" + c + " keep=" + keep + ": sum";
        if (Double.isNaN(ref)) {
            assertTrue(Double.isNaN(sum), at + " = " + sum + ", expected NaN");
        } else {
            assertEquals(ref, sum, 1e-5 * abs + 1e-6 * rows, at);
        }
        double valueOnly = k.crossEntropy(x, labels, null, c, 0, rows, scale, keep, uni, ignore);
        if (Double.isNaN(sum)) {
            assertTrue(Double.isNaN(valueOnly), at + " value-only");
        } else {
            assertEquals(sum, valueOnly, 0.0, at + ": value-only call differs from value+gradient");
        }
    }

    static Object[] data(int c, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * c + 3];
        long[] labels = new long[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(c);
        }
        return new Object[] {x, labels};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void randomRowsOfEveryWidthWithIgnoredRowsAndSmoothing(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        int rows = 6;
        for (int c : CLASSES) {
            Object[] d = data(c, rows, c);
            float[] x = (float[]) d[0];
            long[] labels = (long[]) d[1];
            labels[2] = -100; // ignored
            check("random", k, x, labels, c, rows, 1, 0, 1f / rows);
            check("smoothed", k, x, labels, c, rows, 0.9, 0.1 / c, 1f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void confidentRowsTiesLargeLogitsAndNaN(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        for (int c : new int[] {3, 17, 40, 100}) {
            int rows = 5;
            Object[] d = data(c, rows, 7 * c);
            float[] x = (float[]) d[0];
            long[] labels = (long[]) d[1];
            // row 0: confident and right (p_y = 1 − ~1e-9), gradient at y ~ −1e-9·scale, not 0
            for (int j = 0; j < c; j++) {
                x[j] = j == labels[0] ? 25f : 0f;
            }
            // row 1: logits ±1e4
            for (int j = 0; j < c; j++) {
                x[c + j] = j % 2 == 0 ? 1e4f : -1e4f;
            }
            // row 2: a tie at the maximum, label on one of them
            x[2 * c + c - 1] = 30f;
            x[2 * c + (int) labels[2]] = 30f;
            // row 3: a NaN logit
            x[3 * c + c / 2] = Float.NaN;
            check("specials", k, x, labels, c, rows, 1, 0, 1f);
            float[] g = new float[rows * c];
            k.crossEntropy(x, labels, g, c, 0, 1, 1f, 1, 0, -100);
            int y = (int) labels[0];
            double want = -(c - 1) * Math.exp(-25) / (1 + (c - 1) * Math.exp(-25));
            // S − 1 = (c − 1)·e^−25, summed in float lanes of at most 2·LANE_TERMS terms (one
            // rounding each) from exp's within ~2 ulp, then a few roundings more: the bound
            // FloatKernels.crossEntropy states, the same at every vector width
            double rel = k.lanes() == 1 ? 0x1p-23 : (Math.min(c, 2 * FloatKernels.LANE_TERMS) + 8) * 0x1p-24;
            assertEquals(want, g[y], rel * Math.abs(want) + Float.MIN_VALUE,
                    k.path() + " c=" + c + ": confident row g[y]");
        }
    }

    /**
     * The probabilities far below 1, relative to themselves: rows of 10 logits (the vector path's
     * transposed lanes) and of 256 (its long rows), the first 0 (the maximum, the label) and the
     * others swept over [−87, 0] (every 389th float, ~2.9M values), so each gradient element is
     * {@code exp(x_j)/S} with S in [1, c]. The float32 exp is within ~2 ulp and the scaling adds a
     * rounding: where S < 1.0002 (x ≤ −14) each element within 3e-7 of its float64 value, relative
     * (measured 1.7e-7 on the vector path), and within 6e-7 overall, where the float sum S of up to
     * 256 terms near 1 adds its error (measured 5.5e-7). Below −87 the kernels take exp(−87) ≈
     * 1.6e-38 or 0 (float exp is subnormal there): −1e4 and −∞ give at most that.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void smallProbabilitiesAreAccurateRelativeToThemselves(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        for (int c : new int[] {10, 256}) {
            smallProbabilities(k, c, (1 << 20) / c);
        }
    }

    static void smallProbabilities(FloatKernels k, int c, int rows) {
        float[] x = new float[rows * c];
        long[] labels = new long[rows];
        float[] g = new float[rows * c];
        int lo = Float.floatToRawIntBits(-87f);
        int bits = Float.floatToRawIntBits(-0f);
        double worst = 0;
        String worstAt = "";
        double worstExp = 0; // over rows with S < 1.0002 (x ≤ −14): the error of exp itself
        String worstExpAt = "";
        while (bits <= lo) {
            for (int r = 0; r < rows; r++) {
                x[r * c] = 0f;
                for (int j = 1; j < c; j++) {
                    x[r * c + j] = bits <= lo ? Float.intBitsToFloat(bits) : -1e4f;
                    bits += 389;
                }
            }
            x[c + 1] = Float.NEGATIVE_INFINITY;
            x[c + 2] = -1e4f;
            k.crossEntropy(x, labels, g, c, 0, rows, 1f, 1, 0, -100);
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    s += Math.exp(x[r * c + j]);
                }
                for (int j = 1; j < c; j++) {
                    float xj = x[r * c + j];
                    float got = g[r * c + j];
                    if (xj < -87f) {
                        assertTrue(got >= 0 && got <= 1.7e-38f, k.path() + ": g at x = " + xj + " is " + got);
                        continue;
                    }
                    double want = Math.exp(xj) / s;
                    double rel = Math.abs(got - want) / want;
                    boolean exp = s < 1.0002 && !(rel <= worstExp);
                    if (exp || !(rel <= worst)) {
                        String at = "x = " + xj + " (S = " + s + "): g = " + got + ", float64 " + want;
                        if (!(rel <= worst)) {
                            worst = rel;
                            worstAt = at;
                        }
                        if (exp) {
                            worstExp = rel;
                            worstExpAt = at;
                        }
                    }
                }
            }
        }
        assertTrue(worst <= 6e-7, k.path() + " c=" + c + ": relative error " + worst + " at " + worstAt);
        assertTrue(worstExp <= 3e-7, k.path() + " c=" + c + ": relative error " + worstExp + " at " + worstExpAt);
        System.out.println(k.path() + " c=" + c + ": small probabilities within " + worst + " relative, worst at " + worstAt
                + "; where S < 1.0002 within " + worstExp + " at " + worstExpAt);
    }

    /** Through the public API on the active path: float32 within 1e-5 of float64 (value), gradients close. */
    @org.junit.jupiter.api.Test
    void float32RowPathAgreesWithFloat64ThroughTheApi() {
        int rows = 37;
        int c = 300;
        Object[] d = data(c, rows, 5);
        float[] x = java.util.Arrays.copyOf((float[]) d[0], rows * c);
        long[] y = (long[]) d[1];
        y[4] = -100;
        double[] x64 = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x64[i] = x[i];
        }
        for (String red : new String[] {"mean", "sum"}) {
            for (double eps : new double[] {0, 0.2}) {
                Loss loss = Losses.create("cross_entropy", java.util.Map.of("reduction", red, "label_smoothing", eps));
                LossResult r64 = loss.compute(Inputs.of(Tensor.of(x64, rows, c), Tensor.ofLabels(y, rows)));
                float[] g = new float[x.length];
                LossResult r32 = loss.compute(Inputs.of(Tensor.of(x, rows, c), Tensor.ofLabels(y, rows))
                        .gradInto("input", Tensor.of(g, rows, c)));
                String at = red + " eps=" + eps + " (" + Kernels.path() + ")";
                assertEquals(r64.value(), r32.value(), 1e-5 * Math.abs(r64.value()), at);
                assertTrue(r32.grad().f32() == g, at + ": caller's buffer not used");
                double scale = red.equals("mean") ? 1.0 / (rows - 1) : 1.0;
                double[] g64 = r64.grad().f64();
                for (int i = 0; i < g.length; i++) {
                    assertEquals(g64[i], g[i], 4e-6 * (Math.abs(g64[i]) + scale), at + ": g[" + i + "]");
                }
            }
        }
    }
}
