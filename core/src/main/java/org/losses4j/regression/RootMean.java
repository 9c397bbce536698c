package org.losses4j.regression;

import org.losses4j.ElementwiseLoss;
import org.losses4j.LossInfo;
import org.losses4j.Options;

/**
 * The root of a mean (rmse, rmsle): an elementwise loss whose value is {@code √m} of the mean
 * term m, always a scalar. The outer derivatives are 0 at m = 0, where every inner gradient is 0
 * too, so that 0·∞ cannot give NaN.
 */
abstract class RootMean extends ElementwiseLoss {
    RootMean(LossInfo info, Options options) {
        super(info, options);
    }

    @Override
    protected final boolean hasOuter() {
        return true;
    }

    @Override
    protected final double outer(double mean) {
        return Math.sqrt(mean);
    }

    @Override
    protected final double outerDerivative(double mean) {
        return mean == 0 ? 0.0 : 0.5 / Math.sqrt(mean);
    }

    @Override
    protected final double outerSecondDerivative(double mean) {
        return mean == 0 ? 0.0 : -0.25 / (mean * Math.sqrt(mean));
    }
}
