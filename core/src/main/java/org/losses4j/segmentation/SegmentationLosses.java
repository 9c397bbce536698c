package org.losses4j.segmentation;

import java.util.List;
import org.losses4j.LossInfo;

/** The segmentation family of the catalog, in catalog order. */
public final class SegmentationLosses {
    private SegmentationLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of();
    }
}
