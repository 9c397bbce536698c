package org.losses4j.classification;

import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.LossInfo;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * An elementwise loss with labels y in {−1, +1}: of the margin y·x (hinge, squared_hinge, ramp,
 * smooth_hinge, soft_margin) or of a pair's distance (hinge_embedding). The label check, once.
 * Each loss keeps its own term loop.
 */
abstract class MarginLoss extends ElementwiseLoss {
    MarginLoss(LossInfo info, Options options) {
        super(info, options);
    }

    @Override
    protected final void validate(Tensor input, Tensor target) {
        Check.oneOf("target", target, -1, 1);
    }
}
