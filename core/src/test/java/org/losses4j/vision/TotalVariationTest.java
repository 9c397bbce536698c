package org.losses4j.vision;

import static org.losses4j.segmentation.RegionLossesTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.segmentation.Data;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** total_variation: gradients for both kinds and every reduction, closed forms, refusals. */
class TotalVariationTest {
    private static Loss loss(String kind, String reduction) {
        return Losses.create("total_variation", Map.of("kind", kind, "reduction", reduction));
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOptionCombination() {
        long seed = 21;
        for (String kind : new String[] {"squared", "l1"}) {
            for (String red : new String[] {"sum", "mean", "none"}) {
                for (int[] shape : new int[][] {{2, 3, 4, 5}, {3, 1, 1, 6}, {2, 2, 5, 1}}) {
                    Random r = new Random(seed++);
                    Inputs in = Inputs.of("input", Tensor.of(Data.uniform(r, Data.size(shape), -2, 2), shape));
                    GradCheck.gradients(loss(kind, red), in, 1e-6, 1e-6);
                }
            }
        }
    }

    @Test
    void closedFormOnATwoByTwoImage() {
        // [[1, 2], [4, 8]]: horizontal differences 1 and 4, vertical 3 and 6
        Inputs in = Inputs.of("input", Tensor.of(new double[] {1, 2, 4, 8}, 1, 1, 2, 2));
        LossResult sq = loss("squared", "sum").compute(in);
        assertEquals(1 + 16 + 9 + 36, sq.value(), 0.0);
        // d/dx00 = −2·1 − 2·3, d/dx01 = 2·1 − 2·6, d/dx10 = 2·3 − 2·4, d/dx11 = 2·4 + 2·6
        assertThat(sq.grad().f64()).containsExactly(-8, -10, -2, 20);
        LossResult l1 = loss("l1", "sum").compute(in);
        assertEquals(14, l1.value(), 0.0);
        assertThat(l1.grad().f64()).containsExactly(-2, 0, 0, 2);
        // equal neighbours: subgradient 0
        LossResult flat = loss("l1", "sum").compute(Inputs.of("input", Tensor.of(new double[] {5, 5, 5, 6}, 1, 1, 2, 2)));
        assertThat(flat.grad().f64()).containsExactly(0, -1, -1, 2);
    }

    @Test
    void reductions() {
        Random r = new Random(8);
        Inputs in = Inputs.of("input", Tensor.of(Data.uniform(r, 4 * 2 * 3 * 3, 0, 1), 4, 2, 3, 3));
        for (String kind : new String[] {"squared", "l1"}) {
            double sum = loss(kind, "sum").compute(in).value();
            GradCheck.sumIsNTimesMean(sum, loss(kind, "mean").compute(in).value(), 4);
            LossResult none = loss(kind, "none").compute(in);
            assertThat(none.terms().shape()).containsExactly(4);
            assertEquals(sum, none.value(), 1e-12);
        }
        assertEquals(Losses.create("total_variation").compute(in).value(), loss("squared", "sum").compute(in).value(), 0.0);
    }

    @Test
    void nanPropagates() {
        LossResult r = loss("l1", "sum").compute(Inputs.of("input", Tensor.of(new double[] {1, Double.NaN, 3, 4}, 1, 1, 2, 2)));
        assertEquals(Double.NaN, r.value());
        assertEquals(Double.NaN, r.grad().f64()[1]);
    }

    @Test
    void refusals() {
        assertRefused(() -> Losses.create("total_variation").compute(Inputs.of("input", Tensor.of(new double[48], 3, 4, 4))),
                ErrorKind.SHAPE_MISMATCH, "input must have rank 4, got shape [3, 4, 4]");
        assertRefused(() -> Losses.create("total_variation", Map.of("kind", "l2")), ErrorKind.INVALID_OPTION,
                "kind = 'l2' must be one of squared, l1");
        assertRefused(() -> Losses.create("total_variation", Map.of("reduction", "batchmean")), ErrorKind.INVALID_OPTION,
                "reduction = 'batchmean' must be one of sum, mean, none");
        assertRefused(() -> Losses.create("total_variation").compute(Inputs.of("input", Tensor.of(new double[4], 1, 1, 2, 2))
                .with("target", Tensor.of(new double[4], 1, 1, 2, 2))), ErrorKind.MISSING_INPUT, "has no input 'target'");
        assertRefused(() -> loss("squared", "mean").compute(Inputs.of("input", Tensor.of(new double[0], 0, 1, 2, 2))),
                ErrorKind.EMPTY_INPUT, "is empty");
    }
}
