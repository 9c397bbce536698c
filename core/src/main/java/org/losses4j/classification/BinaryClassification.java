package org.losses4j.classification;

import java.util.List;
import org.losses4j.LossInfo;

/** Classification: binary and margin losses (elementwise), in catalog order. */
final class BinaryClassification {
    private BinaryClassification() {
    }

    static List<LossInfo> all() {
        return List.of(Bce.INFO, BceWithLogits.INFO, Focal.INFO, Hinge.INFO, SquaredHinge.INFO, SmoothHinge.INFO,
                Ramp.INFO, SoftMargin.INFO);
    }
}
