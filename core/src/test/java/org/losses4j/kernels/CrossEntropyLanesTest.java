package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * {@link FloatKernels#crossEntropy} for short rows, which the vector kernels compute a block
 * of rows at a time, one row per lane (transposed, with the log of the sum in float lanes):
 * both paths against a float64 evaluation of the definition done here
 * ({@link CrossEntropyKernelTest#reference}), for every class count 1 to 40 and around the
 * switch to the row kernel (64 classes with 8 lanes), ranges that start and end inside a block,
 * ignored rows (also NaN ones, and an ignore index that is a class), label smoothing up to
 * ε = 1, logits of ±1e4 and −∞, ties, confident rows and NaN rows; the log of the sum over
 * its whole range; and bit-identical results for 1 to 3 threads through the API.
 *
 * <p>Tolerances as in {@link CrossEntropyKernelTest}: the sum within 1e-5·Σ|reference term| +
 * 1e-6 per row, each gradient element within 4e-6·(|reference| + scale).
 */
class CrossEntropyLanesTest {
    static final float SENTINEL = KernelPathsTest.SENTINEL;

    @AfterEach
    void oneThreadAgain() {
        Parallel.setThreads(1);
    }

    static Stream<String> paths() {
        return CrossEntropyKernelTest.paths();
    }

    /** Classes 1 to 40, and around 64 (the vector kernels' switch to the row kernel with 8 lanes). */
    static int[] classCounts() {
        int[] extra = {47, 55, 63, 64, 65, 72};
        int[] cs = new int[40 + extra.length];
        for (int c = 1; c <= 40; c++) {
            cs[c - 1] = c;
        }
        System.arraycopy(extra, 0, cs, 40, extra.length);
        return cs;
    }

    /**
     * Runs rows [from, to) of x with a gradient buffer full of sentinels, checks the sum and every
     * gradient element against the float64 reference, the sentinels outside the range, and that
     * the value-only call gives the same bits. Returns the sum.
     */
    static double check(String what, FloatKernels k, float[] x, long[] labels, int c, int from, int to, float scale,
            double keep, double uni, long ignore) {
        int rows = labels.length;
        float[] g = new float[rows * c];
        Arrays.fill(g, SENTINEL);
        double sum = k.crossEntropy(x, labels, g, c, from, to, scale, keep, uni, ignore);
        String at = what + " " + k.path() + " c=" + c + " rows [" + from + ", " + to + ") keep=" + keep + " uni=" + uni
                + " ignore=" + ignore;
        double ref = 0;
        double abs = 0;
        double[] gr = new double[c];
        for (int r = 0; r < rows; r++) {
            if (r < from || r >= to) {
                for (int j = 0; j < c; j++) {
                    assertEquals(SENTINEL, g[r * c + j], 0f, at + ": row " + r + " is outside the range but was written");
                }
                continue;
            }
            double t = CrossEntropyKernelTest.reference(x, r * c, c, labels[r], keep, uni, ignore, scale, gr)[0];
            ref += t;
            abs += Math.abs(t);
            for (int j = 0; j < c; j++) {
                float got = g[r * c + j];
                String e = at + ": g[" + r + ", " + j + "] (x=" + x[r * c + j] + ", y=" + labels[r] + ")";
                if (Double.isNaN(gr[j])) {
                    assertTrue(Float.isNaN(got), e + " = " + got + ", expected NaN");
                } else {
                    assertEquals(gr[j], got, 4e-6 * (Math.abs(gr[j]) + scale), e);
                }
            }
        }
        if (Double.isNaN(ref)) {
            assertTrue(Double.isNaN(sum), at + ": sum = " + sum + ", expected NaN");
        } else if (Double.isInfinite(ref)) {
            assertEquals(ref, sum, at + ": sum");
        } else {
            assertEquals(ref, sum, 1e-5 * abs + 1e-6 * (to - from), at + ": sum");
        }
        double valueOnly = k.crossEntropy(x, labels, null, c, from, to, scale, keep, uni, ignore);
        assertEquals(Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(valueOnly),
                at + ": value-only " + valueOnly + " differs from value+gradient " + sum);
        return sum;
    }

    static float[] gaussian(SplittableRandom r, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sd);
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void everyClassCountRangeIgnoreAndSmoothing(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        int rows = 46;
        int[][] ranges = {{0, 1}, {0, 7}, {0, 8}, {0, 9}, {3, 20}, {5, 46}, {0, 46}};
        for (int c : classCounts()) {
            SplittableRandom r = new SplittableRandom(1000 + c);
            float[] x = gaussian(r, rows * c, 3);
            long[] labels = new long[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = i % 5 == 2 ? -100 : r.nextInt(c);
            }
            for (int[] range : ranges) {
                float scale = 1f / (range[1] - range[0]);
                check("random", k, x, labels, c, range[0], range[1], scale, 1, 0, -100);
                check("smoothed", k, x, labels, c, range[0], range[1], 1f, 0.9, 0.1 / c, -100);
                check("uniform target (ε = 1)", k, x, labels, c, range[0], range[1], scale, 0, 1.0 / c, -100);
            }
            // an ignore index that is also a class: its rows are skipped, the others kept
            long[] zeroIgnored = labels.clone();
            for (int i = 0; i < rows; i++) {
                zeroIgnored[i] = Math.max(0, zeroIgnored[i]);
            }
            check("ignore=class 0", k, x, zeroIgnored, c, 0, rows, 1f, 1, 0, 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void extremeRows(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        for (int c : new int[] {1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 40, 63}) {
            SplittableRandom r = new SplittableRandom(7 * c);
            int rows = 11;
            float[] x = gaussian(r, rows * c, 2);
            long[] labels = new long[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(c);
            }
            int y0 = (int) labels[0];
            // row 0: confident and right; row 1: logits ±1e4; row 2: a tie at the maximum, labelled
            for (int j = 0; j < c; j++) {
                x[j] = j == y0 ? 25f : 0f;
                x[c + j] = j % 2 == 0 ? 1e4f : -1e4f;
            }
            x[2 * c + c - 1] = 30f;
            x[2 * c + (int) labels[2]] = 30f;
            // row 3: a −∞ logit off the label (exactly 0 there); row 4: ignored, and NaN
            if (c > 1) {
                x[3 * c + ((int) labels[3] + 1) % c] = Float.NEGATIVE_INFINITY;
            }
            x[4 * c + c / 2] = Float.NaN;
            labels[4] = -100;
            // row 5: logits far apart (−1e4 below the label's class, which is the maximum)
            for (int j = 0; j < c; j++) {
                x[5 * c + j] = j == labels[5] ? 0f : -1e4f;
            }
            for (double[] kv : new double[][] {{1, 0}, {0.8, 0.2 / c}}) {
                check("extremes", k, x, labels, c, 0, rows, 1f, kv[0], kv[1], -100);
            }
            float[] g = new float[rows * c];
            k.crossEntropy(x, labels, g, c, 0, rows, 1f, 1, 0, -100);
            if (c > 1) {
                // confident row: g_y = −(1 − p_y) = −(c − 1)e^−25/(1 + (c − 1)e^−25) to float precision, not 0
                double want = -(c - 1) * Math.exp(-25) / (1 + (c - 1) * Math.exp(-25));
                assertEquals(want, g[y0], 1e-6 * Math.abs(want), path + " c=" + c + ": confident row g[y]");
                int minf = 3 * c + ((int) labels[3] + 1) % c;
                assertEquals(0f, g[minf], 0f, path + " c=" + c + ": the −∞ logit's gradient");
            }
            for (int j = 0; j < c; j++) {
                assertEquals(0f, g[4 * c + j], 0f, path + " c=" + c + ": an ignored NaN row has a zero gradient");
            }
            // the −∞ logit as the label: an infinite term, the gradient p − onehot finite
            long[] bad = labels.clone();
            if (c > 1) {
                bad[3] = ((int) labels[3] + 1) % c;
                double s = k.crossEntropy(x, bad, g, c, 3, 4, 1f, 1, 0, -100);
                assertEquals(Double.POSITIVE_INFINITY, s, path + " c=" + c + ": −log p of a −∞ logit");
                assertEquals(-1f, g[3 * c + (int) bad[3]], 1e-6f, path + " c=" + c + ": g at the −∞ label");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void nanRowsStayInTheirRow(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        for (int c : new int[] {1, 3, 8, 10, 17, 40}) {
            SplittableRandom r = new SplittableRandom(31 * c);
            int rows = 19;
            float[] x = gaussian(r, rows * c, 2);
            long[] labels = new long[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(c);
            }
            // NaN in rows 0 (first lane), 9 (second block, at the label) and 18 (last, alone in its block)
            x[c - 1] = Float.NaN;
            x[9 * c + (int) labels[9]] = Float.NaN;
            x[18 * c] = Float.NaN;
            check("NaN rows", k, x, labels, c, 0, rows, 0.5f, 1, 0, -100);
            float[] g = new float[rows * c];
            k.crossEntropy(x, labels, g, c, 0, rows, 1f, 1, 0, -100);
            for (int row = 0; row < rows; row++) {
                boolean nanRow = row == 0 || row == 9 || row == 18;
                for (int j = 0; j < c; j++) {
                    assertEquals(nanRow, Float.isNaN(g[row * c + j]), path + " c=" + c + ": g[" + row + ", " + j + "]");
                }
            }
            // the rows between them, alone: a finite sum
            double s = k.crossEntropy(x, labels, null, c, 1, 9, 1f, 1, 0, -100);
            assertTrue(Double.isFinite(s), path + " c=" + c + ": rows 1..8 sum " + s);
        }
    }

    /**
     * log S = log1p(rest) over the whole range of rest: two classes (0, −a) give
     * log1p(e^−a), from log 2 down to below float's ulp(1) (where it must stay relative, the
     * confident-row case); c equal logits give log c; to 1e-6 relative.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void logOfTheSumOverItsRange(String path) {
        FloatKernels k = KernelPathsTest.byPath(path);
        float[] as = {0f, 1e-6f, 1e-3f, 0.01f, 0.1f, 0.5f, 0.69f, 1f, 1.5f, 2f, 3f, 5f, 8f, 12f, 16f, 17f, 20f, 30f,
            50f, 80f, 86f};
        float[] x = new float[2 * as.length];
        long[] labels = new long[as.length];
        for (int i = 0; i < as.length; i++) {
            x[2 * i + 1] = -as[i];
        }
        // all rows at once (row i in some lane of a block), then each row alone (in lane 0)
        float[] g = new float[x.length];
        double all = k.crossEntropy(x, labels, g, 2, 0, as.length, 1f, 1, 0, -100);
        double wantAll = 0;
        for (int i = 0; i < as.length; i++) {
            double e = Math.exp(-(double) as[i]);
            double want = Math.log1p(e);
            wantAll += want;
            double got = k.crossEntropy(x, labels, null, 2, i, i + 1, 1f, 1, 0, -100);
            assertEquals(want, got, 1e-6 * want, path + ": log1p(e^-" + as[i] + ")");
            double q = e / (1 + e); // 1 − p_y, at the top class: no cancellation
            assertEquals(-q, g[2 * i], 1e-6 * q, path + ": g_y of the row with a = " + as[i]);
            assertEquals(q, g[2 * i + 1], 1e-6 * q, path + ": g of the other class, a = " + as[i]);
        }
        assertEquals(wantAll, all, 1e-6 * wantAll, path + ": all two-class rows");
        for (int c = 1; c <= 40; c++) {
            float[] eq = new float[3 * c];
            Arrays.fill(eq, 1.25f);
            long[] lab = {0, c - 1, c / 2};
            double want = 3 * Math.log(c);
            double got = k.crossEntropy(eq, lab, null, c, 0, 3, 1f, 1, 0, -100);
            assertEquals(want, got, 1e-6 * want + 1e-12, path + ": " + c + " equal logits, 3·log c");
        }
    }

    /** Short rows through the API (the active path) on 1 to 3 threads: the same bits. */
    @Test
    void shortRowsBitIdenticalFor1To3Threads() {
        for (int c : new int[] {3, 10, 37}) {
            int rows = 2 * (Parallel.CHUNK / c) + 13; // three chunks, the last a short one
            SplittableRandom r = new SplittableRandom(c);
            float[] x = gaussian(r, rows * c, 3);
            long[] y = new long[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = i % 13 == 0 ? -100 : r.nextInt(c);
            }
            for (double eps : new double[] {0, 0.1}) {
                Loss loss = Losses.create("cross_entropy", Map.of("label_smoothing", eps));
                long bits = 0;
                float[] g1 = null;
                for (int t = 1; t <= 3; t++) {
                    Parallel.setThreads(t);
                    float[] g = new float[x.length];
                    double v = loss.compute(Inputs.of(Tensor.of(x, rows, c), Tensor.ofLabels(y, rows))
                            .gradInto("input", Tensor.of(g, rows, c))).value();
                    double vo = loss.value(Inputs.of(Tensor.of(x, rows, c), Tensor.ofLabels(y, rows))).value();
                    String at = "cross_entropy c=" + c + " eps=" + eps + " threads=" + t + " (" + Kernels.path() + ")";
                    assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(vo), at + ": value-only");
                    if (t == 1) {
                        bits = Double.doubleToRawLongBits(v);
                        g1 = g;
                    } else {
                        assertEquals(bits, Double.doubleToRawLongBits(v), at + ": value differs from 1 thread");
                        assertArrayEquals(g1, g, at + ": gradient differs from 1 thread");
                    }
                }
            }
        }
    }
}
