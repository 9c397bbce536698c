// LEAD: read /work/wt-reg1/LEAD-INSTRUCTIONS.md now (rules, build commands, 17:15 UTC deadline, report); then delete this line.
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
                Rmsle.INFO, PoissonNll.INFO, GaussianNll.INFO, Quantile.INFO, PseudoHuber.INFO, Tweedie.INFO,
                Gamma.INFO, Expectile.INFO, Mape.INFO, Fair.INFO,
                Robust.INFO, Cox.INFO);
    }
}
