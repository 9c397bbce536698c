package org.losses4j.regularization;

import java.util.List;
import org.losses4j.LossInfo;

/** The regularization family of the catalog, in catalog order. */
public final class RegularizationLosses {
    private RegularizationLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of(L1.INFO, L2.INFO, ElasticNet.INFO, UncertaintyWeighting.INFO);
    }
}
