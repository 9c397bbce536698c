package org.losses4j.kernels;

/**
 * Fused single-pass float32 kernels: the value and the gradient of one loss over a range of
 * elements in one loop. For loss implementations (see {@link org.losses4j.ElementwiseLoss.FusedKernel});
 * library users never need this class.
 *
 * <p>Two implementations exist, chosen once by {@link Kernels}: a scalar one (always present,
 * the reference) and one on the Vector API ({@code jdk.incubator.vector}), compiled
 * separately and loaded only when that module is readable. Obtain the chosen one with
 * {@link Kernels#floats()}; never subclass this outside the library.
 *
 * <p>Every method works on {@code [from, to)} of flat same-length arrays, returns the sum of
 * the terms over that range (accumulated in float64, or in float lanes of at most
 * {@value #LANE_TERMS} terms each that are then added in float64, at every vector width), and,
 * when {@code g} is not null, writes {@code g[i] = scale · ∂term/∂x[i]} (overwriting it). Nothing is allocated. The
 * summation order depends only on {@code from}, {@code to} and the implementation, never on
 * threads, so a fixed split into ranges gives reproducible results. NaN propagates; nothing
 * is validated here (callers validate at the boundary), except that {@link #bceWithLogits}
 * checks its targets in its single pass (see there), saving the caller a pass over them.
 */
public abstract class FloatKernels {
    /**
     * Terms one float accumulator lane of a vector implementation sums at most before they are
     * added in float64. A count per lane, not per range: a kernel with one accumulator of
     * {@code L} lanes covers a sub-block of {@code LANE_TERMS·L} elements (256 at 256 bits, 512 at
     * 512), one with two accumulators twice that, so the rounding bounds of the float sums are the
     * same at every vector width.
     */
    public static final int LANE_TERMS = 32;

    /** The widest sub-block at any supported width (two accumulators of 16 lanes), for tests that cross sub-blocks. */
    static final int MAX_SUB_BLOCK = 2 * LANE_TERMS * 16;

    /**
     * Returned by {@link #bceWithLogits} when a target lies outside [0, 1]. No valid range sums
     * to it: every term of a valid range is finite, +∞ or NaN, never −∞.
     */
    public static final double INVALID_TARGET = Double.NEGATIVE_INFINITY;

    FloatKernels() {
    }

    /** "scalar" or "vector". */
    public abstract String path();

    /** A one-line description of the implementation (species width, lanes). */
    public abstract String description();

    /** Float lanes per vector: 1 for the scalar implementation. */
    public abstract int lanes();

    /** Squared error: term {@code (x − y)²}, gradient {@code 2(x − y)}. */
    public abstract double mse(float[] x, float[] y, float[] g, int from, int to, float scale);

    /**
     * Huber: with {@code d = x − y} and {@code c = clamp(d, −δ, δ)}, term {@code c·(d − c/2)}
     * (that is ½d² inside, δ(|d| − δ/2) outside), gradient {@code c}.
     */
    public abstract double huber(float[] x, float[] y, float[] g, int from, int to, float scale, float delta);

    /**
     * Binary cross-entropy on logits {@code z = x}, with the target mapped to
     * {@code t = ya·y + yb} (label smoothing ε: ya = 1 − ε, yb = ε/2; none: 1, 0): term
     * {@code max(z, 0) − z·t + log1p(exp(−|z|))}, gradient {@code σ(z) − t}. Checks the raw
     * targets in the same pass: if some {@code y[i]} in the range lies outside [0, 1] (NaN does
     * not: it propagates), returns {@link #INVALID_TARGET} instead of the sum, with {@code g}
     * written anyway. The scalar implementation computes each element in float64 and rounds once;
     * the vector one in float lanes: the term within 4.5 ulp (3.3e-7 relative; 2.8 ulp for
     * |z| ≤ 20) and the gradient within 3.3e-7·max(|σ(z) − t|, t) of float64, plus, with label
     * smoothing, the rounding of t to float (docs/performance.md, kernel design notes). At every vector width: the
     * elements of a range's tail (fewer than one vector) are computed as by the scalar kernel.
     */
    public abstract double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb);

    /**
     * Sigmoid focal loss on logits {@code x} with targets {@code y} in {0, 1} (validated by the
     * caller): with {@code u = (2y − 1)·x} and {@code p_t = σ(u)}, term
     * {@code α_t·(1 − p_t)^γ·softplus(−u)}, {@code α_t = a0 + da·y} (α weighting: a0 = 1 − α,
     * da = 2α − 1; none: 1, 0), gradient
     * {@code −(2y − 1)·α_t·(1 − p_t)^γ·(γ·p_t·softplus(−u) + 1 − p_t)}, with
     * {@code (1 − p_t)^γ = σ(−u)^γ}. The scalar implementation computes each element in float64
     * and rounds once (as {@code focal}'s float64 definition does). The vector one, for integer
     * γ from 0 to {@value #FOCAL_MAX_POWER} (other γ: the scalar kernel), in float lanes: one exp,
     * one log1p and one division per element (the bce kernel's polynomials) and σ(−u)^γ by
     * multiplication; where {@code exp(−|u|)} is below the float range ({@code |u| > 87}) it is
     * taken as 0 (a confident correct logit's term and gradient are then 0, below 2e-38·scale of
     * float64). Bounds: the term within 6 ulp + 3e-9·min(|u|, 87) relative of float64, the
     * gradient within 1e-6 of max(|gradient|, α_t·scale·σ(−u)^γ) relative (FocalKernelTest).
     * The tail of a range (fewer than one vector) is computed as by the scalar kernel.
     */
    public abstract double focal(float[] x, float[] y, float[] g, int from, int to, float scale, float a0,
            float da, double gamma);

    /** The largest integer γ the vector focal kernel computes; above it, and for non-integer γ, the scalar one. */
    public static final int FOCAL_MAX_POWER = 4;

    /**
     * Softmax cross-entropy with class-index targets, rows {@code [rowFrom, rowTo)} of a
     * contiguous {@code [N, c]} array {@code x} (row r at {@code r·c}), no class weights. With
     * {@code m} the row maximum, {@code S = Σ_c exp(x_c − m)} and {@code y = labels[r]}: term
     * {@code keep·(log S − (x_y − m)) + uni·(c·log S − Σ_c (x_c − m))} (the uni part only when
     * {@code uni ≠ 0}; label smoothing ε: keep = 1 − ε, uni = ε/c), gradient
     * {@code scale·((keep + uni·c)·p_j − uni − keep·[j = y])} with {@code p = softmax(x)}; at
     * {@code j = y} computed from {@code 1 − p_y = (S − 1)/S} when y is a top class, so a
     * confident row keeps its small gradient. A row whose label equals {@code ignore} has term 0
     * and a zero gradient row. Labels are in range (validated by the caller). {@code log S} is
     * {@code log1p} of the sum over the classes below the maximum (plus ties), in float64; the
     * vector kernels' short rows (fewer than 64 classes, at every width) are computed a block of
     * rows at a time, one row per lane, with {@code log1p} and the term in float lanes (within a
     * few ulp, and still {@code log1p}: exact for a confident row's tiny {@code S − 1}), the terms
     * added in float64 every 16 blocks. A float accumulator lane sums at most
     * {@value #LANE_TERMS} exponentials (each within ~2 ulp) on the long rows and at most
     * {@code 2·LANE_TERMS − 1} (the whole short row) on the short ones, so {@code S − 1} is within
     * about {@code (min(c, 2·LANE_TERMS) + 4)·2^−24} relative of its float64 value at any width.
     * {@code exp(x_c − m)} below {@code e^−87} (a logit of −∞) may be taken as 0.
     */
    public abstract double crossEntropy(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo,
            float scale, double keep, double uni, long ignore);

    /**
     * The sums of the region losses over {@code [from, to)}: writes {@code acc[at] = Σ x·y},
     * {@code acc[at + 1] = Σ x}, {@code acc[at + 2] = Σ y} and, when {@code squares}, also
     * {@code acc[at + 3] = Σ x²} and {@code acc[at + 4] = Σ y²} (overwriting them; an empty
     * range gives zeros). Accumulated like the other sums of this class: in float64, or in float
     * lanes of at most {@value #LANE_TERMS} terms that are then added in float64. NaN
     * propagates into every sum it enters.
     *
     * <p>Returns true when some {@code x[i]} or {@code y[i]} lies outside {@code [0, 1]}; it
     * may also return true when one is NaN (NaN is not outside the interval: callers that
     * refuse out-of-range values re-check exactly, so a true result only costs that re-check).
     * It returns false when every value is in {@code [0, 1]}.
     */
    public abstract boolean regionSums(float[] x, float[] y, int from, int to, boolean squares, double[] acc, int at);

    /**
     * The gradient pass of the region losses: {@code out[i] = a·y[i] + b + c·x[i]} for i in
     * {@code [from, to)} (overwriting it), or {@code out[i] = a·y[i] + b} when {@code x} is null
     * ({@code c} then ignored). The vector implementation computes it in float arithmetic
     * ({@code (a·y + b) + c·x}, each operation rounded: within a few float32 ulp of
     * {@code |a| + |b| + |c|}); the scalar one in float64, rounded once. Nothing is returned or
     * accumulated; NaN propagates.
     */
    public abstract void regionGradient(float[] x, float[] y, float[] out, int from, int to, float a, float b,
            float c);

    /** True when some {@code y[i]}, {@code from ≤ i < to}, lies outside [0, 1] (NaN does not). */
    static boolean outsideUnit(float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            if (y[i] < 0f || y[i] > 1f) {
                return true;
            }
        }
        return false;
    }
}
