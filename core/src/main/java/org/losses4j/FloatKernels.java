package org.losses4j;

/**
 * Fused single-pass float32 kernels: the value and the gradient of one loss over a range of
 * elements in one loop. For loss implementations (see {@link ElementwiseLoss.FusedKernel});
 * library users never need this class.
 *
 * <p>Two implementations exist, chosen once by {@link Kernels}: a scalar one (always present,
 * the reference) and one on the Vector API ({@code jdk.incubator.vector}), compiled
 * separately and loaded only when that module is readable. Obtain the chosen one with
 * {@link Kernels#floats()}; never subclass this outside the library.
 *
 * <p>Every method works on {@code [from, to)} of flat same-length arrays, returns the sum of
 * the terms over that range (accumulated in float64, or in float lanes over at most
 * {@value #SUB_BLOCK} elements that are then added in float64), and, when {@code g} is not
 * null, writes {@code g[i] = scale · ∂term/∂x[i]} (overwriting it). Nothing is allocated. The
 * summation order depends only on {@code from}, {@code to} and the implementation, never on
 * threads, so a fixed split into ranges gives reproducible results. NaN propagates; nothing
 * is validated here (callers validate at the boundary).
 */
public abstract class FloatKernels {
    /** Elements over which a vector implementation may accumulate in float lanes before adding in float64. */
    public static final int SUB_BLOCK = 512;

    FloatKernels() {
    }

    /** "scalar" or "vector". */
    public abstract String path();

    /** A one-line description of the implementation (species width, lanes). */
    public abstract String description();

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
     * {@code max(z, 0) − z·t + log1p(exp(−|z|))}, gradient {@code σ(z) − t}.
     */
    public abstract double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb);
}
