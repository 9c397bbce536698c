package org.losses4j.preference;

import java.util.Arrays;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Direct Preference Optimization loss with the loss types of Hugging Face TRL's DPOTrainer.
 *
 * <p>With the log-ratios {@code c = π_c − ref_c} and {@code r = π_r − ref_r} of each pair
 * (summed log-probabilities of the chosen and rejected responses under the policy and the
 * frozen reference model), the implicit reward margin {@code h = c − r}, {@code z = βh} and
 * {@code ls} the {@code label_smoothing}, one term per pair:
 * <ul>
 * <li>{@code sigmoid} (default): {@code −(1 − ls)·log σ(z) − ls·log σ(−z)} (conservative DPO),
 * evaluated as {@code (1 − ls)·softplus(−z) + ls·softplus(z)}: finite and exact for any z;</li>
 * <li>{@code hinge}: {@code max(0, 1 − z)}, subgradient 0 at z = 1 (SLiC);</li>
 * <li>{@code ipo}: {@code (h − 1/(2β))²} (IPO);</li>
 * <li>{@code exo_pair}: {@code σ(z)·(log σ(z) − log(1 − ε)) + σ(−z)·(log σ(−z) − log ε)} with
 * {@code ε = ls}, or 1e-3 when ls is 0 (EXO; TRL before 0.20's substitution; newer TRL refuses
 * 0); {@code ls = 1} is refused;</li>
 * <li>{@code nca_pair}: {@code −log σ(βc) − ½·log σ(−βc) − ½·log σ(−βr)} (NCA);</li>
 * <li>{@code robust}: {@code ((1 − ls)·softplus(−z) − ls·softplus(z)) / (1 − 2ls)}, ls in [0, 0.5)
 * (rDPO, unbiased under label noise; it can be negative);</li>
 * <li>{@code bco_pair}: {@code −log σ(βc − δ) − log σ(−(βr − δ))} with {@code δ} the option
 * {@code bco_delta} (BCO's reward shift: TRL up to 0.19 kept a running mean of the batch rewards
 * βc, βr; newer TRL has δ = 0; a loss is stateless, so the caller supplies it);</li>
 * <li>{@code sppo_hard}: {@code (c − 1/(2β))² + (r + 1/(2β))²} (SPPO with hard probabilities);</li>
 * <li>{@code aot}: the sorted {@code π_c − π_r} against the sorted {@code ref_c − ref_r} (AOT):
 * term k is the sigmoid term (with ls) of {@code δ_k = (π_c − π_r)_(k) − (ref_c − ref_r)_(k)},
 * the k-th smallest of each;</li>
 * <li>{@code aot_unpaired}: the same with the sorted c against the sorted r;</li>
 * <li>{@code apo_zero}: {@code 1 − σ(βc) + σ(βr)} (APO-zero);</li>
 * <li>{@code apo_down}: {@code σ(βc) + 1 − σ(βh)} (APO-down).</li>
 * </ul>
 * label_smoothing enters sigmoid, exo_pair, robust, aot and aot_unpaired only. Gradients with
 * respect to {@code policy_chosen_logps} and {@code policy_rejected_logps}; the reference
 * log-probabilities are constants. aot and aot_unpaired couple the batch through the sorts:
 * their terms are ranks, not samples ({@code none} gives them in rank order, {@code sample_weight}
 * is refused), ties keep the order of the samples (a stable sort) and the gradient of a tied
 * sample is that of its rank in that order.
 *
 * <p>Shapes: the four inputs are {@code [N]}. {@code mean} divides by N; {@code none} returns
 * the N terms.
 *
 * <pre>{@code
 * Loss dpo = Dpo.builder().beta(0.1).lossType("robust").labelSmoothing(0.1).build();
 * LossResult r = dpo.compute(Inputs.of("policy_chosen_logps", Tensor.vector(pc))
 *         .with("policy_rejected_logps", Tensor.vector(pr))
 *         .with("reference_chosen_logps", Tensor.vector(rc))
 *         .with("reference_rejected_logps", Tensor.vector(rr)));
 * }</pre>
 *
 * <p>References: Rafailov et al. 2023 (DPO); Zhao et al. 2023 (SLiC); Azar et al. 2023 (IPO);
 * Mitchell 2023 (conservative DPO); Ji et al. 2024 (EXO); Chen et al. 2024 (NCA); Chowdhury et
 * al. 2024 (rDPO); Jung et al. 2024 (BCO); Wu et al. 2024 (SPPO); Melnyk et al. 2024 (AOT);
 * D'Oosterlinck et al. 2024 (APO); Hugging Face TRL {@code DPOTrainer}.
 */
public final class Dpo extends AbstractLoss {
    /**
     * {@code beta}: β: strength of the implicit KL constraint to the reference model (at most 1e15: larger values
     * overflow the weighted value or its float32 gradient). Default {@code 0.1}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 0.1, OptionSpec.Range.BOUNDED_POSITIVE,
            "β: strength of the implicit KL constraint to the reference model (at most 1e15: larger values overflow the weighted value or its float32 gradient)");
    /**
     * {@code label_smoothing}: Assumed probability that a preference label is flipped (sigmoid, robust: below 0.5,
     * aot, aot_unpaired; exo_pair's ε: below 1, 0 means 1e-3). Default {@code 0.0}; allowed: in [0, 1].
     */
    public static final OptionSpec<Double> LABEL_SMOOTHING = OptionSpec.real("label_smoothing", 0.0,
            OptionSpec.Range.UNIT_CLOSED, "assumed probability that a preference label is flipped (sigmoid, robust:"
                    + " below 0.5, aot, aot_unpaired; exo_pair's ε: below 1, 0 means 1e-3)");
    /**
     * {@code loss_type}: The loss of each pair, as TRL's DPOTrainer names them. Default {@code sigmoid}; allowed:
     * one of sigmoid, hinge, ipo, exo_pair, nca_pair, robust, bco_pair, sppo_hard, aot, aot_unpaired, apo_zero,
     * apo_down.
     */
    public static final OptionSpec<String> LOSS_TYPE = OptionSpec.choice("loss_type", "sigmoid",
            "the loss of each pair, as TRL's DPOTrainer names them", "sigmoid", "hinge", "ipo", "exo_pair",
            "nca_pair", "robust", "bco_pair", "sppo_hard", "aot", "aot_unpaired", "apo_zero", "apo_down");
    /**
     * {@code bco_delta}: δ of bco_pair: the reward reference point subtracted from βc and βr (a running mean of the
     * rewards in TRL up to 0.19; at most 1e15 in magnitude). Default {@code 0.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> BCO_DELTA = OptionSpec.real("bco_delta", 0.0, OptionSpec.Range.BOUNDED,
            "δ of bco_pair: the reward reference point subtracted from βc and βr (a running mean of the rewards in"
                    + " TRL up to 0.19; at most 1e15 in magnitude)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("dpo", Family.PREFERENCE)
            .summary("direct preference optimisation: fits a policy to preference pairs without a reward model")
            .formula("c = πc − refc, r = πr − refr, h = c − r; sigmoid: −(1 − ls)·log σ(βh) − ls·log σ(−βh);"
                    + " hinge: max(0, 1 − βh); ipo: (h − 1/(2β))²; and TRL's exo_pair, nca_pair, robust, bco_pair,"
                    + " sppo_hard, aot, aot_unpaired, apo_zero, apo_down")
            .gradInput("policy_chosen_logps", "[N]: policy log-probabilities of the chosen responses")
            .gradInput("policy_rejected_logps", "[N]: policy log-probabilities of the rejected responses")
            .input("reference_chosen_logps", "[N]: reference-model log-probabilities of the chosen responses")
            .input("reference_rejected_logps", "[N]: reference-model log-probabilities of the rejected responses")
            .options(BETA, LABEL_SMOOTHING, LOSS_TYPE, BCO_DELTA, REDUCTION)
            .dependentOptions("label_smoothing") // robust: below 0.5; exo_pair: below 1
            .divisor("N (the number of preference pairs)")
            .convex(false)
            .tasks("LLM alignment from preference pairs", "RLHF without a reward model")
            .reference("Rafailov et al. 2023 (DPO); Azar et al. 2023 (IPO); the loss types of Hugging Face TRL's"
                    + " DPOTrainer")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("policy_chosen_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("policy_rejected_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("reference_chosen_logps", Examples.t(Examples.uniform(r, n, -12, -1), n))
                    .with("reference_rejected_logps", Examples.t(Examples.uniform(r, n, -12, -1), n)))
            .factory(Dpo::new)
            .build();

    private static final int EXO = 3, NCA = 4, ROBUST = 5, BCO = 6, SPPO = 7, AOT = 8, AOT_UNPAIRED = 9,
            APO_ZERO = 10, APO_DOWN = 11;

    private final double beta;
    private final double ls;
    private final double delta;
    private final int type;
    private final String typeName;

    private Dpo(Options o) {
        super(INFO, o);
        this.beta = o.real(BETA);
        this.delta = o.real(BCO_DELTA);
        this.typeName = o.get(LOSS_TYPE);
        this.type = LOSS_TYPE.choices().indexOf(typeName); // sigmoid, hinge, ipo: PairTerms' margin kinds
        double smoothing = o.real(LABEL_SMOOTHING);
        if (type == ROBUST && smoothing >= 0.5) {
            PairTerms.refuseSmoothing(smoothing, "[0, 0.5)", typeName, "it divides by 1 − 2·label_smoothing");
        }
        if (type == EXO && smoothing == 1) {
            PairTerms.refuseSmoothing(smoothing, "[0, 1)", typeName, "log(1 − ε) is −∞ at ε = 1");
        }
        // exo_pair's ε = 0 would make log ε infinite: TRL (up to 0.19) substitutes 1e-3
        this.ls = type == EXO && smoothing == 0 ? 1e-3 : smoothing;
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
         * {@code label_smoothing}: Assumed probability that a preference label is flipped (sigmoid, robust: below
         * 0.5, aot, aot_unpaired; exo_pair's ε: below 1, 0 means 1e-3). Default {@code 0.0}; allowed: in [0, 1].
         */
        public Builder labelSmoothing(double value) {
            return set(LABEL_SMOOTHING, value);
        }

        /**
         * {@code loss_type}: The loss of each pair, as TRL's DPOTrainer names them. Default {@code sigmoid};
         * allowed: one of sigmoid, hinge, ipo, exo_pair, nca_pair, robust, bco_pair, sppo_hard, aot, aot_unpaired,
         * apo_zero, apo_down.
         */
        public Builder lossType(String value) {
            return set(LOSS_TYPE, value);
        }

        /**
         * {@code bco_delta}: δ of bco_pair: the reward reference point subtracted from βc and βr (a running mean of
         * the rewards in TRL up to 0.19; at most 1e15 in magnitude). Default {@code 0.0}; allowed: in [-1e15,
         * 1e15].
         */
        public Builder bcoDelta(double value) {
            return set(BCO_DELTA, value);
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
        if ((type == AOT || type == AOT_UNPAIRED) && call.input("sample_weight") != null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "dpo with loss_type " + typeName + " takes no input"
                    + " 'sample_weight': its terms are ranks of the sorted batch, not samples");
        }
        int n = pcT.size();
        double[] pc = PpoClip.data(pcT);
        double[] pr = PpoClip.data(prT);
        double[] rc = PpoClip.data(rcT);
        double[] rr = PpoClip.data(rrT);
        double[] gc = call.gradient("policy_chosen_logps", pcT);
        double[] gr = call.gradient("policy_rejected_logps", prT);
        double s = call.reduce(n);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        if (type <= PairTerms.IPO) {
            new PairTerms.Margin(type, beta, ls, 0).run(n, pc, pr, rc, rr, terms, gc, gr, s);
        } else if (type == AOT || type == AOT_UNPAIRED) {
            sorted(n, pc, pr, rc, rr, terms, gc, gr, s);
        } else {
            double[] d = new double[2];
            for (int i = 0; i < n; i++) {
                terms[i] = pair(pc[i] - rc[i], pr[i] - rr[i], d);
                if (gc != null) {
                    gc[i] = d[0] * s;
                    gr[i] = d[1] * s;
                }
            }
        }
        return call.finish(terms, pcT.shape());
    }

    /** The term of one pair of log-ratios c, r (the per-pair types); ∂/∂c into d[0], ∂/∂r into d[1]. */
    private double pair(double c, double r, double[] d) {
        double b = beta;
        switch (type) {
            case EXO: {
                // f(z) = σ(z)(log σ(z) − log(1 − ε)) + σ(−z)(log σ(−z) − log ε); f'(z) = σ(z)σ(−z)(z − log((1 − ε)/ε))
                double z = b * (c - r);
                double p = PairTerms.sigmoid(z);
                double q = PairTerms.sigmoid(-z);
                double v = PairTerms.weighted(p, -PairTerms.softplus(-z) - Math.log1p(-ls))
                        + PairTerms.weighted(q, -PairTerms.softplus(z) - Math.log(ls));
                double dz = PairTerms.weighted(p * q, z - (Math.log1p(-ls) - Math.log(ls)));
                d[0] = b * dz;
                d[1] = -b * dz;
                return v;
            }
            case NCA: {
                double zc = b * c;
                double zr = b * r;
                d[0] = b * (0.5 * PairTerms.sigmoid(zc) - PairTerms.sigmoid(-zc));
                d[1] = b * 0.5 * PairTerms.sigmoid(zr);
                return PairTerms.softplus(-zc) + 0.5 * PairTerms.softplus(zc) + 0.5 * PairTerms.softplus(zr);
            }
            case ROBUST: {
                double z = b * (c - r);
                double k = 1 / (1 - 2 * ls);
                double dz = -k * ((1 - ls) * PairTerms.sigmoid(-z) + ls * PairTerms.sigmoid(z));
                d[0] = b * dz;
                d[1] = -b * dz;
                return k * ((1 - ls) * PairTerms.softplus(-z) - PairTerms.weighted(ls, PairTerms.softplus(z)));
            }
            case BCO: {
                double zc = b * c - delta;
                double zr = b * r - delta;
                d[0] = -b * PairTerms.sigmoid(-zc);
                d[1] = b * PairTerms.sigmoid(zr);
                return PairTerms.softplus(-zc) + PairTerms.softplus(zr);
            }
            case SPPO: {
                double half = 0.5 / b;
                double ec = c - half;
                double er = r + half;
                d[0] = 2 * ec;
                d[1] = 2 * er;
                return ec * ec + er * er;
            }
            case APO_ZERO: {
                // 1 − σ(βc) is σ(−βc), without the cancellation
                double pcs = PairTerms.sigmoid(b * c);
                double prs = PairTerms.sigmoid(b * r);
                d[0] = -b * pcs * PairTerms.sigmoid(-b * c);
                d[1] = b * prs * PairTerms.sigmoid(-b * r);
                return PairTerms.sigmoid(-b * c) + prs;
            }
            default: { // APO_DOWN: σ(βc) + 1 − σ(βh) = σ(βc) + σ(−βh)
                double z = b * (c - r);
                double dh = -b * PairTerms.sigmoid(z) * PairTerms.sigmoid(-z);
                d[0] = b * PairTerms.sigmoid(b * c) * PairTerms.sigmoid(-b * c) + dh;
                d[1] = -dh;
                return PairTerms.sigmoid(b * c) + PairTerms.sigmoid(-z);
            }
        }
    }

    /**
     * aot and aot_unpaired: the sigmoid term of δ_k = a_(k) − e_(k), the k-th smallest of a and
     * of e; the gradient of rank k goes to the sample at rank k of a (the chosen log-probability,
     * and for aot the rejected one of the same sample) and, for aot_unpaired, to the rejected
     * log-probability of the sample at rank k of e.
     */
    private void sorted(int n, double[] pc, double[] pr, double[] rc, double[] rr, double[] terms, double[] gc,
            double[] gr, double s) {
        double[] a = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            if (type == AOT) {
                a[i] = pc[i] - pr[i];
                e[i] = rc[i] - rr[i];
            } else {
                a[i] = pc[i] - rc[i];
                e[i] = pr[i] - rr[i];
            }
        }
        int[] ia = order(a);
        int[] ie = order(e);
        for (int k = 0; k < n; k++) {
            double z = beta * (a[ia[k]] - e[ie[k]]);
            terms[k] = PairTerms.smoothed(z, ls);
            if (gc != null) {
                double g = beta * PairTerms.smoothedSlope(z, ls) * s;
                gc[ia[k]] = g;
                gr[type == AOT ? ia[k] : ie[k]] = -g;
            }
        }
    }

    /** The indices of v in increasing order (stable; −0 equals 0; NaN last), as a stable torch.sort. */
    static int[] order(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (i, j) -> Double.compare(v[i] + 0.0, v[j] + 0.0));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
