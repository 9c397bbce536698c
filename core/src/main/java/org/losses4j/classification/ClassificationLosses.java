package org.losses4j.classification;

import java.util.List;
import org.losses4j.LossInfo;

/** The classification family of the catalog, in catalog order. */
public final class ClassificationLosses {
    private ClassificationLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of(Bce.INFO, BceWithLogits.INFO, CrossEntropy.INFO, Nll.INFO, CategoricalCrossEntropy.INFO,
                SparseCategoricalCrossEntropy.INFO, Focal.INFO, SoftmaxFocal.INFO, Hinge.INFO, Perceptron.INFO, SquaredHinge.INFO,
                SmoothHinge.INFO, Ramp.INFO, SoftMargin.INFO, MulticlassHinge.INFO, MultiMargin.INFO, ZeroOne.INFO,
                Sparsemax.INFO, MulticlassPerceptron.INFO,
                Poly1CrossEntropy.INFO, GeneralizedCrossEntropy.INFO, CategoricalHinge.INFO, HingeEmbedding.INFO,
                MultilabelSoftMargin.INFO, MultilabelMargin.INFO, CosineEmbedding.INFO, Asymmetric.INFO);
    }
}
