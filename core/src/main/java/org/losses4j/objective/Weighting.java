package org.losses4j.objective;

import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * How one term of an {@link Objective} is weighted: by a {@linkplain #fixed fixed} weight
 * {@code w} (the term contributes {@code w·L}), or by a {@linkplain #uncertainty learned}
 * log-variance {@code s} (the term contributes {@code exp(−s)·L + s}, Kendall et al. 2018,
 * with the gradient with respect to {@code s} returned so that {@code s} can be trained with
 * the model). Immutable.
 */
public final class Weighting {
    private static final Weighting UNCERTAINTY = new Weighting(true, Double.NaN);
    private static final Weighting ONE = new Weighting(false, 1.0);

    private final boolean learned;
    private final double weight;

    private Weighting(boolean learned, double weight) {
        this.learned = learned;
        this.weight = weight;
    }

    /** A fixed weight {@code w} (any finite number; negative weights maximise their term). */
    public static Weighting fixed(double w) {
        if (!Double.isFinite(w)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "fixed weight = " + w + " must be a finite number");
        }
        return w == 1.0 ? ONE : new Weighting(false, w);
    }

    /**
     * Uncertainty weighting with a learned log-variance {@code s}: the term contributes
     * {@code exp(−s)·L + s}. Each such term takes the next entry of the {@code logVars}
     * tensor given to {@link Objective#compute(java.util.Map, org.losses4j.Tensor)}.
     */
    public static Weighting uncertainty() {
        return UNCERTAINTY;
    }

    /** True for uncertainty weighting (a learned log-variance). */
    public boolean isLearned() {
        return learned;
    }

    /** The fixed weight; NaN for a learned weighting. */
    public double fixedWeight() {
        return weight;
    }

    @Override
    public String toString() {
        return learned ? "uncertainty" : "fixed(" + weight + ")";
    }
}
