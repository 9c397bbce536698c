package org.losses4j.generative;

import java.util.List;
import org.losses4j.LossInfo;

/** The generative family of the catalog, in catalog order. */
public final class GenerativeLosses {
    private GenerativeLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of(GanDiscriminator.INFO, GanGenerator.INFO, GradientPenalty.INFO, DiffusionMse.INFO);
    }
}
