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
 * SimPO, simple preference optimisation: a reference-free DPO on length-normalised
 * log-probabilities with a target reward margin γ.
 *
 * <p>With the AVERAGE per-token log-probabilities {@code π_c}, {@code π_r} of the chosen and
 * rejected responses under the policy, {@code z = β·(π_c − π_r) − γ} and {@code ls} the
 * {@code label_smoothing}, one term per pair {@code −(1 − ls)·log σ(z) − ls·log σ(−z)}, evaluated
 * as {@code (1 − ls)·softplus(−z) + ls·softplus(z)} (finite and exact for any z). This is TRL's
 * CPOTrainer with {@code loss_type="simpo"} and {@code cpo_alpha=0} (TRL computes
 * {@code logits = π_c − π_r − simpo_gamma/β} and then {@code −log σ(β·logits)}: its simpo_gamma
 * is γ itself; the SimPO authors' code takes the ratio γ/β instead, {@code gamma_beta_ratio});
 * CPOTrainer's default cpo_alpha of 1 adds the NLL of the chosen responses, which is the
 * {@code cpo} loss with {@code loss_type} simpo. Defaults are TRL's CPOConfig (β 0.1, γ 0.5);
 * the SimPO paper trains with β of 2 to 10 and γ/β of about 0.5.
 *
 * <p>Shapes: both inputs {@code [N]}. {@code mean} divides by N; {@code none} returns the N
 * terms. Gradients with respect to both inputs.
 *
 * <pre>{@code
 * Loss simpo = Simpo.builder().beta(2.0).gamma(1.0).build();
 * LossResult r = simpo.compute(Inputs.of("policy_chosen_logps", Tensor.vector(avgChosen))
 *         .with("policy_rejected_logps", Tensor.vector(avgRejected)));
 * }</pre>
 *
 * <p>References: Meng, Xia and Chen 2024, "SimPO: Simple Preference Optimization with a
 * Reference-Free Reward"; Hugging Face TRL {@code CPOTrainer.cpo_loss}.
 */
public final class Simpo extends AbstractLoss {
    /**
     * {@code beta}: β: scale of the length-normalised reward (at most 1e15: larger values overflow the weighted
     * value or its float32 gradient). Default {@code 0.1}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 0.1, OptionSpec.Range.BOUNDED_POSITIVE,
            "β: scale of the length-normalised reward (at most 1e15: larger values overflow the weighted value or its"
                    + " float32 gradient)");
    /**
     * {@code gamma}: γ: target reward margin subtracted from β·(πc − πr) (TRL's simpo_gamma; at most 1e15). Default
     * {@code 0.5}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> GAMMA = OptionSpec.real("gamma", 0.5,
            OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "γ: target reward margin subtracted from β·(πc − πr) (TRL's simpo_gamma; at most 1e15)");
    /**
     * {@code label_smoothing}: Assumed probability that a preference label is flipped. Default {@code 0.0};
     * allowed: in [0, 1].
     */
    public static final OptionSpec<Double> LABEL_SMOOTHING = OptionSpec.real("label_smoothing", 0.0,
            OptionSpec.Range.UNIT_CLOSED, "assumed probability that a preference label is flipped");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("simpo", Family.PREFERENCE)
            .summary("SimPO: reference-free preference loss on length-normalised log-probabilities with a target"
                    + " margin")
            .formula("z = β·(πc − πr) − γ (average per-token log-probabilities); −(1 − ls)·log σ(z) − ls·log σ(−z)")
            .gradInput("policy_chosen_logps", "[N]: average per-token policy log-probabilities of the chosen"
                    + " responses")
            .gradInput("policy_rejected_logps", "[N]: average per-token policy log-probabilities of the rejected"
                    + " responses")
            .options(BETA, GAMMA, LABEL_SMOOTHING, REDUCTION)
            .divisor("N (the number of preference pairs)")
            .convex(true)
            .tasks("LLM alignment from preference pairs without a reference model")
            .reference("Meng et al. 2024 (SimPO); Hugging Face TRL CPOTrainer loss_type simpo")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("policy_chosen_logps", Examples.t(Examples.uniform(r, n, -3, -0.1), n))
                    .with("policy_rejected_logps", Examples.t(Examples.uniform(r, n, -3, -0.1), n)))
            .factory(Simpo::new)
            .build();

    private final PairTerms.Margin margin;

    private Simpo(Options o) {
        super(INFO, o);
        this.margin = new PairTerms.Margin(PairTerms.SIGMOID, o.real(BETA), o.real(LABEL_SMOOTHING), o.real(GAMMA));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Simpo}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Simpo, Builder> {
        private Builder() {
            super(INFO, Simpo.class);
        }

        /**
         * {@code beta}: β: scale of the length-normalised reward (at most 1e15: larger values overflow the
         * weighted value or its float32 gradient). Default {@code 0.1}; allowed: in (0, 1e15].
         */
        public Builder beta(double value) {
            return set(BETA, value);
        }

        /**
         * {@code gamma}: γ: target reward margin subtracted from β·(πc − πr) (TRL's simpo_gamma; at most 1e15).
         * Default {@code 0.5}; allowed: in [0, 1e15].
         */
        public Builder gamma(double value) {
            return set(GAMMA, value);
        }

        /**
         * {@code label_smoothing}: Assumed probability that a preference label is flipped. Default {@code 0.0};
         * allowed: in [0, 1].
         */
        public Builder labelSmoothing(double value) {
            return set(LABEL_SMOOTHING, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor pcT = call.input("policy_chosen_logps");
        Tensor prT = call.input("policy_rejected_logps");
        Check.rank("policy_chosen_logps", pcT, 1);
        Check.sameShape("policy_chosen_logps", pcT, "policy_rejected_logps", prT);
        int n = pcT.size();
        double[] gc = call.gradient("policy_chosen_logps", pcT);
        double[] gr = call.gradient("policy_rejected_logps", prT);
        double s = call.reduce(n);
        double[] terms = call.terms(n);
        margin.run(n, PpoClip.data(pcT), PpoClip.data(prT), null, null, terms, gc, gr, s);
        return call.finish(terms, pcT.shape());
    }
}
