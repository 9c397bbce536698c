package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.DiagonalHessian;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * LambdaRank / LambdaMART with NDCG, as XGBoost's {@code rank:ndcg} objective (3.0, CPU, pair
 * method {@code topk}): each list's items are ordered by score, decreasing (ties keep their list
 * order, XGBoost's stable ArgSort); every position p &lt; min(L, truncation) is paired with every
 * later position, and each pair of unequal relevance (hi the more relevant, lo the other,
 * d = s_hi − s_lo) gets the weight
 * {@code w = |ΔNDCG| / (|d| + 0.01)} (the division only with {@code score_normalization} and
 * when the list's best and worst scores differ), with
 * {@code |ΔNDCG| = |(G_hi − G_lo)(D(rank_hi) − D(rank_lo))| / IDCG}, gains {@code 2^y − 1}
 * ({@code y} with {@code exp_gain} false), {@code D(p) = 1/log2(p + 2)} at 0-based positions, and
 * IDCG the DCG of the ideal order over its first {@code truncation} positions (0 when no item is
 * relevant: the list's term and gradients are 0).
 *
 * <p>The gradient is XGBoost's λ: {@code ∂/∂s_hi = (σ(d) − 1)·w·ν}, {@code ∂/∂s_lo} its negative,
 * with {@code ν = log2(1 + Λ)/Λ} for {@code Λ = Σ_pairs 2(1 − σ(d))·w} when {@code normalization}
 * and Λ &gt; 0 (XGBoost's lambdarank_normalization), else 1. LambdaMART's λ is the gradient of no
 * closed-form function; the value reported is the loss whose gradient it is when the weights w
 * and ν are held constant, {@code ν·Σ_pairs w·log(1 + exp(−d))} (the |ΔNDCG|-weighted pairwise
 * logistic loss), so a finite difference of the value does not reproduce it ({@link
 * LossInfo#exactGradient()} is false). The diagonal Hessian is XGBoost's:
 * {@code Σ_pairs 2·max(σ(d)(1 − σ(d)), 1e-16)·w·ν} for both items of a pair (twice the second
 * derivative of the value with the weights held constant).
 *
 * <p>Inputs and reduction: see {@link RankedLists}. XGBoost's gradients are per-list sums (use
 * {@code sum} to compare them); XGBoost requires integer relevance with exp_gain, while any
 * finite relevance &gt;= 0 is accepted here (gains {@code 2^{y − max} − 2^{−max}}, the same NDCG
 * without overflow). Cost O(L·min(L, truncation)) per list after an O(L log L) sort.
 *
 * <p>Reference: Burges (2010), "From RankNet to LambdaRank to LambdaMART: An Overview"; XGBoost
 * {@code src/objective/lambdarank_obj.cc} ({@code rank:ndcg}).
 */
public final class LambdaRank extends RankedLists implements DiagonalHessian {
    /**
     * {@code truncation}: The number of top positions (by score) paired with every later item, and the cut-off of
     * the ideal DCG (XGBoost's lambdarank_num_pair_per_sample with pair method topk). Default {@code 32}; allowed:
     * &gt;= 1.
     */
    public static final OptionSpec<Long> TRUNCATION = OptionSpec.integer("truncation", 32,
            OptionSpec.Range.AT_LEAST_ONE, "the number of top positions (by score) paired with every later item, and"
                    + " the cut-off of the ideal DCG (XGBoost's lambdarank_num_pair_per_sample with pair method topk)");
    /**
     * {@code score_normalization}: Divide each pair's |ΔNDCG| by |s_hi − s_lo| + 0.01 (XGBoost's
     * lambdarank_score_normalization). Default {@code true}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> SCORE_NORMALIZATION = OptionSpec.bool("score_normalization", true,
            "divide each pair's |ΔNDCG| by |s_hi − s_lo| + 0.01 (XGBoost's lambdarank_score_normalization)");
    /**
     * {@code normalization}: Scale each list by log2(1 + Λ)/Λ, Λ the sum of its |λ| (XGBoost's
     * lambdarank_normalization). Default {@code true}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> NORMALIZATION = OptionSpec.bool("normalization", true,
            "scale each list by log2(1 + Λ)/Λ, Λ the sum of its |λ| (XGBoost's lambdarank_normalization)");
    /**
     * {@code exp_gain}: Gains 2^y − 1 (true) or y (false) (XGBoost's ndcg_exp_gain). Default {@code true}; allowed:
     * true or false.
     */
    public static final OptionSpec<Boolean> EXP_GAIN = OptionSpec.bool("exp_gain", true,
            "gains 2^y − 1 (true) or y (false) (XGBoost's ndcg_exp_gain)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = lists(LossInfo.builder("lambda_rank", Family.RANKING))
            .summary("LambdaMART (XGBoost rank:ndcg): pairwise logistic gradients weighted by |ΔNDCG|, with its Hessian")
            .formula("ν·Σ_pairs w·log(1 + exp(−(s_hi − s_lo))), w = |ΔNDCG|/(|s_hi − s_lo| + 0.01) and ν held"
                    + " constant (the gradient is XGBoost's λ)")
            .options(TRUNCATION, SCORE_NORMALIZATION, NORMALIZATION, EXP_GAIN, REDUCTION)
            .heldConstant("the pair weights |ΔNDCG|/(|s_hi − s_lo| + 0.01) and the list normalisation")
            .tasks("learning to rank", "gradient-boosted ranking (LambdaMART, XGBoost rank:ndcg)")
            .reference("Burges 2010 (LambdaMART); XGBoost rank:ndcg (lambdarank_obj.cc)")
            .example(RankedLists::example)
            .factory(LambdaRank::new)
            .build();

    private final int truncation;
    private final boolean scoreNormalization;
    private final boolean normalization;
    private final boolean expGain;

    private LambdaRank(Options o) {
        super(INFO, o);
        this.truncation = (int) Math.min(Integer.MAX_VALUE, o.get(TRUNCATION));
        this.scoreNormalization = o.get(SCORE_NORMALIZATION);
        this.normalization = o.get(NORMALIZATION);
        this.expGain = o.get(EXP_GAIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code LambdaRank}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<LambdaRank, Builder> {
        private Builder() {
            super(INFO, LambdaRank.class);
        }

        /**
         * {@code truncation}: The number of top positions (by score) paired with every later item, and the
         * cut-off of the ideal DCG (XGBoost's lambdarank_num_pair_per_sample with pair method topk). Default
         * {@code 32}; allowed: &gt;= 1.
         */
        public Builder truncation(long value) {
            return set(TRUNCATION, value);
        }

        /**
         * {@code score_normalization}: Divide each pair's |ΔNDCG| by |s_hi − s_lo| + 0.01 (XGBoost's
         * lambdarank_score_normalization). Default {@code true}; allowed: true or false.
         */
        public Builder scoreNormalization(boolean value) {
            return set(SCORE_NORMALIZATION, value);
        }

        /**
         * {@code normalization}: Scale each list by log2(1 + Λ)/Λ, Λ the sum of its |λ| (XGBoost's
         * lambdarank_normalization). Default {@code true}; allowed: true or false.
         */
        public Builder normalization(boolean value) {
            return set(NORMALIZATION, value);
        }

        /**
         * {@code exp_gain}: Gains 2^y − 1 (true) or y (false) (XGBoost's ndcg_exp_gain). Default {@code true};
         * allowed: true or false.
         */
        public Builder expGain(boolean value) {
            return set(EXP_GAIN, value);
        }
    }

    @Override
    public LossResult computeWithHessian(Inputs in) {
        return runWithHessian(in);
    }

    @Override
    protected double term(Items it) {
        int n = it.n;
        double[] gain = it.aux;
        double idcg = gainsAndIdealDcg(it, expGain, truncation, gain);
        if (idcg == 0) {
            return 0;
        }
        double inv = 1 / idcg;
        int[] rank = it.sortDescending(it.s); // rank[p] = the item at 0-based position p
        boolean spread = it.s[rank[0]] != it.s[rank[n - 1]];
        double value = 0;
        double lambdas = 0;
        for (int p = 0, e = Math.min(n, truncation); p < e; p++) {
            for (int r = p + 1; r < n; r++) {
                int a = rank[p];
                int b = rank[r];
                if (it.y[a] == it.y[b]) {
                    continue;
                }
                boolean aHigh = it.y[a] > it.y[b];
                int hi = aHigh ? a : b;
                int lo = aHigh ? b : a;
                double w = Math.abs((gain[a] - gain[b]) * (discount(p) - discount(r))) * inv;
                double d = it.s[hi] - it.s[lo];
                if (scoreNormalization && spread) {
                    w /= Math.abs(d) + 0.01;
                }
                value += w * softplusNeg(d);
                double lambda = -sigmoidNeg(d) * w; // (σ(d) − 1)·w
                it.g[hi] += lambda;
                it.g[lo] -= lambda;
                if (it.h != null) {
                    double hess = 2 * Math.max(sigmoidSlope(d), 1e-16) * w;
                    it.h[hi] += hess;
                    it.h[lo] += hess;
                }
                lambdas -= 2 * lambda;
            }
        }
        if (normalization && lambdas > 0) {
            double nu = Math.log1p(lambdas) / LN2 / lambdas;
            value *= nu;
            for (int i = 0; i < n; i++) {
                it.g[i] *= nu;
                if (it.h != null) {
                    it.h[i] *= nu;
                }
            }
        }
        return value;
    }
}
