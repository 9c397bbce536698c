package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Supervised contrastive loss (SupCon, the L_out form): every other embedding of the anchor's
 * class is a positive, all the others are the candidates.
 *
 * <p>With cosine similarities s of the L2-normalised embeddings, anchor i's positives P(i)
 * (same label, j ≠ i) and candidates A(i) (every j ≠ i), its term is
 * {@code −(1/|P(i)|) Σ_{p∈P(i)} log(exp(s_ip/τ) / Σ_{k∈A(i)} exp(s_ik/τ))}, evaluated as
 * {@code Σ_p (max − s_ip)/(τ|P|) + log(1 + Σ_{k≠argmax} exp((s_ik − max)/τ))}: no overflow for any
 * τ, no cancellation for a well-separated anchor. An anchor with no positive or no negative has
 * term 0 and is not counted: {@code mean} divides by the anchors that have both (refused when
 * there is none); {@code none} gives {@code [N]}.
 *
 * <p>Reference: Khosla et al. (2020), "Supervised Contrastive Learning"; pytorch-metric-learning
 * {@code SupConLoss} (temperature 0.1, cosine similarity, AvgNonZeroReducer: the mean over the
 * terms &gt; 0, which is this divisor unless a term underflows to exactly 0).
 */
public final class SupCon extends LabelledPairLoss {
    /**
     * {@code temperature}: Divides the cosine similarities: smaller is sharper (at least 1e-8: the gradient grows as
     * 1/temperature). Default {@code 0.1}; allowed: &gt;= 1e-8.
     */
    public static final OptionSpec<Double> TEMPERATURE = temperature(0.1);
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("supcon", Family.RANKING)
            .summary("supervised contrastive loss: each embedding must pick the others of its class among all the batch")
            .formula("−(1/|P(i)|) Σ_{p∈P(i)} log(exp(s_ip/τ) / Σ_{k≠i} exp(s_ik/τ)), s = cosine similarity,"
                    + " P(i) = the others with i's label")
            .gradInput(EMBEDDINGS, EMBEDDINGS_SHAPE)
            .identifierInput(LABELS, LABELS_SHAPE)
            .options(TEMPERATURE, REDUCTION)
            .divisor("the number of anchors with at least one positive and one negative")
            .tasks("supervised contrastive representation learning", "metric learning", "image retrieval")
            .reference("Khosla et al. 2020 (SupCon); pytorch-metric-learning SupConLoss")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> example(r, n))
            .factory(SupCon::new)
            .build();

    private final double temperature;

    private SupCon(Options o) {
        super(INFO, o, Terms.ANCHORS_WITH_BOTH);
        this.temperature = o.real(TEMPERATURE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code SupCon}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<SupCon, Builder> {
        private Builder() {
            super(INFO, SupCon.class);
        }

        /**
         * {@code temperature}: Divides the cosine similarities: smaller is sharper (at least 1e-8: the
         * gradient grows as 1/temperature). Default {@code 0.1}; allowed: &gt;= 1e-8.
         */
        public Builder temperature(double value) {
            return set(TEMPERATURE, value);
        }
    }

    @Override
    void compute(Batch b, double[] terms, double[] gm, double scale) {
        int n = b.n;
        double invTau = 1 / temperature;
        double[] x = new double[n];
        double[] w = gm == null ? null : new double[n];
        int[] idx = new int[n];
        Lse lse = new Lse();
        for (int i = 0; i < n; i++) {
            terms[i] = 0;
            if (b.pos[i] == 0 || b.neg[i] == 0) {
                continue;
            }
            if (b.nan[i]) {
                terms[i] = Double.NaN;
                nanRow(b, i, gm);
                continue;
            }
            int c = 0;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    idx[c] = k;
                    x[c++] = b.m[i * n + k];
                }
            }
            lse.of(x, c, invTau, w);
            double gap = 0; // Σ_p (max − s_ip): every addend ≥ 0
            int np = b.pos[i];
            for (int k = 0; k < c; k++) {
                if (b.positive(i, idx[k])) {
                    gap += lse.max - x[k];
                }
            }
            terms[i] = gap * invTau / np + lse.log1pRest;
            if (gm == null) {
                continue;
            }
            // ∂term/∂s_ik = (softmax_k − [k ∈ P]/|P|)/τ
            double sc = scale * invTau;
            for (int k = 0; k < c; k++) {
                int j = idx[k];
                gm[i * n + j] += sc * (w[k] - (b.positive(i, j) ? 1.0 / np : 0));
            }
        }
    }
}
