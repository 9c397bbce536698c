package org.losses4j.kernels;

import static org.losses4j.kernels.VectorLanes.L;
import static org.losses4j.kernels.VectorLanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp and log1p in plain lane arithmetic (add, mul, fma, div, compare, blend and integer bit
 * operations: IEEE, the same bits interpreted and compiled), instead of
 * {@link VectorOperators#EXP}/{@code LOG1P}, whose SVML intrinsics differ in the last ulp from the
 * interpreter's per-lane Math calls. The constants, and the one helper small enough to be inlined
 * everywhere ({@link #exp}); the larger kernels write the polynomials out at each use (see
 * {@link VectorElementwise}). Accuracy measurements: docs/performance.md, kernel design notes.
 *
 * <p>exp(d), −87 ≤ d ≤ 0 (below −87 float exp is subnormal: callers clamp d, or discard those
 * lanes): d = n·ln2 + r with
 * n = round(d·log2 e) by a rounding constant ({@link #EXP_MAGIC} = 1.5·2^23 + 127, which has
 * 127 in its low nine bits, so the bits of {@code EXP_MAGIC + n} shifted left by 23 are those of
 * 2^n for n ≥ −126), then e = 2^n·(1 + q(r)) as one fma: q a degree-6 minimax polynomial for
 * e^r − 1 on [−ln2/2, ln2/2] (relative error 2e-9), by Estrin's scheme. bce_with_logits takes
 * r = fma(n, −ln2_f, d) with the one-part {@link #NEG_LN2} (one operation less; drifts to 4.5 ulp
 * at n = −125), cross-entropy, whose d reaches −87 for ordinary rows, the two-part
 * {@link #LN2_HI} + {@link #LN2_LO} (within ~2 ulp at any n).
 *
 * <p>log1p(e), e ∈ [0, 1] (bce): e + e²·h(e), h a degree-7 minimax polynomial for
 * (log1p(e) − e)/e² on [0, 1] (relative error of log1p 5e-8), Estrin again: no division and a
 * short dependency chain. log1p(rest), rest ≥ 0 (short cross-entropy rows): with
 * u = 1 + rest = 2^k·f, f ∈ [√½, √2), log u = k·ln2 + 2·atanh((f − 1)/(f + 1)) (series to the
 * 9th power, below 1e-8 relative) plus the rounding of u, (rest − (u − 1))/u.
 */
final class VectorMath {
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23 + 127: adding it rounds to an integer n, and its bits shifted left by 23 are those of 2^n. */
    static final float EXP_MAGIC = 12583039f;
    /** −ln2 rounded to float. */
    static final float NEG_LN2 = -0.693147182464599609375f;
    static final float EXP_E2 = 0.4999999403953552f;
    static final float EXP_E3 = 0.16666431725025177f;
    static final float EXP_E4 = 0.04166800156235695f;
    static final float EXP_E5 = 0.00837415549904108f;
    static final float EXP_E6 = 0.0013843652559444308f;
    static final float LOG1P_H0 = -0.49999648332595825f;
    static final float LOG1P_H1 = 0.333213210105896f;
    static final float LOG1P_H2 = -0.24857160449028015f;
    static final float LOG1P_H3 = 0.19153642654418945f;
    static final float LOG1P_H4 = -0.13753776252269745f;
    static final float LOG1P_H5 = 0.07920423150062561f;
    static final float LOG1P_H6 = -0.03006560355424881f;
    static final float LOG1P_H7 = 0.0053647770546376705f;
    static final int SIGN_BIT = 0x80000000;
    static final int ONE_BITS = 0x3f800000; // 1.0f
    static final int SQRT_HALF_BITS = 0x3f3504f3; // √½ as float bits

    // The constants that are multiplicands of an fma in the bce loops, each broadcast to L lanes at
    // its offset of FMA_K and read in the loop with FloatVector.fromArray: C2 then takes each
    // straight from memory into its fma, where a constant vector hoisted out of the loop (about 20
    // of them, 16 registers) would be spilled and reloaded into a register first.
    static final int K_LOG2E = 0;
    static final int K_NEG_LN2 = L;
    static final int K_E3 = 2 * L;
    static final int K_E5 = 3 * L;
    static final int K_E6 = 4 * L;
    static final int K_H1 = 5 * L;
    static final int K_H3 = 6 * L;
    static final int K_H5 = 7 * L;
    static final int K_H7 = 8 * L;
    static final float[] FMA_K = new float[9 * L];

    static {
        float[] k = {LOG2E, NEG_LN2, EXP_E3, EXP_E5, EXP_E6, LOG1P_H1, LOG1P_H3, LOG1P_H5, LOG1P_H7};
        for (int i = 0; i < k.length; i++) {
            java.util.Arrays.fill(FMA_K, i * L, (i + 1) * L, k[i]);
        }
    }

    // The constants of exp, as vectors once.
    private static final FloatVector V_LOG2E = FloatVector.broadcast(S, LOG2E);
    private static final FloatVector V_MAGIC = FloatVector.broadcast(S, EXP_MAGIC);
    private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector V_E2 = FloatVector.broadcast(S, EXP_E2);
    private static final FloatVector V_E3 = FloatVector.broadcast(S, EXP_E3);
    private static final FloatVector V_E4 = FloatVector.broadcast(S, EXP_E4);
    private static final FloatVector V_E5 = FloatVector.broadcast(S, EXP_E5);
    private static final FloatVector V_E6 = FloatVector.broadcast(S, EXP_E6);

    private VectorMath() {
    }

    /**
     * exp(d) for −87 ≤ d ≤ 0 with the two-part ln2 (see the class comment); NaN stays NaN. Small
     * enough (115 bytes) that C2 inlines it at both hot call sites of the cross-entropy kernels,
     * so no vector is boxed.
     */
    static FloatVector exp(FloatVector d) {
        FloatVector ek = d.fma(V_LOG2E, V_MAGIC);
        FloatVector en = ek.sub(V_MAGIC);
        FloatVector er = en.fma(V_NEG_LN2_LO, en.fma(V_NEG_LN2_HI, d));
        FloatVector r2 = er.mul(er);
        FloatVector eq = r2.mul(r2).fma(r2.fma(V_E6, er.fma(V_E5, V_E4)), r2.fma(er.fma(V_E3, V_E2), er));
        FloatVector p2 = ek.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return eq.fma(p2, p2);
    }
}
