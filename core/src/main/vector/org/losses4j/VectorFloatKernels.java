package org.losses4j;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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
 * give the same bits compiled or interpreted. exp and log1p are written out in lane arithmetic
 * too ({@code expNonPositive}, {@code log1pUnit}; not {@link VectorOperators#EXP}, whose SVML
 * intrinsic and interpreter fallback differ in the last ulp), so every kernel gives the same
 * bits cold or warm and for any thread count.
 */
final class VectorFloatKernels extends FloatKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int L2 = 2 * L;
    /** Half a sub-block: what each of two interleaved streams accumulates before its lanes are summed. */
    private static final int HALF = SUB_BLOCK / 2;
    // lane i with lane i ^ m: adding v.rearrange(SH_m) for m = L/2, ..., 2, 1 leaves the lane sum
    // in every lane (for L = 8 or 16; the constructor refuses species below 256 bits). Separate
    // constants, not an array: C2 folds a static final shuffle, not an array element.
    private static final VectorShuffle<Float> SH8 = L >= 16 ? VectorShuffle.fromOp(S, i -> i ^ 8) : null;
    private static final VectorShuffle<Float> SH4 = VectorShuffle.fromOp(S, i -> i ^ 4);
    private static final VectorShuffle<Float> SH2 = VectorShuffle.fromOp(S, i -> i ^ 2);
    private static final VectorShuffle<Float> SH1 = VectorShuffle.fromOp(S, i -> i ^ 1);
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);

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

    // Lane sums: not reduceLanes(ADD), whose order differs between the C2 intrinsic and the
    // interpreter's fallback, so results would depend on the JIT state; lane 0 first instead.

    @Override
    public double mse(float[] x, float[] y, float[] g, int from, int to, float scale) {
        // value-only and value+gradient are separate loops: the JIT need not unswitch on g
        return g == null ? mseValue(x, y, from, to) : mseGrad(x, y, g, from, to, 2f * scale);
    }

    private static double mseGrad(float[] x, float[] y, float[] g, int from, int to, float s2) {
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
                d0.mul(s2).intoArray(g, i);
                d1.mul(s2).intoArray(g, i + L);
            }
            float tail = 0;
            for (; i < end; i++) {
                float d = x[i] - y[i];
                tail += d * d;
                g[i] = d * s2;
            }
            // the lanes in float64, lane 0 first, written out in each loop: a helper taking the
            // vector would box it wherever the JIT declines to inline the helper
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls + tail;
        }
        return sum;
    }

    private static double mseValue(float[] x, float[] y, int from, int to) {
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
            }
            float tail = 0;
            for (; i < end; i++) {
                float d = x[i] - y[i];
                tail += d * d;
            }
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls + tail;
        }
        return sum;
    }

    @Override
    public double huber(float[] x, float[] y, float[] g, int from, int to, float scale, float delta) {
        return g == null ? huberValue(x, y, from, to, delta) : huberGrad(x, y, g, from, to, scale, delta);
    }

    // c = clamp(d, -δ, δ) (lanewise MAX/MIN keep NaN); term c·(d − c/2); gradient c
    private static double huberGrad(float[] x, float[] y, float[] g, int from, int to, float scale, float dl) {
        final float nd = -dl;
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
                FloatVector c0 = d0.max(nd).min(dl);
                FloatVector c1 = d1.max(nd).min(dl);
                a0 = a0.add(c0.mul(d0.sub(c0.mul(0.5f))));
                a1 = a1.add(c1.mul(d1.sub(c1.mul(0.5f))));
                c0.mul(scale).intoArray(g, i);
                c1.mul(scale).intoArray(g, i + L);
            }
            float tail = 0;
            for (; i < end; i++) {
                float d = x[i] - y[i];
                float c = Math.min(Math.max(d, nd), dl);
                tail += c * (d - 0.5f * c);
                g[i] = c * scale;
            }
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls + tail;
        }
        return sum;
    }

    private static double huberValue(float[] x, float[] y, int from, int to, float dl) {
        final float nd = -dl;
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
                FloatVector c0 = d0.max(nd).min(dl);
                FloatVector c1 = d1.max(nd).min(dl);
                a0 = a0.add(c0.mul(d0.sub(c0.mul(0.5f))));
                a1 = a1.add(c1.mul(d1.sub(c1.mul(0.5f))));
            }
            float tail = 0;
            for (; i < end; i++) {
                float d = x[i] - y[i];
                float c = Math.min(Math.max(d, nd), dl);
                tail += c * (d - 0.5f * c);
            }
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls + tail;
        }
        return sum;
    }

    // exp and log1p in plain lane arithmetic (add, mul, div, bit shifts: IEEE, the same bits
    // interpreted and compiled), instead of VectorOperators.EXP/LOG1P, whose SVML intrinsics
    // differ in the last ulp from the interpreter's per-lane Math calls.

    private static final float MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    /**
     * exp(x) for x ≤ 0 (within ~2 ulp; below −87, where float exp is subnormal, it returns
     * exp(−87) ≈ 1.6e-38): x = n·ln2 + r, |r| ≤ ln2/2, e^r by the Cephes expf polynomial,
     * times 2^n built from its exponent bits. NaN stays NaN.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector xc = x.max(-87f);
        FloatVector kf = xc.mul(LOG2E).add(MAGIC);
        FloatVector n = kf.sub(MAGIC);
        FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(1.9875691500E-4f).add(1.3981999507E-3f);
        p = p.mul(r).add(8.3334519073E-3f);
        p = p.mul(r).add(4.1665795894E-2f);
        p = p.mul(r).add(1.6666665459E-1f);
        p = p.mul(r).add(5.0000001201E-1f);
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = kf.reinterpretAsInts().sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats());
    }

    /**
     * log1p(e) for e in [0, 1] (within ~2 ulp): with s = e/(2 + e) ≤ 1/3,
     * log1p(e) = 2·atanh(s) = 2(s + s³/3 + … + s¹³/13), the next term below 1e-8 relative.
     */
    static FloatVector log1pUnit(FloatVector e) {
        FloatVector s = e.div(e.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector q = s2.mul(2f / 13).add(2f / 11);
        q = q.mul(s2).add(2f / 9);
        q = q.mul(s2).add(2f / 7);
        q = q.mul(s2).add(2f / 5);
        q = q.mul(s2).add(2f / 3);
        q = q.mul(s2).add(2f);
        return q.mul(s);
    }

    @Override
    public double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb) {
        return g == null ? bceValue(x, y, from, to, ya, yb) : bceGrad(x, y, g, from, to, scale, ya, yb);
    }

    // term max(z, 0) − z·t + log1p(e), e = exp(−|z|); σ(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) below
    // (a NaN z fails GE and stays NaN through e)
    private static double bceGrad(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
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
                // e = expNonPositive(z.abs().neg()), written out: the JIT declines to inline a helper this size
                FloatVector ex = z.abs().neg().max(-87f);
                FloatVector ek = ex.mul(LOG2E).add(MAGIC);
                FloatVector en = ek.sub(MAGIC);
                FloatVector er = ex.sub(en.mul(LN2_HI)).sub(en.mul(LN2_LO));
                FloatVector ep = er.mul(1.9875691500E-4f).add(1.3981999507E-3f).mul(er).add(8.3334519073E-3f).mul(er)
                        .add(4.1665795894E-2f).mul(er).add(1.6666665459E-1f).mul(er).add(5.0000001201E-1f);
                FloatVector e = ep.mul(er.mul(er)).add(er).add(1f).mul(ek.reinterpretAsInts().sub(MAGIC_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                // lp = log1pUnit(e), written out
                FloatVector lps = e.div(e.add(2f));
                FloatVector lps2 = lps.mul(lps);
                FloatVector lp = lps2.mul(2f / 13).add(2f / 11).mul(lps2).add(2f / 9).mul(lps2).add(2f / 7).mul(lps2)
                        .add(2f / 5).mul(lps2).add(2f / 3).mul(lps2).add(2f).mul(lps);
                acc = acc.add(z.max(0f).sub(z.mul(t)).add(lp));
                FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(1f));
                VectorMask<Float> pos = z.compare(VectorOperators.GE, 0f);
                e.mul(r).blend(r, pos).sub(t).mul(scale).intoArray(g, i);
            }
            float tail = 0;
            for (; i < end; i++) {
                float z = x[i];
                float t = ya * y[i] + yb;
                float e = (float) Math.exp(-Math.abs(z));
                tail += Math.max(z, 0f) - z * t + (float) Math.log1p(e);
                float r = 1f / (1f + e);
                g[i] = ((z >= 0 ? r : e * r) - t) * scale;
            }
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += acc.lane(k);
            }
            sum += ls + tail;
        }
        return sum;
    }

    private static double bceValue(float[] x, float[] y, int from, int to, float ya, float yb) {
        double sum = 0;
        int i = from;
        while (i < to) {
            int end = Math.min(to, i + SUB_BLOCK);
            int vend = i + (end - i) / L * L;
            FloatVector acc = FloatVector.zero(S);
            for (; i < vend; i += L) {
                FloatVector z = FloatVector.fromArray(S, x, i);
                FloatVector t = FloatVector.fromArray(S, y, i).mul(ya).add(yb);
                // e = expNonPositive(z.abs().neg()), written out: the JIT declines to inline a helper this size
                FloatVector ex = z.abs().neg().max(-87f);
                FloatVector ek = ex.mul(LOG2E).add(MAGIC);
                FloatVector en = ek.sub(MAGIC);
                FloatVector er = ex.sub(en.mul(LN2_HI)).sub(en.mul(LN2_LO));
                FloatVector ep = er.mul(1.9875691500E-4f).add(1.3981999507E-3f).mul(er).add(8.3334519073E-3f).mul(er)
                        .add(4.1665795894E-2f).mul(er).add(1.6666665459E-1f).mul(er).add(5.0000001201E-1f);
                FloatVector e = ep.mul(er.mul(er)).add(er).add(1f).mul(ek.reinterpretAsInts().sub(MAGIC_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                // lp = log1pUnit(e), written out
                FloatVector lps = e.div(e.add(2f));
                FloatVector lps2 = lps.mul(lps);
                FloatVector lp = lps2.mul(2f / 13).add(2f / 11).mul(lps2).add(2f / 9).mul(lps2).add(2f / 7).mul(lps2)
                        .add(2f / 5).mul(lps2).add(2f / 3).mul(lps2).add(2f).mul(lps);
                acc = acc.add(z.max(0f).sub(z.mul(t)).add(lp));
            }
            float tail = 0;
            for (; i < end; i++) {
                float z = x[i];
                float t = ya * y[i] + yb;
                float e = (float) Math.exp(-Math.abs(z));
                tail += Math.max(z, 0f) - z * t + (float) Math.log1p(e);
            }
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += acc.lane(k);
            }
            sum += ls + tail;
        }
        return sum;
    }

    // Cross-entropy, one row at a time (a row of up to ~64k classes stays in L2 between the
    // passes): 1. the maximum m; 2. e_c = exp(x_c − m), stored into g when there is one, with
    // Σ e_c over the classes below m (ties with m counted apart, so a confident row keeps its
    // small S − 1) and Σ (x_c − m); 3. g_c = coef·e_c − off over the stored row; 4. g_y.
    @Override
    public double crossEntropy(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo, float scale,
            double keep, double uni, long ignore) {
        if (c < 4 * L) {
            return crossEntropyShortRows(x, labels, g, c, rowFrom, rowTo, scale, keep, uni, ignore);
        }
        double sum = 0;
        for (int r = rowFrom; r < rowTo; r++) {
            int base = r * c;
            long lab = labels[r];
            if (lab == ignore) {
                if (g != null) {
                    java.util.Arrays.fill(g, base, base + c, 0f);
                }
                continue;
            }
            int y = (int) lab;
            float m = rowMax(x, base, c);
            int end = base + c;
            // rest = Σ_{x_c < m} e_c + (ties − 1), the two parts apart until the end (the small
            // sum of a confident row must not pass through 1 + …); sd = Σ (x_c − m)
            double below = 0;
            int ties = 0;
            double sd = 0;
            int i = base;
            while (i < end) {
                int sEnd = Math.min(end, i + SUB_BLOCK);
                int vend = i + (sEnd - i) / L * L;
                FloatVector acc = FloatVector.zero(S);
                FloatVector accD = FloatVector.zero(S);
                FloatVector accT = FloatVector.zero(S);
                if (g != null) {
                    for (; i < vend; i += L) {
                        FloatVector d = FloatVector.fromArray(S, x, i).sub(m);
                        // e = expNonPositive(d), written out: the JIT declines to inline a helper this size
                        FloatVector ex = d.max(-87f);
                        FloatVector ek = ex.mul(LOG2E).add(MAGIC);
                        FloatVector en = ek.sub(MAGIC);
                        FloatVector er = ex.sub(en.mul(LN2_HI)).sub(en.mul(LN2_LO));
                        FloatVector ep = er.mul(1.9875691500E-4f).add(1.3981999507E-3f).mul(er).add(8.3334519073E-3f).mul(er)
                                .add(4.1665795894E-2f).mul(er).add(1.6666665459E-1f).mul(er).add(5.0000001201E-1f);
                        FloatVector e = ep.mul(er.mul(er)).add(er).add(1f).mul(ek.reinterpretAsInts().sub(MAGIC_BITS - 127)
                                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                        e.intoArray(g, i);
                        FloatVector eb = e.blend(0f, d.compare(VectorOperators.EQ, 0f));
                        acc = acc.add(eb);
                        accT = accT.add(e.sub(eb)); // 1 per class equal to m, exact
                        accD = accD.add(d);
                    }
                } else {
                    for (; i < vend; i += L) {
                        FloatVector d = FloatVector.fromArray(S, x, i).sub(m);
                        // e = expNonPositive(d), written out: the JIT declines to inline a helper this size
                        FloatVector ex = d.max(-87f);
                        FloatVector ek = ex.mul(LOG2E).add(MAGIC);
                        FloatVector en = ek.sub(MAGIC);
                        FloatVector er = ex.sub(en.mul(LN2_HI)).sub(en.mul(LN2_LO));
                        FloatVector ep = er.mul(1.9875691500E-4f).add(1.3981999507E-3f).mul(er).add(8.3334519073E-3f).mul(er)
                                .add(4.1665795894E-2f).mul(er).add(1.6666665459E-1f).mul(er).add(5.0000001201E-1f);
                        FloatVector e = ep.mul(er.mul(er)).add(er).add(1f).mul(ek.reinterpretAsInts().sub(MAGIC_BITS - 127)
                                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                        FloatVector eb = e.blend(0f, d.compare(VectorOperators.EQ, 0f));
                        acc = acc.add(eb);
                        accT = accT.add(e.sub(eb)); // 1 per class equal to m, exact
                        accD = accD.add(d);
                    }
                }
                float tail = 0;
                float tailD = 0;
                for (; i < sEnd; i++) {
                    float d = x[i] - m;
                    float e = (float) Math.exp(d);
                    if (g != null) {
                        g[i] = e;
                    }
                    if (d == 0f) {
                        ties++;
                    } else {
                        tail += e;
                    }
                    tailD += d;
                }
                double ls = 0;
                double lsD = 0;
                for (int k = 0; k < L; k++) {
                    ls += acc.lane(k);
                    lsD += accD.lane(k);
                    ties += (int) accT.lane(k);
                }
                below += ls + tail;
                sd += lsD + tailD;
            }
            double rest = below + (ties - 1);
            double logS = Math.log1p(rest);
            double zy = (double) x[base + y] - m;
            double term = 0;
            if (keep != 0) {
                term += keep * (logS - zy);
            }
            if (uni != 0) {
                term += uni * (c * logS - sd);
            }
            sum += term;
            if (g != null) {
                double inv = 1 / (1 + rest);
                float coef = (float) (scale * (keep + uni * c) * inv);
                float off = (float) (scale * uni);
                int vend = base + c / L * L;
                int j = base;
                for (; j < vend; j += L) {
                    FloatVector.fromArray(S, g, j).mul(coef).sub(off).intoArray(g, j);
                }
                for (; j < end; j++) {
                    g[j] = g[j] * coef - off;
                }
                double py = Math.exp(zy) * inv;
                double qy = zy == 0 ? rest * inv : 1 - py;
                g[base + y] = (float) (scale * (-keep * qy + uni * (c * py - 1)));
            }
        }
        return sum;
    }

    /** The maximum of x[base, base + c) (NaN if any is NaN), lanes combined in a fixed order. */
    private static float rowMax(float[] x, int base, int c) {
        int end = base + c;
        int vend = base + c / L * L;
        int i = base;
        float m = Float.NEGATIVE_INFINITY;
        if (vend > base) {
            FloatVector mx = FloatVector.fromArray(S, x, i);
            for (i += L; i < vend; i += L) {
                mx = mx.max(FloatVector.fromArray(S, x, i));
            }
            for (int k = 0; k < L; k++) {
                m = Math.max(m, mx.lane(k));
            }
        }
        for (; i < end; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    /**
     * Rows shorter than a few vectors: per row x_c − m written into the gradient (or, value
     * only, into a scratch array of the same layout), one vector exp over the whole range,
     * then per row the sums (float64, in class order), the term and the gradient.
     */
    private static double crossEntropyShortRows(float[] x, long[] labels, float[] g, int c, int rowFrom,
            int rowTo, float scale, double keep, double uni, long ignore) {
        int from = rowFrom * c;
        int n = (rowTo - rowFrom) * c;
        float[] w = g != null ? g : new float[n]; // value only: scratch (no gradient buffer to reuse)
        int shift = g != null ? 0 : from; // w index = x index − shift
        for (int r = rowFrom; r < rowTo; r++) {
            int base = r * c;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = base; j < base + c; j++) {
                float v = x[j];
                m = v > m || v != v ? v : m; // Math.max but cheaper; a NaN sticks
            }
            for (int j = base; j < base + c; j++) {
                w[j - shift] = x[j] - m;
            }
        }
        int i = from - shift;
        int end = i + n;
        int vend = i + n / L * L;
        for (; i < vend; i += L) {
            FloatVector d = FloatVector.fromArray(S, w, i);
            FloatVector dx = d.max(-87f);
            FloatVector dk = dx.mul(LOG2E).add(MAGIC);
            FloatVector dn = dk.sub(MAGIC);
            FloatVector dr = dx.sub(dn.mul(LN2_HI)).sub(dn.mul(LN2_LO));
            FloatVector dp = dr.mul(1.9875691500E-4f).add(1.3981999507E-3f).mul(dr).add(8.3334519073E-3f).mul(dr)
                    .add(4.1665795894E-2f).mul(dr).add(1.6666665459E-1f).mul(dr).add(5.0000001201E-1f);
            dp.mul(dr.mul(dr)).add(dr).add(1f).mul(dk.reinterpretAsInts().sub(MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()).intoArray(w, i);
        }
        for (; i < end; i++) {
            w[i] = (float) Math.exp(w[i]);
        }
        double sum = 0;
        for (int r = rowFrom; r < rowTo; r++) {
            int base = r * c;
            long lab = labels[r];
            if (lab == ignore) {
                if (g != null) {
                    java.util.Arrays.fill(g, base, base + c, 0f);
                }
                continue;
            }
            int y = (int) lab;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = base; j < base + c; j++) {
                float v = x[j];
                m = v > m || v != v ? v : m; // Math.max but cheaper; a NaN sticks
            }
            double below = 0;
            int ties = 0;
            double sd = 0;
            for (int j = base; j < base + c; j++) {
                if (x[j] == m) {
                    ties++;
                } else {
                    below += w[j - shift];
                }
                sd += x[j] - m;
            }
            double rest = below + (ties - 1);
            // Math.log is an intrinsic, log1p is not: log1p only where 1 + rest would lose digits
            double logS = rest > 0.01 ? Math.log(1 + rest) : Math.log1p(rest);
            double zy = (double) x[base + y] - m;
            double term = 0;
            if (keep != 0) {
                term += keep * (logS - zy);
            }
            if (uni != 0) {
                term += uni * (c * logS - sd);
            }
            sum += term;
            if (g != null) {
                double inv = 1 / (1 + rest);
                float coef = (float) (scale * (keep + uni * c) * inv);
                float off = (float) (scale * uni);
                double py = g[base + y] * inv; // e_y (float) / S
                for (int j = base; j < base + c; j++) {
                    g[j] = g[j] * coef - off;
                }
                double qy = zy == 0 ? rest * inv : 1 - py;
                g[base + y] = (float) (scale * (-keep * qy + uni * (c * py - 1)));
            }
        }
        return sum;
    }

    // Region sums. The domain flag costs no compare masks: x·(x − 1) is > 0 exactly when x is
    // outside [0, 1] (negative times negative below 0, positive times positive above 1; never
    // rounded to 0 there), ≤ 0 or −0 inside; its largest bit pattern as a signed int is > 0
    // exactly then, or for a NaN with a clear sign bit (allowed: the caller re-checks). The
    // flag vector lives within one sub-block and its lanes are reduced there: carried across
    // the sub-block loop, C2 (JDK 17) boxed it on every iteration (4 B allocated per element).

    @Override
    public boolean regionSums(float[] x, float[] y, int from, int to, boolean squares, double[] acc, int at) {
        return squares ? regionSquares(x, y, from, to, acc, at) : regionPlain(x, y, from, to, acc, at);
    }

    private static boolean regionPlain(float[] x, float[] y, int from, int to, double[] acc, int at) {
        double spg = 0, sp = 0, sg = 0;
        boolean bad = false;
        // Two streams: [from, from + h) alongside [from + h, from + 2h), in sub-blocks of HALF
        // elements of each (SUB_BLOCK together); the rest (< SUB_BLOCK elements) in one stream
        // below. Two far-apart streams per array keep more cache misses
        // in flight than one: 10-20 % faster from memory on one thread here.
        int h = (to - from) / 2 / HALF * HALF;
        for (int s = from, send = from + h; s < send; s += HALF) {
            IntVector hi = IntVector.zero(IS);
            FloatVector pg0 = FloatVector.zero(S);
            FloatVector pg1 = FloatVector.zero(S);
            FloatVector p0 = FloatVector.zero(S);
            FloatVector p1 = FloatVector.zero(S);
            FloatVector g0 = FloatVector.zero(S);
            FloatVector g1 = FloatVector.zero(S);
            for (int i = s, end = s + HALF; i < end; i += L) {
                int j = i + h;
                FloatVector a0 = FloatVector.fromArray(S, x, i);
                FloatVector a1 = FloatVector.fromArray(S, x, j);
                FloatVector b0 = FloatVector.fromArray(S, y, i);
                FloatVector b1 = FloatVector.fromArray(S, y, j);
                pg0 = pg0.add(a0.mul(b0));
                pg1 = pg1.add(a1.mul(b1));
                p0 = p0.add(a0);
                p1 = p1.add(a1);
                g0 = g0.add(b0);
                g1 = g1.add(b1);
                IntVector m0 = a0.mul(a0.sub(1f)).reinterpretAsInts().max(b0.mul(b0.sub(1f)).reinterpretAsInts());
                IntVector m1 = a1.mul(a1.sub(1f)).reinterpretAsInts().max(b1.mul(b1.sub(1f)).reinterpretAsInts());
                hi = hi.max(m0.max(m1));
            }
            // the two streams' lanes added, then the lanes in float by a fixed tree (halves,
            // quarters, pairs: explicit shuffles, so the same bits interpreted and compiled),
            // then one add in float64: 8 lane extractions and float64 adds per sum cost about a
            // third of the loop
            FloatVector vpg = pg0.add(pg1);
            FloatVector vp = p0.add(p1);
            FloatVector vg = g0.add(g1);
            double lpg = 0, lp = 0, lg = 0;
            if (L <= 16) {
                if (L == 16) {
                    vpg = vpg.add(vpg.rearrange(SH8));
                    vp = vp.add(vp.rearrange(SH8));
                    vg = vg.add(vg.rearrange(SH8));
                }
                vpg = vpg.add(vpg.rearrange(SH4));
                vp = vp.add(vp.rearrange(SH4));
                vg = vg.add(vg.rearrange(SH4));
                vpg = vpg.add(vpg.rearrange(SH2));
                vp = vp.add(vp.rearrange(SH2));
                vg = vg.add(vg.rearrange(SH2));
                vpg = vpg.add(vpg.rearrange(SH1));
                vp = vp.add(vp.rearrange(SH1));
                vg = vg.add(vg.rearrange(SH1));
                lpg = vpg.lane(0);
                lp = vp.lane(0);
                lg = vg.lane(0);
            } else { // wider than any x86 vector (SVE): lane by lane
                for (int k = 0; k < L; k++) {
                    lpg += vpg.lane(k);
                    lp += vp.lane(k);
                    lg += vg.lane(k);
                }
            }
            spg += lpg;
            sp += lp;
            sg += lg;
            bad |= hi.reduceLanes(VectorOperators.MAX) > 0; // MAX: the same for any lane order
        }
        int i = from + 2 * h;
        while (i < to) {
            int end = Math.min(to, i + SUB_BLOCK);
            int vend = i + (end - i) / L2 * L2;
            IntVector hi = IntVector.zero(IS);
            FloatVector pg0 = FloatVector.zero(S);
            FloatVector pg1 = FloatVector.zero(S);
            FloatVector p0 = FloatVector.zero(S);
            FloatVector p1 = FloatVector.zero(S);
            FloatVector g0 = FloatVector.zero(S);
            FloatVector g1 = FloatVector.zero(S);
            for (; i < vend; i += L2) {
                FloatVector a0 = FloatVector.fromArray(S, x, i);
                FloatVector a1 = FloatVector.fromArray(S, x, i + L);
                FloatVector b0 = FloatVector.fromArray(S, y, i);
                FloatVector b1 = FloatVector.fromArray(S, y, i + L);
                pg0 = pg0.add(a0.mul(b0));
                pg1 = pg1.add(a1.mul(b1));
                p0 = p0.add(a0);
                p1 = p1.add(a1);
                g0 = g0.add(b0);
                g1 = g1.add(b1);
                IntVector m0 = a0.mul(a0.sub(1f)).reinterpretAsInts().max(b0.mul(b0.sub(1f)).reinterpretAsInts());
                IntVector m1 = a1.mul(a1.sub(1f)).reinterpretAsInts().max(b1.mul(b1.sub(1f)).reinterpretAsInts());
                hi = hi.max(m0.max(m1));
            }
            float tpg = 0, tp = 0, tg = 0;
            for (; i < end; i++) {
                float a = x[i], b = y[i];
                bad |= a < 0 | a > 1 | b < 0 | b > 1;
                tpg += a * b;
                tp += a;
                tg += b;
            }
            FloatVector vpg = pg0.add(pg1);
            FloatVector vp = p0.add(p1);
            FloatVector vg = g0.add(g1);
            double lpg = 0, lp = 0, lg = 0;
            for (int k = 0; k < L; k++) {
                lpg += vpg.lane(k);
                lp += vp.lane(k);
                lg += vg.lane(k);
            }
            spg += lpg + tpg;
            sp += lp + tp;
            sg += lg + tg;
            bad |= hi.reduceLanes(VectorOperators.MAX) > 0;
        }
        acc[at] = spg;
        acc[at + 1] = sp;
        acc[at + 2] = sg;
        return bad;
    }

    // Squared dice only: one stream, five sums, lanes summed in float64 (not tuned like regionPlain).
    private static boolean regionSquares(float[] x, float[] y, int from, int to, double[] acc, int at) {
        double spg = 0, sp = 0, sg = 0, spp = 0, sgg = 0;
        boolean bad = false;
        int i = from;
        while (i < to) {
            int end = Math.min(to, i + SUB_BLOCK);
            int vend = i + (end - i) / L * L;
            IntVector hi = IntVector.zero(IS);
            FloatVector pg = FloatVector.zero(S);
            FloatVector p = FloatVector.zero(S);
            FloatVector g = FloatVector.zero(S);
            FloatVector pp = FloatVector.zero(S);
            FloatVector gg = FloatVector.zero(S);
            for (; i < vend; i += L) {
                FloatVector a = FloatVector.fromArray(S, x, i);
                FloatVector b = FloatVector.fromArray(S, y, i);
                FloatVector aa = a.mul(a);
                FloatVector bb = b.mul(b);
                pg = pg.add(a.mul(b));
                p = p.add(a);
                g = g.add(b);
                pp = pp.add(aa);
                gg = gg.add(bb);
                // x·(x − 1), not x² − x: that is ∞ − ∞ = NaN at x = +∞
                hi = hi.max(a.mul(a.sub(1f)).reinterpretAsInts().max(b.mul(b.sub(1f)).reinterpretAsInts()));
            }
            float tpg = 0, tp = 0, tg = 0, tpp = 0, tgg = 0;
            for (; i < end; i++) {
                float a = x[i], b = y[i];
                bad |= a < 0 | a > 1 | b < 0 | b > 1;
                tpg += a * b;
                tp += a;
                tg += b;
                tpp += a * a;
                tgg += b * b;
            }
            double lpg = 0, lp = 0, lg = 0, lpp = 0, lgg = 0;
            for (int k = 0; k < L; k++) {
                lpg += pg.lane(k);
                lp += p.lane(k);
                lg += g.lane(k);
                lpp += pp.lane(k);
                lgg += gg.lane(k);
            }
            spg += lpg + tpg;
            sp += lp + tp;
            sg += lg + tg;
            spp += lpp + tpp;
            sgg += lgg + tgg;
            bad |= hi.reduceLanes(VectorOperators.MAX) > 0;
        }
        acc[at] = spg;
        acc[at + 1] = sp;
        acc[at + 2] = sg;
        acc[at + 3] = spp;
        acc[at + 4] = sgg;
        return bad;
    }

    @Override
    public void regionGradient(float[] x, float[] y, float[] out, int from, int to, float a, float b, float c) {
        // two streams, [from, from + h) alongside [from + h, from + 2h), as in regionPlain; then the rest
        int h = (to - from) / 2 / L * L;
        int i = from;
        if (x == null) {
            for (int end = from + h; i < end; i += L) {
                FloatVector.fromArray(S, y, i).mul(a).add(b).intoArray(out, i);
                FloatVector.fromArray(S, y, i + h).mul(a).add(b).intoArray(out, i + h);
            }
            i = from + 2 * h;
            for (int vend = i + (to - i) / L * L; i < vend; i += L) {
                FloatVector.fromArray(S, y, i).mul(a).add(b).intoArray(out, i);
            }
            for (; i < to; i++) {
                out[i] = a * y[i] + b;
            }
        } else {
            for (int end = from + h; i < end; i += L) {
                FloatVector.fromArray(S, y, i).mul(a).add(b).add(FloatVector.fromArray(S, x, i).mul(c))
                        .intoArray(out, i);
                FloatVector.fromArray(S, y, i + h).mul(a).add(b).add(FloatVector.fromArray(S, x, i + h).mul(c))
                        .intoArray(out, i + h);
            }
            i = from + 2 * h;
            for (int vend = i + (to - i) / L * L; i < vend; i += L) {
                FloatVector.fromArray(S, y, i).mul(a).add(b).add(FloatVector.fromArray(S, x, i).mul(c))
                        .intoArray(out, i);
            }
            for (; i < to; i++) {
                out[i] = a * y[i] + b + c * x[i];
            }
        }
    }
}
