package org.losses4j.ranking;

import java.util.List;
import org.losses4j.LossInfo;

/** The ranking family of the catalog, in catalog order. */
public final class RankingLosses {
    private RankingLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of(Contrastive.INFO, Triplet.INFO, MarginRanking.INFO, CosineSimilarity.INFO, NtXent.INFO,
                SupCon.INFO, InfoNce.INFO, MultiSimilarity.INFO, Circle.INFO, LiftedStructure.INFO,
                PairwiseLogistic.INFO, PairwiseHinge.INFO, LambdaRank.INFO, ListNet.INFO, ListMle.INFO, ApproxNdcg.INFO,
                Bpr.INFO);
    }
}
