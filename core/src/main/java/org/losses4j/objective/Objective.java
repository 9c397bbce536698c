package org.losses4j.objective;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.regularization.UncertaintyWeighting;

/**
 * A training objective composed of weighted loss terms: the regularised risk
 * {@code J(θ) = mean loss + λ·Ω(θ)} and weighted multi-task sums
 * {@code J = Σ_k w_k·L_k}, where each weight is either fixed or learned by uncertainty
 * weighting ({@code exp(−s_k)·L_k + s_k}, Kendall et al. 2018; see {@link Weighting}).
 *
 * <p>Each term is a name, a {@link Loss} and a {@link Weighting}. An evaluation takes one
 * {@link Inputs} per term (by term name) and, when some terms are uncertainty-weighted, their
 * log-variances {@code s} as a tensor {@code [M]} in the order of {@link #learnedTerms()}. It
 * returns an {@link ObjectiveResult}: the total, each part's own loss value, weight and
 * contribution, each part's gradients with respect to that part's inputs already multiplied
 * by the part's weight {@code ∂J/∂L_k} (the fixed weight, or {@code exp(−s_k)}), and
 * {@code ∂J/∂s}. The uncertainty terms are evaluated by the catalog loss
 * {@code uncertainty_weighting} itself.
 *
 * <p>Each term must reduce to a scalar: a loss built with reduction {@code none} is refused
 * (a term contributes one number). Gradients go into the gradient buffers registered on a
 * term's {@link Inputs} when given (they receive the weighted gradient). When two terms share
 * a parameter tensor, the caller adds their gradients. An objective is immutable and
 * thread-safe.
 *
 * <p>A ridge-regularised regression and a two-task objective with learned weights:
 * <pre>{@code
 * import java.util.Map;
 * import org.losses4j.*;
 * import org.losses4j.objective.*;
 * import org.losses4j.regularization.L2;
 *
 * double[] w = {0.5, -1.0};                       // model parameters
 * double[] pred = {1.0, 2.0, 2.5}, y = {1.5, 2.0, 2.0};
 * Objective ridge = Objective.regularized(Losses.create("mse"), L2.builder().build(), 0.01);
 * ObjectiveResult r = ridge.compute(Map.of(
 *         Objective.LOSS, Inputs.of(Tensor.vector(pred), Tensor.vector(y)),
 *         Objective.PENALTY, Inputs.of("weights", Tensor.vector(w))));
 * r.value();                                      // 1/6 + 0.01·1.25 = 0.1791666...
 * r.grad(Objective.PENALTY, "weights").f64();     // 0.01·2w = {0.01, -0.02}
 *
 * Objective multi = Objective.builder()
 *         .term("depth", Losses.create("huber"), Weighting.uncertainty())
 *         .term("segmentation", Losses.create("mse"), Weighting.uncertainty())
 *         .term("decay", L2.builder().build(), 1e-4)
 *         .build();
 * ObjectiveResult m = multi.compute(Map.of(
 *         "depth", Inputs.of(Tensor.vector(pred), Tensor.vector(y)),
 *         "segmentation", Inputs.of(Tensor.vector(pred), Tensor.vector(y)),
 *         "decay", Inputs.of("weights", Tensor.vector(w))),
 *         Tensor.vector(new double[] {0.0, 0.5}));   // s for depth, segmentation
 * m.part("segmentation").weight();                // exp(−0.5)
 * m.logVarsGrad().f64();                          // {1 − L_depth, 1 − exp(−0.5)·L_segmentation}
 * }</pre>
 */
public final class Objective {
    /** The data-loss term's name in {@link #regularized}. */
    public static final String LOSS = "loss";
    /** The penalty term's name in {@link #regularized}. */
    public static final String PENALTY = "penalty";

    /** One term: a name, a loss and its weighting. */
    public static final class Term {
        private final String name;
        private final Loss loss;
        private final Weighting weighting;

        Term(String name, Loss loss, Weighting weighting) {
            this.name = name;
            this.loss = loss;
            this.weighting = weighting;
        }

        public String name() {
            return name;
        }

        public Loss loss() {
            return loss;
        }

        public Weighting weighting() {
            return weighting;
        }

        @Override
        public String toString() {
            return name + " = " + loss + " × " + weighting;
        }
    }

    /** Collects terms in order; {@link #build()} validates and freezes them. */
    public static final class Builder {
        private final List<Term> terms = new ArrayList<>();

        private Builder() {
        }

        /** Adds a term with a fixed weight. */
        public Builder term(String name, Loss loss, double weight) {
            return term(name, loss, Weighting.fixed(weight));
        }

        /** Adds a term with weight 1. */
        public Builder term(String name, Loss loss) {
            return term(name, loss, Weighting.fixed(1.0));
        }

        /** Adds a term with the given weighting (fixed or uncertainty). */
        public Builder term(String name, Loss loss, Weighting weighting) {
            if (name == null || name.isBlank()) {
                throw new LossException(ErrorKind.INVALID_OPTION, "an objective term needs a non-empty name");
            }
            for (Term t : terms) {
                if (t.name.equals(name)) {
                    throw new LossException(ErrorKind.INVALID_OPTION, "objective term '" + name + "' added twice");
                }
            }
            if (loss == null) {
                throw new LossException(ErrorKind.INVALID_OPTION, "objective term '" + name + "' has no loss");
            }
            if (weighting == null) {
                throw new LossException(ErrorKind.INVALID_OPTION, "objective term '" + name + "' has no weighting");
            }
            if (loss.options().reduction() == Reduction.NONE) {
                throw new LossException(ErrorKind.INVALID_OPTION, "objective term '" + name + "' (" + loss.name()
                        + ") uses reduction none; a term must reduce to one number (use mean or sum)");
            }
            terms.add(new Term(name, loss, weighting));
            return this;
        }

        /** The immutable objective (at least one term). */
        public Objective build() {
            if (terms.isEmpty()) {
                throw new LossException(ErrorKind.INVALID_OPTION, "an objective needs at least one term");
            }
            return new Objective(terms);
        }
    }

    private final List<Term> terms;
    private final List<String> learned;
    private final Loss uncertainty = UncertaintyWeighting.builder().build();

    private Objective(List<Term> terms) {
        this.terms = List.copyOf(terms);
        List<String> l = new ArrayList<>();
        for (Term t : terms) {
            if (t.weighting.isLearned()) {
                l.add(t.name);
            }
        }
        this.learned = Collections.unmodifiableList(l);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The regularised risk {@code J(θ) = L + λ·Ω(θ)}: term {@link #LOSS} is {@code loss} with
     * weight 1 (its own reduction, usually mean, applies) and term {@link #PENALTY} is
     * {@code penalty} (e.g. l1, l2, elastic_net on the parameters) with weight λ.
     */
    public static Objective regularized(Loss loss, Loss penalty, double lambda) {
        return builder().term(LOSS, loss, 1.0).term(PENALTY, penalty, lambda).build();
    }

    /** The terms, in order. */
    public List<Term> terms() {
        return terms;
    }

    /** The names of the uncertainty-weighted terms: the order of the {@code logVars} entries. */
    public List<String> learnedTerms() {
        return learned;
    }

    /** The total, parts and weighted gradients of an objective without uncertainty-weighted terms. */
    public ObjectiveResult compute(Map<String, Inputs> inputs) {
        return run(inputs, null, true);
    }

    /**
     * The total, parts, weighted gradients and {@code ∂J/∂s}; {@code logVars} is {@code [M]}
     * with one log-variance per uncertainty-weighted term (null when there are none).
     */
    public ObjectiveResult compute(Map<String, Inputs> inputs, Tensor logVars) {
        return run(inputs, logVars, true);
    }

    /** The total and parts only (no gradient is computed). */
    public ObjectiveResult value(Map<String, Inputs> inputs) {
        return run(inputs, null, false);
    }

    /** The total and parts only, with log-variances for the uncertainty-weighted terms. */
    public ObjectiveResult value(Map<String, Inputs> inputs, Tensor logVars) {
        return run(inputs, logVars, false);
    }

    private ObjectiveResult run(Map<String, Inputs> inputs, Tensor logVars, boolean grad) {
        checkInputs(inputs);
        double[] s = checkLogVars(logVars);
        double[] sGrad = grad && s != null ? new double[s.length] : null;
        List<ObjectiveResult.Part> parts = new ArrayList<>(terms.size());
        double total = 0;
        int j = 0;
        for (Term t : terms) {
            LossResult r;
            try {
                r = grad ? t.loss.compute(inputs.get(t.name)) : t.loss.value(inputs.get(t.name));
            } catch (LossException e) {
                throw new LossException(e.kind(), "objective term '" + t.name + "' (" + t.loss.name() + "): "
                        + e.getMessage());
            }
            double l = r.value();
            double weight;
            double value;
            double logVar = Double.NaN;
            if (t.weighting.isLearned()) {
                // this term's share of uncertainty_weighting: exp(−s)·L + s, ∂/∂L = exp(−s), ∂/∂s
                logVar = s[j];
                LossResult u = uncertainty.compute(Inputs.of("losses", Tensor.vector(new double[] {l}))
                        .with("log_vars", Tensor.vector(new double[] {logVar})));
                value = u.value();
                weight = u.grad("losses").f64()[0];
                if (sGrad != null) {
                    sGrad[j] = u.grad("log_vars").f64()[0];
                }
                j++;
            } else {
                weight = t.weighting.fixedWeight();
                value = weight * l;
            }
            Map<String, Tensor> g = new LinkedHashMap<>(r.grads());
            if (weight != 1.0) {
                for (Tensor gt : g.values()) {
                    scaleInPlace(gt, weight);
                }
            }
            parts.add(new ObjectiveResult.Part(t.name, l, weight, value, t.weighting.isLearned(), logVar, g));
            total += value;
        }
        Tensor sg = null;
        if (sGrad != null) {
            sg = Tensor.of(sGrad, logVars.shape());
            if (logVars.dtype() == DType.FLOAT32) {
                sg = sg.asFloat32();
            }
        }
        return new ObjectiveResult(total, parts, sg);
    }

    private void checkInputs(Map<String, Inputs> inputs) {
        if (inputs == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "objective needs the inputs of its terms "
                    + names());
        }
        for (String k : inputs.keySet()) {
            if (!hasTerm(k)) {
                throw new LossException(ErrorKind.MISSING_INPUT, "objective has no term '" + k + "' (terms: "
                        + names() + ")");
            }
        }
        for (Term t : terms) {
            if (inputs.get(t.name) == null) {
                throw new LossException(ErrorKind.MISSING_INPUT, "objective term '" + t.name + "' ("
                        + t.loss.name() + ") has no inputs");
            }
        }
    }

    private double[] checkLogVars(Tensor logVars) {
        int m = learned.size();
        if (logVars == null) {
            if (m > 0) {
                throw new LossException(ErrorKind.MISSING_INPUT, "objective has " + m
                        + " uncertainty-weighted term(s) " + learned + " and needs their log-variances: a tensor ["
                        + m + "]");
            }
            return null;
        }
        if (m == 0) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "log-variances " + logVars.shapeString()
                    + " given, but the objective has no uncertainty-weighted term");
        }
        if (logVars.dtype() == DType.INT64) {
            throw new LossException(ErrorKind.INVALID_DTYPE, "log-variances must be float32 or float64, got int64");
        }
        if (logVars.rank() != 1 || logVars.dim(0) != m) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "log-variances shape " + logVars.shapeString()
                    + " != [" + m + "] (one per uncertainty-weighted term " + learned + ")");
        }
        return logVars.toDoubleArray();
    }

    private boolean hasTerm(String name) {
        for (Term t : terms) {
            if (t.name.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private String names() {
        List<String> n = new ArrayList<>();
        for (Term t : terms) {
            n.add(t.name);
        }
        return String.join(", ", n);
    }

    private static void scaleInPlace(Tensor t, double f) {
        switch (t.dtype()) {
            case FLOAT64: {
                double[] a = t.f64();
                for (int i = 0; i < a.length; i++) {
                    a[i] *= f;
                }
                break;
            }
            case FLOAT32: {
                float[] a = t.f32();
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (a[i] * f);
                }
                break;
            }
            default:
                break;
        }
    }

    @Override
    public String toString() {
        return "Objective" + terms;
    }
}
