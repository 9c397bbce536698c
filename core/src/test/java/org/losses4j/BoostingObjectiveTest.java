package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The boosting objective's per-sample gradient and Hessian against closed forms. */
class BoostingObjectiveTest {

    @Test
    void mseWithWeightsScaleAndFactor() {
        double[] f = {1.0, -2.0, 0.5};
        double[] y = {0.0, 1.0, 0.5};
        double[] w = {1.0, 2.0, 0.5};
        double[][] gh = BoostingObjective.of("mse", Map.of()).scale(0.5).hessianFactor(3.0).gradHess(f, y, w);
        for (int i = 0; i < f.length; i++) {
            // ½·w·(f − y)²: gradient w·(f − y), Hessian w, times the factor 3
            assertThat(gh[0][i]).isCloseTo(w[i] * (f[i] - y[i]), within(1e-15));
            assertThat(gh[1][i]).isCloseTo(3.0 * w[i], within(1e-15));
        }
    }

    @Test
    void floorRaisesFlatAndNegativeCurvature() {
        // mae: gradient sign(f − y), second derivative 0, raised to the floor
        double[][] mae = BoostingObjective.of("mae", Map.of()).hessianFloor(1.0)
                .gradHess(new double[] {2, -1}, new double[] {0, 0}, null);
        assertThat(mae[0]).containsExactly(1.0, -1.0);
        assertThat(mae[1]).containsExactly(1.0, 1.0);
        // bce_with_logits: σ(f) − y and σ(1 − σ), above the default floor
        double s = 1 / (1 + Math.exp(-0.3));
        double[][] b = BoostingObjective.of("bce_with_logits", Map.of()).gradHess(new double[] {0.3},
                new double[] {1}, null);
        assertThat(b[0][0]).isCloseTo(s - 1, within(1e-15));
        assertThat(b[1][0]).isCloseTo(s * (1 - s), within(1e-15));
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> BoostingObjective.of("cross_entropy", Map.of()))
                .isInstanceOf(LossException.class).hasMessageContaining("cannot be a boosting objective");
        assertThatThrownBy(() -> BoostingObjective.of("rmse", Map.of())).hasMessageContaining("always a scalar");
        assertThatThrownBy(() -> BoostingObjective.of("mse", Map.of("reduction", "mean")))
                .hasMessageContaining("leave out the reduction");
        assertThatThrownBy(() -> BoostingObjective.of("mse", Map.of()).scale(0)).isInstanceOf(LossException.class);
        assertThatThrownBy(() -> BoostingObjective.of("mse", Map.of()).gradHess(new double[2], new double[3], null))
                .isInstanceOf(LossException.class);
    }
}
