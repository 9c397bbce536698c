package org.losses4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape every vector kernel works at: the species that {@link Kernels#VECTOR_BITS}
 * chose (property {@code losses4j.vector.bits}: 128, 256 or 512 bits), else the platform's
 * preferred one, and the sub-block sizes and lane shuffles derived from it. Nothing in the vector
 * kernels assumes a lane count, so one source serves every width.
 *
 * <p>Summation: float accumulator lanes of at most {@value FloatKernels#LANE_TERMS} terms each (a
 * sub-block of {@link #BLOCK} = {@value FloatKernels#LANE_TERMS}·L elements for one accumulator,
 * {@link #BLOCK2} = twice that for two), added across lanes once per sub-block in float64 (lane 0
 * first), so the rounding of the float sums is bounded alike at every width. Lane sums are not
 * {@code reduceLanes(ADD)}, whose order differs between the C2 intrinsic and the interpreter's
 * fallback (results would depend on the JIT state): lane 0 first instead, or the fixed shuffle
 * tree below.
 */
final class VectorLanes {
    static final VectorSpecies<Float> S = Kernels.VECTOR_BITS == 0 ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(Kernels.VECTOR_BITS));
    static final int L = S.length();
    static final int L2 = 2 * L;
    /** A sub-block of a sum with one accumulator: {@value FloatKernels#LANE_TERMS} terms per lane. */
    static final int BLOCK = FloatKernels.LANE_TERMS * L;
    /** A sub-block of a sum with two accumulators (alternate vectors): as many terms per lane. */
    static final int BLOCK2 = 2 * BLOCK;
    /** What each of two interleaved streams accumulates before its lanes are summed. */
    static final int HALF = BLOCK;
    static final VectorSpecies<Integer> IS = S.withLanes(int.class);
    // lane i with lane i ^ m: adding v.rearrange(SH_m) for m = L/2, L/4, L/8, L/16 (those ≥ 1)
    // leaves the lane sum in every lane, for L = 4, 8 or 16 (wider species sum lane by lane).
    // Separate constants, not an array: C2 folds a static final shuffle, not an array element.
    static final VectorShuffle<Float> SH_HALF = shuffleXor(L / 2);
    static final VectorShuffle<Float> SH_QUARTER = shuffleXor(L / 4);
    static final VectorShuffle<Float> SH_EIGHTH = shuffleXor(L / 8);
    static final VectorShuffle<Float> SH_SIXTEENTH = shuffleXor(L / 16);

    private VectorLanes() {
    }

    /** Lane i to lane i ^ m, or null when m is 0 (no such step at this width). */
    private static VectorShuffle<Float> shuffleXor(int m) {
        return m == 0 ? null : VectorShuffle.fromOp(S, i -> i ^ m);
    }

    /** Wider than the CPU's vectors, so the JVM emulates them (correct, slow). */
    static boolean emulated() {
        return S.vectorBitSize() > FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
