package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.TestSupport.assertRefused;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * hinge_embedding beyond the binary family's gradient, Hessian, property and refusal tests (which
 * list it): its two branches against closed forms and against hinge (the y = −1 branch is hinge with
 * target +1), the kink's subgradient 0, a zero Hessian, NaN gradients, extremes.
 */
class HingeEmbeddingTest {
    @Property(tries = 40)
    void branchesAreTheDistanceAndAHinge(@ForAll long seed, @ForAll @DoubleRange(min = -3, max = 3) double margin) {
        Random r = new Random(seed);
        int n = 20;
        double[] x = MulticlassReference.uniform(r, n, -4, 4);
        double[] y = new double[n];
        double[] ones = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean() ? 1 : -1;
            ones[i] = 1;
        }
        LossResult e = Losses.create("hinge_embedding", Map.of("margin", margin, "reduction", "none"))
                .compute(Inputs.of(Tensor.vector(x), Tensor.vector(y)));
        LossResult h = Losses.create("hinge", Map.of("margin", margin, "reduction", "none"))
                .compute(Inputs.of(Tensor.vector(x), Tensor.vector(ones)));
        for (int i = 0; i < n; i++) {
            if (y[i] == 1) {
                assertThat(e.terms().f64()[i]).isEqualTo(x[i]);
                assertThat(e.grad().f64()[i]).isEqualTo(1.0);
            } else {
                assertThat(e.terms().f64()[i]).isEqualTo(h.terms().f64()[i]);
                assertThat(e.grad().f64()[i]).isEqualTo(h.grad().f64()[i]);
            }
        }
    }

    @Test
    void kinkHessianNaNAndExtremes() {
        ElementwiseLoss l = HingeEmbedding.builder().margin(1.0).reduction(org.losses4j.Reduction.NONE).build();
        LossResult r = l.computeWithHessian(Inputs.of(
                Tensor.vector(new double[] {1, 0.5, 2, Double.NaN, Double.NaN, 1e4, -1e4, 1e300}),
                Tensor.vector(new double[] {-1, -1, -1, 1, -1, 1, -1, -1})));
        double[] t = r.terms().f64();
        double[] g = r.grad().f64();
        double[] h = r.hessian().f64();
        // at the kink x = margin: 0 and subgradient 0 (PyTorch's backward −1)
        assertThat(t[0]).isZero();
        assertThat(g[0]).isZero();
        assertThat(t[1]).isEqualTo(0.5);
        assertThat(g[1]).isEqualTo(-1.0);
        assertThat(g[2]).isZero();
        // NaN in, NaN out: term, gradient (PyTorch gives 1 for y = 1) and second derivative
        for (int i = 3; i < 5; i++) {
            assertThat(t[i]).isNaN();
            assertThat(g[i]).isNaN();
            assertThat(h[i]).isNaN();
        }
        assertThat(t[5]).isEqualTo(1e4);
        assertThat(t[6]).isEqualTo(1e4 + 1);
        assertThat(t[7]).isZero();
        for (int i : new int[] {0, 1, 2, 5, 6, 7}) {
            assertThat(h[i]).isZero();
        }
        // a NaN target propagates as well
        LossResult n = l.compute(Inputs.of(Tensor.vector(new double[] {0.5}), Tensor.vector(new double[] {Double.NaN})));
        assertThat(n.terms().f64()[0]).isNaN();
        assertThat(n.grad().f64()[0]).isNaN();
    }

    @Test
    void refusals() {
        assertRefused(() -> Losses.create("hinge_embedding", Map.of("margin", 2e15)), ErrorKind.INVALID_OPTION,
                "option margin");
        assertRefused(() -> Losses.create("hinge_embedding").compute(Inputs.of(Tensor.vector(new double[2]),
                Tensor.vector(new double[] {1, 0}))), ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.0 is not one of {-1, 1}");
    }
}
