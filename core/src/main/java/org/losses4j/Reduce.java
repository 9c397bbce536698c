package org.losses4j;

/**
 * The one place where a reduction becomes a number: given the {@link Reduction} and what
 * {@code mean} divides by, it gives the factor that scales both the value and the gradient,
 * and assembles the result. Losses compute {@code gradScale()} before their kernel, multiply
 * every gradient contribution by it, and hand their term sum (or terms) to {@link #finish},
 * so the value and its gradient cannot disagree.
 */
public final class Reduce {
    private final Reduction reduction;
    private final double scale;
    private final double divisor;

    private Reduce(Reduction reduction, double scale, double divisor) {
        this.reduction = reduction;
        this.scale = scale;
        this.divisor = divisor;
    }

    /**
     * @param divisor what {@code mean} divides by (number of terms, Σ class weights ...)
     * @param batch   what {@code batchmean} divides by (the batch size N)
     */
    public static Reduce of(Reduction r, double divisor, double batch) {
        switch (r) {
            case MEAN:
                return new Reduce(r, 1.0 / divisor, divisor);
            case BATCHMEAN:
                return new Reduce(r, 1.0 / batch, batch);
            default:
                return new Reduce(r, 1.0, divisor);
        }
    }

    /** {@link #of(Reduction, double, double)} where batchmean is not offered. */
    public static Reduce of(Reduction r, double divisor) {
        return of(r, divisor, divisor);
    }

    /**
     * A weighted mean computed with scaled weights: {@code mean} multiplies by
     * {@code 1 / computedDivisor} (Σ of the weights as the kernel uses them), while
     * {@link #divisor()} reports {@code divisor} (Σ of the caller's weights). Other reductions
     * are those of {@link #of(Reduction, double)}.
     */
    public static Reduce weightedMean(Reduction r, double divisor, double computedDivisor) {
        return r == Reduction.MEAN ? new Reduce(r, 1.0 / computedDivisor, divisor) : of(r, divisor);
    }

    /** What {@code mean} divides by for this call (batch size for {@code batchmean}). */
    public double divisor() {
        return divisor;
    }

    /** The factor applied to each term's gradient (and to the summed value). */
    public double gradScale() {
        return scale;
    }

    public Reduction reduction() {
        return reduction;
    }

    public boolean unreduced() {
        return reduction == Reduction.NONE;
    }

    /** The result from a term sum (reductions other than {@code none}). */
    public LossResult finish(double sum, Grads g) {
        return LossResult.scalar(sum * scale, g == null ? null : g.map()).withDivisor(divisor);
    }

    /**
     * An array for {@code n} per-sample terms, zero-filled: a new one for reduction {@code none}
     * (it becomes the result), else scratch from {@code ws} (only its sum is kept).
     */
    public double[] terms(Workspace ws, int n) {
        return reduction == Reduction.NONE ? new double[n] : ws.doubles(n);
    }

    /**
     * The result from the terms: the scaled sum of the first (product of {@code shape}) of them,
     * or for {@code none} the terms in {@code shape}.
     */
    public LossResult finish(double[] terms, int[] shape, Grads g) {
        int count = 1;
        for (int d : shape) {
            count *= d;
        }
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += terms[i];
        }
        if (reduction == Reduction.NONE) {
            return LossResult.unreduced(Tensor.of(terms, shape), s, g == null ? null : g.map()).withDivisor(divisor);
        }
        return finish(s, g);
    }
}
