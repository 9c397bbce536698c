package org.losses4j;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels on the Vector API ({@code jdk.incubator.vector}), at the width that
 * {@link Kernels#VECTOR_BITS} chose (property {@code losses4j.vector.bits}: 128, 256 or 512
 * bits), else the platform's preferred species. Compiled separately from the rest of core (see
 * core/pom.xml: the incubator module is invisible to {@code --release 17}) and instantiated
 * reflectively by {@link Kernels} only when the module is readable. Nothing here assumes a lane
 * count: sub-blocks, lane sums, shuffles and constant tables are derived from the species, so
 * one source serves every width (the tests run it at 128, 256 and 512 bits on any CPU).
 *
 * <p>Summation: float accumulator lanes of at most {@value FloatKernels#LANE_TERMS} terms each (a
 * sub-block of {@code BLOCK} = {@value FloatKernels#LANE_TERMS}·L elements for one accumulator,
 * {@code BLOCK2} = twice that for two), added across lanes once per sub-block in float64 (lane 0
 * first), so the rounding of the float sums is bounded alike at every width. The tail of a range
 * (fewer elements than the vector loop takes at a time) is computed by the scalar kernel, in
 * float64 (its own bound: one rounding); and a range whose float lanes did not give a finite sum (a
 * float overflow, e.g. mse at |x − y| beyond ~1.8e19, or a NaN) is computed again by the scalar
 * kernel, so the vector path accumulates in float64 where the float range would not hold, as the
 * scalar one does (ranges are the chunks of {@link Kernels}, at most {@value Kernels#CHUNK}
 * elements: a NaN costs its chunk a second, scalar pass). Each lane does the same operations at
 * every width, so an element's own results in the vector loop (mse, huber and bce gradients, the
 * exponentials) are the same at 128, 256 and 512 bits; the order of the sums and where a range's
 * scalar tail starts depend on the width, within the bounds above. Everything but exp and log1p
 * is IEEE lane arithmetic, so mse and huber
 * give the same bits compiled or interpreted. exp and log1p are written out in lane arithmetic
 * too (see the bce_with_logits and cross_entropy kernels; not {@link VectorOperators#EXP}, whose
 * SVML intrinsic and interpreter fallback differ in the last ulp), so every kernel gives the same
 * bits cold or warm and for any thread count.
 */
final class VectorFloatKernels extends FloatKernels {
    private static final VectorSpecies<Float> S = Kernels.VECTOR_BITS == 0 ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(Kernels.VECTOR_BITS));
    private static final int L = S.length();
    private static final int L2 = 2 * L;
    /** A sub-block of a sum with one accumulator: {@value FloatKernels#LANE_TERMS} terms per lane. */
    private static final int BLOCK = LANE_TERMS * L;
    /** A sub-block of a sum with two accumulators (alternate vectors): as many terms per lane. */
    private static final int BLOCK2 = 2 * BLOCK;
    /** What each of two interleaved streams accumulates before its lanes are summed. */
    private static final int HALF = BLOCK;
    /** The tails, and the ranges whose float lanes overflowed, go to the scalar kernels. */
    private static final ScalarFloatKernels SCALAR = ScalarFloatKernels.INSTANCE;
    // lane i with lane i ^ m: adding v.rearrange(SH_m) for m = L/2, L/4, L/8, L/16 (those ≥ 1)
    // leaves the lane sum in every lane, for L = 4, 8 or 16 (wider species sum lane by lane).
    // Separate constants, not an array: C2 folds a static final shuffle, not an array element.
    private static final VectorShuffle<Float> SH_HALF = shuffleXor(L / 2);
    private static final VectorShuffle<Float> SH_QUARTER = shuffleXor(L / 4);
    private static final VectorShuffle<Float> SH_EIGHTH = shuffleXor(L / 8);
    private static final VectorShuffle<Float> SH_SIXTEENTH = shuffleXor(L / 16);
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);

    /** Lane i to lane i ^ m, or null when m is 0 (no such step at this width). */
    private static VectorShuffle<Float> shuffleXor(int m) {
        return m == 0 ? null : VectorShuffle.fromOp(S, i -> i ^ m);
    }

    @Override
    public String path() {
        return "vector";
    }

    @Override
    public String description() {
        int cpu = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return "vector (jdk.incubator.vector, " + S.vectorBitSize() + "-bit, " + L + " float lanes"
                + (Kernels.VECTOR_BITS == 0 ? ", the CPU's preferred width" : ", chosen by losses4j.vector.bits")
                + (emulated() ? "; wider than this CPU's " + cpu + "-bit vectors: emulated, slow" : "") + ")";
    }

    @Override
    public int lanes() {
        return L;
    }

    /** Wider than the CPU's vectors, so the JVM emulates them (correct, slow). */
    private static boolean emulated() {
        return S.vectorBitSize() > FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    // Lane sums: not reduceLanes(ADD), whose order differs between the C2 intrinsic and the
    // interpreter's fallback, so results would depend on the JIT state; lane 0 first instead.

    // Each kernel: the vector loops over the whole vectors of the range (two at a time for mse and
    // huber), their sum in float64 by the scalar kernel instead when the float lanes gave none
    // (not finite: a float overflow, or NaN), then the tail by the scalar kernel. Those calls are
    // here, outside the hot methods, so that the JIT inlines no scalar kernel into a vector loop;
    // the hot methods take ranges of whole vectors (of two vectors for mse and huber) only.

    @Override
    public double mse(float[] x, float[] y, float[] g, int from, int to, float scale) {
        int vend = from + (to - from) / L2 * L2;
        // value-only and value+gradient are separate loops: the JIT need not unswitch on g
        double v = g == null ? mseValue(x, y, from, vend) : mseGrad(x, y, g, from, vend, scale);
        if (!Double.isFinite(v)) {
            v = SCALAR.mse(x, y, g, from, vend, scale);
        }
        return vend == to ? v : v + SCALAR.mse(x, y, g, vend, to, scale);
    }

    private static double mseGrad(float[] x, float[] y, float[] g, int from, int to, float scale) {
        final float s2 = 2f * scale;
        double sum = 0;
        for (int s = from; s < to; s += BLOCK2) {
            int end = Math.min(to, s + BLOCK2);
            int i = s;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (; i < end; i += L2) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(FloatVector.fromArray(S, y, i));
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(FloatVector.fromArray(S, y, i + L));
                a0 = a0.add(d0.mul(d0));
                a1 = a1.add(d1.mul(d1));
                d0.mul(s2).intoArray(g, i);
                d1.mul(s2).intoArray(g, i + L);
            }
            // the lanes in float64, lane 0 first, written out in each loop: a helper taking the
            // vector would box it wherever the JIT declines to inline the helper
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls;
        }
        return sum;
    }

    private static double mseValue(float[] x, float[] y, int from, int to) {
        double sum = 0;
        for (int s = from; s < to; s += BLOCK2) {
            int end = Math.min(to, s + BLOCK2);
            int i = s;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (; i < end; i += L2) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(FloatVector.fromArray(S, y, i));
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(FloatVector.fromArray(S, y, i + L));
                a0 = a0.add(d0.mul(d0));
                a1 = a1.add(d1.mul(d1));
            }
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls;
        }
        return sum;
    }

    @Override
    public double huber(float[] x, float[] y, float[] g, int from, int to, float scale, float delta) {
        int vend = from + (to - from) / L2 * L2;
        double v = g == null ? huberValue(x, y, from, vend, delta) : huberGrad(x, y, g, from, vend, scale, delta);
        if (!Double.isFinite(v)) {
            v = SCALAR.huber(x, y, g, from, vend, scale, delta);
        }
        return vend == to ? v : v + SCALAR.huber(x, y, g, vend, to, scale, delta);
    }

    // c = clamp(d, -δ, δ) (lanewise MAX/MIN keep NaN); term c·(d − c/2); gradient c
    private static double huberGrad(float[] x, float[] y, float[] g, int from, int to, float scale, float dl) {
        final float nd = -dl;
        double sum = 0;
        for (int s = from; s < to; s += BLOCK2) {
            int end = Math.min(to, s + BLOCK2);
            int i = s;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (; i < end; i += L2) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(FloatVector.fromArray(S, y, i));
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(FloatVector.fromArray(S, y, i + L));
                FloatVector c0 = d0.max(nd).min(dl);
                FloatVector c1 = d1.max(nd).min(dl);
                a0 = a0.add(c0.mul(d0.sub(c0.mul(0.5f))));
                a1 = a1.add(c1.mul(d1.sub(c1.mul(0.5f))));
                c0.mul(scale).intoArray(g, i);
                c1.mul(scale).intoArray(g, i + L);
            }
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls;
        }
        return sum;
    }

    private static double huberValue(float[] x, float[] y, int from, int to, float dl) {
        final float nd = -dl;
        double sum = 0;
        for (int s = from; s < to; s += BLOCK2) {
            int end = Math.min(to, s + BLOCK2);
            int i = s;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            for (; i < end; i += L2) {
                FloatVector d0 = FloatVector.fromArray(S, x, i).sub(FloatVector.fromArray(S, y, i));
                FloatVector d1 = FloatVector.fromArray(S, x, i + L).sub(FloatVector.fromArray(S, y, i + L));
                FloatVector c0 = d0.max(nd).min(dl);
                FloatVector c1 = d1.max(nd).min(dl);
                a0 = a0.add(c0.mul(d0.sub(c0.mul(0.5f))));
                a1 = a1.add(c1.mul(d1.sub(c1.mul(0.5f))));
            }
            FloatVector a = a0.add(a1);
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += a.lane(k);
            }
            sum += ls;
        }
        return sum;
    }

    // exp and log1p in plain lane arithmetic (add, mul, fma, div, bit shifts: IEEE, the same bits
    // interpreted and compiled), instead of VectorOperators.EXP/LOG1P, whose SVML intrinsics
    // differ in the last ulp from the interpreter's per-lane Math calls.

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    // bce_with_logits. Per element, with a = |z| and e = exp(−a) ∈ (0, 1]: term
    // max(z, 0) − z·t + log1p(e), gradient σ(z) − t with σ(z) = 1/(1 + e) for z ≥ 0 and
    // e/(1 + e) below. Lane arithmetic only (IEEE add, mul, fma, div, compare, blend and integer
    // bit operations), so the bits do not depend on the JIT: the same interpreted and compiled.
    //
    // e = exp(−a): a clamped to 87 (below exp(−87) ≈ 1.6e-38 float exp is subnormal; the clamped
    // e only ever enters as a negligible addend), −a = n·ln2 + r with n = round(−a·log2 e) by a
    // rounding constant and r = fma(n, −ln2_f, −a) (ln2_f = ln2 rounded to float; the neglected
    // n·(ln2_f − ln2), at most 2.4e-7 at a = 87, is the price of one operation less), then
    // e = 2^n·(1 + q(r)): q a degree-6 minimax polynomial for e^r − 1 on [−ln2/2, ln2/2] (relative
    // error 2e-9) by Estrin's scheme, and 2^n from n's bits: the rounding constant 1.5·2^23 + 127
    // has 127 in its low nine bits, so the bits of 1.5·2^23 + 127 + n shifted left by 23 are those
    // of 2^n (n ≥ −126 after the clamp).
    // log1p(e) = e + e²·h(e): h a degree-7 minimax polynomial for (log1p(e) − e)/e² on [0, 1]
    // (relative error of log1p 5e-8), Estrin again: no division and a short dependency chain.
    // One division, for σ: σ(z) − t = fma(1/(1 + e), w, −t), w = e for z < 0, else 1.
    // Measured against float64 over every 8th float z in [−100, 100] (280M values, t ∈ {0, 0.3, 1}):
    // e within 1.8 ulp for |z| ≤ 20 and 4.5 ulp up to |z| = 87 (the neglected n·(ln2_f − ln2));
    // log1p(e) within 2.2 ulp (|z| ≤ 20) and 4.5 ulp; the term within 2.8 ulp (|z| ≤ 20) and
    // 4.5 ulp (3.3e-7 relative); σ within 2.9 and 4.5 ulp; σ − t within 2.3e-7 (|z| ≤ 20) and
    // 3.3e-7 times max(|σ − t|, t). The scalar kernels round the float64 result once (0.5 ulp).
    // With label smoothing t = ya·y + yb is rounded to float, moving z·t by up to |z|·ulp(t)/2.
    //
    // The loop is software-pipelined: each iteration computes e for the next vector while it
    // finishes the current one, so the two dependency chains (exp, then log1p and σ) overlap.
    // exp and the log1p polynomial are written out at each use, not helpers like ceExp: in these
    // larger methods C2 (JDK 17) stops inlining such helpers (NodeCountInliningCutoff, "callee is
    // too large"), and the calls then box their vectors: 3-4x slower, measured 2026-11-26.
    //
    // The targets are checked in the same pass, by the signed maximum of the bits of −t: a y in
    // [0, 1] has −t = −y in [−1, −0], bits up to those of −1f as signed ints, while y > 1, y < 0,
    // ±∞, NaN and −0.0 (for which −t = +0) exceed them; only then is the range rescanned exactly
    // (NaN and −0.0 pass). With label smoothing −t no longer shows y exactly: each sub-block's y
    // is then checked by a short extra loop (y with the sign bit flipped: the same bound).

    // 1.5·2^23 + 127: adding it rounds to an integer n, and its bits shifted left by 23 are those of 2^n
    private static final float BCE_MAGIC = 12583039f;
    private static final float BCE_NEG_LN2 = -0.693147182464599609375f; // −ln2 rounded to float
    private static final float BCE_E2 = 0.4999999403953552f;
    private static final float BCE_E3 = 0.16666431725025177f;
    private static final float BCE_E4 = 0.04166800156235695f;
    private static final float BCE_E5 = 0.00837415549904108f;
    private static final float BCE_E6 = 0.0013843652559444308f;
    private static final float BCE_H0 = -0.49999648332595825f;
    private static final float BCE_H1 = 0.333213210105896f;
    private static final float BCE_H2 = -0.24857160449028015f;
    private static final float BCE_H3 = 0.19153642654418945f;
    private static final float BCE_H4 = -0.13753776252269745f;
    private static final float BCE_H5 = 0.07920423150062561f;
    private static final float BCE_H6 = -0.03006560355424881f;
    private static final float BCE_H7 = 0.0053647770546376705f;
    private static final int SIGN_BIT = 0x80000000;
    private static final int ONE_BITS = 0x3f800000; // 1.0f
    // The constants that are multiplicands of an fma, each broadcast to L lanes at its offset, and
    // read in the loop with FloatVector.fromArray: C2 then takes each straight from memory into its
    // fma, where a constant vector hoisted out of the loop (about 20 of them, 16 registers) would
    // be spilled and reloaded into a register first; ~7% faster.
    private static final int K_LOG2E = 0;
    private static final int K_NEG_LN2 = L;
    private static final int K_E3 = 2 * L;
    private static final int K_E5 = 3 * L;
    private static final int K_E6 = 4 * L;
    private static final int K_H1 = 5 * L;
    private static final int K_H3 = 6 * L;
    private static final int K_H5 = 7 * L;
    private static final int K_H7 = 8 * L;
    private static final float[] BCE_K = new float[9 * L];

    static {
        float[] k = {LOG2E, BCE_NEG_LN2, BCE_E3, BCE_E5, BCE_E6, BCE_H1, BCE_H3, BCE_H5, BCE_H7};
        for (int i = 0; i < k.length; i++) {
            java.util.Arrays.fill(BCE_K, i * L, (i + 1) * L, k[i]);
        }
    }

    @Override
    public double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb) {
        int vend = from + (to - from) / L * L;
        double v = g == null ? bceValue(x, y, from, vend, ya, yb) : bceGrad(x, y, g, from, vend, scale, ya, yb);
        // INVALID_TARGET (−∞) is no sum of valid terms (see FloatKernels): it stays
        if (!Double.isFinite(v) && v != INVALID_TARGET) {
            v = SCALAR.bceWithLogits(x, y, g, from, vend, scale, ya, yb);
        }
        double t = vend == to ? 0 : SCALAR.bceWithLogits(x, y, g, vend, to, scale, ya, yb);
        return v == INVALID_TARGET || t == INVALID_TARGET ? INVALID_TARGET : v + t;
    }

    private static double bceGrad(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb) {
        final float nya = -ya;
        final float nyb = -yb;
        final boolean tIsY = ya == 1f && yb == 0f; // then −t = −y exactly, and checking −t checks y
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector m87 = FloatVector.broadcast(S, -87f);
        final FloatVector magic = FloatVector.broadcast(S, BCE_MAGIC);
        final FloatVector e2c = FloatVector.broadcast(S, BCE_E2);
        final FloatVector e4c = FloatVector.broadcast(S, BCE_E4);
        final FloatVector h0 = FloatVector.broadcast(S, BCE_H0);
        final FloatVector h2 = FloatVector.broadcast(S, BCE_H2);
        final FloatVector h4 = FloatVector.broadcast(S, BCE_H4);
        final FloatVector h6 = FloatVector.broadcast(S, BCE_H6);
        double sum = 0;
        boolean suspect = false;
        for (int s = from; s < to; s += BLOCK) {
            int end = Math.min(to, s + BLOCK);
            int i = s;
            FloatVector acc = FloatVector.zero(S);
            IntVector tmax = IntVector.broadcast(IS, SIGN_BIT);
            if (!tIsY) {
                for (int k = i; k < end; k += L) {
                    tmax = tmax.max(FloatVector.fromArray(S, y, k).reinterpretAsInts().lanewise(VectorOperators.XOR,
                            SIGN_BIT));
                }
            }
            if (i < end) {
                // e of the first vector; the loop computes each next vector's e ahead
                FloatVector z = FloatVector.fromArray(S, x, i);
                FloatVector xa = z.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
                xa = xa.blend(m87, xa.compare(VectorOperators.LT, m87));
                FloatVector kf = xa.fma(FloatVector.fromArray(S, BCE_K, K_LOG2E), magic);
                FloatVector n = kf.sub(magic);
                FloatVector r = n.fma(FloatVector.fromArray(S, BCE_K, K_NEG_LN2), xa);
                FloatVector r2 = r.mul(r);
                FloatVector q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, BCE_K, K_E6),
                        r.fma(FloatVector.fromArray(S, BCE_K, K_E5), e4c)),
                        r2.fma(r.fma(FloatVector.fromArray(S, BCE_K, K_E3), e2c), r));
                FloatVector p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector e = q.fma(p2, p2);
                for (; i < end; i += L) {
                    int j = i + L < end ? i + L : i; // the last iteration recomputes its own e
                    FloatVector zn = FloatVector.fromArray(S, x, j);
                    xa = zn.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
                    xa = xa.blend(m87, xa.compare(VectorOperators.LT, m87));
                    kf = xa.fma(FloatVector.fromArray(S, BCE_K, K_LOG2E), magic);
                    n = kf.sub(magic);
                    r = n.fma(FloatVector.fromArray(S, BCE_K, K_NEG_LN2), xa);
                    r2 = r.mul(r);
                    q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, BCE_K, K_E6),
                            r.fma(FloatVector.fromArray(S, BCE_K, K_E5), e4c)),
                            r2.fma(r.fma(FloatVector.fromArray(S, BCE_K, K_E3), e2c), r));
                    p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                    FloatVector en = q.fma(p2, p2);
                    // the current vector: target check, term, gradient
                    FloatVector tn = FloatVector.fromArray(S, y, i).fma(nya, nyb);
                    tmax = tmax.max(tn.reinterpretAsInts());
                    VectorMask<Float> neg = z.compare(VectorOperators.LT, 0f);
                    FloatVector ee = e.mul(e);
                    FloatVector h = ee.mul(ee).fma(ee.fma(e.fma(FloatVector.fromArray(S, BCE_K, K_H7), h6),
                            e.fma(FloatVector.fromArray(S, BCE_K, K_H5), h4)),
                            ee.fma(e.fma(FloatVector.fromArray(S, BCE_K, K_H3), h2),
                            e.fma(FloatVector.fromArray(S, BCE_K, K_H1), h0)));
                    acc = acc.add(ee.fma(h, e.add(z.fma(tn, z.blend(0f, neg)))));
                    // σ(z) − t = sp·w − t with sp = 1/(1 + e), w = e for z < 0, else 1 (NaN: through e)
                    one.div(e.add(one)).fma(one.blend(e, neg), tn).mul(scale).intoArray(g, i);
                    z = zn;
                    e = en;
                }
            }
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += acc.lane(k);
            }
            suspect |= tmax.reduceLanes(VectorOperators.MAX) > (ONE_BITS | SIGN_BIT);
            sum += ls;
        }
        return suspect && outsideUnit(y, from, to) ? INVALID_TARGET : sum;
    }

    private static double bceValue(float[] x, float[] y, int from, int to, float ya, float yb) {
        final float nya = -ya;
        final float nyb = -yb;
        final boolean tIsY = ya == 1f && yb == 0f; // then −t = −y exactly, and checking −t checks y
        final FloatVector m87 = FloatVector.broadcast(S, -87f);
        final FloatVector magic = FloatVector.broadcast(S, BCE_MAGIC);
        final FloatVector e2c = FloatVector.broadcast(S, BCE_E2);
        final FloatVector e4c = FloatVector.broadcast(S, BCE_E4);
        final FloatVector h0 = FloatVector.broadcast(S, BCE_H0);
        final FloatVector h2 = FloatVector.broadcast(S, BCE_H2);
        final FloatVector h4 = FloatVector.broadcast(S, BCE_H4);
        final FloatVector h6 = FloatVector.broadcast(S, BCE_H6);
        double sum = 0;
        boolean suspect = false;
        for (int s = from; s < to; s += BLOCK) {
            int end = Math.min(to, s + BLOCK);
            int i = s;
            FloatVector acc = FloatVector.zero(S);
            IntVector tmax = IntVector.broadcast(IS, SIGN_BIT);
            if (!tIsY) {
                for (int k = i; k < end; k += L) {
                    tmax = tmax.max(FloatVector.fromArray(S, y, k).reinterpretAsInts().lanewise(VectorOperators.XOR,
                            SIGN_BIT));
                }
            }
            if (i < end) {
                FloatVector z = FloatVector.fromArray(S, x, i);
                FloatVector xa = z.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
                xa = xa.blend(m87, xa.compare(VectorOperators.LT, m87));
                FloatVector kf = xa.fma(FloatVector.fromArray(S, BCE_K, K_LOG2E), magic);
                FloatVector n = kf.sub(magic);
                FloatVector r = n.fma(FloatVector.fromArray(S, BCE_K, K_NEG_LN2), xa);
                FloatVector r2 = r.mul(r);
                FloatVector q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, BCE_K, K_E6),
                        r.fma(FloatVector.fromArray(S, BCE_K, K_E5), e4c)),
                        r2.fma(r.fma(FloatVector.fromArray(S, BCE_K, K_E3), e2c), r));
                FloatVector p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector e = q.fma(p2, p2);
                for (; i < end; i += L) {
                    int j = i + L < end ? i + L : i; // the last iteration recomputes its own e
                    FloatVector zn = FloatVector.fromArray(S, x, j);
                    xa = zn.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
                    xa = xa.blend(m87, xa.compare(VectorOperators.LT, m87));
                    kf = xa.fma(FloatVector.fromArray(S, BCE_K, K_LOG2E), magic);
                    n = kf.sub(magic);
                    r = n.fma(FloatVector.fromArray(S, BCE_K, K_NEG_LN2), xa);
                    r2 = r.mul(r);
                    q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, BCE_K, K_E6),
                            r.fma(FloatVector.fromArray(S, BCE_K, K_E5), e4c)),
                            r2.fma(r.fma(FloatVector.fromArray(S, BCE_K, K_E3), e2c), r));
                    p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                    FloatVector en = q.fma(p2, p2);
                    FloatVector tn = FloatVector.fromArray(S, y, i).fma(nya, nyb);
                    tmax = tmax.max(tn.reinterpretAsInts());
                    FloatVector ee = e.mul(e);
                    FloatVector h = ee.mul(ee).fma(ee.fma(e.fma(FloatVector.fromArray(S, BCE_K, K_H7), h6),
                            e.fma(FloatVector.fromArray(S, BCE_K, K_H5), h4)),
                            ee.fma(e.fma(FloatVector.fromArray(S, BCE_K, K_H3), h2),
                            e.fma(FloatVector.fromArray(S, BCE_K, K_H1), h0)));
                    FloatVector u = z.fma(tn, z.blend(0f, z.compare(VectorOperators.LT, 0f)));
                    acc = acc.add(ee.fma(h, e.add(u)));
                    z = zn;
                    e = en;
                }
            }
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += acc.lane(k);
            }
            suspect |= tmax.reduceLanes(VectorOperators.MAX) > (ONE_BITS | SIGN_BIT);
            sum += ls;
        }
        return suspect && outsideUnit(y, from, to) ? INVALID_TARGET : sum;
    }

    // The exp of both cross-entropy kernels (see crossEntropy), its constants as vectors once.
    private static final FloatVector CE_LOG2E = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector CE_MAGIC = FloatVector.broadcast(S, BCE_MAGIC);
    private static final FloatVector CE_NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector CE_NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector CE_E2 = FloatVector.broadcast(S, BCE_E2);
    private static final FloatVector CE_E3 = FloatVector.broadcast(S, BCE_E3);
    private static final FloatVector CE_E4 = FloatVector.broadcast(S, BCE_E4);
    private static final FloatVector CE_E5 = FloatVector.broadcast(S, BCE_E5);
    private static final FloatVector CE_E6 = FloatVector.broadcast(S, BCE_E6);

    /**
     * exp(d) for −87 ≤ d ≤ 0 by the form described at crossEntropy; NaN stays NaN. Small enough
     * (115 bytes) that C2 inlines it at both hot call sites on JDK 17 and 25 (checked with
     * PrintInlining; no vector is boxed: a call allocates the same as with the body written out);
     * the older Cephes form was not.
     */
    private static FloatVector ceExp(FloatVector d) {
        FloatVector ek = d.fma(CE_LOG2E, CE_MAGIC);
        FloatVector en = ek.sub(CE_MAGIC);
        FloatVector er = en.fma(CE_NEG_LN2_LO, en.fma(CE_NEG_LN2_HI, d));
        FloatVector r2 = er.mul(er);
        FloatVector eq = r2.mul(r2).fma(r2.fma(CE_E6, er.fma(CE_E5, CE_E4)), r2.fma(er.fma(CE_E3, CE_E2), er));
        FloatVector p2 = ek.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return eq.fma(p2, p2);
    }

    // Cross-entropy, one row at a time (a row of up to ~64k classes stays in L2 between the
    // passes): 1. the maximum m; 2. e_c = exp(x_c − m), stored into g when there is one, with
    // Σ e_c over the classes below m (ties with m counted apart, so a confident row keeps its
    // small S − 1) and Σ (x_c − m); 3. g_c = coef·e_c − off over the stored row; 4. g_y.
    // The exp of pass 2 is bce's (see there: rounding constant with 127 in its low bits, degree-6
    // Estrin polynomial for e^r − 1, 2^n·(1 + q) as one fma), with two changes: d = x_c − m reaches
    // −87 here for ordinary rows, so r = d − n·ln2 by the two-part ln2 (two fmas, exact enough that
    // e stays within ~2 ulp at any n, where bce's one-part ln2 drifts to 4.5 ulp at n = −125); and
    // d is clamped to −87 by compare and blend (max would cost more and order ±0). Measured: the
    // probabilities within 1.7e-7 relative of float64 where S ≈ 1, ~30% less time than the Cephes
    // expf form used before on ce_4096x32000_f32 (240–280 → 160–210 ms, alternating runs on the
    // machine of docs/performance.md).
    @Override
    public double crossEntropy(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo, float scale,
            double keep, double uni, long ignore) {
        if (c < LANE_ROWS_BELOW) {
            return crossEntropyLanes(x, labels, g, c, rowFrom, rowTo, scale, keep, uni, ignore);
        }
        final FloatVector m87 = FloatVector.broadcast(S, -87f);
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
                int sEnd = Math.min(end, i + BLOCK);
                int vend = i + (sEnd - i) / L * L;
                FloatVector acc = FloatVector.zero(S);
                FloatVector accD = FloatVector.zero(S);
                FloatVector accT = FloatVector.zero(S);
                // one loop for both (C2 unswitches the loop-invariant g != null)
                for (; i < vend; i += L) {
                    FloatVector d = FloatVector.fromArray(S, x, i).sub(m);
                    // e = exp(max(d, −87)); NaN stays NaN
                    FloatVector e = ceExp(d.blend(m87, d.compare(VectorOperators.LT, m87)));
                    if (g != null) {
                        e.intoArray(g, i);
                    }
                    FloatVector eb = e.blend(0f, d.compare(VectorOperators.EQ, 0f));
                    acc = acc.add(eb);
                    accT = accT.add(e.sub(eb)); // 1 per class equal to m, exact
                    accD = accD.add(d);
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
     * Rows of fewer classes than this go through {@link #crossEntropyLanes}, one row per lane
     * (measured with 8 lanes: faster than the row kernel up to ~64 classes, even at ~100). The
     * same at every width, so a row takes the same kernel whatever the width; a lane sums its row's
     * fewer than 2·{@value FloatKernels#LANE_TERMS} exponentials in one float accumulator.
     */
    static final int LANE_ROWS_BELOW = 2 * LANE_TERMS;

    /** Blocks of L rows whose terms are summed in float lanes before being added in float64. */
    private static final int CE_FLUSH_BLOCKS = 16;

    private static final int SQRT_HALF_BITS = 0x3f3504f3; // √½ as float bits

    /**
     * Rows of fewer than {@link #LANE_ROWS_BELOW} classes, {@code L} rows at a time, one row per
     * lane: the block is transposed into a per-thread scratch ({@code t[j·L + k] = x[(r0 + k)·c + j]};
     * after the last row of the range the lanes repeat it, with an "ignored" label), so that the
     * maximum, the exponentials, the sums, the log, the term and the gradient are all lane
     * arithmetic, without per-row scalar work; the gradient is transposed back into {@code g}.
     * Per lane (row), with {@code m} the maximum and {@code d_j = x_j − m}:
     * <ul>
     * <li>{@code e_j = exp(d_j)} by {@link #ceExp}, but 0 below −87;
     * {@code rest = Σ_{x_j < m} e_j + (ties − 1)}, the ties {@code x_j = m} counted apart so a
     * confident row keeps its small {@code S − 1}; {@code sd = Σ d_j} (only with smoothing);</li>
     * <li>{@code log S = log1p(rest)} in lane arithmetic: with {@code u = 1 + rest = 2^k·f},
     * {@code f ∈ [√½, √2)}, {@code log u = k·ln2 + 2·atanh((f − 1)/(f + 1))} (series to the
     * 9th power, below 1e-8 relative), plus the rounding of {@code u},
     * {@code (rest − (u − 1))/u}: within a few ulp for every {@code rest ≥ 0}, and exactly
     * {@code rest} for a {@code rest} below ~6e-8;</li>
     * <li>the term as documented in {@link FloatKernels#crossEntropy}, in float lanes (both
     * parts are sums of non-negative numbers: no cancellation), 0 for ignored rows; the lanes
     * are added in float64, lane 0 first, every {@value #CE_FLUSH_BLOCKS} blocks and at the end
     * of the range, so the sum depends only on the range;</li>
     * <li>gradient {@code coef·e_j − off} with {@code coef = scale·(keep + uni·c)/u} and
     * {@code off = scale·uni}; at the label {@code scale·(−keep·q_y + uni·(c·p_y − 1))} with
     * {@code p_y = e_y/u} and {@code q_y = rest/u} when {@code x_y = m}, {@code 1 − p_y}
     * otherwise; 0 for ignored rows.</li>
     * </ul>
     * A NaN logit makes its own row NaN only (the lanes are independent). Labels are not
     * checked here (the caller validated them). Nothing is allocated: the scratch is the thread's {@link Workspace}.
     */
    private static double crossEntropyLanes(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo,
            float scale, double keep, double uni, long ignore) {
        // per-thread scratch, zeroed: a block of L rows transposed (c·L floats), then L lanes each
        // of its labels and of the term accumulator
        try (Workspace ws = Workspace.acquire()) {
            return crossEntropyLanes(x, labels, g, c, rowFrom, rowTo, scale, keep, uni, ignore, ws.floats((c + 2) * L));
        }
    }

    private static double crossEntropyLanes(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo,
            float scale, double keep, double uni, long ignore, float[] t) {
        int oLab = c * L;
        int oAcc = oLab + L;
        double sum = 0;
        int blocks = 0;
        // The scalar parts (transposing, labels, flushing) are here, the lane arithmetic in
        // ceBlockLanes: no vector crosses the call (a vector passed to a method the JIT does not
        // inline is boxed), and the cheap scalar loops get this loop compiled early.
        for (int r0 = rowFrom; r0 < rowTo; r0 += L) {
            for (int k = 0; k < L; k++) {
                // a missing row after the last repeats the last one (no branch), its label lane says ignored
                int r = Math.min(r0 + k, rowTo - 1);
                int b = r * c;
                for (int j = 0; j < c; j++) {
                    t[j * L + k] = x[b + j];
                }
                long y = labels[r];
                t[oLab + k] = y == ignore || r0 + k >= rowTo ? -1f : (float) y; // an exact small integer (c < 2^24)
            }
            ceBlockLanes(t, c, g != null, scale, keep, uni);
            if (g != null) {
                int nb = Math.min(L, rowTo - r0);
                for (int k = 0; k < nb; k++) {
                    int b = (r0 + k) * c;
                    for (int j = 0; j < c; j++) {
                        g[b + j] = t[j * L + k];
                    }
                }
            }
            if (++blocks == CE_FLUSH_BLOCKS || r0 + L >= rowTo) {
                double lanes = 0;
                for (int k = oAcc; k < oAcc + L; k++) {
                    lanes += t[k];
                    t[k] = 0f;
                }
                sum += lanes;
                blocks = 0;
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
        // elements of each (BLOCK2 together); the rest (< BLOCK2 elements) in one stream
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
            if (L <= 16) { // log2(L) steps: L/2, L/4, L/8, L/16 (the constants are folded, the ifs too)
                vpg = vpg.add(vpg.rearrange(SH_HALF));
                vp = vp.add(vp.rearrange(SH_HALF));
                vg = vg.add(vg.rearrange(SH_HALF));
                if (L >= 4) {
                    vpg = vpg.add(vpg.rearrange(SH_QUARTER));
                    vp = vp.add(vp.rearrange(SH_QUARTER));
                    vg = vg.add(vg.rearrange(SH_QUARTER));
                }
                if (L >= 8) {
                    vpg = vpg.add(vpg.rearrange(SH_EIGHTH));
                    vp = vp.add(vp.rearrange(SH_EIGHTH));
                    vg = vg.add(vg.rearrange(SH_EIGHTH));
                }
                if (L >= 16) {
                    vpg = vpg.add(vpg.rearrange(SH_SIXTEENTH));
                    vp = vp.add(vp.rearrange(SH_SIXTEENTH));
                    vg = vg.add(vg.rearrange(SH_SIXTEENTH));
                }
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
            int end = Math.min(to, i + BLOCK2);
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
            int end = Math.min(to, i + BLOCK);
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

    /**
     * The lane arithmetic of one transposed block {@code t}: adds its terms to the accumulator
     * lanes; with a gradient, replaces the logits by the gradient (still transposed).
     */
    private static void ceBlockLanes(float[] t, int c, boolean grad, float scale, double keep, double uni) {
        // the constants as vectors once per block, not once per use: the compiled code is the same
        // (the JIT hoists broadcasts), the interpreted and C1 code before it far cheaper
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector lowest = FloatVector.broadcast(S, -87f);
        final FloatVector ln2Hi = FloatVector.broadcast(S, LN2_HI);
        final FloatVector ln2Lo = FloatVector.broadcast(S, LN2_LO);
        FloatVector lab = FloatVector.fromArray(S, t, c * L);
        // the maximum by compare and blend (cheaper than max, which orders ±0 and NaN): a NaN logit
        // does not reach m here but makes its own e_j, hence the row, NaN just the same
        FloatVector m = FloatVector.fromArray(S, t, 0);
        for (int j = L; j < c * L; j += L) {
            FloatVector xj = FloatVector.fromArray(S, t, j);
            m = m.blend(xj, xj.compare(VectorOperators.GT, m));
        }
        boolean smooth = uni != 0;
        // the row's exponentials in one accumulator: each lane sums the c − 1 < 2·LANE_TERMS of
        // its row (split in two, or switching accumulators, measured 7-50 % slower on c = 10)
        FloatVector below = zero;
        FloatVector ties = zero;
        FloatVector sd = zero;
        FloatVector zy = zero;
        FloatVector ey = zero;
        FloatVector jv = zero; // j in every lane
        for (int j = 0; j < c; j++, jv = jv.add(one)) {
            FloatVector xj = FloatVector.fromArray(S, t, j * L);
            FloatVector d = xj.sub(m);
            // e = exp(d) as in the long-row kernel (see crossEntropy), but 0 below −87 rather than
            // exp(−87) (so a −∞ logit has exactly 0): the lanes below are garbage until the final
            // blend; NaN stays NaN
            VectorMask<Float> under = d.compare(VectorOperators.LT, lowest);
            FloatVector e = ceExp(d).blend(zero, under);
            if (grad) {
                e.intoArray(t, j * L);
            }
            VectorMask<Float> tie = xj.compare(VectorOperators.EQ, m);
            below = below.add(e.blend(zero, tie));
            ties = ties.add(zero.blend(one, tie));
            if (smooth) {
                sd = sd.add(d);
            }
            VectorMask<Float> isY = lab.compare(VectorOperators.EQ, jv);
            zy = zy.blend(d, isY);
            ey = ey.blend(e, isY);
        }
        FloatVector rest = below.add(ties.sub(one));
        FloatVector u = rest.add(one);
        FloatVector inv = one.div(u);
        // log1p(rest) = log u + (rest − (u − 1))/u; u = 2^k·f with f ∈ [√½, √2)
        IntVector ub = u.reinterpretAsInts().add(0x3f800000 - SQRT_HALF_BITS);
        FloatVector lk = ub.lanewise(VectorOperators.ASHR, 23).sub(127).convert(VectorOperators.I2F, 0)
                .reinterpretAsFloats();
        FloatVector lf = ub.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector ls = lf.sub(one).div(lf.add(one));
        FloatVector ls2 = ls.mul(ls);
        FloatVector lat = ls2.mul(2f / 9).add(2f / 7).mul(ls2).add(2f / 5).mul(ls2).add(2f / 3).mul(ls2).add(2f).mul(ls);
        FloatVector logS = lk.mul(ln2Hi).add(lat.add(lk.mul(ln2Lo))).add(rest.sub(u.sub(one)).mul(inv));
        VectorMask<Float> ignored = lab.compare(VectorOperators.LT, zero);
        FloatVector term = zero;
        if (keep != 0) {
            term = logS.sub(zy).mul((float) keep);
        }
        if (smooth) {
            term = term.add(logS.mul((float) c).sub(sd).mul((float) uni));
        }
        int oAcc = (c + 1) * L;
        FloatVector.fromArray(S, t, oAcc).add(term.blend(zero, ignored)).intoArray(t, oAcc);
        if (grad) {
            FloatVector coef = inv.mul((float) (scale * (keep + uni * c)));
            FloatVector off = FloatVector.broadcast(S, (float) (scale * uni));
            FloatVector py = ey.mul(inv);
            FloatVector qy = one.sub(py).blend(rest.mul(inv), zy.compare(VectorOperators.EQ, zero));
            FloatVector gy = qy.mul((float) -keep).add(py.mul((float) c).sub(one).mul((float) uni)).mul(scale);
            jv = zero;
            for (int j = 0; j < c; j++, jv = jv.add(one)) {
                FloatVector.fromArray(S, t, j * L).mul(coef).sub(off).blend(gy, lab.compare(VectorOperators.EQ, jv))
                        .blend(zero, ignored).intoArray(t, j * L);
            }
        }
    }
}
