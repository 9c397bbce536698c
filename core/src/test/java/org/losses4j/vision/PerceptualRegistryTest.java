package org.losses4j.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** The registry's one-layer perceptual entry. */
class PerceptualRegistryTest {
    @Test
    void valueIsWeightedMeanSquaredFeatureDistanceAndGradientMatchesFiniteDifferences() {
        double[] a = {0.5, -1.0, 2.0, 0.25, 1.5, -0.5};
        double[] b = {0.0, -1.5, 1.0, 0.75, 1.0, 0.5};
        Loss l = Losses.create("perceptual", Map.of("layer_weights", List.of(2.0)));
        Inputs in = Inputs.of("input_features", Tensor.of(a, 1, 2, 3)).with("target_features", Tensor.of(b, 1, 2, 3));
        LossResult r = l.compute(in);
        double expected = 0;
        for (int i = 0; i < a.length; i++) {
            expected += (a[i] - b[i]) * (a[i] - b[i]);
        }
        expected = 2.0 * expected / a.length;
        assertThat(r.value()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-14));
        GradCheck.gradients(l, in);
    }

    @Test
    void severalWeightsAreRefusedWithAPointerToTheApi() {
        assertThatThrownBy(() -> Losses.create("perceptual", Map.of("layer_weights", List.of(1.0, 2.0))))
                .isInstanceOf(LossException.class).hasMessageContaining("PerceptualLayers");
    }
}
