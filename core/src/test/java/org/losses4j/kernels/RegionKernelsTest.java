package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The region-loss kernels ({@link FloatKernels#regionSums}, {@link FloatKernels#regionGradient})
 * on both paths (scalar, and vector when the JVM can load it), against float64 references
 * evaluated here on the same float inputs, over sizes around the lane, unrolled-loop and
 * sub-block boundaries and at unaligned offsets.
 *
 * <p>Tolerances: each sum within 4e-6 of Σ|term| over the range (float lanes accumulate at most
 * 512 / 16 = 32 terms each before going to float64: ≤ 32·2^-24 ≈ 2e-6 relative, doubled for
 * margin); each gradient element within 4·2^-24·(|a| + |b| + |c|) of {@code a·y + b + c·x} in
 * float64 (three rounded float operations on terms bounded by |a|, |b|, |c| for x, y in [0, 1]).
 */
class RegionKernelsTest {
    static final int[] SIZES = KernelPathsTest.SIZES;
    static final double SENTINEL = -777.0;

    static float[][] data(int len, long seed, boolean binaryTarget) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[len];
        float[] y = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) r.nextDouble();
            y[i] = binaryTarget ? r.nextInt(2) : (float) r.nextDouble();
        }
        if (len > 8) {
            x[1] = 0f;
            x[2] = 1f;
            y[3] = -0f; // inside [0, 1]
            x[len - 1] = 1f;
        }
        return new float[][] {x, y};
    }

    /** {Σxy, Σx, Σy, Σx², Σy²} in float64 over [from, to). */
    static double[] reference(float[] x, float[] y, int from, int to) {
        double[] s = new double[5];
        for (int i = from; i < to; i++) {
            double a = x[i], b = y[i];
            s[0] += a * b;
            s[1] += a;
            s[2] += b;
            s[3] += a * a;
            s[4] += b * b;
        }
        return s;
    }

    @Test
    void sumsAgreeWithFloat64OnBothPathsForEverySizeAndOffset() {
        for (FloatKernels k : KernelPathsTest.paths()) {
            for (boolean squares : new boolean[] {false, true}) {
                for (int n : SIZES) {
                    for (int from : new int[] {0, 3, 8}) {
                        float[][] d = data(from + n + 5, n * 31L + from, n % 2 == 0);
                        checkSums(k, d[0], d[1], from, from + n, squares);
                    }
                }
            }
        }
    }

    static void checkSums(FloatKernels k, float[] x, float[] y, int from, int to, boolean squares) {
        int w = squares ? 5 : 3;
        int at = 2;
        double[] acc = new double[at + w + 2];
        Arrays.fill(acc, SENTINEL);
        boolean bad = k.regionSums(x, y, from, to, squares, acc, at);
        String what = k.path() + " squares=" + squares + " [" + from + ", " + to + ")";
        assertFalse(bad, what + ": every value is in [0, 1] (-0 and the ends included)");
        double[] ref = reference(x, y, from, to);
        // every term here is >= 0, so Σ|term| is the sum itself
        for (int j = 0; j < w; j++) {
            assertEquals(ref[j], acc[at + j], 4e-6 * ref[j], what + ": sum " + j);
        }
        for (int j = 0; j < acc.length; j++) {
            if (j < at || j >= at + w) {
                assertEquals(SENTINEL, acc[j], 0.0, what + ": acc[" + j + "] outside [at, at + " + w + ") written");
            }
        }
    }

    @Test
    void vectorAndScalarSumsAgreeClosely() {
        FloatKernels v = Kernels.vector();
        if (v == null) {
            return; // only the scalar path on this JVM: nothing to compare
        }
        FloatKernels s = Kernels.scalar();
        for (int n : new int[] {15, 16, 17, 511, 512, 513, 4099, Parallel.CHUNK + 7}) {
            float[][] d = data(n, n, false);
            double[] a = new double[5];
            double[] b = new double[5];
            v.regionSums(d[0], d[1], 0, n, true, a, 0);
            s.regionSums(d[0], d[1], 0, n, true, b, 0);
            for (int j = 0; j < 5; j++) {
                assertEquals(b[j], a[j], 4e-6 * b[j], "n=" + n + " sum " + j);
            }
        }
    }

    @Test
    void anOutOfRangeValueAnywhereIsFlagged() {
        float[] bads = {-Float.MIN_VALUE, -1e-8f, Math.nextUp(1f), 2f, 1e30f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, -1e30f};
        for (FloatKernels k : KernelPathsTest.paths()) {
            for (boolean squares : new boolean[] {false, true}) {
                for (int n : new int[] {1, 7, 8, 15, 16, 17, 33, 513, 1100}) {
                    for (int pos : new int[] {0, 1, 7, 8, 15, 16, 17, 511, 512, n - 1}) {
                        if (pos < 0 || pos >= n) {
                            continue;
                        }
                        for (float b : bads) {
                            for (boolean inTarget : new boolean[] {false, true}) {
                                float[][] d = data(n, 5, true);
                                (inTarget ? d[1] : d[0])[pos] = b;
                                String what = k.path() + " squares=" + squares + " n=" + n + " "
                                        + (inTarget ? "y" : "x") + "[" + pos + "] = " + b;
                                assertTrue(k.regionSums(d[0], d[1], 0, n, squares, new double[5], 0), what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void nanPropagatesIntoItsSumsAndDoesNotHideAnOutOfRangeValue() {
        for (FloatKernels k : KernelPathsTest.paths()) {
            for (boolean squares : new boolean[] {false, true}) {
                for (int n : new int[] {5, 16, 40, 600}) {
                    for (int pos : new int[] {0, n / 2, n - 1}) {
                        float[][] d = data(n, 9, false);
                        d[0][pos] = Float.NaN;
                        double[] acc = new double[5];
                        k.regionSums(d[0], d[1], 0, n, squares, acc, 0);
                        String what = k.path() + " squares=" + squares + " n=" + n + " x[" + pos + "] = NaN";
                        assertTrue(Double.isNaN(acc[0]), what + ": Σxy");
                        assertTrue(Double.isNaN(acc[1]), what + ": Σx");
                        assertFalse(Double.isNaN(acc[2]), what + ": Σy has no NaN in it");
                        if (squares) {
                            assertTrue(Double.isNaN(acc[3]), what + ": Σx²");
                            assertFalse(Double.isNaN(acc[4]), what + ": Σy²");
                        }
                        // a NaN in the same element, the same lane or elsewhere must not mask a bad value
                        for (int other : new int[] {pos, (pos + 8) % n, (pos + 1) % n}) {
                            float[] y = d[1].clone();
                            y[other] = 1.5f;
                            assertTrue(k.regionSums(d[0], y, 0, n, squares, new double[5], 0),
                                    what + ", y[" + other + "] = 1.5");
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientMatchesFloat64WithinFloatRoundingAndTouchesOnlyItsRange() {
        float[][] coef = {{-0.75f, 0.3f, 0f}, {-3.2e-7f, 1.1e-7f, 0f}, {-2e-3f, 0f, 1.5e-3f}, {1f, -1f, 0.5f},
            {-4.5f, 0.25f, 2.25f}};
        for (FloatKernels k : KernelPathsTest.paths()) {
            for (int n : SIZES) {
                for (int from : new int[] {0, 5}) {
                    for (float[] abc : coef) {
                        for (boolean withX : new boolean[] {false, true}) {
                            float[][] d = data(from + n + 4, n + from, n % 3 == 0);
                            float[] out = new float[d[0].length];
                            Arrays.fill(out, 12345f);
                            float a = abc[0], b = abc[1], c = abc[2];
                            k.regionGradient(withX ? d[0] : null, d[1], out, from, from + n, a, b, c);
                            double tol = 4 * 0x1p-24 * (Math.abs(a) + Math.abs(b) + Math.abs(c));
                            for (int i = 0; i < out.length; i++) {
                                String what = k.path() + " n=" + n + " from=" + from + " a=" + a + " b=" + b + " c="
                                        + c + " x " + (withX ? "given" : "null") + ": out[" + i + "]";
                                if (i < from || i >= from + n) {
                                    assertEquals(12345f, out[i], 0f, what + " outside the range written");
                                    continue;
                                }
                                double want = (double) a * d[1][i] + b + (withX ? (double) c * d[0][i] : 0);
                                assertEquals(want, out[i], tol, what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientPropagatesNaN() {
        for (FloatKernels k : KernelPathsTest.paths()) {
            for (int n : new int[] {3, 16, 37}) {
                float[][] d = data(n, 1, false);
                d[1][n - 1] = Float.NaN;
                d[0][0] = Float.NaN;
                float[] out = new float[n];
                k.regionGradient(null, d[1], out, 0, n, 0.5f, 0.25f, 0f);
                assertTrue(Float.isNaN(out[n - 1]), k.path() + " n=" + n + ": NaN target");
                assertFalse(Float.isNaN(out[0]), k.path() + " n=" + n + ": x not read when null");
                k.regionGradient(d[0], d[1], out, 0, n, 0.5f, 0.25f, 0.125f);
                assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[n - 1]), k.path() + " n=" + n + ": NaN input");
                k.regionGradient(null, d[1], out, 0, n, Float.NaN, 0.25f, 0f);
                for (float o : out) {
                    assertTrue(Float.isNaN(o), k.path() + " n=" + n + ": NaN coefficient");
                }
            }
        }
    }
}
