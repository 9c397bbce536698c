package org.losses4j.kernels;

import static org.losses4j.kernels.FloatKernels.INVALID_TARGET;
import static org.losses4j.kernels.FloatKernels.outsideUnit;
import static org.losses4j.kernels.VectorLanes.BLOCK;
import static org.losses4j.kernels.VectorLanes.BLOCK2;
import static org.losses4j.kernels.VectorLanes.IS;
import static org.losses4j.kernels.VectorLanes.L;
import static org.losses4j.kernels.VectorLanes.L2;
import static org.losses4j.kernels.VectorLanes.S;
import static org.losses4j.kernels.VectorMath.EXP_E2;
import static org.losses4j.kernels.VectorMath.EXP_E4;
import static org.losses4j.kernels.VectorMath.EXP_MAGIC;
import static org.losses4j.kernels.VectorMath.FMA_K;
import static org.losses4j.kernels.VectorMath.K_E3;
import static org.losses4j.kernels.VectorMath.K_E5;
import static org.losses4j.kernels.VectorMath.K_E6;
import static org.losses4j.kernels.VectorMath.K_H1;
import static org.losses4j.kernels.VectorMath.K_H3;
import static org.losses4j.kernels.VectorMath.K_H5;
import static org.losses4j.kernels.VectorMath.K_H7;
import static org.losses4j.kernels.VectorMath.K_LOG2E;
import static org.losses4j.kernels.VectorMath.K_NEG_LN2;
import static org.losses4j.kernels.VectorMath.LOG1P_H0;
import static org.losses4j.kernels.VectorMath.LOG1P_H2;
import static org.losses4j.kernels.VectorMath.LOG1P_H4;
import static org.losses4j.kernels.VectorMath.LOG1P_H6;
import static org.losses4j.kernels.VectorMath.ONE_BITS;
import static org.losses4j.kernels.VectorMath.SIGN_BIT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The hot loops of the elementwise kernels (mse, huber, bce_with_logits) on the Vector API, over
 * ranges of whole vectors (of two vectors for mse and huber) only: the tail and the non-finite
 * fallback are {@link VectorFloatKernels}'. Value-only and value+gradient are separate loops, so
 * the JIT need not unswitch on {@code g}. Each lane does the same operations at every width, so
 * an element's gradient is the same at 128, 256 and 512 bits; mse and huber are IEEE lane
 * arithmetic only, so they give the same bits compiled or interpreted.
 */
final class VectorElementwise {
    private VectorElementwise() {
    }

    static double mseGrad(float[] x, float[] y, float[] g, int from, int to, float scale) {
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

    static double mseValue(float[] x, float[] y, int from, int to) {
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

    // c = clamp(d, -δ, δ) (lanewise MAX/MIN keep NaN); term c·(d − c/2); gradient c
    static double huberGrad(float[] x, float[] y, float[] g, int from, int to, float scale, float dl) {
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

    static double huberValue(float[] x, float[] y, int from, int to, float dl) {
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

    // bce_with_logits. Per element, with a = |z| and e = exp(−a) ∈ (0, 1]: term
    // max(z, 0) − z·t + log1p(e), gradient σ(z) − t with σ(z) = 1/(1 + e) for z ≥ 0 and
    // e/(1 + e) below; exp with the one-part ln2 and log1p by the degree-7 polynomial (see
    // VectorMath); one division, for σ: σ(z) − t = fma(1/(1 + e), w, −t), w = e for z < 0, else 1.
    // Accuracy (FloatKernels#bceWithLogits states the bounds): docs/performance.md.
    //
    // The loop is software-pipelined: each iteration computes e for the next vector while it
    // finishes the current one, so the two dependency chains (exp, then log1p and σ) overlap.
    // exp and the log1p polynomial are written out at each use, not helpers like VectorMath.exp:
    // in these larger methods C2 (JDK 17) stops inlining such helpers (NodeCountInliningCutoff,
    // "callee is too large"), and the calls then box their vectors.
    //
    // The targets are checked in the same pass, by the signed maximum of the bits of −t: a y in
    // [0, 1] has −t = −y in [−1, −0], bits up to those of −1f as signed ints, while y > 1, y < 0,
    // ±∞, NaN and −0.0 (for which −t = +0) exceed them; only then is the range rescanned exactly
    // (NaN and −0.0 pass). With label smoothing −t no longer shows y exactly: each sub-block's y
    // is then checked by a short extra loop (y with the sign bit flipped: the same bound).

    static double bceGrad(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb) {
        final float nya = -ya;
        final float nyb = -yb;
        final boolean tIsY = ya == 1f && yb == 0f; // then −t = −y exactly, and checking −t checks y
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector m87 = FloatVector.broadcast(S, -87f);
        final FloatVector magic = FloatVector.broadcast(S, EXP_MAGIC);
        final FloatVector e2c = FloatVector.broadcast(S, EXP_E2);
        final FloatVector e4c = FloatVector.broadcast(S, EXP_E4);
        final FloatVector h0 = FloatVector.broadcast(S, LOG1P_H0);
        final FloatVector h2 = FloatVector.broadcast(S, LOG1P_H2);
        final FloatVector h4 = FloatVector.broadcast(S, LOG1P_H4);
        final FloatVector h6 = FloatVector.broadcast(S, LOG1P_H6);
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
                FloatVector kf = xa.fma(FloatVector.fromArray(S, FMA_K, K_LOG2E), magic);
                FloatVector n = kf.sub(magic);
                FloatVector r = n.fma(FloatVector.fromArray(S, FMA_K, K_NEG_LN2), xa);
                FloatVector r2 = r.mul(r);
                FloatVector q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, FMA_K, K_E6),
                        r.fma(FloatVector.fromArray(S, FMA_K, K_E5), e4c)),
                        r2.fma(r.fma(FloatVector.fromArray(S, FMA_K, K_E3), e2c), r));
                FloatVector p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector e = q.fma(p2, p2);
                for (; i < end; i += L) {
                    int j = i + L < end ? i + L : i; // the last iteration recomputes its own e
                    FloatVector zn = FloatVector.fromArray(S, x, j);
                    xa = zn.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
                    xa = xa.blend(m87, xa.compare(VectorOperators.LT, m87));
                    kf = xa.fma(FloatVector.fromArray(S, FMA_K, K_LOG2E), magic);
                    n = kf.sub(magic);
                    r = n.fma(FloatVector.fromArray(S, FMA_K, K_NEG_LN2), xa);
                    r2 = r.mul(r);
                    q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, FMA_K, K_E6),
                            r.fma(FloatVector.fromArray(S, FMA_K, K_E5), e4c)),
                            r2.fma(r.fma(FloatVector.fromArray(S, FMA_K, K_E3), e2c), r));
                    p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                    FloatVector en = q.fma(p2, p2);
                    // the current vector: target check, term, gradient
                    FloatVector tn = FloatVector.fromArray(S, y, i).fma(nya, nyb);
                    tmax = tmax.max(tn.reinterpretAsInts());
                    VectorMask<Float> neg = z.compare(VectorOperators.LT, 0f);
                    FloatVector ee = e.mul(e);
                    FloatVector h = ee.mul(ee).fma(ee.fma(e.fma(FloatVector.fromArray(S, FMA_K, K_H7), h6),
                            e.fma(FloatVector.fromArray(S, FMA_K, K_H5), h4)),
                            ee.fma(e.fma(FloatVector.fromArray(S, FMA_K, K_H3), h2),
                            e.fma(FloatVector.fromArray(S, FMA_K, K_H1), h0)));
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

    static double bceValue(float[] x, float[] y, int from, int to, float ya, float yb) {
        final float nya = -ya;
        final float nyb = -yb;
        final boolean tIsY = ya == 1f && yb == 0f; // then −t = −y exactly, and checking −t checks y
        final FloatVector m87 = FloatVector.broadcast(S, -87f);
        final FloatVector magic = FloatVector.broadcast(S, EXP_MAGIC);
        final FloatVector e2c = FloatVector.broadcast(S, EXP_E2);
        final FloatVector e4c = FloatVector.broadcast(S, EXP_E4);
        final FloatVector h0 = FloatVector.broadcast(S, LOG1P_H0);
        final FloatVector h2 = FloatVector.broadcast(S, LOG1P_H2);
        final FloatVector h4 = FloatVector.broadcast(S, LOG1P_H4);
        final FloatVector h6 = FloatVector.broadcast(S, LOG1P_H6);
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
                FloatVector kf = xa.fma(FloatVector.fromArray(S, FMA_K, K_LOG2E), magic);
                FloatVector n = kf.sub(magic);
                FloatVector r = n.fma(FloatVector.fromArray(S, FMA_K, K_NEG_LN2), xa);
                FloatVector r2 = r.mul(r);
                FloatVector q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, FMA_K, K_E6),
                        r.fma(FloatVector.fromArray(S, FMA_K, K_E5), e4c)),
                        r2.fma(r.fma(FloatVector.fromArray(S, FMA_K, K_E3), e2c), r));
                FloatVector p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector e = q.fma(p2, p2);
                for (; i < end; i += L) {
                    int j = i + L < end ? i + L : i; // the last iteration recomputes its own e
                    FloatVector zn = FloatVector.fromArray(S, x, j);
                    xa = zn.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
                    xa = xa.blend(m87, xa.compare(VectorOperators.LT, m87));
                    kf = xa.fma(FloatVector.fromArray(S, FMA_K, K_LOG2E), magic);
                    n = kf.sub(magic);
                    r = n.fma(FloatVector.fromArray(S, FMA_K, K_NEG_LN2), xa);
                    r2 = r.mul(r);
                    q = r2.mul(r2).fma(r2.fma(FloatVector.fromArray(S, FMA_K, K_E6),
                            r.fma(FloatVector.fromArray(S, FMA_K, K_E5), e4c)),
                            r2.fma(r.fma(FloatVector.fromArray(S, FMA_K, K_E3), e2c), r));
                    p2 = kf.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                    FloatVector en = q.fma(p2, p2);
                    FloatVector tn = FloatVector.fromArray(S, y, i).fma(nya, nyb);
                    tmax = tmax.max(tn.reinterpretAsInts());
                    FloatVector ee = e.mul(e);
                    FloatVector h = ee.mul(ee).fma(ee.fma(e.fma(FloatVector.fromArray(S, FMA_K, K_H7), h6),
                            e.fma(FloatVector.fromArray(S, FMA_K, K_H5), h4)),
                            ee.fma(e.fma(FloatVector.fromArray(S, FMA_K, K_H3), h2),
                            e.fma(FloatVector.fromArray(S, FMA_K, K_H1), h0)));
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

    // sigmoid focal loss, integer γ = power in [0, FOCAL_MAX_POWER]. Per element, with s = 2y − 1,
    // u = s·z, e = exp(−|u|) (0 where −|u| < −87), l = log1p(e), r = 1/(1 + e): σ(−u) = a
    // (e·r for u ≥ 0, else r), σ(u) = b (r for u ≥ 0, else e·r), softplus(−u) = max(−u, 0) + l,
    // mod = a^power; term α_t·mod·softplus(−u), gradient −s·α_t·mod·(γ·b·softplus(−u) + a)
    // (b·softplus(−u) taken as 0 where b = 0: u = −∞). exp is VectorMath.exp (two-part ln2,
    // inlined), log1p the bce kernel's polynomial. One loop for value and value+gradient: the
    // branch on g is loop-invariant.
    static double focal(float[] x, float[] y, float[] g, int from, int to, float scale, float a0, float da,
            int power) {
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector m87 = FloatVector.broadcast(S, -87f);
        final FloatVector h0 = FloatVector.broadcast(S, LOG1P_H0);
        final FloatVector h2 = FloatVector.broadcast(S, LOG1P_H2);
        final FloatVector h4 = FloatVector.broadcast(S, LOG1P_H4);
        final FloatVector h6 = FloatVector.broadcast(S, LOG1P_H6);
        final float gam = power;
        double sum = 0;
        for (int s = from; s < to; s += BLOCK) {
            int end = Math.min(to, s + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            for (int i = s; i < end; i += L) {
                FloatVector t = FloatVector.fromArray(S, y, i);
                FloatVector sg = t.add(t).sub(one); // ±1 for t in {0, 1}
                FloatVector u = FloatVector.fromArray(S, x, i).mul(sg);
                FloatVector na = u.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats(); // −|u|
                VectorMask<Float> tiny = na.compare(VectorOperators.LT, m87);
                FloatVector e = VectorMath.exp(na.max(m87)).blend(0f, tiny);
                FloatVector ee = e.mul(e);
                FloatVector h = ee.mul(ee).fma(ee.fma(e.fma(FloatVector.fromArray(S, FMA_K, K_H7), h6),
                        e.fma(FloatVector.fromArray(S, FMA_K, K_H5), h4)),
                        ee.fma(e.fma(FloatVector.fromArray(S, FMA_K, K_H3), h2),
                        e.fma(FloatVector.fromArray(S, FMA_K, K_H1), h0)));
                FloatVector l = ee.fma(h, e); // log1p(e)
                FloatVector r = one.div(e.add(one));
                FloatVector er = e.mul(r);
                VectorMask<Float> neg = u.compare(VectorOperators.LT, 0f);
                FloatVector a = er.blend(r, neg); // σ(−u)
                FloatVector ce = u.neg().max(0f).add(l); // softplus(−u)
                // σ(−u)^power by at most two multiplications: an inner loop over the power would
                // carry a vector through a loop phi, which C2 boxes
                FloatVector a2 = a.mul(a);
                FloatVector mod = power == 2 ? a2 : power == 0 ? one : power == 1 ? a : power == 3 ? a2.mul(a)
                        : a2.mul(a2);
                FloatVector at = t.fma(da, a0);
                FloatVector w = at.mul(mod);
                acc = acc.add(w.mul(ce));
                if (g != null) {
                    FloatVector b = r.blend(er, neg); // σ(u)
                    FloatVector bc = b.mul(ce).blend(0f, b.compare(VectorOperators.EQ, 0f));
                    bc.mul(gam).add(a).mul(w).mul(sg.mul(-scale)).intoArray(g, i);
                }
            }
            double ls = 0;
            for (int k = 0; k < L; k++) {
                ls += acc.lane(k);
            }
            sum += ls;
        }
        return sum;
    }
}
