package org.losses4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a loss call returns: the value (a number for a reduced loss, a tensor of terms for
 * reduction {@code none}), and the gradients that were asked for, by input name. For reduction
 * {@code none} each gradient is that of the sum of the terms.
 */
public final class LossResult {
    private final double value;
    private final Tensor terms;
    // gradients by input name, in the order they were produced (a handful at most: kept as two
    // small arrays rather than a map, so a call allocates no map for them)
    private final String[] names;
    private final Tensor[] grads;
    private final Tensor hessian;
    private final double divisor;

    private static final String[] NO_NAMES = {};
    private static final Tensor[] NO_GRADS = {};

    private LossResult(double value, Tensor terms, String[] names, Tensor[] grads, Tensor hessian, double divisor) {
        this.value = value;
        this.terms = terms;
        this.names = names;
        this.grads = grads;
        this.hessian = hessian;
        this.divisor = divisor;
    }

    private LossResult(double value, Tensor terms, Map<String, Tensor> grads, Tensor hessian, double divisor) {
        this.value = value;
        this.terms = terms;
        int n = grads == null ? 0 : grads.size();
        this.names = n == 0 ? NO_NAMES : new String[n];
        this.grads = n == 0 ? NO_GRADS : new Tensor[n];
        int i = 0;
        if (n > 0) {
            for (Map.Entry<String, Tensor> e : grads.entrySet()) {
                names[i] = e.getKey();
                this.grads[i++] = e.getValue();
            }
        }
        this.hessian = hessian;
        this.divisor = divisor;
    }

    /**
     * A result from its parts, the gradients as parallel arrays (taken, not copied): reduced when
     * {@code terms} is null. The map-free form the drivers use.
     */
    static LossResult of(double value, Tensor terms, String[] names, Tensor[] grads, Tensor hessian, double divisor) {
        return new LossResult(value, terms, names, grads, hessian, divisor);
    }

    /** A reduced (scalar) result. */
    public static LossResult scalar(double value, Map<String, Tensor> grads) {
        return new LossResult(value, null, grads, null, Double.NaN);
    }

    /** An unreduced result: the terms tensor, whose sum is {@link #value()}. */
    public static LossResult unreduced(Tensor terms, double sum, Map<String, Tensor> grads) {
        return new LossResult(sum, terms, grads, null, Double.NaN);
    }

    /** A copy carrying the diagonal Hessian with respect to {@code input}. */
    public LossResult withHessian(Tensor h) {
        return new LossResult(value, terms, names, grads, h, divisor);
    }

    /** A copy that reports what reduction {@code mean} divides by in this call. */
    public LossResult withDivisor(double d) {
        return new LossResult(value, terms, names, grads, hessian, d);
    }

    /**
     * What reduction {@code mean} divides by for these inputs (the number of terms, Σ w_y over
     * kept targets for weighted cross-entropy, ...), whatever reduction was asked for; NaN
     * where the loss does not report it. Lets callers combine chunks: the mean of a long input
     * is Σ sum_k / Σ divisor_k over its chunks.
     */
    public double divisor() {
        return divisor;
    }


    /** The reduced value; for reduction {@code none}, the sum of the terms. */
    public double value() {
        return value;
    }

    /** True when the loss was not reduced and {@link #terms()} holds the per-term values. */
    public boolean isUnreduced() {
        return terms != null;
    }

    /** The unreduced terms (reduction {@code none}), else null. */
    public Tensor terms() {
        return terms;
    }

    /**
     * The gradient with respect to the named input. Null when no gradient was computed at all (a
     * value-only call, a loss without gradient); otherwise a name without a gradient (a typo, an
     * input the loss does not differentiate) is refused with {@link ErrorKind#NO_GRADIENT},
     * naming the gradients there are.
     */
    public Tensor grad(String input) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(input)) {
                return grads[i];
            }
        }
        if (names.length == 0) {
            return null;
        }
        throw new LossException(ErrorKind.NO_GRADIENT, "no gradient for '" + input + "' (gradients: "
                + String.join(", ", names) + ")");
    }

    /** The gradient with respect to {@code input} (the usual prediction input). */
    public Tensor grad() {
        return grad("input");
    }

    /** Every computed gradient, by input name, in the order they were produced (a read-only map). */
    public Map<String, Tensor> grads() {
        if (names.length == 0) {
            return Collections.emptyMap();
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], grads[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The diagonal second derivative with respect to {@code input}, when asked for. */
    public Tensor hessian() {
        return hessian;
    }
}
