package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Asymmetric loss (ASL) for multi-label classification: a focal loss with separate focusing
 * exponents for positives and negatives, and a probability margin that discards easy negatives.
 *
 * <p>Term, with {@code p = σ(x)}: for {@code y = 1}, {@code −(1 − p)^γ₊·log(max(p, eps))}; for
 * {@code y = 0}, {@code −p_m^γ₋·log(max(1 − p_m, eps))} with the shifted probability
 * {@code p_m = max(p − clip, 0)} (0 for {@code p ≤ clip}). This is the reference implementation's
 * {@code AsymmetricLoss} with its clamps ({@code 1 − p_m} is its {@code (1 − p + clip).clamp(max=1)}).
 *
 * <p>Gradient. With {@code detach_focal_weight} (the default, the reference's default
 * {@code disable_torch_grad_focal_loss=True}) the focusing weight is held constant, as the reference
 * computes it without gradient: {@code −(1 − p)^γ₊·(1 − p)} for a positive,
 * {@code p_m^γ₋·p(1 − p)/(1 − p_m)} for a negative with {@code p > clip} (0 where a clamp at eps is
 * active) — then the gradient is not the derivative of the value. Without it, the exact derivative:
 * {@code (1 − p)^γ₊·(γ₊·p·L₊ − (1 − p))} with {@code L₊ = log(max(p, eps))} (the {@code −(1 − p)}
 * only where {@code p ≥ eps}), and {@code p_m^γ₋·p(1 − p)·(1/(1 − p_m) − γ₋·L₋/p_m)} with
 * {@code L₋ = log(max(1 − p_m, eps))} for {@code p > clip} (the {@code 1/(1 − p_m)} only where
 * {@code 1 − p_m ≥ eps}); 0 for {@code p ≤ clip}.
 *
 * <p>Numerics: {@code σ(±x)} and {@code log σ(±x)} in the stable forms, {@code log(1 − p_m)} as
 * {@code log1p(−p_m)}; NaN propagates.
 *
 * <p>Shapes: input logits and target (in {0, 1}) of the same (any) shape; {@code mean} divides by
 * the number of elements (the reference returns the sum: reduction {@code sum}).
 *
 * <p>Reference: Ridnik et al. (2021), "Asymmetric Loss For Multi-Label Classification"; its
 * implementation {@code AsymmetricLoss} (Alibaba-MIIL/ASL, src/loss_functions/losses.py), whose
 * class defaults are {@code gamma_pos=1}; the defaults here ({@code gamma_pos=0}, {@code gamma_neg=4},
 * {@code clip=0.05}) are the paper's and the reference training script's.
 */
public final class Asymmetric extends AbstractLoss {
    /**
     * {@code gamma_pos}: Focusing exponent γ₊ of the positives (y = 1): (1 − p)^γ₊ down-weights easy positives. Default
     * {@code 0.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> GAMMA_POS = OptionSpec.real("gamma_pos", 0.0,
            OptionSpec.Range.NON_NEGATIVE, "focusing exponent γ₊ of the positives (y = 1): (1 − p)^γ₊ down-weights"
                    + " easy positives");
    /**
     * {@code gamma_neg}: Focusing exponent γ₋ of the negatives (y = 0): p_m^γ₋ down-weights easy negatives. Default
     * {@code 4.0}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> GAMMA_NEG = OptionSpec.real("gamma_neg", 4.0,
            OptionSpec.Range.NON_NEGATIVE, "focusing exponent γ₋ of the negatives (y = 0): p_m^γ₋ down-weights"
                    + " easy negatives");
    /**
     * {@code clip}: Probability margin m of the negatives: p_m = max(p − m, 0), so negatives with p ≤ m cost nothing.
     * Default {@code 0.05}; allowed: in [0, 1).
     */
    public static final OptionSpec<Double> CLIP = OptionSpec.real("clip", 0.05, OptionSpec.Range.UNIT_RIGHT_OPEN,
            "probability margin m of the negatives: p_m = max(p − m, 0), so negatives with p ≤ m cost nothing");
    /**
     * {@code eps}: Floor of the probabilities inside the logs (the reference's clamp). Default {@code 1.0E-8}; allowed:
     * &gt; 0.
     */
    public static final OptionSpec<Double> EPS = OptionSpec.real("eps", 1e-8, OptionSpec.Range.POSITIVE,
            "floor of the probabilities inside the logs (the reference's clamp)");
    /**
     * {@code detach_focal_weight}: Hold the focusing weight constant in the gradient, as the reference's
     * disable_torch_grad_focal_loss (then the gradient is not the value's derivative). Default {@code true}; allowed:
     * true or false.
     */
    public static final OptionSpec<Boolean> DETACH_FOCAL_WEIGHT = OptionSpec.bool("detach_focal_weight", true,
            "hold the focusing weight constant in the gradient, as the reference's disable_torch_grad_focal_loss"
                    + " (then the gradient is not the value's derivative)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("asymmetric", Family.CLASSIFICATION)
            .summary("asymmetric loss (ASL): multi-label focal loss with separate focusing for positives and"
                    + " negatives and a margin that drops easy negatives")
            .formula("y = 1: −(1 − p)^γ₊·log max(p, eps); y = 0: −p_m^γ₋·log max(1 − p_m, eps),"
                    + " p = σ(x), p_m = max(p − clip, 0)")
            .gradInput("input", "logits, any shape")
            .input("target", "same shape as input, values in {0, 1}")
            .options(GAMMA_POS, GAMMA_NEG, CLIP, EPS, DETACH_FOCAL_WEIGHT, REDUCTION)
            .divisor("the number of elements")
            .robust(true) // bounded: the eps clamp floors a hopeless positive at −log(eps)
            .tasks("multi-label classification with many negatives per sample", "image tagging")
            .reference("Ridnik et al. 2021, Asymmetric Loss For Multi-Label Classification; Alibaba-MIIL/ASL"
                    + " AsymmetricLoss")
            .layout(LossInfo.Layout.ELEMENT)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * 3, 2), n, 3),
                    Examples.t(Examples.binary(r, n * 3, 0), n, 3)))
            .variable(LossInfo.Variable.LOGIT)
            .factory(Asymmetric::new)
            .build();

    private final double gammaPos;
    private final double gammaNeg;
    private final double clip;
    private final double eps;
    private final boolean detach;

    private Asymmetric(Options o) {
        super(INFO, o);
        this.gammaPos = o.real(GAMMA_POS);
        this.gammaNeg = o.real(GAMMA_NEG);
        this.clip = o.real(CLIP);
        this.eps = o.real(EPS);
        this.detach = o.get(DETACH_FOCAL_WEIGHT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Asymmetric}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Asymmetric, Builder> {
        private Builder() {
            super(INFO, Asymmetric.class);
        }

        /**
         * {@code gamma_pos}: Focusing exponent γ₊ of the positives (y = 1): (1 − p)^γ₊ down-weights easy
         * positives. Default {@code 0.0}; allowed: &gt;= 0.
         */
        public Builder gammaPos(double value) {
            return set(GAMMA_POS, value);
        }

        /**
         * {@code gamma_neg}: Focusing exponent γ₋ of the negatives (y = 0): p_m^γ₋ down-weights easy
         * negatives. Default {@code 4.0}; allowed: &gt;= 0.
         */
        public Builder gammaNeg(double value) {
            return set(GAMMA_NEG, value);
        }

        /**
         * {@code clip}: Probability margin m of the negatives: p_m = max(p − m, 0), so negatives with p ≤ m
         * cost nothing. Default {@code 0.05}; allowed: in [0, 1).
         */
        public Builder clip(double value) {
            return set(CLIP, value);
        }

        /**
         * {@code eps}: Floor of the probabilities inside the logs (the reference's clamp). Default {@code
         * 1.0E-8}; allowed: &gt; 0.
         */
        public Builder eps(double value) {
            return set(EPS, value);
        }

        /**
         * {@code detach_focal_weight}: Hold the focusing weight constant in the gradient, as the reference's
         * disable_torch_grad_focal_loss (then the gradient is not the value's derivative). Default {@code
         * true}; allowed: true or false.
         */
        public Builder detachFocalWeight(boolean value) {
            return set(DETACH_FOCAL_WEIGHT, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor tx = call.require("input");
        Tensor ty = call.require("target");
        Check.sameShape("input", tx, "target", ty);
        Check.oneOf("target", ty, 0, 1);
        int n = tx.size();
        double scale = call.reduce(n);
        double[] x = tx.f64();
        double[] y = ty.f64();
        double[] gx = call.gradient("input", tx);
        double[] terms = call.terms(n);
        double gp = gammaPos;
        double gn = gammaNeg;
        double m = clip;
        double logEps = Math.log(eps);
        boolean exact = !detach;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double yi = y[i];
            double term;
            double g;
            if (xi != xi || yi != yi) {
                term = xi + yi; // NaN in, NaN out
                g = term;
            } else {
                double e = Math.exp(-Math.abs(xi));
                double r = 1 / (1 + e);
                boolean nonNeg = xi >= 0;
                double p = nonNeg ? r : e * r; // σ(x)
                double pn = nonNeg ? e * r : r; // σ(−x) = 1 − p
                if (yi == 1) {
                    // (1 − p)^γ₊·(−log max(p, eps)); log p = −softplus(−x)
                    double w = Math.pow(pn, gp);
                    boolean floored = !(p >= eps);
                    double lp = floored ? logEps : -(Math.max(-xi, 0) + Math.log1p(e));
                    term = -w * lp;
                    g = floored ? 0 : -w * pn;
                    if (exact && gp != 0) {
                        g += gp * w * p * lp; // the weight's own derivative: d(1 − p)^γ/dx = −γ·(1 − p)^γ·p
                    }
                } else if (p > m) {
                    // p_m^γ₋·(−log max(1 − p_m, eps)), p_m = p − clip > 0
                    double pm = p - m;
                    double q = pn + m; // 1 − p_m
                    double w = Math.pow(pm, gn);
                    boolean floored = !(q >= eps);
                    // log(1 − p_m): log1p(−p_m) while p_m is small, log σ(−x) = −softplus(x) without a clip
                    double lq = floored ? logEps : m == 0 ? -(Math.max(xi, 0) + Math.log1p(e))
                            : pm < 0.5 ? Math.log1p(-pm) : Math.log(q);
                    term = -w * lq;
                    double dp = p * pn; // dp/dx
                    g = floored ? 0 : w * dp / q;
                    if (exact && gn != 0) {
                        g -= gn * w * (lq / pm) * dp; // d p_m^γ/dx = γ·p_m^γ·(1/p_m)·p(1 − p)
                    }
                } else {
                    term = 0; // p ≤ clip: p_m = 0 and 1 − p_m = 1, a flat zero term
                    g = 0;
                }
            }
            terms[i] = term;
            sum += term;
            if (gx != null) {
                gx[i] = scale * g;
            }
        }
        return call.finish(terms, sum, tx.shape());
    }
}
