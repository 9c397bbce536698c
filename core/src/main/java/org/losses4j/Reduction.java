package org.losses4j;

/**
 * How the per-term losses are combined. Each loss documents what {@link #MEAN} divides by;
 * the value and the gradient are scaled by the same factor in one place, so they agree.
 */
public enum Reduction {
    /** The sum of the terms divided by the loss's documented divisor. */
    MEAN,
    /** The plain sum of the terms. */
    SUM,
    /** No reduction: the terms themselves, in the shape the loss documents. */
    NONE,
    /** The sum divided by the batch size N (KL divergence family). */
    BATCHMEAN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Reduction parse(String s) {
        for (Reduction r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        throw new LossException(ErrorKind.INVALID_OPTION,
                "reduction = '" + s + "' is not one of mean, sum, none, batchmean");
    }
}
