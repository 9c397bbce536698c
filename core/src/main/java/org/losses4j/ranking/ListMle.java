package org.losses4j.ranking;

import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * ListMLE: the negative Plackett–Luce log-likelihood of the ideal order of each list under its
 * scores, {@code Σ_k [log Σ_{m ≥ k} exp(s_π(m)) − s_π(k)]} where π orders the present items by
 * relevance decreasing. Ties in relevance keep their list order (TF-Ranking shuffles them at
 * random, so its value on tied lists is one draw of this). Every suffix log-sum-exp is a running
 * one from the end (finite for any finite scores), and the gradient
 * {@code exp(s_π(m))·Σ_{k ≤ m} exp(−LSE_k) − 1} is formed with each factor at most 1.
 *
 * <p>Inputs and reduction: see {@link RankedLists}. Cost O(L log L) per list.
 *
 * <p>Reference: Xia et al. (2008), "Listwise Approach to Learning to Rank: Theory and Algorithm"
 * (ListMLE); TF-Ranking {@code ListMLELoss}.
 */
public final class ListMle extends RankedLists {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = lists(LossInfo.builder("listmle", Family.RANKING))
            .summary("ListMLE: negative Plackett–Luce log-likelihood of the list ordered by relevance")
            .formula("Σ_k log Σ_{m ≥ k} exp(s_π(m)) − s_π(k), π: relevance decreasing (ties in list order)")
            .options(REDUCTION)
            .convex(true)
            .tasks("learning to rank", "listwise ranking", "full-order supervision")
            .reference("Xia et al. 2008 (ListMLE); TF-Ranking ListMLELoss")
            .example(RankedLists::example)
            .factory(ListMle::new)
            .build();

    private ListMle(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<ListMle> builder() {
        return new LossBuilder<>(INFO, ListMle.class);
    }

    @Override
    protected double term(Items it) {
        int n = it.n;
        int[] pi = it.sortDescending(it.y);
        double[] lse = it.aux; // lse[k] = log Σ_{m ≥ k} exp(s_π(m))
        double mx = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double t = 0;
        for (int k = n - 1; k >= 0; k--) {
            double v = it.s[pi[k]];
            if (v <= mx) {
                sum += Math.exp(v - mx);
            } else {
                sum = sum * Math.exp(mx - v) + 1;
                mx = v;
            }
            lse[k] = mx + Math.log(sum);
            t += lse[k] - v;
        }
        double a = Double.NEGATIVE_INFINITY; // log Σ_{k ≤ m} exp(−lse[k])
        for (int m = 0; m < n; m++) {
            a = logAddExp(a, -lse[m]);
            it.g[pi[m]] = Math.exp(it.s[pi[m]] + a) - 1;
        }
        return t;
    }

    private static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
    }
}
