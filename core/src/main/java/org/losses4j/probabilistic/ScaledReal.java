package org.losses4j.probabilistic;

/**
 * The extended-range non-negative number of the CTC recursion ({@link CtcRecursion}): a
 * mantissa {@code m} and an integer level {@code k} standing for {@code m · 2^(−512k)}, held
 * in two primitive arrays (a {@code double[]} of mantissas, an {@code int[]} of levels) so that
 * no number is ever an object. Every method is static and allocation-free.
 *
 * <p>Why: a forward variable at frame t is a product of t probabilities, so at T = 10,000
 * frames of ordinary outputs it lies far below the smallest double (e^-10^6 and less); a plain
 * log-space recursion stays in range but pays a log and an exp per state and loses ~1e-9 to
 * the rounding of its large log values. With levels nothing underflows and a state costs a few
 * flops.
 *
 * <p>Invariants of a stored number:
 * <ul>
 * <li>the mantissa lies in [{@link #M_MIN}, {@link #M_MAX}] = [2^-256, 2^256], or the number is
 *     exactly 0: mantissa 0 at level {@link #ZERO} (which never leads a sum);
 * <li>levels are exact small integers: below {@code ZERO} = 2^24 levels (e^-5.8·10^9 below its
 *     reference) a number is 0, and an emission more than 2^20 levels down
 *     ({@link #X_FLOOR}, e^-3.7·10^8) already counts as 0, so level arithmetic never overflows
 *     and {@code levels · 512·ln 2} is computed exactly in its high part.
 * </ul>
 * A sum of numbers is taken at the lowest level among them (the largest): a term one level
 * above is scaled by 2^-512 (a normal, exact product), terms two or more levels above are
 * dropped (they are below 2^-512 of the sum). A product of a sum and an emission (both
 * normal) needs one step of {@link #put} to return into range.
 *
 * <p>The logs that go with these numbers (per-frame offsets, which reach 10^6 at 10^4 frames)
 * are compensated pairs {@code hi + lo} kept with TwoSum ({@link #addTo}), so their rounding
 * never reaches a quantity relative to them.
 */
final class ScaledReal {
    /** Mantissas are kept in [M_MIN, M_MAX]; one level scales by 2^-512 = DOWN. */
    static final double M_MIN = 0x1.0p-256;
    static final double M_MAX = 0x1.0p256;
    static final double DOWN = 0x1.0p-512;
    static final double UP = 0x1.0p512;
    /** The level of an exact zero: it never leads a sum. */
    static final int ZERO = 1 << 24;
    /** 512·ln 2 as an exact high part (fdlibm's ln2_hi, 32 bits) and a low correction. */
    static final double LEVEL_LN_HI = 512 * 6.93147180369123816490e-01;
    static final double LEVEL_LN_LO = 512 * 1.90821492927058770002e-10;
    /** Emissions exp(x) with x ≥ this are level 0. */
    private static final double EX_SPLIT = -300 * 0.6931471805599453;
    /** Emissions exp(x) with x below this (2^20 levels) count as 0, keeping levels exact and small. */
    private static final double X_FLOOR = -(1 << 20) * (LEVEL_LN_HI + LEVEL_LN_LO);

    private ScaledReal() {
    }

    /** The rounding error of s = a + b: a + b = s + error exactly (Knuth's TwoSum). */
    static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /** hi[i] + lo[i] += x, compensated. */
    static void addTo(double[] hi, double[] lo, int i, double x) {
        double a = hi[i];
        double s = a + x;
        lo[i] += twoSumError(a, x, s);
        hi[i] = s;
    }

    /** hi[i] + lo[i] += log(e^log · 2^(−512·levels)) = log − levels · 512·ln 2, compensated. */
    static void addLog(double[] hi, double[] lo, int i, double log, int levels) {
        addTo(hi, lo, i, log);
        addTo(hi, lo, i, -levels * LEVEL_LN_HI); // exact product: 32-bit constant, |levels| < 2^20
        addTo(hi, lo, i, -levels * LEVEL_LN_LO);
    }

    /**
     * exp(x) for x ≤ 0 as a number (mantissa into m[j], level into lv[j]): level 0 for x ≥
     * −300·ln 2, 0 (mantissa 0, level 0) below {@link #X_FLOOR} or for −∞, else the level that
     * brings the mantissa into [2^-300, 2^212).
     */
    static void putExp(double x, double[] m, int[] lv, int j) {
        if (x >= EX_SPLIT) {
            m[j] = Math.exp(x);
            lv[j] = 0;
        } else if (x < X_FLOOR) { // −∞, or a probability below e^-3.7e8 of the frame's best: 0
            m[j] = 0;
            lv[j] = 0;
        } else { // exp(x) = exp(x + 512·ln2·lv) · 2^(−512·lv), the first factor in [2^-300, 2^212)
            int l = (int) Math.ceil((EX_SPLIT - x) / (LEVEL_LN_HI + LEVEL_LN_LO));
            m[j] = Math.exp(x + l * LEVEL_LN_HI + l * LEVEL_LN_LO);
            lv[j] = l;
        }
    }

    /**
     * The level z of e^(hi + lo) = h · 2^(512·z) with h in about [2^-256, 2^256]; h is
     * {@link #mantissaOfExp}.
     */
    static int levelOfExp(double hi, double lo) {
        return (int) Math.rint((hi + lo) / (LEVEL_LN_HI + LEVEL_LN_LO));
    }

    /** h of e^(hi + lo) = h · 2^(512·z), z from {@link #levelOfExp}. */
    static double mantissaOfExp(double hi, double lo, int z) {
        return Math.exp((hi - z * LEVEL_LN_HI) + (lo - z * LEVEL_LN_LO));
    }

    /** 1, 2^-512 or 0 for a level difference d ≥ 0 within a sum. */
    static double scaleFor(int d) {
        return d == 0 ? 1.0 : d == 1 ? DOWN : 0.0;
    }

    /**
     * The level of the sum of (m0, l0), (m1, l1) and, when {@code mask} is −1 (not 0),
     * (m2, l2): the lowest of them; 0 on the common path where they all are level 0.
     */
    static int sumLevel(int l0, int l1, int l2, int mask) {
        if ((l0 | l1 | (l2 & mask)) == 0) {
            return 0;
        }
        int l2g = mask != 0 ? l2 : ZERO;
        return Math.min(l0, Math.min(l1, l2g));
    }

    /**
     * The mantissa of that sum at level {@code lev} (from {@link #sumLevel}); {@code skip} is
     * 1.0 where {@code mask} is −1 and 0.0 where it is 0.
     */
    static double sumAt(int lev, double m0, int l0, double m1, int l1, double m2, int l2, int mask, double skip) {
        if ((l0 | l1 | (l2 & mask)) == 0) {
            return m0 + m1 + skip * m2;
        }
        return m0 * scaleFor(l0 - lev) + m1 * scaleFor(l1 - lev) + (mask != 0 ? m2 * scaleFor(l2 - lev) : 0.0);
    }

    /**
     * Stores m · 2^(−512·level), a product of a sum and an emission (m is 0 or one step of
     * 2^512 from range), at lin[j], lev[j] in range: one step up or down, exactly 0 at level
     * ZERO, and 0 too when the level reaches ZERO (more than 2^24 levels, e^-5.8e9, below).
     * Returns the level.
     */
    static int put(double[] lin, int[] lev, int j, double m, int level) {
        if (m < M_MIN) {
            if (m == 0) {
                level = ZERO;
            } else {
                m *= UP;
                level++;
            }
        } else if (m > M_MAX) {
            m *= DOWN;
            level--;
        }
        if (level >= ZERO) {
            m = 0;
            level = ZERO;
        }
        lin[j] = m;
        lev[j] = level;
        return level;
    }

    /**
     * a · b · 2^(−512·d) as a double for a product known to be at most about 1 (so d ≥ −1);
     * the order of the products keeps every intermediate normal and finite, and d > 2 (below
     * 2^-500) is 0.
     */
    static double product(double a, double b, int d) {
        if (d == 0) {
            return a * b;
        } else if (d == 1) {
            return (a * DOWN) * b;
        } else if (d == 2) {
            return ((a * DOWN) * b) * DOWN;
        } else if (d < 0) {
            return (a * b) * UP;
        }
        return 0;
    }

    /** The lowest level among lev[from..to] (ZERO when every number there is 0). */
    static int lowestLevel(int[] lev, int from, int to) {
        int lmin = ZERO;
        for (int j = from; j <= to; j++) {
            lmin = Math.min(lmin, lev[j]);
        }
        return lmin;
    }

    /** The largest mantissa among the numbers of lin/lev[from..to] at level {@code level}. */
    static double largestMantissa(double[] lin, int[] lev, int from, int to, int level) {
        double mmax = 0;
        for (int j = from; j <= to; j++) {
            if (lev[j] == level) {
                mmax = Math.max(mmax, lin[j]);
            }
        }
        return mmax;
    }

    /**
     * Multiplies the numbers of lin/lev[from..to] by f · 2^(512·level), f the inverse of
     * {@link #largestMantissa} at {@link #lowestLevel} {@code level}: the largest becomes 1 at
     * level 0, each mantissa times f lies in [2^-512, 2^512] and one step brings it back into
     * range; zeros stay zeros.
     */
    static void rescale(double[] lin, int[] lev, int from, int to, double f, int level) {
        for (int j = from; j <= to; j++) {
            int l = lev[j];
            if (l >= ZERO) {
                continue;
            }
            double v = lin[j] * f;
            l -= level;
            if (v < M_MIN) {
                v *= UP;
                l++;
            } else if (v > M_MAX) {
                v *= DOWN;
                l--;
            }
            lin[j] = v;
            lev[j] = l;
        }
    }
}
