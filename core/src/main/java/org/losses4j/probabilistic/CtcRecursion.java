package org.losses4j.probabilistic;

import static org.losses4j.probabilistic.ScaledReal.ZERO;

import java.util.Arrays;
import org.losses4j.Check;
import org.losses4j.Workspace;

/**
 * The forward–backward computation of one call: work arrays are allocated once per call,
 * sized for the longest sample, and reused for every sample.
 *
 * <p>Only the states that can already have been reached and can still reach the end are
 * visited: at frame t, {@code s ∈ [max(0, L − 2(T_n − t)), min(L − 1, 2t + 1)]}.
 *
 * <p>Representation ({@link ScaledReal}): log space with a shared offset per frame and an
 * integer level per state. Frame t has a log offset {@code R_t}; state s holds a mantissa
 * {@code m} and a level {@code k} with {@code α_t(s) = m · 2^(−512k) · e^(R_t)}, the mantissa kept in
 * [2^-256, 2^256] (or exactly 0 at level {@code ZERO}). A sum of predecessors adds the
 * mantissas at the lowest level among them, one level above scaled by 2^-512 (a normal,
 * exact product), two or more levels above dropped (below 2^-512 of the sum). The emission
 * {@code exp(log_probs[t, n, l'_s] − m_t)} ({@code m_t} the frame's largest, added to the
 * offset) is split the same way, so a frame costs one exp per class of the sample and a
 * few flops per state, whatever the spread of the log-probabilities: nothing underflows
 * and no state ever needs a log or exp of its own. A row is rescaled (its largest value
 * made 1) when the mantissa sum of its level-0 states leaves [2^-64, 2^64].
 *
 * <p>The offsets, which grow with the number of frames (|log p| reaches 10^6 at 10^4 frames
 * of peaked outputs), are compensated sums (TwoSum) and every per-state quantity is
 * relative to them, so their rounding never reaches the posteriors, which stay accurate to
 * about 1e-12 at 10^4 frames where a plain log-space recursion loses ~1e-9 to the rounding
 * of its large log values.
 */
final class CtcRecursion {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    /** A row is rescaled when the mantissa sum of its level-0 states leaves [LOW, HIGH]. */
    private static final double LOW = 0x1.0p-64;
    private static final double HIGH = 0x1.0p64;

    private final CtcBatch b;
    private final boolean zeroInfinity;
    /** A mean reduction: each sample's term divided by max(its target length, 1). */
    private final boolean mean;
    private final double[] lp64;
    private final float[] lp32;
    private final double[] g64;
    private final float[] g32;
    private final double gradScale;
    private final boolean grad;
    /** Row width: state s is stored at s + 2, with two padding cells either side. */
    private final int w;
    private final int maxK;
    // the current sample: its states, classes, allowed skips
    private int len;
    private int kn;
    private final int[] kOf;
    private final int[] classOf;
    private final int[] slot;
    /** 1.0 / −1 where α_{t−1}(s − 2) → α_t(s) is allowed, else 0.0 / 0. */
    private final double[] skipIn;
    private final int[] skipInMask;
    /** The same for β_{t+1}(s + 2) → β_t(s). */
    private final double[] skipOut;
    private final int[] skipOutMask;
    // forward rows (all frames when a gradient is wanted, else two rolling rows), offsets
    private final double[] aLin;
    private final int[] aLev;
    private final double[] ref;
    private final double[] refLo;
    /** log p as a compensated pair. */
    private final double[] logpHi = new double[1];
    private final double[] logpLo = new double[1];
    // per frame and class of the sample: log-probability, emission mantissa and level, largest
    private final double[] ek;
    private final double[] exM;
    private final int[] exL;
    private final double[] emax;
    // backward: two rolling rows, their offset, the per-class posteriors of one frame
    private final double[] bLin;
    private final int[] bLev;
    private final double[] bRef = new double[1];
    private final double[] bRefLo = new double[1];
    /** What the last {@link #renormalize} took out of its row: e^shiftLog · 2^(−512·shiftLevels). */
    private double shiftLog;
    private int shiftLevels;
    private final double[] acc;

    /**
     * The recursion over the samples of b, reading one of lp64/lp32 and writing one of g64/g32
     * (both null: no gradient), scaled by gradScale; its work arrays from ws.
     */
    CtcRecursion(CtcBatch b, boolean zeroInfinity, boolean mean, double[] lp64, float[] lp32, double[] g64,
            float[] g32, double gradScale, Workspace ws) {
        this.b = b;
        this.zeroInfinity = zeroInfinity;
        this.mean = mean;
        this.lp64 = lp64;
        this.lp32 = lp32;
        this.g64 = g64;
        this.g32 = g32;
        this.gradScale = gradScale;
        this.grad = g64 != null || g32 != null;
        int maxT = 1;
        int maxS = 0;
        for (int i = 0; i < b.n; i++) {
            maxT = Math.max(maxT, (int) b.inputLengths[i]);
            maxS = Math.max(maxS, (int) b.targetLengths[i]);
        }
        this.maxK = Math.min(b.c, maxS + 1);
        int rows = grad ? maxT : 2;
        // the two largest blocks, sized in long: refused by name when they cannot fit; rows >= 2,
        // so a row width 2S + 5 that passes (and 2S + 1, and two rows of it) fits an int
        String lengths = "ctc with input length T = " + maxT + " and target length S = " + maxS;
        long width = 2L * maxS + 5;
        int cells = Check.arraySize(rows * width, 12, lengths + ": the forward variables (" + rows + " × "
                + width + ")");
        this.w = (int) width;
        int maxL = w - 4;
        int emissions = Check.arraySize((long) maxT * maxK, 20, lengths + ": the emission table (" + maxT
                + " × " + maxK + ")");
        this.kOf = ws.ints(maxL);
        this.classOf = ws.ints(maxK);
        this.slot = ws.ints(b.c);
        Arrays.fill(slot, -1);
        this.skipIn = ws.doubles(maxL);
        this.skipInMask = ws.ints(maxL);
        this.skipOut = ws.doubles(maxL);
        this.skipOutMask = ws.ints(maxL);
        this.aLin = ws.doubles(cells);
        this.aLev = ws.ints(cells);
        this.ref = ws.doubles(rows);
        this.refLo = ws.doubles(rows);
        this.ek = ws.doubles(emissions);
        this.exM = ws.doubles(emissions);
        this.exL = ws.ints(emissions);
        this.emax = ws.doubles(maxT);
        this.bLin = grad ? ws.doubles(2 * w) : null;
        this.bLev = grad ? ws.ints(2 * w) : null;
        this.acc = grad ? ws.doubles(maxK) : null;
    }

    /** Samples {@code [from, to)}: their terms into {@code terms[n]}, their gradients into their frames' rows. */
    void run(double[] terms, int from, int to) {
        for (int n = from; n < to; n++) {
            int tn = (int) b.inputLengths[n];
            int sn = (int) b.targetLengths[n];
            int needed = describe(n, sn);
            double logp = tn < needed ? NEG_INF : forward(n, tn);
            double loss = -logp;
            double perSample = mean ? 1.0 / Math.max(sn, 1) : 1.0;
            if (loss == Double.POSITIVE_INFINITY && zeroInfinity) {
                terms[n] = 0; // its gradient stays 0
            } else {
                terms[n] = loss * perSample;
                if (grad) {
                    if (Double.isFinite(loss)) {
                        backward(n, tn, gradScale * perSample);
                    } else {
                        undefinedGradient(n, tn);
                    }
                }
            }
            for (int k = 0; k < kn; k++) {
                slot[classOf[k]] = -1;
            }
        }
    }

    /**
     * Sets up the states of sample n (classes, compact class slots, allowed skips) and
     * returns the fewest frames an alignment needs: the labels plus a blank between repeats.
     */
    private int describe(int n, int sn) {
        len = 2 * sn + 1;
        kn = 0;
        int needed = sn;
        for (int s = 0; s < len; s++) {
            int c = (s & 1) == 0 ? b.blank : (int) b.targets[n * b.s + (s >> 1)];
            if (slot[c] < 0) {
                slot[c] = kn;
                classOf[kn++] = c;
            }
            kOf[s] = slot[c];
            boolean skip = (s & 1) == 1 && s >= 3 && c != classOf[kOf[s - 2]];
            skipIn[s] = skip ? 1.0 : 0.0;
            skipInMask[s] = skip ? -1 : 0;
            if ((s & 1) == 1 && s >= 3 && !skip) {
                needed++;
            }
        }
        for (int s = 0; s < len; s++) {
            skipOut[s] = s + 2 < len ? skipIn[s + 2] : 0.0;
            skipOutMask[s] = s + 2 < len ? skipInMask[s + 2] : 0;
        }
        return needed;
    }

    /**
     * Loads log_probs[t, n, c] of every frame t < T_n for the sample's classes (all frames
     * first, so that the memory reads overlap), then each frame's largest into emax and the
     * emissions exp(x), x = log_prob − largest, as mantissa and level; false when one is
     * NaN or +∞ (the loss is then NaN).
     */
    private boolean loadFrames(int n, int tn) {
        int stride = b.n * b.c;
        for (int t = 0, base = n * b.c, o = 0; t < tn; t++, base += stride, o += maxK) {
            if (lp32 != null) {
                for (int k = 0; k < kn; k++) {
                    ek[o + k] = lp32[base + classOf[k]];
                }
            } else {
                for (int k = 0; k < kn; k++) {
                    ek[o + k] = lp64[base + classOf[k]];
                }
            }
        }
        for (int t = 0, o = 0; t < tn; t++, o += maxK) {
            double m = NEG_INF;
            for (int k = 0; k < kn; k++) {
                double e = ek[o + k];
                if (!(e < Double.POSITIVE_INFINITY)) {
                    return false;
                }
                m = e > m ? e : m;
            }
            double mm = m == NEG_INF ? 0 : m; // all −∞: every emission 0, the frame is impossible
            emax[t] = mm;
            for (int k = 0; k < kn; k++) {
                ScaledReal.putExp(ek[o + k] - mm, exM, exL, o + k);
            }
        }
        return true;
    }

    /**
     * log p(l | x) of sample n (−∞ when no alignment has positive probability, NaN on NaN or
     * +∞ input); also left in logpHi + logpLo.
     */
    private double forward(int n, int tn) {
        if (!loadFrames(n, tn)) {
            return Double.NaN;
        }
        int row = 0;
        int lo = Math.max(0, len - 2 * tn);
        int hi = Math.min(len - 1, 1);
        clearPads(aLin, aLev, 0, lo, hi);
        double mass = 0;
        for (int s = lo; s <= hi; s++) {
            // an emission's mantissa may lie below 2^-256 (down to 2^-300): put steps it up
            if (ScaledReal.put(aLin, aLev, s + 2, exM[kOf[s]], exL[kOf[s]]) == 0) {
                mass += aLin[s + 2];
            }
        }
        ref[0] = emax[0];
        refLo[0] = 0;
        if (mass < LOW || mass > HIGH) {
            if (!renormalize(aLin, aLev, 0, lo, hi)) {
                return NEG_INF;
            }
            addShift(ref, refLo, 0);
        }
        for (int t = 1; t < tn; t++) {
            int prow = row;
            row = grad ? t : (t & 1);
            lo = Math.max(0, len - 2 * (tn - t));
            hi = Math.min(len - 1, 2 * t + 1);
            int po = prow * w;
            int o = row * w;
            int eo = t * maxK;
            mass = 0;
            // the previous row's states s − 2, s − 1 and s, carried in registers
            double p2 = aLin[po + lo];
            double p1 = aLin[po + lo + 1];
            int l2 = aLev[po + lo];
            int l1 = aLev[po + lo + 1];
            for (int s = lo; s <= hi; s++) {
                int i = s + 2;
                int k = kOf[s];
                double p0 = aLin[po + i];
                int l0 = aLev[po + i];
                int sm = skipInMask[s];
                int lev = ScaledReal.sumLevel(l0, l1, l2, sm);
                double sum = ScaledReal.sumAt(lev, p0, l0, p1, l1, p2, l2, sm, skipIn[s]);
                p2 = p1;
                l2 = l1;
                p1 = p0;
                l1 = l0;
                if (ScaledReal.put(aLin, aLev, o + i, sum * exM[eo + k], lev + exL[eo + k]) == 0) {
                    mass += aLin[o + i];
                }
            }
            clearPads(aLin, aLev, o, lo, hi);
            ref[row] = ref[prow];
            refLo[row] = refLo[prow];
            ScaledReal.addTo(ref, refLo, row, emax[t]);
            if (mass < LOW || mass > HIGH) {
                if (!renormalize(aLin, aLev, o, lo, hi)) {
                    return NEG_INF;
                }
                addShift(ref, refLo, row);
            }
        }
        int o = row * w;
        double ma = aLin[o + len + 1];
        double mb = aLin[o + len];
        int la = aLev[o + len + 1];
        int lb = aLev[o + len];
        int lev = Math.min(la, lb);
        double sum = ma * ScaledReal.scaleFor(la - lev) + mb * ScaledReal.scaleFor(lb - lev);
        if (sum == 0) {
            return NEG_INF;
        }
        logpHi[0] = ref[row];
        logpLo[0] = refLo[row];
        shiftLog = Math.log(sum);
        shiftLevels = lev;
        addShift(logpHi, logpLo, 0);
        return logpHi[0] + logpLo[0];
    }

    /** hi[i] + lo[i] += the log of what the last {@link #renormalize} took out, compensated. */
    private void addShift(double[] hi, double[] lo, int i) {
        ScaledReal.addLog(hi, lo, i, shiftLog, shiftLevels);
    }

    /**
     * Rescales the row at o (window lo..hi) so that its largest value is 1 at level 0,
     * leaving the factor taken out in shiftLog, shiftLevels; false when every state of the
     * row is 0.
     */
    private boolean renormalize(double[] lin, int[] lev, int o, int lo, int hi) {
        int from = o + lo + 2;
        int to = o + hi + 2;
        int lmin = ScaledReal.lowestLevel(lev, from, to);
        if (lmin >= ZERO) {
            return false;
        }
        double mmax = ScaledReal.largestMantissa(lin, lev, from, to, lmin);
        ScaledReal.rescale(lin, lev, from, to, 1.0 / mmax, lmin);
        shiftLog = Math.log(mmax);
        shiftLevels = lmin;
        return true;
    }

    /** Mantissa 0 at level ZERO in the two cells below lo and above hi of the row at o. */
    private static void clearPads(double[] lin, int[] lev, int o, int lo, int hi) {
        lin[o + lo] = 0;
        lin[o + lo + 1] = 0;
        lev[o + lo] = ZERO;
        lev[o + lo + 1] = ZERO;
        lin[o + hi + 3] = 0;
        lin[o + hi + 4] = 0;
        lev[o + hi + 3] = ZERO;
        lev[o + hi + 4] = ZERO;
    }

    /**
     * The backward recursion fused with the gradient, one pass per frame. The row of frame
     * t + 1 holds β̃_{t+1}(s) = β_{t+1}(s) + log_probs[t + 1, n, l'_s] in the same
     * representation as α (offset bRef). At frame t the sum over a state's successors is
     * β_t(s) (emission at t excluded); the state's posterior exp(α_t(s) + β_t(s) − log p)
     * goes to its class, and β_t(s) times the emission at t makes the row of frame t.
     */
    private void backward(int n, int tn, double scale) {
        int nb = 0;
        // a virtual row t = T_n: β̃ is 1 (mantissa 1, level 0, offset 0) at the last state only
        Arrays.fill(bLin, 0, w, 0.0);
        Arrays.fill(bLev, 0, w, ZERO);
        bLin[len + 1] = 1;
        bLev[len + 1] = 0;
        bRef[0] = 0;
        bRefLo[0] = 0;
        for (int t = tn - 1; t >= 0; t--) {
            int lo = Math.max(0, len - 2 * (tn - t));
            int hi = Math.min(len - 1, 2 * t + 1);
            int no = nb * w;
            int o = (1 - nb) * w;
            int ao = t * w;
            int eo = t * maxK;
            // x = R_t + R'_{t+1} − log p (as xHi + xLo), the log of the factor shared by this
            // frame's posteriors, split as h · 2^(512·z) with h in [2^-256, 2^256]
            double s1 = ref[t] + bRef[0];
            double e1 = ScaledReal.twoSumError(ref[t], bRef[0], s1);
            double xHi = s1 - logpHi[0];
            double xLo = e1 + ScaledReal.twoSumError(s1, -logpHi[0], xHi) + refLo[t] + bRefLo[0] - logpLo[0];
            int z = ScaledReal.levelOfExp(xHi, xLo);
            double h = ScaledReal.mantissaOfExp(xHi, xLo, z);
            for (int k = 0; k < kn; k++) {
                acc[k] = 0;
            }
            double mass = 0;
            // the next row's states s, s + 1 and s + 2, carried in registers
            double n1 = bLin[no + lo + 2];
            double n2 = bLin[no + lo + 3];
            int m1 = bLev[no + lo + 2];
            int m2 = bLev[no + lo + 3];
            for (int s = lo; s <= hi; s++) {
                int i = s + 2;
                int k = kOf[s];
                double n0 = n1;
                int m0 = m1;
                n1 = n2;
                m1 = m2;
                n2 = bLin[no + i + 2];
                m2 = bLev[no + i + 2];
                int sm = skipOutMask[s];
                int lev = ScaledReal.sumLevel(m0, m1, m2, sm);
                double sum = ScaledReal.sumAt(lev, n0, m0, n1, m1, n2, m2, sm, skipOut[s]);
                // the posterior α_t(s) · sum · h · 2^(−512·d), at most 1
                acc[k] += ScaledReal.product(aLin[ao + i], sum * h, aLev[ao + i] + lev - z);
                if (ScaledReal.put(bLin, bLev, o + i, sum * exM[eo + k], lev + exL[eo + k]) == 0) {
                    mass += bLin[o + i];
                }
            }
            writeGradient(n, t, scale);
            if (t == 0) {
                break;
            }
            clearPads(bLin, bLev, o, lo, hi);
            ScaledReal.addTo(bRef, bRefLo, 0, emax[t]);
            // renormalize is true: a state of this window lies on an alignment of positive probability
            if ((mass < LOW || mass > HIGH) && renormalize(bLin, bLev, o, lo, hi)) {
                addShift(bRef, bRefLo, 0);
            }
            nb = 1 - nb;
        }
    }

    /** grad[t, n, c] = −scale · (the posteriors of the states of class c, summed in acc). */
    private void writeGradient(int n, int t, double scale) {
        int base = (t * b.n + n) * b.c;
        // 0 − x, not −x: a class with no state in this frame's window gets +0, not −0
        if (g64 != null) {
            for (int k = 0; k < kn; k++) {
                g64[base + classOf[k]] = 0.0 - scale * acc[k];
            }
        } else {
            for (int k = 0; k < kn; k++) {
                g32[base + classOf[k]] = (float) (0.0 - scale * acc[k]);
            }
        }
    }

    /**
     * A loss that is +∞ (no alignment without zero_infinity) or NaN: the derivative with
     * respect to the log-probabilities it depends on is undefined, NaN.
     */
    private void undefinedGradient(int n, int tn) {
        for (int t = 0; t < tn; t++) {
            int base = (t * b.n + n) * b.c;
            for (int k = 0; k < kn; k++) {
                if (g64 != null) {
                    g64[base + classOf[k]] = Double.NaN;
                } else {
                    g32[base + classOf[k]] = Float.NaN;
                }
            }
        }
    }
}
