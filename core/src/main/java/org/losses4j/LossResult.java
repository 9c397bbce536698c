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
    private final Map<String, Tensor> grads;
    private final Tensor hessian;
    private final double divisor;

    private LossResult(double value, Tensor terms, Map<String, Tensor> grads, Tensor hessian, double divisor) {
        this.value = value;
        this.terms = terms;
        this.grads = grads;
        this.hessian = hessian;
        this.divisor = divisor;
    }

    /** A reduced (scalar) result. */
    public static LossResult scalar(double value, Map<String, Tensor> grads) {
        return new LossResult(value, null, immutable(grads), null, Double.NaN);
    }

    /** An unreduced result: the terms tensor, whose sum is {@link #value()}. */
    public static LossResult unreduced(Tensor terms, double sum, Map<String, Tensor> grads) {
        return new LossResult(sum, terms, immutable(grads), null, Double.NaN);
    }

    /** A copy carrying the diagonal Hessian with respect to {@code input}. */
    public LossResult withHessian(Tensor h) {
        return new LossResult(value, terms, grads, h, divisor);
    }

    /** A copy that reports what reduction {@code mean} divides by in this call. */
    public LossResult withDivisor(double d) {
        return new LossResult(value, terms, grads, hessian, d);
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

    private static Map<String, Tensor> immutable(Map<String, Tensor> g) {
        return g == null || g.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(g));
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

    /** The gradient with respect to the named input, or null when it was not computed. */
    public Tensor grad(String input) {
        return grads.get(input);
    }

    /** The gradient with respect to {@code input} (the usual prediction input). */
    public Tensor grad() {
        return grads.get("input");
    }

    /** Every computed gradient, by input name. */
    public Map<String, Tensor> grads() {
        return grads;
    }

    /** The diagonal second derivative with respect to {@code input}, when asked for. */
    public Tensor hessian() {
        return hessian;
    }
}
