package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * The same inputs through both kernel paths (scalar, and vector when the JVM can load it),
 * against a float64 reference evaluated here from the closed forms on the same float inputs.
 *
 * <p>Tolerance: the sum within 1e-5 of Σ|reference term| (float lanes over sub-blocks of
 * 512, then float64); each gradient element within 2e-6·(|reference| + scale) (float32
 * rounding of the residual and of the product, ~1 ulp exp/log1p); NaN where the reference is
 * NaN, the same infinity where it is infinite; elements outside {@code [from, to)} untouched.
 */
class KernelPathsTest {
    static final int[] SIZES = {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 63, 64, 65, 207,
        511, 512, 513, 1023, 1024, 1025, 2046, 4098};
    static final float SENTINEL = 12345f;

    enum Kind {
        MSE, HUBER, HUBER_SMALL_DELTA, BCE, BCE_SMOOTHED, FOCAL, FOCAL_UNWEIGHTED_G3, FOCAL_G0, FOCAL_FRACTIONAL;

        /** Logits and targets in [0, 1] (focal: in {0, 1}). */
        boolean logits() {
            return this != MSE && this != HUBER && this != HUBER_SMALL_DELTA;
        }

        boolean focal() {
            return name().startsWith("FOCAL");
        }

        /** focal's {a0, da, γ}: α_t = a0 + da·y. */
        double[] focalOptions() {
            switch (this) {
                case FOCAL:
                    return new double[] {(float) 0.75, (float) -0.5, 2};
                case FOCAL_UNWEIGHTED_G3:
                    return new double[] {1, 0, 3};
                case FOCAL_G0:
                    return new double[] {(float) 0.75, (float) -0.5, 0};
                default:
                    return new double[] {(float) 0.6, (float) -0.2, 1.5};
            }
        }
    }

    static List<FloatKernels> paths() {
        List<FloatKernels> p = new ArrayList<>();
        p.add(Kernels.scalar());
        if (Kernels.vector() != null) {
            p.add(Kernels.vector());
        }
        return p;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (FloatKernels k : paths()) {
            for (Kind kind : Kind.values()) {
                out.add(Arguments.of(k.path(), kind));
            }
        }
        return out.stream();
    }

    static FloatKernels byPath(String path) {
        for (FloatKernels k : paths()) {
            if (k.path().equals(path)) {
                return k;
            }
        }
        throw new AssertionError(path);
    }

    static double run(FloatKernels k, Kind kind, float[] x, float[] y, float[] g, int from, int to, float scale) {
        switch (kind) {
            case MSE:
                return k.mse(x, y, g, from, to, scale);
            case HUBER:
                return k.huber(x, y, g, from, to, scale, 1f);
            case HUBER_SMALL_DELTA:
                return k.huber(x, y, g, from, to, scale, 0.3f);
            case BCE:
                return k.bceWithLogits(x, y, g, from, to, scale, 1f, 0f);
            case BCE_SMOOTHED:
                return k.bceWithLogits(x, y, g, from, to, scale, 0.9f, 0.05f);
            default: {
                double[] o = kind.focalOptions();
                return k.focal(x, y, g, from, to, scale, (float) o[0], (float) o[1], o[2]);
            }
        }
    }

    /** {term, gradient} in float64 from the closed forms. */
    static double[] reference(Kind kind, double x, double y) {
        switch (kind) {
            case MSE:
                return new double[] {(x - y) * (x - y), 2 * (x - y)};
            case HUBER:
            case HUBER_SMALL_DELTA: {
                double dl = kind == Kind.HUBER ? 1.0 : (double) 0.3f;
                double d = x - y;
                double a = Math.abs(d);
                if (Double.isNaN(d)) {
                    return new double[] {Double.NaN, Double.NaN};
                }
                return a <= dl ? new double[] {0.5 * d * d, d}
                        : new double[] {dl * (a - 0.5 * dl), Math.signum(d) * dl};
            }
            case FOCAL:
            case FOCAL_UNWEIGHTED_G3:
            case FOCAL_G0:
            case FOCAL_FRACTIONAL:
                return focalReference(kind.focalOptions(), x, y);
            default: {
                double t = kind == Kind.BCE ? y : (double) 0.9f * y + (double) 0.05f;
                double term = Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
                double sig = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
                return new double[] {term, Double.isNaN(x) ? Double.NaN : sig - t};
            }
        }
    }

    /**
     * Sigmoid focal term and gradient in float64, written from its definition (Lin et al. 2017):
     * p = σ(x), p_t = p for y = 1 and 1 − p for y = 0, term −α_t·(1 − p_t)^γ·log p_t, with
     * σ(±u) and log σ(u) = −log1p(e^−u) evaluated on the side that does not overflow; gradient
     * by the chain rule through u = (2y − 1)·x.
     */
    static double[] focalReference(double[] o, double x, double y) {
        double s = 2 * y - 1;
        double u = s * x;
        double at = o[0] + o[1] * y;
        double gamma = o[2];
        double pt = u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
        double qt = u >= 0 ? Math.exp(-u) / (1 + Math.exp(-u)) : 1 / (1 + Math.exp(u));
        double nlogpt = u >= 0 ? Math.log1p(Math.exp(-u)) : -u + Math.log1p(Math.exp(u));
        if (Double.isNaN(u)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mod = Math.pow(qt, gamma);
        double term = at * mod * nlogpt;
        // d/du [q^γ·(−log p)] = −γ·q^γ·p·(−log p) − q^(γ+1)  (dq/du = −p·q, d(−log p)/du = −q)
        double ppart = pt == 0 ? 0 : pt * nlogpt;
        double dudx = s;
        return new double[] {term, -at * mod * (gamma * ppart + qt) * dudx};
    }

    static float[][] data(Kind kind, int len, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[len];
        float[] y = new float[len];
        boolean bce = kind.logits();
        for (int i = 0; i < len; i++) {
            x[i] = (float) (r.nextGaussian() * (bce ? 4 : 1.5));
            y[i] = bce ? (r.nextInt(3) == 0 && !kind.focal() ? (float) r.nextDouble() : r.nextInt(2))
                    : (float) r.nextGaussian();
        }
        if (bce && len > 10) {
            x[3] = 1e4f;
            x[len - 2] = -1e4f;
            x[len / 2] = 0f;
        }
        return new float[][] {x, y};
    }

    /** Checks the kernel on {@code [from, from + n)} of the arrays against the reference. */
    static void check(String what, FloatKernels k, Kind kind, float[] x, float[] y, int from, int n, float scale) {
        int to = from + n;
        float[] g = new float[x.length];
        java.util.Arrays.fill(g, SENTINEL);
        double sum = run(k, kind, x, y, g, from, to, scale);
        double ref = 0;
        double abs = 0;
        for (int i = from; i < to; i++) {
            double[] rt = reference(kind, x[i], y[i]);
            ref += rt[0];
            abs += Math.abs(rt[0]);
            double want = rt[1] * scale;
            String at = what + " " + k.path() + " " + kind + " n=" + n + " from=" + from + ": g[" + i + "] (x="
                    + x[i] + ", y=" + y[i] + ")";
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(g[i]), at + " = " + g[i] + ", expected NaN");
            } else if (Double.isInfinite(want)) {
                assertEquals(want, g[i], 0.0, at);
            } else {
                assertEquals(want, g[i], 2e-6 * (Math.abs(want) + scale), at);
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (i < from || i >= to) {
                assertEquals(SENTINEL, g[i], 0f, what + ": g[" + i + "] outside [" + from + ", " + to + ") written");
            }
        }
        String at = what + " " + k.path() + " " + kind + " n=" + n + " from=" + from + ": sum";
        if (Double.isNaN(ref)) {
            assertTrue(Double.isNaN(sum), at + " = " + sum + ", expected NaN");
        } else if (Double.isInfinite(ref)) {
            assertEquals(ref, sum, 0.0, at);
        } else {
            assertEquals(ref, sum, 1e-5 * abs + 1e-30, at);
        }
        double valueOnly = run(k, kind, x, y, null, from, to, scale);
        if (Double.isNaN(sum)) {
            assertTrue(Double.isNaN(valueOnly), at + " value-only");
        } else {
            assertEquals(sum, valueOnly, 0.0, at + ": value-only call differs from value+gradient");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void oddSizesAndLaneBoundaries(String path, Kind kind) {
        FloatKernels k = byPath(path);
        for (int n : SIZES) {
            for (int from : new int[] {0, 3}) {
                float[][] d = data(kind, from + n + 5, n * 31L + from);
                check("random", k, kind, d[0], d[1], from, n, n == 0 ? 1f : 1f / n);
            }
        }
        // several sub-blocks with an unaligned start and a long tail, scale 1 (reduction sum)
        float[][] d = data(kind, 3 * FloatKernels.MAX_SUB_BLOCK + 77, 99);
        check("sub-blocks", k, kind, d[0], d[1], 5, 3 * FloatKernels.MAX_SUB_BLOCK + 70, 1f);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void nanAndInfinitiesAtEveryLanePosition(String path, Kind kind) {
        FloatKernels k = byPath(path);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int n = 69;
        for (int pos : new int[] {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 67, 68}) {
            for (float s : specials) {
                for (int which = 0; which < 3; which++) {
                    float[][] d = data(kind, n, pos * 7L + which);
                    if (which != 1) {
                        d[0][pos] = s;
                    }
                    if (which != 0) {
                        d[1][pos] = kind.logits() ? (Float.isNaN(s) ? s : 1f) : s;
                    }
                    check("special@" + pos + "=" + s + "/" + which, k, kind, d[0], d[1], 0, n, 1f / n);
                }
            }
        }
    }

    @Test
    void vectorPathLoadsWhenTheModuleIsReadable() {
        boolean readable = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(readable, Kernels.vector() != null, Kernels.description());
        // auto on a CPU whose preferred vector is narrower than 256 bits: scalar, and it says why
        boolean narrowAuto = readable && Kernels.VECTOR_BITS == 0 && Kernels.vector().lanes() < 8;
        if (narrowAuto) {
            assertEquals("scalar", Kernels.path());
            assertTrue(Kernels.description().contains("bits wide"), Kernels.description());
        }
        if (!readable) {
            assertEquals("scalar", Kernels.path());
            assertTrue(Kernels.description().contains("add-modules jdk.incubator.vector"), Kernels.description());
        }
        String want = System.getProperty("losses4j.kernels", "auto");
        if (want.equals("scalar")) {
            assertEquals("scalar", Kernels.path());
        } else if (Kernels.vector() != null && !narrowAuto) {
            assertEquals("vector", Kernels.path(), Kernels.description());
        }
        assertNotNull(Kernels.floats());
    }

    /**
     * Float32 inputs whose differences or sums overflow float: the sums are float64 on both
     * paths (the vector kernels give such a sub-block to the scalar ones), so mse of ±3e38 is
     * 3.6e77, as the float64 closed form says, not ∞; the gradients are those of the closed form
     * rounded to float (∞ only where that is beyond the float range).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void floatOverflowInTheLanesStillGivesTheFloat64Sum(String path, Kind kind) {
        FloatKernels k = byPath(path);
        for (int n : new int[] {5, 64, 1000, 3 * FloatKernels.MAX_SUB_BLOCK + 7}) {
            float[] x = new float[n];
            float[] y = new float[n];
            SplittableRandom r = new SplittableRandom(n);
            for (int i = 0; i < n; i++) {
                boolean bce = kind.logits();
                x[i] = (float) ((r.nextBoolean() ? 3e38 : -3e38) * (0.5 + r.nextDouble() / 2));
                y[i] = bce ? r.nextInt(2) : -x[i];
            }
            float scale = 1f / n;
            float[] g = new float[n];
            double sum = run(k, kind, x, y, g, 0, n, scale);
            double want = 0;
            for (int i = 0; i < n; i++) {
                double[] ref = reference(kind, x[i], y[i]);
                want += ref[0];
                float gw = (float) (ref[1] * scale);
                // bce: the vector kernel takes exp(−|z|) ≥ exp(−87) ≈ 1.6e-38 (see BceKernelTest)
                double tiny = kind.logits() ? 2e-38 * scale : 0;
                assertEquals(gw, g[i], Math.abs(gw) * 1e-6 + tiny, path + " " + kind + " n=" + n + ": g[" + i + "]");
            }
            assertTrue(Double.isFinite(want), "the float64 sum is finite");
            assertEquals(want, sum, Math.abs(want) * 1e-6, path + " " + kind + " n=" + n + ": the sum");
        }
    }

    /** Through the public API on the active path: float32 result within 1e-5 of the float64 one. */
    @Test
    void elementwiseFloat32AgreesWithFloat64ThroughTheApi() {
        for (String name : new String[] {"mse", "huber", "bce_with_logits", "bce_with_logits smoothed", "focal",
            "focal gamma 1.5", "focal unweighted gamma 3"}) {
            boolean bce = name.startsWith("bce");
            for (String red : new String[] {"mean", "sum"}) {
                Loss loss = name.endsWith("smoothed")
                        ? Losses.create("bce_with_logits", Map.of("reduction", red, "label_smoothing", 0.1))
                        : name.equals("focal gamma 1.5") ? Losses.create("focal", Map.of("reduction", red, "gamma", 1.5))
                        : name.startsWith("focal unweighted")
                                ? org.losses4j.classification.Focal.builder().alpha(null).gamma(3.0)
                                        .reduction(org.losses4j.Reduction.parse(red)).build()
                        : Losses.create(name, Map.of("reduction", red));
                for (int n : new int[] {1, 7, 13, 207, 2046, 4098, Parallel.CHUNK + 3}) {
                    float[][] d = data(name.startsWith("focal") ? Kind.FOCAL : bce ? Kind.BCE : Kind.MSE, n, n);
                    double[] x64 = new double[n];
                    double[] y64 = new double[n];
                    for (int i = 0; i < n; i++) {
                        x64[i] = d[0][i];
                        y64[i] = d[1][i];
                    }
                    LossResult r64 = loss.compute(Inputs.of(Tensor.vector(x64), Tensor.vector(y64)));
                    float[] g = new float[n];
                    LossResult r32 = loss.compute(Inputs.of(Tensor.vector(d[0]), Tensor.vector(d[1]))
                            .gradInto("input", Tensor.vector(g)));
                    String at = name + " " + red + " n=" + n + " (" + Kernels.path() + ")";
                    assertEquals(r64.value(), r32.value(), 1e-5 * Math.abs(r64.value()), at);
                    assertTrue(r32.grad().f32() == g, at + ": caller's buffer not used");
                    double scale = red.equals("mean") ? 1.0 / n : 1.0;
                    double[] g64 = r64.grad().f64();
                    for (int i = 0; i < n; i++) {
                        if (Math.abs(g64[i] - g[i]) > 2e-6 * (Math.abs(g64[i]) + scale)) {
                            fail(at + ": g[" + i + "] = " + g[i] + " vs float64 " + g64[i]);
                        }
                    }
                    LossResult v = loss.value(Inputs.of(Tensor.vector(d[0]), Tensor.vector(d[1])));
                    assertEquals(r32.value(), v.value(), 0.0, at + ": value-only");
                }
            }
        }
    }
}
