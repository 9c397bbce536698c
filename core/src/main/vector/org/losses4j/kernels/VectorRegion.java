package org.losses4j.kernels;

import static org.losses4j.kernels.VectorLanes.BLOCK;
import static org.losses4j.kernels.VectorLanes.BLOCK2;
import static org.losses4j.kernels.VectorLanes.HALF;
import static org.losses4j.kernels.VectorLanes.IS;
import static org.losses4j.kernels.VectorLanes.L;
import static org.losses4j.kernels.VectorLanes.L2;
import static org.losses4j.kernels.VectorLanes.S;
import static org.losses4j.kernels.VectorLanes.SH_EIGHTH;
import static org.losses4j.kernels.VectorLanes.SH_HALF;
import static org.losses4j.kernels.VectorLanes.SH_QUARTER;
import static org.losses4j.kernels.VectorLanes.SH_SIXTEENTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The region kernels on the Vector API (see {@link FloatKernels#regionSums} and
 * {@link FloatKernels#regionGradient}): the sums Σ x·y, Σ x, Σ y ({@link #plain}), with Σ x² and
 * Σ y² ({@link #squares}), and the gradient pass.
 */
final class VectorRegion {
    private VectorRegion() {
    }

    // Region sums. The domain flag costs no compare masks: x·(x − 1) is > 0 exactly when x is
    // outside [0, 1] (negative times negative below 0, positive times positive above 1; never
    // rounded to 0 there), ≤ 0 or −0 inside; its largest bit pattern as a signed int is > 0
    // exactly then, or for a NaN with a clear sign bit (allowed: the caller re-checks). The
    // flag vector lives within one sub-block and its lanes are reduced there: carried across
    // the sub-block loop, C2 (JDK 17) boxes it on every iteration.

    static boolean plain(float[] x, float[] y, int from, int to, double[] acc, int at) {
        double spg = 0, sp = 0, sg = 0;
        boolean bad = false;
        // Two streams: [from, from + h) alongside [from + h, from + 2h), in sub-blocks of HALF
        // elements of each (BLOCK2 together); the rest (< BLOCK2 elements) in one stream
        // below. Two far-apart streams per array keep more cache misses
        // in flight than one (faster from memory; see docs/performance.md).
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
            // then one add in float64 (lane extractions and float64 adds per sum cost more)
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

    // Squared dice only: one stream, five sums, lanes summed in float64 (not tuned like plain).
    static boolean squares(float[] x, float[] y, int from, int to, double[] acc, int at) {
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

    static void gradient(float[] x, float[] y, float[] out, int from, int to, float a, float b, float c) {
        // two streams, [from, from + h) alongside [from + h, from + 2h), as in plain; then the rest
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
