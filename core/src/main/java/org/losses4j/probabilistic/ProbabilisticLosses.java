package org.losses4j.probabilistic;

import java.util.List;
import org.losses4j.LossInfo;

/** The probabilistic family of the catalog, in catalog order. */
public final class ProbabilisticLosses {
    private ProbabilisticLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        java.util.List<LossInfo> all = new java.util.ArrayList<>(DivergenceLosses.all());
        all.addAll(CtcRegistration.all());
        return java.util.Collections.unmodifiableList(all);
    }
}
