package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Lifted structured loss (Song et al. 2016), as pytorch-metric-learning's
 * {@code LiftedStructureLoss}: each positive pair against every negative of either of its ends.
 *
 * <p>With distances {@code d_ij = ‖u_i − u_j‖₂} between the L2-normalised embeddings (PML's
 * default LpDistance, normalised), for the ordered positive pair (a, p):
 * {@code J_ap = log(Σ_{n∈N(a)} exp(neg_margin − d_an) + Σ_{n∈N(p)} exp(neg_margin − d_pn)) + d_ap − pos_margin},
 * N(i) the embeddings with another label; the term is {@code ½·max(0, J_ap)²} (each unordered pair
 * appears twice, hence the ½). The log-sum-exp is taken per end with its maximum out (no
 * overflow); without negatives J = −∞ and the term is 0. Subgradient 0 at J = 0 and at a zero
 * distance. Terms in row-major order of the pairs (a ascending, then p); {@code mean} divides by
 * their number (refused when there is no positive pair), {@code none} gives them.
 *
 * <p>Reference: Song, Xiang, Jegelka, Savarese (2016), "Deep Metric Learning via Lifted Structured
 * Feature Embedding"; pytorch-metric-learning {@code LiftedStructureLoss} (neg_margin 1,
 * pos_margin 0, MeanReducer over the positive pairs: Song's 1/(2|P|) Σ over unordered pairs).
 * Distances are formed from differences, as torch.cdist for up to 25 rows (beyond, cdist uses
 * ‖x‖² + ‖y‖² − 2x·y, which is not exact near 0).
 */
public final class LiftedStructure extends LabelledPairLoss {
    /**
     * {@code neg_margin}: Distance beyond which a negative stops contributing much (the α of Song et al.). Default
     * {@code 1.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> NEG_MARGIN = OptionSpec.real("neg_margin", 1.0, OptionSpec.Range.BOUNDED,
            "distance beyond which a negative stops contributing much (the α of Song et al.)");
    /**
     * {@code pos_margin}: Distance a positive pair may keep at no cost. Default {@code 0.0}; allowed: in [-1e15,
     * 1e15].
     */
    public static final OptionSpec<Double> POS_MARGIN = OptionSpec.real("pos_margin", 0.0, OptionSpec.Range.BOUNDED,
            "distance a positive pair may keep at no cost");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("lifted_structure", Family.RANKING)
            .summary("lifted structured loss: each positive pair closer than every negative of either end, smoothly")
            .formula("½·max(0, log(Σ_{n∈N(a)} exp(α − d_an) + Σ_{n∈N(p)} exp(α − d_pn)) + d_ap − pos_margin)² per"
                    + " ordered positive pair (a, p), d = Euclidean distance of the normalised embeddings")
            .gradInput(EMBEDDINGS, EMBEDDINGS_SHAPE)
            .identifierInput(LABELS, LABELS_SHAPE)
            .options(NEG_MARGIN, POS_MARGIN, REDUCTION)
            .divisor("the number of ordered positive pairs (a, p), p ≠ a with the same label")
            .tasks("metric learning", "image retrieval", "fine-grained recognition")
            .reference("Song et al. 2016 (lifted structured embedding); pytorch-metric-learning LiftedStructureLoss")
            .layout(LossInfo.Layout.SCALAR)
            .kinks(true)
            .example((r, n, o) -> example(r, n))
            .factory(LiftedStructure::new)
            .build();

    private final double negMargin;
    private final double posMargin;

    private LiftedStructure(Options o) {
        super(INFO, o, Terms.POSITIVE_PAIRS);
        this.negMargin = o.real(NEG_MARGIN);
        this.posMargin = o.real(POS_MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code LiftedStructure}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<LiftedStructure, Builder> {
        private Builder() {
            super(INFO, LiftedStructure.class);
        }

        /**
         * {@code neg_margin}: Distance beyond which a negative stops contributing much (the α of Song et
         * al.). Default {@code 1.0}; allowed: in [-1e15, 1e15].
         */
        public Builder negMargin(double value) {
            return set(NEG_MARGIN, value);
        }

        /**
         * {@code pos_margin}: Distance a positive pair may keep at no cost. Default {@code 0.0}; allowed: in
         * [-1e15, 1e15].
         */
        public Builder posMargin(double value) {
            return set(POS_MARGIN, value);
        }
    }

    @Override
    boolean euclidean() {
        return true;
    }

    @Override
    void compute(Batch b, double[] terms, double[] gm, double scale) {
        int n = b.n;
        double[] x = new double[n];
        double[] r = new double[n]; // R_i = log Σ_{n∈N(i)} exp(neg_margin − d_in), −∞ without negatives
        double[] weight = gm == null ? null : new double[n]; // C_i: Σ of ∂term/∂R_i over the pairs at i
        Lse lse = new Lse();
        for (int i = 0; i < n; i++) {
            int c = 0;
            for (int k = 0; k < n; k++) {
                if (k != i && b.y[k] != b.y[i]) {
                    x[c++] = negMargin - b.m[i * n + k];
                }
            }
            r[i] = lse.of(x, c, 1, null).value(1);
        }
        int t = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (!b.positive(a, p)) {
                    continue;
                }
                double ra = r[a];
                double rp = r[p];
                double hi = Math.max(ra, rp);
                double j;
                double wa = 0;
                double wp = 0;
                if (b.nan[a] || b.nan[p]) {
                    j = Double.NaN;
                    wa = Double.NaN;
                    wp = Double.NaN;
                } else if (hi == Double.NEGATIVE_INFINITY) {
                    j = Double.NEGATIVE_INFINITY; // no negative: an empty sum
                } else {
                    double e = Math.exp(-Math.abs(ra - rp));
                    j = hi + Math.log1p(e) + b.m[a * n + p] - posMargin;
                    wa = ra >= rp ? 1 / (1 + e) : e / (1 + e);
                    wp = ra >= rp ? e / (1 + e) : 1 / (1 + e);
                }
                double h = RowVectors.hinge(j);
                terms[t++] = 0.5 * h * h;
                if (gm != null && h != 0) {
                    double g = scale * h; // ∂(½h²)/∂J
                    gm[a * n + p] += g;
                    weight[a] += g * wa;
                    weight[p] += g * wp;
                }
            }
        }
        if (gm == null) {
            return;
        }
        // ∂R_i/∂d_in = −exp(neg_margin − d_in − R_i)
        for (int i = 0; i < n; i++) {
            if (weight[i] == 0) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                if (k != i && b.y[k] != b.y[i]) {
                    gm[i * n + k] -= weight[i] * Math.exp(negMargin - b.m[i * n + k] - r[i]);
                }
            }
        }
    }
}
