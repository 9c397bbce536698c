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
 * Contrastive Preference Optimization: a reference-free preference loss on the policy's
 * log-ratio plus a behaviour-cloning NLL of the chosen responses, as TRL's CPOTrainer.
 *
 * <p>With the policy log-probabilities {@code π_c}, {@code π_r} of the chosen and rejected
 * responses, {@code m = π_c − π_r}, {@code ls} the {@code label_smoothing} and {@code nll} the
 * chosen responses' negative log-likelihood, one term per pair {@code ℓ(m) + α·nll} with:
 * <ul>
 * <li>{@code sigmoid} (default): {@code −(1 − ls)·log σ(βm) − ls·log σ(−βm)} (CPO, eq. 3),
 * evaluated with softplus: finite and exact for any βm;</li>
 * <li>{@code hinge}: {@code max(0, 1 − βm)}, subgradient 0 at βm = 1;</li>
 * <li>{@code ipo}: {@code (m − 1/(2β))²};</li>
 * <li>{@code simpo}: the sigmoid form of {@code βm − γ} (CPO-SimPO; γ the {@code simpo_gamma}).</li>
 * </ul>
 * label_smoothing enters sigmoid and simpo only. TRL passes summed log-probabilities for sigmoid
 * and hinge and per-token averages for ipo and simpo; the loss takes them as given. TRL's NLL is one
 * token-mean cross-entropy over all the batch's chosen tokens, added once to the mean; here
 * {@code chosen_nll} is an input with one value per pair, so {@code mean} gives
 * {@code mean ℓ + α·mean nll} (TRL's value when each chosen_nll_i is the batch's token mean, or
 * when the chosen responses have equal lengths and chosen_nll_i is sample i's token mean).
 *
 * <p>Shapes: the three inputs are {@code [N]}. {@code mean} divides by N; {@code none} returns
 * the N terms. Gradients with respect to the three inputs ({@code α} for chosen_nll).
 *
 * <pre>{@code
 * Loss cpo = Cpo.builder().beta(0.1).cpoAlpha(1.0).build();
 * LossResult r = cpo.compute(Inputs.of("policy_chosen_logps", Tensor.vector(pc))
 *         .with("policy_rejected_logps", Tensor.vector(pr)).with("chosen_nll", Tensor.vector(nll)));
 * }</pre>
 *
 * <p>References: Xu et al. 2024, "Contrastive Preference Optimization"; Meng et al. 2024
 * (SimPO); Hugging Face TRL {@code CPOTrainer}.
 */
public final class Cpo extends AbstractLoss {
    /**
     * {@code beta}: β: temperature of the preference term (at most 1e15: larger values overflow the weighted value
     * or its float32 gradient). Default {@code 0.1}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 0.1, OptionSpec.Range.BOUNDED_POSITIVE,
            "β: temperature of the preference term (at most 1e15: larger values overflow the weighted value or its"
                    + " float32 gradient)");
    /**
     * {@code label_smoothing}: Assumed probability that a preference label is flipped (sigmoid and simpo only).
     * Default {@code 0.0}; allowed: in [0, 1].
     */
    public static final OptionSpec<Double> LABEL_SMOOTHING = OptionSpec.real("label_smoothing", 0.0,
            OptionSpec.Range.UNIT_CLOSED, "assumed probability that a preference label is flipped (sigmoid and simpo"
                    + " only)");
    /**
     * {@code loss_type}: Sigmoid (CPO), hinge, ipo or simpo (CPO-SimPO). Default {@code sigmoid}; allowed: one of
     * sigmoid, hinge, ipo, simpo.
     */
    public static final OptionSpec<String> LOSS_TYPE = OptionSpec.choice("loss_type", "sigmoid",
            "sigmoid (CPO), hinge, ipo or simpo (CPO-SimPO)", "sigmoid", "hinge", "ipo", "simpo");
    /**
     * {@code simpo_gamma}: γ: target reward margin of loss_type simpo (at most 1e15). Default {@code 0.5}; allowed:
     * in [0, 1e15].
     */
    public static final OptionSpec<Double> SIMPO_GAMMA = OptionSpec.real("simpo_gamma", 0.5,
            OptionSpec.Range.BOUNDED_NON_NEGATIVE, "γ: target reward margin of loss_type simpo (at most 1e15)");
    /**
     * {@code cpo_alpha}: α: weight of the chosen responses' NLL (behaviour cloning; at most 1e15). Default {@code
     * 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> CPO_ALPHA = OptionSpec.real("cpo_alpha", 1.0,
            OptionSpec.Range.BOUNDED_NON_NEGATIVE, "α: weight of the chosen responses' NLL (behaviour cloning; at"
                    + " most 1e15)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("cpo", Family.PREFERENCE)
            .summary("contrastive preference optimisation: reference-free preference loss plus the NLL of the"
                    + " chosen responses")
            .formula("m = πc − πr; sigmoid: −(1 − ls)·log σ(βm) − ls·log σ(−βm); hinge: max(0, 1 − βm);"
                    + " ipo: (m − 1/(2β))²; simpo: sigmoid of βm − γ; plus α·nll")
            .gradInput("policy_chosen_logps", "[N]: policy log-probabilities of the chosen responses")
            .gradInput("policy_rejected_logps", "[N]: policy log-probabilities of the rejected responses")
            .gradInput("chosen_nll", "[N]: negative log-likelihood of each chosen response (the behaviour-cloning"
                    + " term)")
            .options(BETA, LABEL_SMOOTHING, LOSS_TYPE, SIMPO_GAMMA, CPO_ALPHA, REDUCTION)
            .divisor("N (the number of preference pairs)")
            .convex(true)
            .tasks("LLM alignment from preference pairs without a reference model", "machine translation (CPO)")
            .reference("Xu et al. 2024 (CPO); Hugging Face TRL CPOTrainer")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("policy_chosen_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("policy_rejected_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("chosen_nll", Examples.t(Examples.uniform(r, n, 0.1, 3), n)))
            .factory(Cpo::new)
            .build();

    private final PairTerms.Margin margin;
    private final double alpha;

    private Cpo(Options o) {
        super(INFO, o);
        int type = LOSS_TYPE.choices().indexOf(o.get(LOSS_TYPE)); // sigmoid, hinge, ipo: PairTerms' kinds
        boolean simpo = type == 3;
        this.margin = new PairTerms.Margin(simpo ? PairTerms.SIGMOID : type, o.real(BETA), o.real(LABEL_SMOOTHING),
                simpo ? o.real(SIMPO_GAMMA) : 0);
        this.alpha = o.real(CPO_ALPHA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Cpo}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Cpo, Builder> {
        private Builder() {
            super(INFO, Cpo.class);
        }

        /**
         * {@code beta}: β: temperature of the preference term (at most 1e15: larger values overflow the weighted
         * value or its float32 gradient). Default {@code 0.1}; allowed: in (0, 1e15].
         */
        public Builder beta(double value) {
            return set(BETA, value);
        }

        /**
         * {@code label_smoothing}: Assumed probability that a preference label is flipped (sigmoid and simpo
         * only). Default {@code 0.0}; allowed: in [0, 1].
         */
        public Builder labelSmoothing(double value) {
            return set(LABEL_SMOOTHING, value);
        }

        /**
         * {@code loss_type}: Sigmoid (CPO), hinge, ipo or simpo (CPO-SimPO). Default {@code sigmoid}; allowed:
         * one of sigmoid, hinge, ipo, simpo.
         */
        public Builder lossType(String value) {
            return set(LOSS_TYPE, value);
        }

        /**
         * {@code simpo_gamma}: γ: target reward margin of loss_type simpo (at most 1e15). Default {@code 0.5};
         * allowed: in [0, 1e15].
         */
        public Builder simpoGamma(double value) {
            return set(SIMPO_GAMMA, value);
        }

        /**
         * {@code cpo_alpha}: α: weight of the chosen responses' NLL (behaviour cloning; at most 1e15). Default
         * {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder cpoAlpha(double value) {
            return set(CPO_ALPHA, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor pcT = call.input("policy_chosen_logps");
        Tensor prT = call.input("policy_rejected_logps");
        Tensor nllT = call.input("chosen_nll");
        Check.rank("policy_chosen_logps", pcT, 1);
        Check.sameShape("policy_chosen_logps", pcT, "policy_rejected_logps", prT);
        Check.sameShape("policy_chosen_logps", pcT, "chosen_nll", nllT);
        int n = pcT.size();
        double[] nll = PpoClip.data(nllT);
        double[] gc = call.gradient("policy_chosen_logps", pcT);
        double[] gr = call.gradient("policy_rejected_logps", prT);
        double[] gn = call.gradient("chosen_nll", nllT);
        double s = call.reduce(n);
        double[] terms = call.terms(n);
        margin.run(n, PpoClip.data(pcT), PpoClip.data(prT), null, null, terms, gc, gr, s);
        for (int i = 0; i < n; i++) {
            // α = 0 drops the NLL (0·∞ would be NaN for an infinite NLL)
            terms[i] += PairTerms.weighted(alpha, nll[i]);
            if (gn != null) {
                gn[i] = alpha * s;
            }
        }
        return call.finish(terms, pcT.shape());
    }
}
