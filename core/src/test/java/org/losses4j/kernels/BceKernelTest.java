package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * The bce_with_logits float32 kernels ({@link FloatKernels#bceWithLogits}) element by element
 * against float64 closed forms evaluated here, the vector path against the scalar one, and the
 * target check made in the kernels' pass.
 *
 * <p>Stated tolerances (the vector kernel's exp, log1p and σ are lane arithmetic, see
 * VectorMath; the scalar kernel rounds a float64 result once): the term within
 * 3 ulp + {@value #PER_Z}·|z| relative of the float64 term (vector: its reduction of exp's
 * argument neglects n·(ln2_f − ln2), about 2.75e-9·|z| relative; with label smoothing also
 * |z|·ulp(t)/2, t being rounded to float) or 1 ulp (scalar); the gradient
 * {@code scale·(σ(z) − t)} within ({@value #GRAD_REL} + {@value #PER_Z}·|z|)·max(|scale·(σ(z) − t)|,
 * scale·t) (vector) or 1 ulp (scalar), plus the smallest subnormal; where exp(−|z|) is below the
 * float range (|z| > 87) the vector kernel uses about exp(−87) ≈ 1.6e-38 instead, so there it is
 * also allowed an absolute 2e-38 (·scale).
 */
class BceKernelTest {
    static final double TERM_ULP = 3;
    static final double GRAD_REL = 2.5e-7;
    static final double PER_Z = 3e-9;
    static final double TINY = 2e-38;

    @AfterEach
    void oneThreadAgain() {
        Parallel.setThreads(1);
    }

    static List<FloatKernels> paths() {
        List<FloatKernels> p = new ArrayList<>();
        p.add(Kernels.scalar());
        if (Kernels.vector() != null) {
            p.add(Kernels.vector());
        }
        return p;
    }

    static double t(double y, float ya, float yb) {
        return (double) ya * y + yb;
    }

    static double term(double z, double t) {
        return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    }

    static double sigmoid(double z) {
        double e = Math.exp(-Math.abs(z));
        return Double.isNaN(z) ? Double.NaN : z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    static double ulp(double v) {
        float f = (float) Math.abs(v);
        return Math.ulp(f == 0 ? Float.MIN_VALUE : f);
    }

    /**
     * Term of one element, run as exactly one full vector of equal lanes, whatever the kernel's
     * width (then the sum, lanes added in float64, is exactly lanes·term, and the vector code is
     * what is measured: at 16 lanes a range of 8 would be all scalar tail), and as a range of one
     * (the tail alone) for the vector kernels; the larger error of the two.
     */
    static double oneTerm(FloatKernels k, float z, float y, float ya, float yb) {
        int n = Math.max(k.lanes(), 8);
        float[] x = new float[n];
        float[] t = new float[n];
        Arrays.fill(x, z);
        Arrays.fill(t, y);
        double full = k.bceWithLogits(x, t, null, 0, n, 1f, ya, yb) / n;
        if (k.lanes() == 1) {
            return full;
        }
        double tail = k.bceWithLogits(x, t, null, 0, 1, 1f, ya, yb);
        double want = term(z, t(y, ya, yb));
        return Math.abs(tail - want) > Math.abs(full - want) ? tail : full;
    }

    static void checkTerm(FloatKernels k, float z, float y, float ya, float yb) {
        double got = oneTerm(k, z, y, ya, yb);
        double tt = t(y, ya, yb);
        double want = term(z, tt);
        boolean ok;
        if (Double.isNaN(want) || Double.isInfinite(want)) {
            ok = Double.compare(want, got) == 0;
        } else {
            // the vector kernel forms t = ya·y + yb in float: with label smoothing t is rounded,
            // which moves z·t by up to |z|·ulp(t)/2
            double tol = k.path().equals("vector")
                    ? TERM_ULP * ulp(want) + PER_Z * Math.min(Math.abs(z), 87) * Math.abs(want)
                            + (ya != 1f || yb != 0f ? Math.abs(z) * ulp(tt) / 2 : 0)
                    : ulp(want);
            ok = Math.abs(got - want) <= tol + (Math.abs(z) > 87 ? TINY : 0);
        }
        if (!ok) {
            fail(k.path() + " term(z=" + z + ", y=" + y + ", ya=" + ya + ", yb=" + yb + ") = " + got + ", float64 "
                    + want + ": " + Math.abs(got - want) / ulp(want) + " ulp");
        }
    }

    static void checkGradients(FloatKernels k, float[] x, float[] y, float scale, float ya, float yb) {
        float[] g = new float[x.length];
        k.bceWithLogits(x, y, g, 0, x.length, scale, ya, yb);
        boolean vector = k.path().equals("vector");
        for (int i = 0; i < x.length; i++) {
            double tt = t(y[i], ya, yb);
            double want = (sigmoid(x[i]) - tt) * scale;
            boolean ok;
            double tol = 0;
            if (Double.isNaN(want)) {
                ok = Float.isNaN(g[i]);
            } else {
                // + the smallest subnormal: results below the normal range round to multiples of it
                double rel = GRAD_REL + PER_Z * Math.min(Math.abs(x[i]), 87);
                tol = (vector ? rel * Math.max(Math.abs(want), tt * scale) : ulp(want)) + Float.MIN_VALUE
                        + (vector && Math.abs(x[i]) > 87 ? TINY * scale : 0);
                ok = Math.abs(g[i] - want) <= tol;
            }
            if (!ok) {
                fail(k.path() + " g[" + i + "] (z=" + x[i] + ", y=" + y[i] + ", ya=" + ya + ", yb=" + yb + ") = " + g[i]
                        + ", float64 " + want + " (error " + Math.abs(g[i] - want) + ", allowed " + tol + ")");
            }
        }
    }

    /** z values: every step-th float of [−100, 100] (both signs), plus the specials. */
    static float[] sweep(int step) {
        int hi = Float.floatToRawIntBits(100f);
        int count = hi / step + 1;
        float[] z = new float[2 * count + SPECIALS.length];
        int k = 0;
        for (int b = 0; b <= hi && k < 2 * count; b += step) {
            float v = Float.intBitsToFloat(b);
            z[k++] = v;
            z[k++] = -v;
        }
        for (float s : SPECIALS) {
            z[k++] = s;
        }
        return Arrays.copyOf(z, k);
    }

    static final float[] SPECIALS = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        1e-30f, -1e-30f, 86.9f, -86.9f, 87f, -87f, 87.3f, -87.3f, 88f, -88f, 89.5f, -89.5f, 103f, -103f, 104f, -104f,
        150f, -150f, 1e4f, -1e4f, 3e6f, -3e6f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    @Test
    void termElementByElementOverADenseSweepOfLogits() {
        float[] z = sweep(1 << 12); // ~520k floats: every 4096th float of [−100, 100]
        for (FloatKernels k : paths()) {
            for (int i = 0; i < z.length; i++) {
                checkTerm(k, z[i], i % 3 == 0 ? 0f : 1f, 1f, 0f);
            }
            for (int i = 0; i < z.length; i += 7) {
                checkTerm(k, z[i], 0.3f, 1f, 0f);
                checkTerm(k, z[i], 1f, 0.9f, 0.05f); // label smoothing 0.1
                checkTerm(k, z[i], 0f, 0.9f, 0.05f);
            }
        }
    }

    @Test
    void gradientElementByElementOverADenseSweepOfLogits() {
        float[] z = sweep(1 << 9); // ~4.2M floats: every 512th float of [−100, 100]
        float[] y = new float[z.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3 == 0 ? 0f : i % 3 == 1 ? 1f : 0.3f;
        }
        for (FloatKernels k : paths()) {
            checkGradients(k, z, y, 1f, 1f, 0f);
            float[] part = Arrays.copyOf(z, 100_003);
            checkGradients(k, part, Arrays.copyOf(y, part.length), 1f / 3, 0.9f, 0.05f);
            checkGradients(k, part, Arrays.copyOf(y, part.length), 2.5e-7f, 1f, 0f);
        }
    }

    @Test
    void specialsAtEveryLanePositionAndInTheTail() {
        SplittableRandom r = new SplittableRandom(3);
        for (FloatKernels k : paths()) {
            for (float s : SPECIALS) {
                for (int pos = 0; pos < 37; pos++) {
                    float[] x = new float[37];
                    float[] y = new float[37];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (r.nextGaussian() * 3);
                        y[i] = r.nextInt(2);
                    }
                    x[pos] = s;
                    checkGradients(k, x, y, 1f / 37, 1f, 0f);
                    double sum = k.bceWithLogits(x, y, null, 0, x.length, 1f, 1f, 0f);
                    double want = 0;
                    for (int i = 0; i < x.length; i++) {
                        want += term(x[i], y[i]);
                    }
                    String at = k.path() + " z[" + pos + "] = " + s;
                    if (Double.isNaN(want) || Double.isInfinite(want)) {
                        assertEquals(want, sum, 0.0, at);
                    } else {
                        assertEquals(want, sum, 1e-6 * Math.abs(want) + 1e-30, at);
                    }
                }
            }
        }
    }

    @Test
    void vectorAgreesWithScalarAtOddSizesLaneAndSubBlockBoundaries() {
        FloatKernels v = Kernels.vector();
        if (v == null) {
            return; // no vector path on this JVM: KernelPathsTest checks that this is legitimate
        }
        FloatKernels s = Kernels.scalar();
        int[] sizes = {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 505, 511, 512, 513, 519, 1023, 1024, 1025, 1031,
            4097, 3 * FloatKernels.MAX_SUB_BLOCK + 13};
        float[][] smoothing = {{1f, 0f}, {0.9f, 0.05f}, {0f, 0.5f}};
        SplittableRandom r = new SplittableRandom(5);
        for (int n : sizes) {
            for (int from : new int[] {0, 1, 3, 8}) {
                int len = from + n + 9;
                float[] x = new float[len];
                float[] y = new float[len];
                for (int i = 0; i < len; i++) {
                    x[i] = (float) (r.nextGaussian() * (i % 5 == 0 ? 40 : 4));
                    y[i] = r.nextInt(4) == 0 ? (float) r.nextDouble() : r.nextInt(2);
                }
                if (n > 4) {
                    x[from] = 1e4f;
                    x[from + n - 1] = -1e4f;
                    x[from + n / 2] = -95f;
                }
                for (float[] ab : smoothing) {
                    float scale = n == 0 ? 1f : 1f / n;
                    float[] gs = new float[len];
                    float[] gv = new float[len];
                    Arrays.fill(gs, 7f);
                    Arrays.fill(gv, 7f);
                    double ss = s.bceWithLogits(x, y, gs, from, from + n, scale, ab[0], ab[1]);
                    double sv = v.bceWithLogits(x, y, gv, from, from + n, scale, ab[0], ab[1]);
                    double abs = 0;
                    for (int i = from; i < from + n; i++) {
                        abs += Math.abs(term(x[i], t(y[i], ab[0], ab[1])));
                    }
                    String at = "n=" + n + " from=" + from + " ya=" + ab[0] + " yb=" + ab[1];
                    // float lanes over sub-blocks of 512 (64 adds per lane: at most 64·2^-24 of Σ|term|) and the
                    // terms' own error, against the scalar path's float64 sum
                    assertEquals(ss, sv, 5e-6 * abs + 1e-30, at + ": sum");
                    assertEquals(sv, v.bceWithLogits(x, y, null, from, from + n, scale, ab[0], ab[1]), 0.0,
                            at + ": value-only sum differs");
                    for (int i = 0; i < len; i++) {
                        if (i < from || i >= from + n) {
                            assertEquals(7f, gv[i], 0f, at + ": g[" + i + "] outside the range written");
                            continue;
                        }
                        double tt = t(y[i], ab[0], ab[1]) * scale;
                        double rel = GRAD_REL + PER_Z * Math.min(Math.abs(x[i]), 87);
                        double tol = rel * Math.max(Math.abs(gs[i]), tt) + ulp(gs[i]) + TINY * scale;
                        if (!(Math.abs(gv[i] - gs[i]) <= tol)) {
                            fail(at + ": g[" + i + "] (z=" + x[i] + ", y=" + y[i] + ") vector " + gv[i] + " scalar "
                                    + gs[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void kernelsReportTargetsOutsideTheUnitIntervalButAcceptNanAndNegativeZero() {
        float[] bad = {-Float.MIN_VALUE, -1f, Math.nextUp(1f), 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int n = 2 * FloatKernels.MAX_SUB_BLOCK + 21; // two sub-blocks (at any width), then a vector part and a scalar tail
        SplittableRandom r = new SplittableRandom(9);
        for (FloatKernels k : paths()) {
            for (int pos : new int[] {0, 1, 7, 8, 9, 511, 512, 513, n - 6, n - 1}) {
                float[] x = new float[n];
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) r.nextGaussian();
                    y[i] = r.nextInt(2);
                }
                for (float b : bad) {
                    y[pos] = b;
                    for (float[] g : new float[][] {null, new float[n]}) {
                        String at = k.path() + " y[" + pos + "] = " + b + (g == null ? " value-only" : "");
                        assertEquals(FloatKernels.INVALID_TARGET, k.bceWithLogits(x, y, g, 0, n, 1f, 1f, 0f), at);
                        assertEquals(FloatKernels.INVALID_TARGET, k.bceWithLogits(x, y, g, 0, n, 1f, 0.9f, 0.05f), at);
                        // outside the range it is not looked at
                        if (pos > 0) {
                            assertNotEquals(FloatKernels.INVALID_TARGET, k.bceWithLogits(x, y, g, 0, pos, 1f, 1f, 0f),
                                    at + " range before it");
                        }
                    }
                }
                for (float ok : new float[] {-0f, 0f, 1f, Float.MIN_VALUE, Math.nextDown(1f)}) {
                    y[pos] = ok;
                    double s = k.bceWithLogits(x, y, new float[n], 0, n, 1f, 1f, 0f);
                    assertTrue(s >= 0 && Double.isFinite(s), k.path() + " y[" + pos + "] = " + ok + ": " + s);
                }
                y[pos] = Float.NaN;
                float[] g = new float[n];
                assertTrue(Double.isNaN(k.bceWithLogits(x, y, g, 0, n, 1f, 1f, 0f)), k.path() + " NaN target");
                assertTrue(Float.isNaN(g[pos]), k.path() + " NaN target's gradient");
                y[pos] = Float.intBitsToFloat(0xffc00001); // a NaN with the sign bit set
                assertTrue(Double.isNaN(k.bceWithLogits(x, y, null, 0, n, 1f, 1f, 0f)), k.path() + " −NaN target");
            }
        }
    }

    /** Through the API (active kernel path): the refusal and its message are those of the float64 path. */
    @Test
    void outOfRangeFloat32TargetIsRefusedWithTheFirstIndexForAnyThreadCount() {
        int n = 3 * Parallel.CHUNK + 77;
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = r.nextInt(2);
        }
        int first = 2 * Parallel.CHUNK + 5;
        y[first] = 1.5f;
        y[n - 1] = -0.25f; // a later one, in another chunk
        for (double eps : new double[] {0, 0.2}) {
            Loss loss = Losses.create("bce_with_logits", Map.of("label_smoothing", eps));
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] g = new float[n];
                for (boolean grad : new boolean[] {true, false}) {
                    Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
                    LossException e = assertThrows(LossException.class, () -> (grad
                            ? loss.compute(in.gradInto("input", Tensor.vector(g))) : loss.value(in)).value());
                    assertEquals(ErrorKind.OUT_OF_DOMAIN, e.kind());
                    String want = "target[" + first + "] = 1.5 is outside [0, 1]";
                    assertTrue(e.getMessage().contains(want), e.getMessage());
                }
            }
        }
        // a two-dimensional target: the index in the message is the float64 path's
        Parallel.setThreads(1);
        Loss loss = Losses.create("bce_with_logits", Map.of());
        float[] x2 = new float[6];
        float[] y2 = {0, 1, 0, 1, 3, 0};
        LossException e = assertThrows(LossException.class,
                () -> loss.compute(Inputs.of(Tensor.of(x2, 2, 3), Tensor.of(y2, 2, 3))));
        double[] y64 = {0, 1, 0, 1, 3, 0};
        LossException e64 = assertThrows(LossException.class,
                () -> loss.compute(Inputs.of(Tensor.of(new double[6], 2, 3), Tensor.of(y64, 2, 3))));
        assertEquals(e64.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("target[1, 1] = 3.0 is outside [0, 1]"), e.getMessage());
    }

    /** NaN targets are valid input: NaN value, NaN gradient there, finite elsewhere. */
    @Test
    void nanFloat32TargetPropagatesThroughTheApi() {
        float[] x = new float[100];
        float[] y = new float[100];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 50) / 10f;
            y[i] = i % 2;
        }
        y[37] = Float.NaN;
        y[38] = -0f;
        float[] g = new float[100];
        LossResult res = Losses.create("bce_with_logits", Map.of())
                .compute(Inputs.of(Tensor.vector(x), Tensor.vector(y)).gradInto("input", Tensor.vector(g)));
        assertTrue(Double.isNaN(res.value()));
        for (int i = 0; i < g.length; i++) {
            assertEquals(i == 37, Float.isNaN(g[i]), "g[" + i + "] = " + g[i]);
        }
    }

    /**
     * The vector kernel is lane arithmetic only (no SVML intrinsics), so a JVM that only
     * interprets gives the same bits as this one after the JIT compiled the kernel.
     */
    @Test
    void sameBitsInterpretedAndCompiled() throws IOException, InterruptedException {
        if (Kernels.vector() == null) {
            return;
        }
        String warm = Bits.run(Kernels.vector(), 3000);
        Path javaBin = Paths.get(System.getProperty("java.home"), "bin", "java");
        // the same width as this JVM's kernels (a -D setting is not inherited; the environment is)
        Process p = new ProcessBuilder(javaBin.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
                "-Dlosses4j.vector.bits=" + 32 * Kernels.vector().lanes(), "-cp",
                System.getProperty("java.class.path"), Bits.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String cold = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the interpreted run did not finish");
        assertEquals(0, p.exitValue(), "the interpreted run failed: " + cold);
        assertEquals(warm, cold, "interpreted (-Xint) and JIT-compiled vector kernels differ");
    }

    /**
     * Sums and gradient bits of a fixed input (odd size, specials, label smoothing), as one line;
     * the specials include NaN, so a second range without them checks the bits of a finite sum.
     */
    static final class Bits {
        public static void main(String[] args) {
            FloatKernels v = Kernels.vector();
            System.out.println(v == null ? "no vector kernels" : run(v, 0));
        }

        static String run(FloatKernels k, int warmUp) {
            int n = 1037;
            float[] x = new float[n];
            float[] y = new float[n];
            SplittableRandom r = new SplittableRandom(17);
            for (int i = 0; i < n; i++) {
                x[i] = i < SPECIALS.length ? SPECIALS[i] : (float) (r.nextGaussian() * (i % 7 == 0 ? 30 : 3));
                y[i] = i % 5 == 0 ? (float) r.nextDouble() : r.nextInt(2);
            }
            float[] g = new float[n];
            for (int w = 0; w < warmUp; w++) {
                k.bceWithLogits(x, y, g, 0, n, 0.5f, 1f, 0f);
                k.bceWithLogits(x, y, g, 0, n, 0.5f, 0.9f, 0.05f);
                k.bceWithLogits(x, y, null, 0, n, 0.5f, 1f, 0f);
                k.bceWithLogits(x, y, null, 0, n, 0.5f, 0.9f, 0.05f);
            }
            StringBuilder sb = new StringBuilder();
            for (float[] ab : new float[][] {{1f, 0f}, {0.9f, 0.05f}}) {
                long h = 0;
                double s = k.bceWithLogits(x, y, g, 0, n, 1f / n, ab[0], ab[1]);
                for (float gi : g) {
                    h = h * 31 + Float.floatToIntBits(gi); // NaN canonical: Java does not fix NaN bit patterns
                }
                double v = k.bceWithLogits(x, y, null, SPECIALS.length, n - 2, 1f, ab[0], ab[1]);
                sb.append(Long.toHexString(Double.doubleToLongBits(s))).append(' ').append(Long.toHexString(h))
                        .append(' ').append(Long.toHexString(Double.doubleToLongBits(v))).append(' ');
            }
            return sb.toString().trim();
        }
    }
}
