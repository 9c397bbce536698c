package org.losses4j.ranking;

import org.losses4j.LossInfo;
import org.losses4j.Options;

/**
 * The pairwise list losses (TF-Ranking's {@code _PairwiseLoss}): a list's term is the sum over its
 * ordered pairs of present items with {@code y_i > y_j} of {@code f(s_i − s_j)}, divided by the
 * number of such pairs when {@code mean_over_pairs} (TF-Ranking's per-list normalisation; a list
 * with no such pair gives 0). Pairs of equal relevance never count. The loss writes only f and f'.
 */
abstract class PairwiseLists extends RankedLists {
    private final boolean meanOverPairs;

    PairwiseLists(LossInfo info, Options o, boolean meanOverPairs) {
        super(info, o);
        this.meanOverPairs = meanOverPairs;
    }

    /** f(d) of one pair with d = s_hi − s_lo; writes f'(d) into {@code slope[0]}. */
    protected abstract double pair(double d, double[] slope);

    @Override
    protected final double term(Items it) {
        double total = 0;
        long pairs = 0;
        double[] slope = it.aux2;
        for (int i = 0; i < it.n; i++) {
            for (int j = 0; j < it.n; j++) {
                if (it.y[i] > it.y[j]) {
                    total += pair(it.s[i] - it.s[j], slope);
                    it.g[i] += slope[0];
                    it.g[j] -= slope[0];
                    pairs++;
                }
            }
        }
        if (meanOverPairs && pairs > 1) {
            double inv = 1.0 / pairs;
            total *= inv;
            for (int i = 0; i < it.n; i++) {
                it.g[i] *= inv;
            }
        }
        return total;
    }
}
