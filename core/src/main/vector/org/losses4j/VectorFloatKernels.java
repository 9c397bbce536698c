package org.losses4j;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels on the Vector API ({@code jdk.incubator.vector}), at the platform's
 * preferred species. Compiled separately from the rest of core (see core/pom.xml: the
 * incubator module is invisible to {@code --release 17}) and instantiated reflectively by
 * {@link Kernels} only when the module is readable; its constructor refuses species narrower
 * than 256 bits, where the scalar kernels are as fast.
 *
 * <p>Summation: two vector accumulators in float lanes over at most
 * {@value FloatKernels#SUB_BLOCK} elements, added across lanes once per sub-block in float64
 * (lane 0 first); the scalar tail (fewer than two vectors, only at the end of a range) is summed in
 * float and added too. Everything but exp and log1p is IEEE lane arithmetic, so mse and huber
 * give the same bits compiled or interpreted. exp and log1p use {@link VectorOperators#EXP} and
 * {@link VectorOperators#LOG1P}: SVML intrinsics once C2 compiles the loop, per-lane Math
 * calls before, which may differ in the last ulp, so bce_with_logits's bits can differ between
 * a cold and a warm call (never between thread counts in the same state).
 */
final class VectorFloatKernels extends FloatKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int L2 = 2 * L;

    VectorFloatKernels() {
        if (S.vectorBitSize() < 256) {
            throw new UnsupportedOperationException("the preferred float vector is only " + S.vectorBitSize()
                    + " bits wide (< 256)");
        }
    }

    @Override
    public String path() {
        return "vector";
    }

    @Override
    public String description() {
        return "vector (jdk.incubator.vector, " + S.vectorBitSize() + "-bit, " + L + " float lanes)";
    }

    /**
     * The lanes' sum in float64, lane 0 first. Not reduceLanes(ADD): its order differs between
     * the C2 intrinsic and the interpreter's fallback, so results would depend on the JIT state.
     */
    private static double lanes(FloatVector v) {
        double s = 0;
        for (int k = 0; k < L; k++) {
            s += v.lane(k);
        }
        return s;
    }

    @Override
    public double mse(float[] x, float[] y, float[] g, int from, int to, float scale) {
        final float s2 = 2f * scale;
        double sum = 0;
        int i = from;
        while (i < to) {
            int end = Math.min(to, i + SUB_BLOCK);
            int vend = i + (end - i) / L2 * L2;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (; i < vend; i += L2) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(FloatVector.fromArray(S, y, i));
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(FloatVector.fromArray(S, y, i + L));
                a0 = a0.add(d0.mul(d0));
                a1 = a1.add(d1.mul(d1));
                if (g != null) {
                    d0.mul(s2).intoArray(g, i);
                    d1.mul(s2).intoArray(g, i + L);
                }
            }
            float tail = 0;
            for (; i < end; i++) {
                float d = x[i] - y[i];
                tail += d * d;
                if (g != null) {
                    g[i] = d * s2;
                }
            }
            sum += lanes(a0.add(a1)) + tail;
        }
        return sum;
    }

    @Override
    public double huber(float[] x, float[] y, float[] g, int from, int to, float scale, float delta) {
        final float dl = delta;
        final float nd = -delta;
        double sum = 0;
        int i = from;
        while (i < to) {
            int end = Math.min(to, i + SUB_BLOCK);
            int vend = i + (end - i) / L2 * L2;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (; i < vend; i += L2) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(FloatVector.fromArray(S, y, i));
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(FloatVector.fromArray(S, y, i + L));
                // c = clamp(d, -δ, δ) (lanewise MAX/MIN keep NaN); term c·(d − c/2); gradient c
                FloatVector c0 = d0.max(nd).min(dl);
                FloatVector c1 = d1.max(nd).min(dl);
                a0 = a0.add(c0.mul(d0.sub(c0.mul(0.5f))));
                a1 = a1.add(c1.mul(d1.sub(c1.mul(0.5f))));
                if (g != null) {
                    c0.mul(scale).intoArray(g, i);
                    c1.mul(scale).intoArray(g, i + L);
                }
            }
            float tail = 0;
            for (; i < end; i++) {
                float d = x[i] - y[i];
                float c = Math.min(Math.max(d, nd), dl);
                tail += c * (d - 0.5f * c);
                if (g != null) {
                    g[i] = c * scale;
                }
            }
            sum += lanes(a0.add(a1)) + tail;
        }
        return sum;
    }

    @Override
    public double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb) {
        double sum = 0;
        int i = from;
        while (i < to) {
            int end = Math.min(to, i + SUB_BLOCK);
            int vend = i + (end - i) / L * L;
            FloatVector acc = FloatVector.zero(S);
            for (; i < vend; i += L) {
                FloatVector z = FloatVector.fromArray(S, x, i);
                FloatVector t = FloatVector.fromArray(S, y, i).mul(ya).add(yb);
                FloatVector e = z.abs().neg().lanewise(VectorOperators.EXP);
                acc = acc.add(z.max(0f).sub(z.mul(t)).add(e.lanewise(VectorOperators.LOG1P)));
                if (g != null) {
                    FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(1f));
                    VectorMask<Float> pos = z.compare(VectorOperators.GE, 0f);
                    // σ(z) = r for z ≥ 0, e·r below (NaN z fails GE and stays NaN through e)
                    e.mul(r).blend(r, pos).sub(t).mul(scale).intoArray(g, i);
                }
            }
            float tail = 0;
            for (; i < end; i++) {
                float z = x[i];
                float t = ya * y[i] + yb;
                float e = (float) Math.exp(-Math.abs(z));
                tail += Math.max(z, 0f) - z * t + (float) Math.log1p(e);
                if (g != null) {
                    float r = 1f / (1f + e);
                    g[i] = ((z >= 0 ? r : e * r) - t) * scale;
                }
            }
            sum += lanes(acc) + tail;
        }
        return sum;
    }
}
