package org.losses4j.classification;

import java.util.List;
import org.losses4j.LossInfo;

/** The classification family of the catalog, in catalog order. */
public final class ClassificationLosses {
    private ClassificationLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        java.util.List<LossInfo> all = new java.util.ArrayList<>(BinaryClassification.all());
        all.addAll(MulticlassClassification.all());
        return java.util.Collections.unmodifiableList(all);
    }
}
