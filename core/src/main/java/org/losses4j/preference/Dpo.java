package org.losses4j.preference;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
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
 * Direct Preference Optimization loss, with the sigmoid (DPO), hinge (SLiC) and IPO variants
 * as in TRL.
 *
 * <p>With the implicit reward margin {@code h = (π_c − π_r) − (ref_c − ref_r)} of each pair
 * (summed log-probabilities of the chosen and rejected responses under the policy and the
 * frozen reference model), one term per pair:
 * <ul>
 * <li>{@code sigmoid} (default): {@code −(1 − ls)·log σ(βh) − ls·log σ(−βh)}, evaluated as
 * {@code (1 − ls)·softplus(−βh) + ls·softplus(βh)}: finite and exact for any βh (±1e4
 * included); {@code ls} is {@code label_smoothing}, the assumed probability that a preference
 * label is flipped (conservative DPO);</li>
 * <li>{@code hinge}: {@code max(0, 1 − βh)}, subgradient 0 at βh = 1;</li>
 * <li>{@code ipo}: {@code (h − 1/(2β))²}.</li>
 * </ul>
 * {@code label_smoothing} enters the sigmoid form only. Gradients with respect to
 * {@code policy_chosen_logps} ({@code ∂ℓ/∂h}) and {@code policy_rejected_logps}
 * ({@code −∂ℓ/∂h}); the reference log-probabilities are constants.
 *
 * <p>Shapes: the four inputs are {@code [N]}. {@code mean} divides by N; {@code none} returns
 * the N terms.
 *
 * <pre>{@code
 * Loss dpo = Dpo.builder().set(Dpo.BETA, 0.1).set(Dpo.LOSS_TYPE, "sigmoid").build();
 * LossResult r = dpo.compute(Inputs.of("policy_chosen_logps", Tensor.vector(pc))
 *         .with("policy_rejected_logps", Tensor.vector(pr))
 *         .with("reference_chosen_logps", Tensor.vector(rc))
 *         .with("reference_rejected_logps", Tensor.vector(rr)));
 * }</pre>
 *
 * <p>References: Rafailov et al. 2023 (DPO); Zhao et al. 2023 (SLiC hinge); Azar et al. 2023
 * (IPO); Mitchell 2023 (conservative DPO); Hugging Face TRL {@code DPOTrainer.dpo_loss}.
 */
public final class Dpo extends AbstractLoss {
    /**
     * {@code beta}: β: strength of the implicit KL constraint to the reference model (at most 1e15: larger values
     * overflow the weighted value or its float32 gradient). Default {@code 0.1}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 0.1, OptionSpec.Range.BOUNDED_POSITIVE,
            "β: strength of the implicit KL constraint to the reference model (at most 1e15: larger values overflow the weighted value or its float32 gradient)");
    /**
     * {@code label_smoothing}: Assumed probability that a preference label is flipped (sigmoid only). Default {@code
     * 0.0}; allowed: in [0, 1].
     */
    public static final OptionSpec<Double> LABEL_SMOOTHING = OptionSpec.real("label_smoothing", 0.0,
            OptionSpec.Range.UNIT_CLOSED, "assumed probability that a preference label is flipped (sigmoid only)");
    /**
     * {@code loss_type}: Sigmoid (DPO), hinge (SLiC) or ipo (IPO). Default {@code sigmoid}; allowed: one of sigmoid,
     * hinge, ipo.
     */
    public static final OptionSpec<String> LOSS_TYPE = OptionSpec.choice("loss_type", "sigmoid",
            "sigmoid (DPO), hinge (SLiC) or ipo (IPO)", "sigmoid", "hinge", "ipo");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("dpo", Family.PREFERENCE)
            .summary("direct preference optimisation: fits a policy to preference pairs without a reward model")
            .formula("h = (πc − πr) − (refc − refr); sigmoid: −(1 − ls)·log σ(βh) − ls·log σ(−βh);"
                    + " hinge: max(0, 1 − βh); ipo: (h − 1/(2β))²")
            .gradInput("policy_chosen_logps", "[N]: policy log-probabilities of the chosen responses")
            .gradInput("policy_rejected_logps", "[N]: policy log-probabilities of the rejected responses")
            .input("reference_chosen_logps", "[N]: reference-model log-probabilities of the chosen responses")
            .input("reference_rejected_logps", "[N]: reference-model log-probabilities of the rejected responses")
            .options(BETA, LABEL_SMOOTHING, LOSS_TYPE, REDUCTION)
            .divisor("N (the number of preference pairs)")
            .convex(true)
            .tasks("LLM alignment from preference pairs", "RLHF without a reward model")
            .reference("Rafailov et al. 2023 (DPO); Azar et al. 2023 (IPO); Hugging Face TRL")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("policy_chosen_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("policy_rejected_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("reference_chosen_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("reference_rejected_logps", Examples.t(Examples.uniform(r, n, -12, -1), n)))
            .factory(Dpo::new)
            .build();

    private static final int SIGMOID = 0, HINGE = 1, IPO = 2;

    private final double beta;
    private final double ls;
    private final int type;

    private Dpo(Options o) {
        super(INFO, o);
        this.beta = o.real(BETA);
        this.ls = o.real(LABEL_SMOOTHING);
        String t = o.get(LOSS_TYPE);
        this.type = "hinge".equals(t) ? HINGE : "ipo".equals(t) ? IPO : SIGMOID;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Dpo}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Dpo, Builder> {
        private Builder() {
            super(INFO, Dpo.class);
        }

        /**
         * {@code beta}: β: strength of the implicit KL constraint to the reference model (at most 1e15: larger
         * values overflow the weighted value or its float32 gradient). Default {@code 0.1}; allowed: in (0,
         * 1e15].
         */
        public Builder beta(double value) {
            return set(BETA, value);
        }

        /**
         * {@code label_smoothing}: Assumed probability that a preference label is flipped (sigmoid only).
         * Default {@code 0.0}; allowed: in [0, 1].
         */
        public Builder labelSmoothing(double value) {
            return set(LABEL_SMOOTHING, value);
        }

        /**
         * {@code loss_type}: Sigmoid (DPO), hinge (SLiC) or ipo (IPO). Default {@code sigmoid}; allowed: one
         * of sigmoid, hinge, ipo.
         */
        public Builder lossType(String value) {
            return set(LOSS_TYPE, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor pcT = call.input("policy_chosen_logps");
        Tensor prT = call.input("policy_rejected_logps");
        Tensor rcT = call.input("reference_chosen_logps");
        Tensor rrT = call.input("reference_rejected_logps");
        Check.rank("policy_chosen_logps", pcT, 1);
        Check.sameShape("policy_chosen_logps", pcT, "policy_rejected_logps", prT);
        Check.sameShape("policy_chosen_logps", pcT, "reference_chosen_logps", rcT);
        Check.sameShape("policy_chosen_logps", pcT, "reference_rejected_logps", rrT);
        int n = pcT.size();
        Reduction reduction = reduction();
        double[] pc = PpoClip.data(pcT);
        double[] pr = PpoClip.data(prT);
        double[] rc = PpoClip.data(rcT);
        double[] rr = PpoClip.data(rrT);
        double[] gc = call.gradient("policy_chosen_logps", pcT);
        double[] gr = call.gradient("policy_rejected_logps", prT);
        double s = call.reduce(n);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        double b = beta;
        switch (type) {
            case SIGMOID: {
                double keep = 1 - ls;
                for (int i = 0; i < n; i++) {
                    double z = b * ((pc[i] - pr[i]) - (rc[i] - rr[i]));
                    // −log σ(z) = softplus(−z), −log σ(−z) = softplus(z); d/dz = −(1 − ls)σ(−z) + ls·σ(z)
                    // a weight of 0 drops its part (0·softplus(±∞) would be NaN at βh = ±∞)
                    terms[i] = (keep == 0 ? 0 : keep * softplus(-z)) + (ls == 0 ? 0 : ls * softplus(z));
                    if (gc != null) {
                        double dh = b * (ls * sigmoid(z) - keep * sigmoid(-z)) * s;
                        gc[i] = dh;
                        gr[i] = -dh;
                    }
                }
                break;
            }
            case HINGE:
                for (int i = 0; i < n; i++) {
                    double m = 1 - b * ((pc[i] - pr[i]) - (rc[i] - rr[i]));
                    terms[i] = Math.max(0, m);
                    if (gc != null) {
                        double dh = m > 0 ? -b * s : 0; // subgradient 0 at βh = 1
                        gc[i] = dh;
                        gr[i] = -dh;
                    }
                }
                break;
            default: { // IPO
                double c = 1 / (2 * b);
                for (int i = 0; i < n; i++) {
                    double e = ((pc[i] - pr[i]) - (rc[i] - rr[i])) - c;
                    terms[i] = e * e;
                    if (gc != null) {
                        double dh = 2 * e * s;
                        gc[i] = dh;
                        gr[i] = -dh;
                    }
                }
            }
        }
        return call.finish(terms, pcT.shape());
    }

    /** log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|): exact and finite for any z. */
    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** σ(z), evaluating e^z only for z &lt; 0. */
    private static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
