package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Circle loss for pairwise labels (Sun et al. 2020), as pytorch-metric-learning's
 * {@code CircleLoss}.
 *
 * <p>With cosine similarities s of the L2-normalised embeddings, margin m and scale γ: for each
 * positive pair {@code z_p = −γ·α_p·(s_ip − (1 − m))}, {@code α_p = max(0, 1 + m − s_ip)}; for each
 * negative pair {@code z_n = γ·α_n·(s_in − m)}, {@code α_n = max(0, s_in + m)}; anchor i's term is
 * {@code softplus(logsumexp_p z_p + logsumexp_n z_n)} (log-sum-exps with the maximum taken out,
 * softplus exact: PML's Softplus is linear above 20, within 2.1e-9). The weights α_p, α_n are
 * held constant in the gradient (detached, as PML and the paper's reference code): the gradient is
 * {@code σ(·)·softmax·(∓γ·α)} with respect to the similarities, not the derivative of the value
 * through α. An anchor with no positive or no negative has term 0 and is not counted: {@code mean}
 * divides by the anchors that have both (refused when there is none); {@code none} gives
 * {@code [N]}.
 *
 * <p>Reference: Sun et al. (2020), "Circle Loss: A Unified Perspective of Pair Similarity
 * Optimization"; pytorch-metric-learning {@code CircleLoss} (m 0.4, gamma 80, AvgNonZeroReducer:
 * the mean over the terms &gt; 0, this divisor unless a term underflows to 0). TensorFlow
 * Similarity's (Keras) {@code CircleLoss} differs: no softplus (log(1 + Σ_p) + log(1 + Σ_n)), the
 * weights not detached, the mean over all N.
 */
public final class Circle extends LabelledPairLoss {
    /**
     * {@code m}: The relaxation margin: positives are pushed above 1 − m, negatives below m. Default {@code 0.4};
     * allowed: in [-1, 1].
     */
    public static final OptionSpec<Double> M = OptionSpec.real("m", 0.4, OptionSpec.Range.SYMMETRIC_UNIT,
            "the relaxation margin: positives are pushed above 1 − m, negatives below m");
    /**
     * {@code gamma}: The scale of the similarities in the log-sum-exps (at most 1e15). Default {@code 80.0}; allowed:
     * in (0, 1e15].
     */
    public static final OptionSpec<Double> GAMMA = OptionSpec.real("gamma", 80.0, OptionSpec.Range.BOUNDED_POSITIVE,
            "the scale of the similarities in the log-sum-exps (at most 1e15)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("circle", Family.RANKING)
            .summary("circle loss: positives and negatives weighted by their distance from their optimum")
            .formula("softplus(logsumexp_p(−γ·α_p·(s_ip − 1 + m)) + logsumexp_n(γ·α_n·(s_in − m))), α_p = max(0, 1 + m"
                    + " − s_ip), α_n = max(0, s_in + m) held constant in the gradient")
            .gradInput(EMBEDDINGS, EMBEDDINGS_SHAPE)
            .identifierInput(LABELS, LABELS_SHAPE)
            .options(M, GAMMA, REDUCTION)
            .divisor("the number of anchors with at least one positive and one negative")
            .tasks("metric learning", "face recognition", "person re-identification", "image retrieval")
            .reference("Sun et al. 2020 (Circle loss); pytorch-metric-learning CircleLoss")
            .layout(LossInfo.Layout.SCALAR)
            .kinks(true)
            .heldConstant("the pair weights α_p = max(0, 1 + m − s_p) and α_n = max(0, s_n + m) (detached, as PML)")
            .example((r, n, o) -> example(r, n))
            .factory(Circle::new)
            .build();

    private final double m;
    private final double gamma;

    private Circle(Options o) {
        super(INFO, o, Terms.ANCHORS_WITH_BOTH);
        this.m = o.real(M);
        this.gamma = o.real(GAMMA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Circle}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Circle, Builder> {
        private Builder() {
            super(INFO, Circle.class);
        }

        /**
         * {@code m}: The relaxation margin: positives are pushed above 1 − m, negatives below m. Default
         * {@code 0.4}; allowed: in [-1, 1].
         */
        public Builder m(double value) {
            return set(M, value);
        }

        /**
         * {@code gamma}: The scale of the similarities in the log-sum-exps (at most 1e15). Default {@code
         * 80.0}; allowed: in (0, 1e15].
         */
        public Builder gamma(double value) {
            return set(GAMMA, value);
        }
    }

    @Override
    void compute(Batch b, double[] terms, double[] gm, double scale) {
        int n = b.n;
        double[] xp = new double[n];
        double[] xn = new double[n];
        double[] wp = gm == null ? null : new double[n];
        double[] wn = gm == null ? null : new double[n];
        int[] ip = new int[n];
        int[] in = new int[n];
        Lse lp = new Lse();
        Lse ln = new Lse();
        for (int i = 0; i < n; i++) {
            terms[i] = 0;
            if (b.pos[i] == 0 || b.neg[i] == 0) {
                continue;
            }
            int cp = 0;
            int cn = 0;
            for (int k = 0; k < n; k++) {
                if (k == i) {
                    continue;
                }
                double s = b.m[i * n + k];
                if (b.y[k] == b.y[i]) {
                    ip[cp] = k;
                    xp[cp++] = -gamma * RowVectors.hinge(1 + m - s) * (s - (1 - m));
                } else {
                    in[cn] = k;
                    xn[cn++] = gamma * RowVectors.hinge(s + m) * (s - m);
                }
            }
            lp.of(xp, cp, 1, wp);
            ln.of(xn, cn, 1, wn);
            double z = lp.value(1) + ln.value(1);
            terms[i] = softplus(z);
            if (gm == null) {
                continue;
            }
            // ∂term/∂s with α constant: σ(z)·softmax_k·(−γα_p) for positives, σ(z)·softmax_k·(γα_n) for negatives
            double c = scale * sigmoid(z) * gamma;
            for (int k = 0; k < cp; k++) {
                double s = b.m[i * n + ip[k]];
                gm[i * n + ip[k]] -= c * wp[k] * RowVectors.hinge(1 + m - s);
            }
            for (int k = 0; k < cn; k++) {
                double s = b.m[i * n + in[k]];
                gm[i * n + in[k]] += c * wn[k] * RowVectors.hinge(s + m);
            }
        }
    }
}
