package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * RankNet's pairwise logistic loss over lists: for every pair of present items of a list with
 * {@code y_i > y_j}, {@code log(1 + exp(−(s_i − s_j)))}, summed, and divided by the number of such
 * pairs when {@code mean_over_pairs} (TF-Ranking PairwiseLogisticLoss per list). Evaluated as
 * {@code max(−d, 0) + log1p(exp(−|d|))}: finite for scores of any size.
 *
 * <p>Inputs and reduction: see {@link RankedLists} (scores, relevance, mask {@code [Q, L]}; one term
 * per list; {@code mean} over the lists with an item present). Cost O(L²) per list.
 *
 * <p>Reference: Burges et al. (2005), "Learning to Rank using Gradient Descent" (RankNet);
 * TF-Ranking {@code PairwiseLogisticLoss}.
 */
public final class PairwiseLogistic extends PairwiseLists {
    /**
     * {@code mean_over_pairs}: Divide each list's sum by its number of pairs with y_i &gt; y_j (TF-Ranking); false
     * gives RankNet's plain sum. Default {@code true}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> MEAN_OVER_PAIRS = OptionSpec.bool("mean_over_pairs", true,
            "divide each list's sum by its number of pairs with y_i > y_j (TF-Ranking); false gives RankNet's plain sum");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = lists(LossInfo.builder("pairwise_logistic", Family.RANKING))
            .summary("RankNet: logistic loss on the score difference of every pair of items of unequal relevance")
            .formula("Σ_{y_i > y_j} log(1 + exp(−(s_i − s_j))), per list (over the pairs with mean_over_pairs)")
            .options(MEAN_OVER_PAIRS, REDUCTION)
            .convex(true)
            .tasks("learning to rank", "search ranking", "recommendation (graded relevance)")
            .reference("Burges et al. 2005 (RankNet); TF-Ranking PairwiseLogisticLoss")
            .example(RankedLists::example)
            .factory(PairwiseLogistic::new)
            .build();

    private PairwiseLogistic(Options o) {
        super(INFO, o, o.get(MEAN_OVER_PAIRS));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code PairwiseLogistic}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<PairwiseLogistic, Builder> {
        private Builder() {
            super(INFO, PairwiseLogistic.class);
        }

        /**
         * {@code mean_over_pairs}: Divide each list's sum by its number of pairs with y_i &gt; y_j (TF-Ranking);
         * false gives RankNet's plain sum. Default {@code true}; allowed: true or false.
         */
        public Builder meanOverPairs(boolean value) {
            return set(MEAN_OVER_PAIRS, value);
        }
    }

    @Override
    protected double pair(double d, double[] slope) {
        slope[0] = -sigmoidNeg(d);
        return softplusNeg(d);
    }
}
