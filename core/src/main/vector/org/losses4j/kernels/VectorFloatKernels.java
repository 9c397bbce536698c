package org.losses4j.kernels;

import static org.losses4j.kernels.VectorLanes.L;
import static org.losses4j.kernels.VectorLanes.L2;
import static org.losses4j.kernels.VectorLanes.S;

import jdk.incubator.vector.FloatVector;

/**
 * The float32 kernels on the Vector API ({@code jdk.incubator.vector}), at the width of
 * {@link VectorLanes}. Compiled separately from the rest of core (see core/pom.xml: the incubator
 * module is invisible to {@code --release 17}) and instantiated reflectively by {@link Kernels}
 * only when the module is readable. The hot loops are in one class per kernel family
 * ({@link VectorElementwise}, {@link VectorCrossEntropy}, {@link VectorRegion}), exp and log1p in
 * {@link VectorMath}; this class dispatches to them.
 *
 * <p>Each elementwise kernel here: the vector loops over the whole vectors of the range (two at a
 * time for mse and huber), their sum in float64 by the scalar kernel instead when the float lanes
 * gave none (not finite: a float overflow, e.g. mse at |x − y| beyond ~1.8e19, or a NaN), then the
 * tail (fewer elements than the vector loop takes at a time) by the scalar kernel, in float64 (its
 * own bound: one rounding). So the vector path accumulates in float64 where the float range would
 * not hold, as the scalar one does (ranges are the chunks of {@link Parallel}, at most
 * {@value Parallel#CHUNK} elements: a NaN costs its chunk a second, scalar pass). Those calls are
 * here, outside the hot methods, so that the JIT inlines no scalar kernel into a vector loop.
 *
 * <p>Each lane does the same operations at every width, so an element's own results in the vector
 * loop (mse, huber and bce gradients, the exponentials) are the same at 128, 256 and 512 bits; the
 * order of the sums and where a range's scalar tail starts depend on the width, within the bounds
 * of {@link FloatKernels}. Everything is IEEE lane arithmetic (exp and log1p too, see
 * {@link VectorMath}), so every kernel gives the same bits cold or warm and for any thread count.
 */
final class VectorFloatKernels extends FloatKernels {
    /** The tails, and the ranges whose float lanes overflowed, go to the scalar kernels. */
    private static final ScalarFloatKernels SCALAR = ScalarFloatKernels.INSTANCE;

    @Override
    public String path() {
        return "vector";
    }

    @Override
    public String description() {
        int cpu = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return "vector (jdk.incubator.vector, " + S.vectorBitSize() + "-bit, " + L + " float lanes"
                + (Kernels.VECTOR_BITS == 0 ? ", the CPU's preferred width" : ", chosen by losses4j.vector.bits")
                + (VectorLanes.emulated() ? "; wider than this CPU's " + cpu + "-bit vectors: emulated, slow" : "")
                + ")";
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public double mse(float[] x, float[] y, float[] g, int from, int to, float scale) {
        int vend = from + (to - from) / L2 * L2;
        double v = g == null ? VectorElementwise.mseValue(x, y, from, vend)
                : VectorElementwise.mseGrad(x, y, g, from, vend, scale);
        if (!Double.isFinite(v)) {
            v = SCALAR.mse(x, y, g, from, vend, scale);
        }
        return vend == to ? v : v + SCALAR.mse(x, y, g, vend, to, scale);
    }

    @Override
    public double huber(float[] x, float[] y, float[] g, int from, int to, float scale, float delta) {
        int vend = from + (to - from) / L2 * L2;
        double v = g == null ? VectorElementwise.huberValue(x, y, from, vend, delta)
                : VectorElementwise.huberGrad(x, y, g, from, vend, scale, delta);
        if (!Double.isFinite(v)) {
            v = SCALAR.huber(x, y, g, from, vend, scale, delta);
        }
        return vend == to ? v : v + SCALAR.huber(x, y, g, vend, to, scale, delta);
    }

    @Override
    public double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya,
            float yb) {
        int vend = from + (to - from) / L * L;
        double v = g == null ? VectorElementwise.bceValue(x, y, from, vend, ya, yb)
                : VectorElementwise.bceGrad(x, y, g, from, vend, scale, ya, yb);
        // INVALID_TARGET (−∞) is no sum of valid terms (see FloatKernels): it stays
        if (!Double.isFinite(v) && v != INVALID_TARGET) {
            v = SCALAR.bceWithLogits(x, y, g, from, vend, scale, ya, yb);
        }
        double t = vend == to ? 0 : SCALAR.bceWithLogits(x, y, g, vend, to, scale, ya, yb);
        return v == INVALID_TARGET || t == INVALID_TARGET ? INVALID_TARGET : v + t;
    }

    @Override
    public double focal(float[] x, float[] y, float[] g, int from, int to, float scale, float a0, float da,
            double gamma) {
        int power = (int) gamma;
        if (power != gamma || power > FOCAL_MAX_POWER) {
            return SCALAR.focal(x, y, g, from, to, scale, a0, da, gamma);
        }
        int vend = from + (to - from) / L * L;
        double v = VectorElementwise.focal(x, y, g, from, vend, scale, a0, da, power);
        if (!Double.isFinite(v)) {
            v = SCALAR.focal(x, y, g, from, vend, scale, a0, da, gamma);
        }
        return vend == to ? v : v + SCALAR.focal(x, y, g, vend, to, scale, a0, da, gamma);
    }

    @Override
    public double crossEntropy(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo, float scale,
            double keep, double uni, long ignore) {
        return c < VectorCrossEntropy.LANE_ROWS_BELOW
                ? VectorCrossEntropy.lanes(x, labels, g, c, rowFrom, rowTo, scale, keep, uni, ignore)
                : VectorCrossEntropy.rows(x, labels, g, c, rowFrom, rowTo, scale, keep, uni, ignore);
    }

    @Override
    public boolean regionSums(float[] x, float[] y, int from, int to, boolean squares, double[] acc, int at) {
        return squares ? VectorRegion.squares(x, y, from, to, acc, at) : VectorRegion.plain(x, y, from, to, acc, at);
    }

    @Override
    public void regionGradient(float[] x, float[] y, float[] out, int from, int to, float a, float b, float c) {
        VectorRegion.gradient(x, y, out, from, to, a, b, c);
    }
}
