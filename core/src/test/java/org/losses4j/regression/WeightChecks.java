package org.losses4j.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.Function;
import org.losses4j.ElementwiseLoss;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * The per-element weight checks of the elementwise regression losses' own tests (tweedie, gamma,
 * expectile, mape, fair): unit weights are no weights, and weighted gradients and second
 * derivatives are finite differences of the weighted value, whose mean divides by the number of
 * elements (not by Σw).
 */
final class WeightChecks {
    private WeightChecks() {
    }

    private static final String[] REDUCTIONS = {"mean", "sum", "none"};

    /** For each reduction, the loss ({@code loss.apply(reduction)}) with weights of 1 is the loss without weights. */
    static void unitWeightsAreNoWeights(Function<String, ElementwiseLoss> loss, double[] x, double[] y) {
        double[] ones = new double[x.length];
        java.util.Arrays.fill(ones, 1.0);
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        for (String red : REDUCTIONS) {
            LossResult plain = loss.apply(red).computeWithHessian(in);
            LossResult weighted = loss.apply(red).computeWithHessian(in.with("weight", Tensor.vector(ones)));
            assertThat(weighted.value()).isEqualTo(plain.value());
            assertThat(weighted.grad().f64()).containsExactly(plain.grad().f64());
            assertThat(weighted.hessian().f64()).containsExactly(plain.hessian().f64());
        }
    }

    /**
     * For each reduction, on x and y as [3, 4] with random weights in [0, 3): the gradient and the
     * second derivative against central differences, and mean = sum / 12.
     */
    static void weightedDerivativesMatchFiniteDifferences(Function<String, ElementwiseLoss> loss, double[] x,
            double[] y, Random r) {
        double[] w = new double[12];
        for (int i = 0; i < 12; i++) {
            w[i] = 3 * r.nextDouble();
        }
        Inputs in = Inputs.of(Tensor.of(x, 3, 4), Tensor.of(y, 3, 4)).with("weight", Tensor.of(w, 3, 4));
        double sum = loss.apply("sum").value(in).value();
        for (String red : REDUCTIONS) {
            ElementwiseLoss l = loss.apply(red);
            GradCheck.gradients(l, in);
            GradCheck.hessian(l, in, 1e-5, 1e-5);
            if (red.equals("mean")) {
                assertThat(l.value(in).value()).isCloseTo(sum / 12, within(1e-14 * Math.abs(sum)));
            }
        }
    }
}
