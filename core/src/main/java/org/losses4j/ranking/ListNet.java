package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * ListNet's softmax cross-entropy over each list: {@code −Σ_i y_i·log softmax(s)_i} over the
 * present items (Optax {@code ranking_softmax_loss}: the relevance is not normalised), or with
 * {@code normalize_labels} the relevance divided by its sum first (TF-Ranking SoftmaxLoss's
 * per-list cross-entropy; a list whose relevance sums to 0 gives 0). The log-softmax is
 * {@code s_i − max − log Σ exp(s_j − max)}: finite for any finite scores. Gradient
 * {@code (Σ y)·p_i − y_i}.
 *
 * <p>Inputs and reduction: see {@link RankedLists}.
 *
 * <p>Reference: Cao et al. (2007), "Learning to Rank: From Pairwise Approach to Listwise Approach"
 * (ListNet, top-1 probabilities); Optax {@code ranking_softmax_loss}; TF-Ranking {@code SoftmaxLoss}.
 */
public final class ListNet extends RankedLists {
    /**
     * {@code normalize_labels}: Divide each list's relevance by its sum before the cross-entropy (TF-Ranking); false
     * uses it as given (Optax). Default {@code false}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> NORMALIZE_LABELS = OptionSpec.bool("normalize_labels", false,
            "divide each list's relevance by its sum before the cross-entropy (TF-Ranking); false uses it as given"
                    + " (Optax)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = lists(LossInfo.builder("listnet", Family.RANKING))
            .summary("ListNet: softmax cross-entropy between the relevance and the scores of a list")
            .formula("−Σ_i y_i·log(exp(s_i) / Σ_j exp(s_j)) per list (y / Σy with normalize_labels)")
            .options(NORMALIZE_LABELS, REDUCTION)
            .convex(true)
            .tasks("learning to rank", "listwise ranking", "retrieval with one or more relevant items")
            .reference("Cao et al. 2007 (ListNet); Optax ranking_softmax_loss; TF-Ranking SoftmaxLoss")
            .example(RankedLists::example)
            .factory(ListNet::new)
            .build();

    private final boolean normalize;

    private ListNet(Options o) {
        super(INFO, o);
        this.normalize = o.get(NORMALIZE_LABELS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code ListNet}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<ListNet, Builder> {
        private Builder() {
            super(INFO, ListNet.class);
        }

        /**
         * {@code normalize_labels}: Divide each list's relevance by its sum before the cross-entropy
         * (TF-Ranking); false uses it as given (Optax). Default {@code false}; allowed: true or false.
         */
        public Builder normalizeLabels(boolean value) {
            return set(NORMALIZE_LABELS, value);
        }
    }

    @Override
    protected double term(Items it) {
        int n = it.n;
        double total = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            total += it.y[i];
            max = Math.max(max, it.s[i]);
        }
        if (total == 0) {
            return 0;
        }
        double w = normalize ? 1 / total : 1;
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += Math.exp(it.s[i] - max);
        }
        double lse = max + Math.log(z);
        double t = 0;
        double mass = normalize ? 1 : total;
        for (int i = 0; i < n; i++) {
            double yi = it.y[i] * w;
            t += yi * (lse - it.s[i]);
            it.g[i] = mass * Math.exp(it.s[i] - lse) - yi;
        }
        return t;
    }
}
