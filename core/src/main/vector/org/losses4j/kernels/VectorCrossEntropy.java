package org.losses4j.kernels;

import static org.losses4j.kernels.FloatKernels.LANE_TERMS;
import static org.losses4j.kernels.VectorLanes.BLOCK;
import static org.losses4j.kernels.VectorLanes.L;
import static org.losses4j.kernels.VectorLanes.S;
import static org.losses4j.kernels.VectorMath.LN2_HI;
import static org.losses4j.kernels.VectorMath.LN2_LO;
import static org.losses4j.kernels.VectorMath.SQRT_HALF_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.losses4j.Workspace;

/**
 * The softmax cross-entropy kernel on the Vector API (see {@link FloatKernels#crossEntropy}):
 * long rows one at a time ({@link #rows}), short ones (fewer than {@link #LANE_ROWS_BELOW}
 * classes) a block of L rows at a time, one row per lane ({@link #lanes}).
 */
final class VectorCrossEntropy {
    private VectorCrossEntropy() {
    }

    /**
     * Rows of {@link #LANE_ROWS_BELOW} classes or more, one row at a time (a row of up to ~64k
     * classes stays in L2 between the passes): 1. the maximum m; 2. e_c = exp(x_c − m) by
     * {@link VectorMath#exp} (two-part ln2: d = x_c − m reaches −87 here for ordinary rows), d
     * clamped to −87 by compare and blend (max would cost more and order ±0), stored into g when
     * there is one, with Σ e_c over the classes below m (ties with m counted apart, so a confident
     * row keeps its small S − 1) and Σ (x_c − m); 3. g_c = coef·e_c − off over the stored row;
     * 4. g_y.
     */
    static double rows(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo, float scale,
            double keep, double uni, long ignore) {
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
                    FloatVector e = VectorMath.exp(d.blend(m87, d.compare(VectorOperators.LT, m87)));
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
     * Rows of fewer classes than this go through {@link #lanes}, one row per lane (faster than
     * the row kernel up to ~64 classes; see docs/performance.md). The same at every width, so a
     * row takes the same kernel whatever the width; a lane sums its row's fewer than
     * 2·{@value FloatKernels#LANE_TERMS} exponentials in one float accumulator.
     */
    static final int LANE_ROWS_BELOW = 2 * LANE_TERMS;

    /** Blocks of L rows whose terms are summed in float lanes before being added in float64. */
    private static final int FLUSH_BLOCKS = 16;

    /**
     * Rows of fewer than {@link #LANE_ROWS_BELOW} classes, {@code L} rows at a time, one row per
     * lane: the block is transposed into a per-thread scratch ({@code t[j·L + k] = x[(r0 + k)·c + j]};
     * after the last row of the range the lanes repeat it, with an "ignored" label), so that the
     * maximum, the exponentials, the sums, the log, the term and the gradient are all lane
     * arithmetic, without per-row scalar work; the gradient is transposed back into {@code g}.
     * Per lane (row), with {@code m} the maximum and {@code d_j = x_j − m}:
     * <ul>
     * <li>{@code e_j = exp(d_j)} by {@link VectorMath#exp}, but 0 below −87;
     * {@code rest = Σ_{x_j < m} e_j + (ties − 1)}, the ties {@code x_j = m} counted apart so a
     * confident row keeps its small {@code S − 1}; {@code sd = Σ d_j} (only with smoothing);</li>
     * <li>{@code log S = log1p(rest)} in lane arithmetic: with {@code u = 1 + rest = 2^k·f},
     * {@code f ∈ [√½, √2)}, {@code log u = k·ln2 + 2·atanh((f − 1)/(f + 1))} (series to the
     * 9th power, below 1e-8 relative), plus the rounding of {@code u},
     * {@code (rest − (u − 1))/u}: within a few ulp for every {@code rest ≥ 0}, and exactly
     * {@code rest} for a {@code rest} below ~6e-8;</li>
     * <li>the term as documented in {@link FloatKernels#crossEntropy}, in float lanes (both
     * parts are sums of non-negative numbers: no cancellation), 0 for ignored rows; the lanes
     * are added in float64, lane 0 first, every {@value #FLUSH_BLOCKS} blocks and at the end
     * of the range, so the sum depends only on the range;</li>
     * <li>gradient {@code coef·e_j − off} with {@code coef = scale·(keep + uni·c)/u} and
     * {@code off = scale·uni}; at the label {@code scale·(−keep·q_y + uni·(c·p_y − 1))} with
     * {@code p_y = e_y/u} and {@code q_y = rest/u} when {@code x_y = m}, {@code 1 − p_y}
     * otherwise; 0 for ignored rows.</li>
     * </ul>
     * A NaN logit makes its own row NaN only (the lanes are independent). Labels are not
     * checked here (the caller validated them). Nothing is allocated: the scratch is the thread's {@link Workspace}.
     */
    static double lanes(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo,
            float scale, double keep, double uni, long ignore) {
        // per-thread scratch, zeroed: a block of L rows transposed (c·L floats), then L lanes each
        // of its labels and of the term accumulator
        try (Workspace ws = Workspace.acquire()) {
            return lanes(x, labels, g, c, rowFrom, rowTo, scale, keep, uni, ignore, ws.floats((c + 2) * L));
        }
    }

    private static double lanes(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo,
            float scale, double keep, double uni, long ignore, float[] t) {
        int oLab = c * L;
        int oAcc = oLab + L;
        double sum = 0;
        int blocks = 0;
        // The scalar parts (transposing, labels, flushing) are here, the lane arithmetic in
        // blockLanes: no vector crosses the call (a vector passed to a method the JIT does not
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
            blockLanes(t, c, g != null, scale, keep, uni);
            if (g != null) {
                int nb = Math.min(L, rowTo - r0);
                for (int k = 0; k < nb; k++) {
                    int b = (r0 + k) * c;
                    for (int j = 0; j < c; j++) {
                        g[b + j] = t[j * L + k];
                    }
                }
            }
            if (++blocks == FLUSH_BLOCKS || r0 + L >= rowTo) {
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

    /**
     * The lane arithmetic of one transposed block {@code t}: adds its terms to the accumulator
     * lanes; with a gradient, replaces the logits by the gradient (still transposed).
     */
    private static void blockLanes(float[] t, int c, boolean grad, float scale, double keep, double uni) {
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
        // its row (split in two, or switching accumulators, measured slower)
        FloatVector below = zero;
        FloatVector ties = zero;
        FloatVector sd = zero;
        FloatVector zy = zero;
        FloatVector ey = zero;
        FloatVector jv = zero; // j in every lane
        for (int j = 0; j < c; j++, jv = jv.add(one)) {
            FloatVector xj = FloatVector.fromArray(S, t, j * L);
            FloatVector d = xj.sub(m);
            // e = exp(d) as in the long-row kernel (see rows), but 0 below −87 rather than
            // exp(−87) (so a −∞ logit has exactly 0): the lanes below are garbage until the final
            // blend; NaN stays NaN
            VectorMask<Float> under = d.compare(VectorOperators.LT, lowest);
            FloatVector e = VectorMath.exp(d).blend(zero, under);
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
