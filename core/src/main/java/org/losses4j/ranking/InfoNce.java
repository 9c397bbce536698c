package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * InfoNCE with labels (pytorch-metric-learning's {@code NTXentLoss}): one term per ordered
 * positive pair, whose positive must beat the anchor's negatives.
 *
 * <p>With cosine similarities s of the L2-normalised embeddings, the ordered positive pair
 * (a, p) (same label, p ≠ a) and the negatives N(a) of a (another label), the term is
 * {@code −log(exp(s_ap/τ) / (exp(s_ap/τ) + Σ_{n∈N(a)} exp(s_an/τ)))}; a's other positives are
 * not in the denominator. Evaluated as {@code softplus(L_a − s_ap/τ)},
 * {@code L_a = log Σ_{n∈N(a)} exp(s_an/τ)} (a log-sum-exp, −∞ without negatives: term 0). The
 * terms are in row-major order of the pairs (a ascending, then p); {@code mean} divides by their
 * number (refused when there is no positive pair), {@code none} gives them.
 *
 * <p>Reference: van den Oord et al. (2018), "Representation Learning with Contrastive Predictive
 * Coding" (InfoNCE); Sohn (2016) N-pair; pytorch-metric-learning {@code NTXentLoss}
 * (temperature 0.07, MeanReducer over the positive pairs). PML takes log(ratio + tiny), which caps
 * a term at −log(tiny) (708 in float64, 87 in float32) and has no gradient there; here the term
 * is exact.
 */
public final class InfoNce extends LabelledPairLoss {
    /**
     * {@code temperature}: Divides the cosine similarities: smaller is sharper (at least 1e-8: the gradient grows as
     * 1/temperature). Default {@code 0.07}; allowed: &gt;= 1e-8.
     */
    public static final OptionSpec<Double> TEMPERATURE = temperature(0.07);
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("infonce", Family.RANKING)
            .summary("InfoNCE with labels: each positive pair must beat the anchor's negatives (PML's NTXentLoss)")
            .formula("−log(exp(s_ap/τ) / (exp(s_ap/τ) + Σ_{n: y_n≠y_a} exp(s_an/τ))) per ordered positive pair (a, p),"
                    + " s = cosine similarity")
            .gradInput(EMBEDDINGS, EMBEDDINGS_SHAPE)
            .identifierInput(LABELS, LABELS_SHAPE)
            .options(TEMPERATURE, REDUCTION)
            .divisor("the number of ordered positive pairs (a, p), p ≠ a with the same label")
            .tasks("contrastive representation learning", "metric learning", "image retrieval")
            .reference("van den Oord et al. 2018 (InfoNCE); pytorch-metric-learning NTXentLoss")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> example(r, n))
            .factory(InfoNce::new)
            .build();

    private final double temperature;

    private InfoNce(Options o) {
        super(INFO, o, Terms.POSITIVE_PAIRS);
        this.temperature = o.real(TEMPERATURE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code InfoNce}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<InfoNce, Builder> {
        private Builder() {
            super(INFO, InfoNce.class);
        }

        /**
         * {@code temperature}: Divides the cosine similarities: smaller is sharper (at least 1e-8: the
         * gradient grows as 1/temperature). Default {@code 0.07}; allowed: &gt;= 1e-8.
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
        int t = 0;
        for (int a = 0; a < n; a++) {
            if (b.pos[a] == 0) {
                continue;
            }
            int c = 0;
            for (int k = 0; k < n; k++) {
                if (k != a && b.y[k] != b.y[a]) {
                    idx[c] = k;
                    x[c++] = b.m[a * n + k];
                }
            }
            lse.of(x, c, invTau, w);
            double sumSig = 0; // Σ_p σ(L_a − s_ap/τ): the weight of a's negatives in the gradient
            for (int p = 0; p < n; p++) {
                if (!b.positive(a, p)) {
                    continue;
                }
                double sap = b.m[a * n + p];
                // L_a − s_ap/τ = (max − s_ap)/τ + log1pRest (−∞ without negatives)
                double z = c == 0 ? Double.NEGATIVE_INFINITY : (lse.max - sap) * invTau + lse.log1pRest;
                if (b.nan[a]) {
                    z = Double.NaN;
                }
                terms[t++] = softplus(z);
                if (gm != null) {
                    double sg = sigmoid(z);
                    gm[a * n + p] -= scale * invTau * sg;
                    sumSig += sg;
                }
            }
            if (gm != null && c > 0) {
                double sc = scale * invTau * sumSig;
                for (int k = 0; k < c; k++) {
                    gm[a * n + idx[k]] += sc * w[k];
                }
            }
        }
    }
}
