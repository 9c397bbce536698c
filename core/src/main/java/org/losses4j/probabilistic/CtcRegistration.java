package org.losses4j.probabilistic;

import java.util.List;
import org.losses4j.LossInfo;

/** CTC (registered from {@link ProbabilisticLosses}). */
final class CtcRegistration {
    private CtcRegistration() {
    }

    static List<LossInfo> all() {
        return List.of(Ctc.INFO);
    }
}
