package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * ApproxNDCG: minus the NDCG of each list with every rank replaced by a smooth one,
 * {@code r_i = 1 + Σ_{j≠i} σ((s_j − s_i)/T)}: the term is
 * {@code −Σ_i G_i / log2(1 + r_i) / IDCG}, gains {@code G = 2^y − 1}, IDCG the DCG of the
 * relevance-sorted list (TF-Ranking ApproxNDCGLoss, temperature 0.1 by default, gains and both
 * DCGs over the present items; its safe gain {@code 2^{y − max} − 2^{−max}} is used here too, the
 * same NDCG without overflow). A list with no relevant item (every y = 0) has term 0, as there.
 * Values lie in [−1, 0]. The sigmoids and their slopes are formed without overflow: scores of
 * ±1e4 give finite values and gradients.
 *
 * <p>Inputs and reduction: see {@link RankedLists}. Cost O(L²) per list.
 *
 * <p>Reference: Qin, Liu, Li (2010), "A general approximation framework for direct optimization
 * of information retrieval measures"; Bruch et al. (2019), "Revisiting Approximate Metric
 * Optimization in the Age of Deep Neural Networks"; TF-Ranking {@code ApproxNDCGLoss}.
 */
public final class ApproxNdcg extends RankedLists {
    /**
     * {@code temperature}: Divides the score differences in the smooth ranks: smaller is closer to the true NDCG and
     * steeper (at least 1e-8). Default {@code 0.1}; allowed: &gt;= 1e-8.
     */
    public static final OptionSpec<Double> TEMPERATURE = OptionSpec.real("temperature", 0.1,
            OptionSpec.Range.AT_LEAST_1E_MINUS_8, "divides the score differences in the smooth ranks: smaller is"
                    + " closer to the true NDCG and steeper (at least 1e-8)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = lists(LossInfo.builder("approx_ndcg", Family.RANKING))
            .summary("ApproxNDCG: minus the NDCG of each list with sigmoid-smoothed ranks")
            .formula("−Σ_i (2^y_i − 1)/log2(1 + r_i) / IDCG, r_i = 1 + Σ_{j≠i} σ((s_j − s_i)/T)")
            .options(TEMPERATURE, REDUCTION)
            .tasks("learning to rank", "direct NDCG optimisation")
            .reference("Qin et al. 2010; Bruch et al. 2019; TF-Ranking ApproxNDCGLoss")
            .example(RankedLists::example)
            .factory(ApproxNdcg::new)
            .build();

    private final double invT;

    private ApproxNdcg(Options o) {
        super(INFO, o);
        this.invT = 1 / o.real(TEMPERATURE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code ApproxNdcg}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<ApproxNdcg, Builder> {
        private Builder() {
            super(INFO, ApproxNdcg.class);
        }

        /**
         * {@code temperature}: Divides the score differences in the smooth ranks: smaller is closer to the true
         * NDCG and steeper (at least 1e-8). Default {@code 0.1}; allowed: &gt;= 1e-8.
         */
        public Builder temperature(double value) {
            return set(TEMPERATURE, value);
        }
    }

    @Override
    protected double term(Items it) {
        int n = it.n;
        double[] gain = it.aux;
        double idcg = gainsAndIdealDcg(it, true, n, gain);
        if (idcg == 0) {
            return 0;
        }
        double[] c = it.aux2;
        double dcg = 0;
        for (int i = 0; i < n; i++) {
            double r = 1;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    r += sigmoidNeg((it.s[i] - it.s[j]) * invT); // σ((s_j − s_i)/T)
                }
            }
            double lr = Math.log1p(r);
            dcg += gain[i] * LN2 / lr;
            // ∂term/∂r_i = (G_i/IDCG)·ln2 / ((1 + r_i)·ln²(1 + r_i))
            c[i] = gain[i] / idcg * LN2 / ((1 + r) * lr * lr);
        }
        for (int i = 0; i < n; i++) {
            if (c[i] == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double w = c[i] * sigmoidSlope((it.s[j] - it.s[i]) * invT) * invT;
                    it.g[j] += w;
                    it.g[i] -= w;
                }
            }
        }
        return -dcg / idcg;
    }
}
