package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR.
 *
 * <p>The 2N embeddings {@code e = (z1_0 … z1_{N−1}, z2_0 … z2_{N−1})} are normalised,
 * {@code u_i = e_i / max(‖e_i‖, 1e-12)}, and compared by cosine similarity
 * {@code s_ik = u_i·u_k}. Anchor i's positive is its other view j ({@code i ± N}); its term is
 * {@code −log(exp(s_ij/τ) / Σ_{k≠i} exp(s_ik/τ)) = −s_ij/τ + logsumexp_{k≠i}(s_ik/τ)},
 * evaluated with the maximum subtracted, so it is finite for any τ > 0. Gradients with respect
 * to z1 and z2 flow through the normalisation.
 *
 * <p>Shapes: z1, z2 {@code [N, D]} (z1_i and z2_i are a positive pair). {@code mean} divides by
 * the 2N anchors; {@code none} gives {@code [2N]}: the z1 anchors, then the z2 anchors.
 *
 * <p>Cost: O(N²·D) time and O(N·D) memory. The 2N×2N similarity matrix is never formed: the
 * anchors are processed 32 at a time, their 2N similarities computed into one reusable
 * 32 × 2N buffer, and their gradient contributions to themselves and to every other embedding
 * accumulated from it (one pass over the embeddings per block of anchors).
 *
 * <p>Reference: Chen, Kornblith, Norouzi, Hinton (2020), "A Simple Framework for Contrastive
 * Learning of Visual Representations" (SimCLR); Sohn (2016), N-pair loss.
 */
public final class NtXent extends AbstractLoss {
    /**
     * {@code temperature}: Divides the cosine similarities: smaller is sharper (at least 1e-8: the gradient grows as
     * 1/temperature and overflows float32 for tiny values). Default {@code 0.5}; allowed: &gt;= 1e-8.
     */
    public static final OptionSpec<Double> TEMPERATURE = OptionSpec.real("temperature", 0.5,
            OptionSpec.Range.AT_LEAST_1E_MINUS_8, "divides the cosine similarities: smaller is sharper (at least 1e-8:"
                    + " the gradient grows as 1/temperature and overflows float32 for tiny values)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("nt_xent", Family.RANKING)
            .summary("SimCLR's contrastive loss: each view must pick its partner among all 2N − 1 other embeddings")
            .formula("−log(exp(s_ij/τ) / Σ_{k≠i} exp(s_ik/τ)), s = cosine similarity, j = the other view of i")
            .gradInput("z1", "[N, D] embeddings of the first view")
            .gradInput("z2", "[N, D] embeddings of the second view (z2_i pairs with z1_i)")
            .options(TEMPERATURE, REDUCTION)
            .divisor("the number of anchors 2N")
            .tasks("self-supervised learning", "contrastive representation learning")
            .reference("Chen et al. 2020 (SimCLR)")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of("z1", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("z2", Examples.t(Examples.gauss(r, n * 3, 1), n, 3)))
            .factory(NtXent::new)
            .build();

    /** Anchors processed together: their similarity rows share one buffer of BLOCK × 2N. */
    private static final int BLOCK = 32;

    private final double temperature;

    private NtXent(Options o) {
        super(INFO, o);
        this.temperature = o.real(TEMPERATURE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code NtXent}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<NtXent, Builder> {
        private Builder() {
            super(INFO, NtXent.class);
        }

        /**
         * {@code temperature}: Divides the cosine similarities: smaller is sharper (at least 1e-8: the
         * gradient grows as 1/temperature and overflows float32 for tiny values). Default {@code 0.5};
         * allowed: &gt;= 1e-8.
         */
        public Builder temperature(double value) {
            return set(TEMPERATURE, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t1 = call.input("z1");
        Tensor t2 = call.input("z2");
        RowVectors.matrix("z1", t1);
        Check.sameShape("z1", t1, "z2", t2);
        int n = t1.dim(0);
        int d = t1.dim(1);
        int m = 2 * n;
        double scale = call.reduce(m);
        double invTau = 1 / temperature;

        // normalised embeddings u (2N rows), 1/max(‖e‖, eps), and whether the norm was clamped
        double[] u = new double[m * d];
        double[] inv = new double[m];
        double[] norms = new double[m];
        RowVectors.normalise(t1.f64(), 0, n, d, u, inv, norms);
        RowVectors.normalise(t2.f64(), n, n, d, u, inv, norms);

        double[] gu = !call.wantsGradient() ? null : new double[m * d]; // ∂(reduced loss)/∂u
        // taken before the workspace below is opened: they may be scratch of the caller's (AbstractLoss)
        double[] gz1 = call.gradient("z1", t1);
        double[] gz2 = call.gradient("z2", t2);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(m);
        // BLOCK anchors at a time: their rows of similarities (then of exp(s/τ − max)) in one reusable
        // buffer, so that u and gu stream through the cache once per block rather than once per anchor
        int rows = Math.min(BLOCK, m);
        double[] sim = new double[rows * m];
        double[] coef = new double[rows]; // scale/(τ·Σ_k exp(s_ik/τ − max_i)) of each anchor of the block
        for (int i0 = 0; i0 < m; i0 += BLOCK) {
            int nb = Math.min(BLOCK, m - i0);
            for (int k = 0; k < m; k++) {
                int ok = k * d;
                for (int b = 0; b < nb; b++) {
                    sim[b * m + k] = RowVectors.dot(u, (i0 + b) * d, u, ok, d) * invTau;
                }
            }
            for (int b = 0; b < nb; b++) {
                int i = i0 + b;
                int j = i < n ? i + n : i - n;
                int o = b * m;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < m; k++) {
                    if (k != i && sim[o + k] > max) { // NaN never wins, and reappears in the sum below
                        max = sim[o + k];
                    }
                }
                double sij = sim[o + j];
                double sum = 0;
                for (int k = 0; k < m; k++) {
                    double e = k == i ? 0 : Math.exp(sim[o + k] - max);
                    sim[o + k] = e;
                    sum += e;
                }
                terms[i] = max + Math.log(sum) - sij;
                coef[b] = scale * invTau / sum;
            }
            if (gu == null) {
                continue;
            }
            // sim now holds exp(s_ik/τ − max_i), 0 at k = i. ∂term_i/∂s_ik = (p_ik − [k = j])/τ for k ≠ i,
            // which flows to u_i (times u_k) and to u_k (times u_i)
            double pos = scale * invTau;
            for (int k = 0; k < m; k++) {
                int ok = k * d;
                for (int b = 0; b < nb; b++) {
                    int i = i0 + b;
                    if (k == i) {
                        continue;
                    }
                    int j = i < n ? i + n : i - n;
                    double w = sim[b * m + k] * coef[b] - (k == j ? pos : 0);
                    int oi = i * d;
                    // two loops, not one: each then reads u and writes gu only, and vectorises
                    for (int q = 0; q < d; q++) {
                        gu[oi + q] += w * u[ok + q];
                    }
                    for (int q = 0; q < d; q++) {
                        gu[ok + q] += w * u[oi + q];
                    }
                }
            }
        }
        if (gu != null) {
            RowVectors.backThroughNormalisation(gu, u, inv, norms, 0, n, d, gz1);
            RowVectors.backThroughNormalisation(gu, u, inv, norms, n, n, d, gz2);
        }
        return call.finish(terms, m);
    }
}
