package org.losses4j.regression;

import java.util.List;
import org.losses4j.LossInfo;

/** The regression family of the catalog, in catalog order. */
public final class RegressionLosses {
    private RegressionLosses() {
    }

    /** Every loss of this family. */
    public static List<LossInfo> all() {
        return List.of(Mse.INFO, Mae.INFO, Rmse.INFO, Huber.INFO, SmoothL1.INFO, LogCosh.INFO, Msle.INFO,
                Rmsle.INFO, PoissonNll.INFO, GaussianNll.INFO, Quantile.INFO, PseudoHuber.INFO,
                Robust.INFO, Cox.INFO);
    }
}
