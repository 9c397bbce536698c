package org.losses4j.classification;

import java.util.List;
import org.losses4j.LossInfo;

/** Classification: multi-class losses over [N, C]. */
final class MulticlassClassification {
    private MulticlassClassification() {
    }

    static List<LossInfo> all() {
        return List.of(CrossEntropy.INFO, Nll.INFO, CategoricalCrossEntropy.INFO,
                SparseCategoricalCrossEntropy.INFO, SoftmaxFocal.INFO, MulticlassHinge.INFO, MultiMargin.INFO,
                ZeroOne.INFO);
    }
}
