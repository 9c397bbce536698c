package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The float32 path of losses without a float32 kernel computes in per-thread float64 scratch
 * (AbstractLoss): what a result holds must be its own, unchanged by later calls that reuse the
 * scratch, in float32 and in the float64 a mixed-dtype call asks for.
 */
class Float32ScratchTest {
    private static Inputs klInputs(float shift, Tensor target) {
        float[] lq = new float[12];
        for (int i = 0; i < lq.length; i++) {
            lq[i] = (float) Math.log(1.0 / 4) + shift * (i % 3 - 1);
        }
        return Inputs.of("input", Tensor.of(lq, 3, 4)).with("target", target);
    }

    private static Tensor uniformTarget64() {
        double[] p = new double[12];
        java.util.Arrays.fill(p, 0.25);
        return Tensor.of(p, 3, 4);
    }

    @Test
    void resultsAreNotOverwrittenByTheNextCall() {
        Loss kl = Losses.create("kl_div", Map.of("reduction", "none"));
        float[] t = new float[12];
        java.util.Arrays.fill(t, 0.25f);
        LossResult first = kl.compute(klInputs(0.1f, Tensor.of(t, 3, 4)));
        // ∂/∂P = log P − log Q + 1 depends on the input (∂/∂log Q = −P does not)
        float[] g1 = first.grad("target").f32().clone();
        float[] terms1 = first.terms().f32().clone();
        LossResult second = kl.compute(klInputs(0.3f, Tensor.of(t, 3, 4)));
        assertThat(second.grad("target").f32()).isNotEqualTo(g1);
        assertThat(second.terms().f32()).isNotEqualTo(terms1);
        assertThat(first.grad("target").f32()).containsExactly(g1);
        assertThat(first.terms().f32()).containsExactly(terms1);
    }

    @Test
    void float64GradientOfAMixedCallIsItsOwnArray() {
        // input float32 (the computation dtype), target float64: the target's gradient is float64
        Loss kl = Losses.create("kl_div", Map.of());
        LossResult first = kl.compute(klInputs(0.1f, uniformTarget64()));
        assertThat(first.grad("target").dtype()).isEqualTo(DType.FLOAT64);
        double[] gt1 = first.grad("target").f64().clone();
        LossResult second = kl.compute(klInputs(0.4f, uniformTarget64()));
        assertThat(second.grad("target").f64()).isNotEqualTo(gt1);
        assertThat(first.grad("target").f64()).containsExactly(gt1);
    }

    @Test
    void widenedInputsAreExactAndGradientsNarrowedOnce() {
        // the float32 path against the float64 path on the same (float-representable) values
        Loss mr = Losses.create("margin_ranking", Map.of("margin", 0.25));
        float[] a = {0.5f, -1.25f, 3f, 0.125f, -0.75f};
        float[] b = {0.25f, 1f, -2f, 0.125f, 0.5f};
        float[] y = {1f, -1f, 1f, 1f, -1f};
        double[] a64 = new double[a.length];
        double[] b64 = new double[a.length];
        double[] y64 = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            a64[i] = a[i];
            b64[i] = b[i];
            y64[i] = y[i];
        }
        LossResult r32 = mr.compute(Inputs.of("input1", Tensor.vector(a)).with("input2", Tensor.vector(b))
                .with("target", Tensor.vector(y)));
        LossResult r64 = mr.compute(Inputs.of("input1", Tensor.vector(a64)).with("input2", Tensor.vector(b64))
                .with("target", Tensor.vector(y64)));
        assertThat(r32.value()).isEqualTo(r64.value());
        double[] g64 = r64.grad("input1").f64();
        float[] g32 = r32.grad("input1").f32();
        for (int i = 0; i < a.length; i++) {
            assertThat(g32[i]).isEqualTo((float) g64[i]);
        }
    }
}
