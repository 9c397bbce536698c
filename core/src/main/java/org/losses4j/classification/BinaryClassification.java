package org.losses4j.classification;

import java.util.List;
import org.losses4j.LossInfo;

/** Classification: binary and margin losses (elementwise). */
final class BinaryClassification {
    private BinaryClassification() {
    }

    static List<LossInfo> all() {
        return List.of();
    }
}
