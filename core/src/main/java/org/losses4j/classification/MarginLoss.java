package org.losses4j.classification;

import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.LossInfo;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * An elementwise loss of the margin y·x with labels y in {−1, +1} (hinge, squared_hinge, ramp,
 * smooth_hinge, soft_margin): the label check, once. Each loss keeps its own term loop.
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
