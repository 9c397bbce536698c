package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Multi-similarity loss, with its pair mining (Wang et al. 2019; pytorch-metric-learning's
 * {@code MultiSimilarityLoss} on the pairs of its {@code MultiSimilarityMiner}).
 *
 * <p>With cosine similarities s of the L2-normalised embeddings, anchor i's term is
 * {@code (1/α)·log(1 + Σ_{p∈P̃(i)} exp(−α(s_ip − λ))) + (1/β)·log(1 + Σ_{n∈Ñ(i)} exp(β(s_in − λ)))}
 * over its mined positives P̃(i) and negatives Ñ(i). Mining (epsilon ε not null), for an anchor
 * with at least one positive and one negative: a positive p is kept when
 * {@code s_ip − ε < max_n s_in} (the hardest negative), a negative n when
 * {@code s_in + ε > min_p s_ip} (the hardest positive), both strict; an anchor without a positive or
 * without a negative keeps nothing (term 0). With ε null every pair is kept. Each log is
 * evaluated as {@code max + (1/α)·log Σ exp(α(x − max))} (with the 1 as x = 0), finite for every
 * α, β ≥ 1e-8. {@code mean} divides by N (every anchor, as PML's MeanReducer); {@code none}
 * gives {@code [N]}. The mining is a step function of the similarities: the gradient is the
 * derivative away from its thresholds.
 *
 * <p>Reference: Wang, Han, Huang, Dong, Scott (2019), "Multi-Similarity Loss with General Pair
 * Weighting for Deep Metric Learning"; pytorch-metric-learning {@code MultiSimilarityLoss}
 * (alpha 2, beta 50, base 0.5) and {@code MultiSimilarityMiner} (epsilon 0.1).
 */
public final class MultiSimilarity extends LabelledPairLoss {
    /** {@code alpha}: Scale of the positive pairs' exponent. Default {@code 2.0}; allowed: &gt;= 1e-8. */
    public static final OptionSpec<Double> ALPHA = OptionSpec.real("alpha", 2.0, OptionSpec.Range.AT_LEAST_1E_MINUS_8,
            "scale of the positive pairs' exponent");
    /** {@code beta}: Scale of the negative pairs' exponent. Default {@code 50.0}; allowed: &gt;= 1e-8. */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 50.0, OptionSpec.Range.AT_LEAST_1E_MINUS_8,
            "scale of the negative pairs' exponent");
    /**
     * {@code base}: The similarity λ the exponents are measured from (PML's base). Default {@code 0.5}; allowed: in
     * [-1e15, 1e15].
     */
    public static final OptionSpec<Double> BASE = OptionSpec.real("base", 0.5, OptionSpec.Range.BOUNDED,
            "the similarity λ the exponents are measured from (PML's base)");
    /**
     * {@code epsilon}: Margin of the pair mining (MultiSimilarityMiner); null = no mining, every pair counts. Default
     * {@code 0.1}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> EPSILON = OptionSpec.nullableReal("epsilon", 0.1,
            OptionSpec.Range.NON_NEGATIVE, "margin of the pair mining (MultiSimilarityMiner); null = no mining, every"
                    + " pair counts");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("multi_similarity", Family.RANKING)
            .summary("multi-similarity loss: soft weighting of the hard positive and negative pairs its miner keeps")
            .formula("(1/α)·log(1 + Σ_{p mined} exp(−α(s_ip − λ))) + (1/β)·log(1 + Σ_{n mined} exp(β(s_in − λ))),"
                    + " s = cosine similarity")
            .gradInput(EMBEDDINGS, EMBEDDINGS_SHAPE)
            .identifierInput(LABELS, LABELS_SHAPE)
            .options(ALPHA, BETA, BASE, EPSILON, REDUCTION)
            .divisor("the number of anchors N")
            .tasks("metric learning", "image retrieval", "fine-grained recognition")
            .reference("Wang et al. 2019 (multi-similarity); pytorch-metric-learning MultiSimilarityLoss and"
                    + " MultiSimilarityMiner")
            .layout(LossInfo.Layout.SCALAR)
            .kinks(true)
            .example((r, n, o) -> example(r, n))
            .factory(MultiSimilarity::new)
            .build();

    private final double alpha;
    private final double beta;
    private final double base;
    private final Double epsilon;

    private MultiSimilarity(Options o) {
        super(INFO, o, Terms.ANCHORS);
        this.alpha = o.real(ALPHA);
        this.beta = o.real(BETA);
        this.base = o.real(BASE);
        this.epsilon = o.get(EPSILON);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code MultiSimilarity}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<MultiSimilarity, Builder> {
        private Builder() {
            super(INFO, MultiSimilarity.class);
        }

        /** {@code alpha}: Scale of the positive pairs' exponent. Default {@code 2.0}; allowed: &gt;= 1e-8. */
        public Builder alpha(double value) {
            return set(ALPHA, value);
        }

        /** {@code beta}: Scale of the negative pairs' exponent. Default {@code 50.0}; allowed: &gt;= 1e-8. */
        public Builder beta(double value) {
            return set(BETA, value);
        }

        /**
         * {@code base}: The similarity λ the exponents are measured from (PML's base). Default {@code 0.5};
         * allowed: in [-1e15, 1e15].
         */
        public Builder base(double value) {
            return set(BASE, value);
        }

        /**
         * {@code epsilon}: Margin of the pair mining (MultiSimilarityMiner); null = no mining, every pair
         * counts. Default {@code 0.1}; allowed: &gt;= 0.
         */
        public Builder epsilon(Double value) {
            return set(EPSILON, value);
        }
    }

    @Override
    void compute(Batch b, double[] terms, double[] gm, double scale) {
        int n = b.n;
        double[] x = new double[n + 1];
        double[] w = gm == null ? null : new double[n + 1];
        int[] idx = new int[n + 1];
        Lse lse = new Lse();
        for (int i = 0; i < n; i++) {
            terms[i] = 0;
            if (b.nan[i]) {
                terms[i] = Double.NaN;
                nanRow(b, i, gm);
                continue;
            }
            double minPos = Double.POSITIVE_INFINITY;
            double maxNeg = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    double s = b.m[i * n + k];
                    if (b.y[k] == b.y[i]) {
                        minPos = Math.min(minPos, s);
                    } else {
                        maxNeg = Math.max(maxNeg, s);
                    }
                }
            }
            boolean mined = epsilon != null;
            if (mined && (b.pos[i] == 0 || b.neg[i] == 0)) {
                continue; // the miner keeps no pair of an anchor without a positive or without a negative
            }
            double eps = mined ? epsilon : 0;
            for (int side = 0; side < 2; side++) {
                boolean positives = side == 0;
                int c = 0;
                for (int k = 0; k < n; k++) {
                    if (k == i || (b.y[k] == b.y[i]) != positives) {
                        continue;
                    }
                    double s = b.m[i * n + k];
                    if (mined && (positives ? !(s - eps < maxNeg) : !(s + eps > minPos))) {
                        continue;
                    }
                    idx[c] = k;
                    // the exponent's argument over its scale: λ − s (positives), s − λ (negatives)
                    x[c++] = positives ? base - s : s - base;
                }
                if (c == 0) {
                    continue; // log(1 + 0)
                }
                x[c] = 0; // the 1 of log(1 + Σ)
                double a = positives ? alpha : beta;
                lse.of(x, c + 1, a, w);
                terms[i] += lse.value(a);
                if (gm != null) {
                    // ∂/∂s = −w (positives: x = λ − s), +w (negatives)
                    double sc = positives ? -scale : scale;
                    for (int k = 0; k < c; k++) {
                        gm[i * n + idx[k]] += sc * w[k];
                    }
                }
            }
        }
    }
}
