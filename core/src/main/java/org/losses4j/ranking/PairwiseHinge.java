package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * The pairwise hinge loss over lists: for every pair of present items of a list with
 * {@code y_i > y_j}, {@code max(0, margin − (s_i − s_j))}, summed, and divided by the number of
 * such pairs when {@code mean_over_pairs} (TF-Ranking PairwiseHingeLoss per list, margin 1).
 * Subgradient 0 at the kink {@code s_i − s_j = margin}.
 *
 * <p>Inputs and reduction: see {@link RankedLists}. Cost O(L²) per list.
 *
 * <p>Reference: Herbrich, Graepel, Obermayer (2000), "Large margin rank boundaries for ordinal
 * regression"; Joachims (2002), RankSVM; TF-Ranking {@code PairwiseHingeLoss}.
 */
public final class PairwiseHinge extends PairwiseLists {
    /**
     * {@code margin}: The score difference a more relevant item must keep over a less relevant one (at most 1e15 in
     * magnitude). Default {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED,
            "the score difference a more relevant item must keep over a less relevant one (at most 1e15 in magnitude)");
    /**
     * {@code mean_over_pairs}: Divide each list's sum by its number of pairs with y_i &gt; y_j (TF-Ranking); false
     * gives the plain sum. Default {@code true}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> MEAN_OVER_PAIRS = OptionSpec.bool("mean_over_pairs", true,
            "divide each list's sum by its number of pairs with y_i > y_j (TF-Ranking); false gives the plain sum");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = lists(LossInfo.builder("pairwise_hinge", Family.RANKING))
            .summary("Pairwise hinge: every more relevant item must outscore every less relevant one by a margin")
            .formula("Σ_{y_i > y_j} max(0, margin − (s_i − s_j)), per list (over the pairs with mean_over_pairs)")
            .options(MARGIN, MEAN_OVER_PAIRS, REDUCTION)
            .convex(true).kinks(true)
            .tasks("learning to rank", "RankSVM-style ranking")
            .reference("Herbrich et al. 2000; Joachims 2002 (RankSVM); TF-Ranking PairwiseHingeLoss")
            .example(RankedLists::example)
            .factory(PairwiseHinge::new)
            .build();

    private final double margin;

    private PairwiseHinge(Options o) {
        super(INFO, o, o.get(MEAN_OVER_PAIRS));
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code PairwiseHinge}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<PairwiseHinge, Builder> {
        private Builder() {
            super(INFO, PairwiseHinge.class);
        }

        /**
         * {@code margin}: The score difference a more relevant item must keep over a less relevant one (at most
         * 1e15 in magnitude). Default {@code 1.0}; allowed: in [-1e15, 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }

        /**
         * {@code mean_over_pairs}: Divide each list's sum by its number of pairs with y_i &gt; y_j (TF-Ranking);
         * false gives the plain sum. Default {@code true}; allowed: true or false.
         */
        public Builder meanOverPairs(boolean value) {
            return set(MEAN_OVER_PAIRS, value);
        }
    }

    @Override
    protected double pair(double d, double[] slope) {
        double z = margin - d;
        slope[0] = z > 0 ? -1 : 0;
        return z > 0 ? z : 0;
    }
}
