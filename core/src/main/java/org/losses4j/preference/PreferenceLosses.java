package org.losses4j.preference;

import java.util.List;
import org.losses4j.LossInfo;

/** The preference family of the catalog, in catalog order. */
public final class PreferenceLosses {
    private PreferenceLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of(PpoClip.INFO, Dpo.INFO, Simpo.INFO, Cpo.INFO);
    }
}
