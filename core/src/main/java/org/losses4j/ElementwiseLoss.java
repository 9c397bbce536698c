package org.losses4j;

import org.losses4j.kernels.FloatKernels;
import org.losses4j.kernels.Kernels;
import org.losses4j.kernels.Parallel;

/**
 * Base of the losses with one term per element of {@code input} and {@code target} (same
 * shape), such as mse, huber, bce_with_logits or hinge. A subclass writes only the
 * mathematics of one term: {@link #terms(Block)} fills the term and its derivative for a
 * block of elements, {@link #secondDerivative(Block)} the second derivative. This driver
 * does everything else, once for all of them: validation, float32/float64 loading,
 * per-element {@code weight}, the reduction and its gradient scale, the unreduced output,
 * caller-provided buffers, and an optional outer function (rmse = sqrt of the mean).
 *
 * <p>Kernels are called once per block of {@value #BLOCK} elements, so the per-element loop
 * lives in each loss's own class and stays monomorphic however many losses a program uses.
 * Sums are accumulated in float64 in a fixed order, so results do not depend on threads.
 *
 * <p>A loss may also offer a fused float32 kernel ({@link #fusedFloat32()}): value and
 * gradient in one pass straight over the caller's float arrays, on the active
 * {@link Kernels} path (scalar or Vector API), over fixed chunks that run on
 * {@link Parallel#threads()} threads with bit-identical results.
 */
public abstract class ElementwiseLoss extends AbstractLoss implements DiagonalHessian {
    /** Elements per kernel call. */
    public static final int BLOCK = 512;

    /** How an auxiliary input maps onto the elements of {@code input}. */
    protected enum AuxShape {
        /** One value per element (same shape as input). */
        FULL,
        /** One value per position of the last dimension (e.g. pos_weight [C]). */
        LAST_DIM,
        /** One value per row: input's shape with last dimension 1 (e.g. a per-sample variance). */
        ROW
    }

    /**
     * Scratch arrays for one block. Kernels read {@code x}, {@code y} (and {@code aux}) for
     * {@code k < n} and write {@code term}, {@code dx} (and {@code daux}, {@code dxx}).
     */
    protected static final class Block {
        public final double[] x = new double[BLOCK];
        public final double[] y = new double[BLOCK];
        public final double[] aux = new double[BLOCK];
        public final double[] term = new double[BLOCK];
        public final double[] dx = new double[BLOCK];
        public final double[] dxx = new double[BLOCK];
        public final double[] daux = new double[BLOCK];
        final double[] w = new double[BLOCK];
        public int n;
        /** True when the caller gave the aux input (an optional aux such as pos_weight may be absent). */
        public boolean hasAux;

        /** Made by the driver only, one per thread (a kernel reads and writes it, never creates one). */
        private Block() {
        }
    }

    protected ElementwiseLoss(LossInfo info, Options options) {
        super(info, options);
    }

    /** Writes {@code term[k]} and {@code dx[k]} (and {@code daux[k]} when the loss differentiates its aux input). */
    protected abstract void terms(Block b);

    /** Writes {@code dxx[k]}, the second derivative of {@code term[k]} with respect to x[k]. */
    protected abstract void secondDerivative(Block b);

    /**
     * A fused float32 kernel of one loss: over the elements {@code [from, to)} it returns the
     * sum of the terms (accumulated in float64, see {@link FloatKernels}) and, when {@code g} is
     * not null, writes {@code g[i] = scale · ∂term/∂x[i]}, all in one pass, allocating nothing.
     * It is called once per chunk of {@link Parallel#CHUNK} elements, possibly from several
     * threads at once (on disjoint ranges), so it must not keep state.
     */
    @FunctionalInterface
    protected interface FusedKernel {
        double run(float[] x, float[] y, float[] g, int from, int to, float scale);
    }

    /**
     * The loss's fused float32 kernel, or null (the default) to always use {@link #terms(Block)}.
     * The driver uses it for float32 input and target with no weight, no aux input, no outer
     * function, a reduction other than {@code none} and no Hessian; everything else (and every
     * float64 call) goes through {@link #terms(Block)}, which stays the definition. Return a
     * kernel built once (a final field), typically a lambda calling one method of
     * {@link Kernels#floats()} with the loss's options as float constants.
     */
    protected FusedKernel fusedFloat32() {
        return null;
    }

    /**
     * True when the kernel of {@link #fusedFloat32()} also makes {@link #validate}'s checks, in
     * its single pass over the data: the driver then skips the separate validation pass before a
     * fused call (on large inputs that pass costs about as much memory traffic as the kernel).
     * Such a kernel throws {@link InvalidInput} on meeting a value validate refuses; the driver
     * then calls validate, which throws the refusal, with the same message as without the fused
     * path (gradient already written into a caller's buffer stays there). Default: false.
     */
    protected boolean fusedKernelValidates() {
        return false;
    }

    /** Thrown by a validating fused kernel ({@link #fusedKernelValidates()}) on a value validate refuses. */
    protected static final class InvalidInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidInput() {
            super(null, null, false, false);
        }
    }

    /** Domain checks beyond shapes (probabilities in [0, 1], labels ±1 ...). Default: none. */
    protected void validate(Tensor input, Tensor target) {
    }

    /** The name of an auxiliary per-element input (e.g. {@code var}), or null. */
    protected String auxName() {
        return null;
    }

    /** Validates the aux input's shape against input's and says how it broadcasts. */
    protected AuxShape auxShape(Tensor input, Tensor aux) {
        Check.sameShape("input", input, auxName(), aux);
        return AuxShape.FULL;
    }

    /** True when the gradient with respect to the aux input is returned. */
    protected boolean auxDifferentiable() {
        return false;
    }

    /** True for "always a scalar" losses of the form f(mean term) (rmse, rmsle). */
    protected boolean hasOuter() {
        return false;
    }

    /** f(m) for an outer function of the mean. */
    protected double outer(double mean) {
        return mean;
    }

    /** f'(m). */
    protected double outerDerivative(double mean) {
        return 1;
    }

    /** f''(m). */
    protected double outerSecondDerivative(double mean) {
        return 0;
    }

    /** Float32 data is computed natively: the blocks load it, the fused kernel runs on it. */
    @Override
    protected final boolean computesFloat32(Inputs in) {
        return true;
    }

    @Override
    protected final LossResult evaluate(LossCall c) {
        return drive(c);
    }

    /**
     * Value, gradient and the diagonal Hessian (second derivative of the reduced loss with
     * respect to each input element), for gradient boosting.
     */
    @Override
    public LossResult computeWithHessian(Inputs in) {
        return runWithHessian(in);
    }

    /** The reduced value on float64 arrays (no gradient). */
    public double value(double[] input, double[] target) {
        return value(Inputs.of(Tensor.vector(input), Tensor.vector(target))).value();
    }

    /** The reduced value, with the gradient written into {@code gradOut} (same length; no allocation for it). */
    public double valueAndGrad(double[] input, double[] target, double[] gradOut) {
        return compute(Inputs.of(Tensor.vector(input), Tensor.vector(target)).gradInto("input", Tensor.vector(gradOut))).value();
    }

    /** The reduced value, with the gradient written into {@code gradOut}, computed on float32 data. */
    public double valueAndGrad(float[] input, float[] target, float[] gradOut) {
        return compute(Inputs.of(Tensor.vector(input), Tensor.vector(target)).gradInto("input", Tensor.vector(gradOut))).value();
    }

    private LossResult drive(LossCall c) {
        DType dt = c.precision();
        boolean hess = c.wantsHessian();
        Tensor x = c.require("input");
        Tensor y = c.require("target");
        Check.sameShape("input", x, "target", y);
        Tensor w = c.input("weight");
        if (w != null) {
            Check.sameShape("input", x, "weight", w);
        }
        Tensor aux = auxName() == null ? null : c.input(auxName());
        AuxShape mode = aux == null ? null : auxShape(x, aux);
        boolean none = !hasOuter() && c.unreduced();
        FusedKernel fk = !hess && dt == DType.FLOAT32 && y.dtype() == DType.FLOAT32 && w == null && aux == null
                && !hasOuter() && !none ? fusedFloat32() : null;
        if (fk == null || !fusedKernelValidates()) {
            validate(x, y);
        }
        int n = x.size();
        // an outer function (rmse) is of the mean: such a loss has no reduction option, so the call's is mean
        double scale = c.reduce(n);
        Tensor gOut = c.gradientTensor("input", x);
        Tensor hOut = hess ? Tensor.zeros(dt, x.shape()) : null;
        Tensor aOut = aux != null && auxDifferentiable() ? c.gradientTensor(auxName(), aux) : null;
        if (aOut != null) {
            fill0(aOut);
        }
        if (fk != null) {
            try {
                float[] g = gOut == null ? null : gOut.f32();
                float[] xs = x.f32();
                float[] ys = y.f32();
                float fs = (float) scale;
                double sum = Parallel.sumChunks(n, (from, to) -> fk.run(xs, ys, g, from, to, fs));
                return c.finish(sum);
            } catch (InvalidInput e) {
                validate(x, y);
                throw new IllegalStateException(info().name()
                        + ": the fused kernel refused an input that validate accepts", e);
            }
        }
        // the block is per-thread scratch (a call allocates none): state of the call, not of the loss
        Block b = c.scratch().object(Block.class, Block::new);
        Tensor tOut = none ? Tensor.zeros(dt, x.shape()) : null;
        double sum = blocks(b, x, y, w, aux, mode, n, scale, tOut, gOut, hOut, aOut);
        if (hOut != null) {
            c.hessian(hOut);
        }
        if (hasOuter()) {
            double m = sum * scale;
            double f1 = outerDerivative(m);
            if (hOut != null) {
                applyOuterHessian(hOut, gOut, f1, outerSecondDerivative(m));
            }
            if (gOut != null) {
                scaleInPlace(gOut, f1);
            }
            if (aOut != null) {
                scaleInPlace(aOut, f1);
            }
            return c.finishValue(outer(m));
        }
        return none ? c.finishTerms(tOut, sum) : c.finish(sum);
    }

    /** The block loop: every term, its scaled derivatives into the outputs given; returns the sum of the terms. */
    private double blocks(Block b, Tensor x, Tensor y, Tensor w, Tensor aux, AuxShape mode, int n,
            double scale, Tensor tOut, Tensor gOut, Tensor hOut, Tensor aOut) {
        int last = x.rank() == 0 ? 1 : x.dim(-1);
        b.hasAux = aux != null;
        if (aux != null) {
            java.util.Arrays.fill(b.daux, 0.0);
        }
        if (hOut != null) {
            java.util.Arrays.fill(b.dxx, 0.0);
        }
        double sum = 0;
        for (int off = 0; off < n; off += BLOCK) {
            int len = Math.min(BLOCK, n - off);
            b.n = len;
            load(x, off, b.x, len);
            load(y, off, b.y, len);
            if (aux != null) {
                loadAux(aux, mode, last, off, b.aux, len);
            }
            terms(b);
            if (hOut != null) {
                secondDerivative(b);
            }
            if (w != null) {
                load(w, off, b.w, len);
                for (int k = 0; k < len; k++) {
                    double wk = b.w[k];
                    b.term[k] *= wk;
                    b.dx[k] *= wk;
                    b.dxx[k] *= wk;
                    b.daux[k] *= wk;
                }
            }
            double s = 0;
            for (int k = 0; k < len; k++) {
                s += b.term[k];
            }
            sum += s;
            if (tOut != null) {
                store(b.term, 1.0, tOut, off, len);
            }
            if (gOut != null) {
                store(b.dx, scale, gOut, off, len);
            }
            if (hOut != null) {
                store(b.dxx, scale, hOut, off, len);
            }
            if (aOut != null) {
                accumulateAux(b.daux, scale, aOut, mode, last, off, len);
            }
        }
        return sum;
    }

    private static void load(Tensor t, int off, double[] dst, int n) {
        if (t.dtype() == DType.FLOAT64) {
            System.arraycopy(t.f64(), off, dst, 0, n);
        } else {
            float[] a = t.f32();
            for (int k = 0; k < n; k++) {
                dst[k] = a[off + k];
            }
        }
    }

    private static void loadAux(Tensor t, AuxShape mode, int last, int off, double[] dst, int n) {
        if (mode == AuxShape.FULL) {
            load(t, off, dst, n);
            return;
        }
        for (int k = 0; k < n; k++) {
            int i = off + k;
            dst[k] = t.getDouble(mode == AuxShape.LAST_DIM ? i % last : i / last);
        }
    }

    private static void store(double[] src, double scale, Tensor t, int off, int n) {
        if (t.dtype() == DType.FLOAT64) {
            double[] a = t.f64();
            for (int k = 0; k < n; k++) {
                a[off + k] = src[k] * scale;
            }
        } else {
            float[] a = t.f32();
            for (int k = 0; k < n; k++) {
                a[off + k] = (float) (src[k] * scale);
            }
        }
    }

    private static void accumulateAux(double[] src, double scale, Tensor t, AuxShape mode, int last, int off, int n) {
        boolean f64 = t.dtype() == DType.FLOAT64;
        for (int k = 0; k < n; k++) {
            int i = off + k;
            int j = mode == AuxShape.FULL ? i : mode == AuxShape.LAST_DIM ? i % last : i / last;
            double v = src[k] * scale;
            if (f64) {
                t.f64()[j] += v;
            } else {
                t.f32()[j] += (float) v;
            }
        }
    }

    private static void fill0(Tensor t) {
        if (t.dtype() == DType.FLOAT64) {
            java.util.Arrays.fill(t.f64(), 0.0);
        } else {
            java.util.Arrays.fill(t.f32(), 0f);
        }
    }

    private static void scaleInPlace(Tensor t, double f) {
        for (int i = 0, n = t.size(); i < n; i++) {
            if (t.dtype() == DType.FLOAT64) {
                t.f64()[i] *= f;
            } else {
                t.f32()[i] = (float) (t.f32()[i] * f);
            }
        }
    }

    /** Hessian of f(mean): f'·h_i + f''·g_i², with g_i, h_i already divided by n. */
    private static void applyOuterHessian(Tensor h, Tensor g, double f1, double f2) {
        for (int i = 0, n = h.size(); i < n; i++) {
            double gi = g.getDouble(i);
            double v = f1 * h.getDouble(i) + f2 * gi * gi;
            if (h.dtype() == DType.FLOAT64) {
                h.f64()[i] = v;
            } else {
                h.f32()[i] = (float) v;
            }
        }
    }
}
