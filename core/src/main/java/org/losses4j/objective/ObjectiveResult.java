package org.losses4j.objective;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.Tensor;

/**
 * What an {@link Objective} returns: the total, each part (term) with its raw loss value,
 * its effective weight, its contribution to the total and its gradients (already multiplied
 * by the weight), and for uncertainty-weighted terms the gradient with respect to their
 * log-variances. Immutable (the gradient tensors are the arrays the losses wrote).
 */
public final class ObjectiveResult {
    /** One term of the objective, evaluated. */
    public static final class Part {
        private final String name;
        private final double loss;
        private final double weight;
        private final double value;
        private final boolean learned;
        private final double logVar;
        private final Map<String, Tensor> grads;

        Part(String name, double loss, double weight, double value, boolean learned, double logVar,
                Map<String, Tensor> grads) {
            this.name = name;
            this.loss = loss;
            this.weight = weight;
            this.value = value;
            this.learned = learned;
            this.logVar = logVar;
            this.grads = Collections.unmodifiableMap(new LinkedHashMap<>(grads));
        }

        /** The term's name. */
        public String name() {
            return name;
        }

        /** The term's own (unweighted) loss value {@code L_k}. */
        public double loss() {
            return loss;
        }

        /**
         * The effective weight {@code ∂J/∂L_k}: the fixed weight, or {@code exp(−s_k)} for an
         * uncertainty-weighted term.
         */
        public double weight() {
            return weight;
        }

        /** The term's contribution to the total: {@code w·L_k}, or {@code exp(−s_k)·L_k + s_k}. */
        public double value() {
            return value;
        }

        /** True when the term is uncertainty-weighted. */
        public boolean learned() {
            return learned;
        }

        /** The term's log-variance {@code s_k}; NaN for a fixed-weight term. */
        public double logVar() {
            return logVar;
        }

        /**
         * The gradient of the total with respect to the named input of this term (the loss's
         * gradient times {@link #weight()}); null for a value-only evaluation (no gradients),
         * and as {@link org.losses4j.LossResult#grad(String)} a name without a gradient is
         * refused ({@link ErrorKind#NO_GRADIENT}), naming the gradients there are.
         */
        public Tensor grad(String input) {
            Tensor t = grads.get(input);
            if (t == null && !grads.isEmpty()) {
                throw new LossException(ErrorKind.NO_GRADIENT, "term " + name + " has no gradient for '" + input
                        + "' (gradients: " + String.join(", ", grads.keySet()) + ")");
            }
            return t;
        }

        /** Every gradient of this term, by input name (empty for a value-only evaluation). */
        public Map<String, Tensor> grads() {
            return grads;
        }

        @Override
        public String toString() {
            return name + ": " + value + " (loss " + loss + ", weight " + weight + ")";
        }
    }

    private final double value;
    private final Map<String, Part> parts;
    private final Tensor logVarsGrad;

    ObjectiveResult(double value, List<Part> parts, Tensor logVarsGrad) {
        this.value = value;
        Map<String, Part> m = new LinkedHashMap<>();
        for (Part p : parts) {
            m.put(p.name(), p);
        }
        this.parts = Collections.unmodifiableMap(m);
        this.logVarsGrad = logVarsGrad;
    }

    /** The total {@code J = Σ_k part_k.value()}. */
    public double value() {
        return value;
    }

    /** The named part; refused when the objective has no such term. */
    public Part part(String name) {
        Part p = parts.get(name);
        if (p == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "objective has no term '" + name + "' (terms: "
                    + String.join(", ", parts.keySet()) + ")");
        }
        return p;
    }

    /** Every part, by term name, in the order the terms were added. */
    public Map<String, Part> parts() {
        return parts;
    }

    /** Shorthand for {@code part(term).grad(input)}. */
    public Tensor grad(String term, String input) {
        return part(term).grad(input);
    }

    /**
     * {@code ∂J/∂s_k = 1 − exp(−s_k)·L_k} for the uncertainty-weighted terms, in the order of
     * {@link Objective#learnedTerms()}, in the dtype of the given log-variances; null when the
     * objective has none or the gradient was not computed.
     */
    public Tensor logVarsGrad() {
        return logVarsGrad;
    }

    @Override
    public String toString() {
        return "ObjectiveResult(" + value + ", " + parts.values() + ")";
    }
}
