package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Per-sample weights on every row loss ({@code sample_weight} [N], Keras semantics: each sample's
 * terms and gradient rows are multiplied by its weight; mean keeps the loss's own divisor). Checked
 * on every row loss of the catalog against the unweighted loss itself (an identity, not a copy of
 * the code): unit weights change nothing; the weighted sum is Σ w_i·(sample i's terms); mean is the
 * weighted sum over the unweighted divisor; a weight-0 sample has no gradient; every weighted
 * gradient against finite differences; float32 like float64; a wrong shape refused.
 */
class SampleWeightTest {
    private static List<LossInfo> rowLosses() {
        List<LossInfo> out = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (i.layout() == LossInfo.Layout.ROW && i.reductions().contains(Reduction.NONE)) {
                out.add(i);
            }
        }
        return out;
    }

    private static Loss create(LossInfo info, String red) {
        Map<String, Object> o = new HashMap<>(info.exampleOptions());
        o.put("reduction", red);
        return info.create(o);
    }

    private static int samples(LossResult none) {
        return none.terms() == null ? 1 : none.terms().rank() == 0 ? 1 : none.terms().shape()[0];
    }

    private static Tensor weights(Random r, int n, boolean withZero) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = withZero && i == 0 ? 0.0 : 0.25 + 2 * r.nextDouble();
        }
        return Tensor.vector(w);
    }

    @Test
    void everyRowLossWithTermsTakesSampleWeights() {
        List<String> names = new ArrayList<>();
        for (LossInfo i : rowLosses()) {
            assertThat(i.inputs().stream().anyMatch(s -> s.name().equals("sample_weight") && !s.required()))
                    .as(i.name()).isTrue();
            names.add(i.name());
        }
        assertThat(names).contains("cross_entropy", "nll", "triplet", "dpo", "sparsemax", "multi_margin", "vae");
    }

    @TestFactory
    Stream<DynamicTest> weightedIsTheWeightedSumOfTheTermsAndGradientRows() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LossInfo info : rowLosses()) {
            tests.add(DynamicTest.dynamicTest(info.name(), () -> check(info)));
        }
        return tests.stream();
    }

    private static void check(LossInfo info) {
        Random r = new Random(info.name().hashCode());
        Inputs in = info.example(r, 5, info.exampleOptions());
        LossResult none = create(info, "none").compute(in);
        int n = samples(none);
        double[] t = none.terms().f64();
        int per = t.length / n;
        // unit weights: nothing changes
        Inputs ones = in.with("sample_weight", Tensor.vector(filled(n, 1.0)));
        for (String red : new String[] {"mean", "sum", "none"}) {
            LossResult a = create(info, red).compute(in);
            LossResult b = create(info, red).compute(ones);
            assertThat(b.value()).as(info.name() + " " + red).isEqualTo(a.value());
            for (String g : a.grads().keySet()) {
                assertThat(b.grad(g).f64()).as(info.name() + " d" + g).containsExactly(a.grad(g).f64());
            }
        }
        Tensor w = weights(r, n, true);
        Inputs weighted = in.with("sample_weight", w);
        double want = 0;
        for (int i = 0; i < t.length; i++) {
            want += w.getDouble(i / per) * t[i];
        }
        LossResult sum = create(info, "sum").compute(weighted);
        assertThat(sum.value()).as(info.name() + " sum").isCloseTo(want, within(1e-12 * (1 + Math.abs(want))));
        LossResult sumPlain = create(info, "sum").compute(in);
        double divisor = sumPlain.value() / create(info, "mean").compute(in).value();
        if (Double.isFinite(divisor) && divisor != 0) {
            double mean = create(info, "mean").compute(weighted).value();
            assertThat(mean).as(info.name() + " mean").isCloseTo(want / divisor, within(1e-9 * (1 + Math.abs(mean))));
        }
        LossResult noneW = create(info, "none").compute(weighted);
        double[] tw = noneW.terms().f64();
        for (int i = 0; i < t.length; i++) {
            assertThat(tw[i]).isCloseTo(w.getDouble(i / per) * t[i], within(1e-12 * (1 + Math.abs(t[i]))));
        }
        for (String g : sumPlain.grads().keySet()) {
            double[] plain = sumPlain.grad(g).f64();
            double[] got = sum.grad(g).f64();
            int len = plain.length / n;
            for (int i = 0; i < plain.length; i++) {
                double wi = w.getDouble(i / len);
                assertThat(got[i]).as(info.name() + " d" + g + "[" + i + "]").isCloseTo(wi * plain[i],
                        within(1e-12 * (1 + Math.abs(plain[i]))));
                if (i < len) {
                    assertThat(got[i]).isEqualTo(0.0); // sample 0 has weight 0
                }
            }
        }
        if (info.differentiable() && !info.kinks() && info.exactGradient()) {
            GradCheck.gradients(create(info, "mean"), in.with("sample_weight", weights(r, n, false)), 1e-6, 1e-5);
        }
        // float32 inputs give the float64 answer to float rounding
        Inputs in32 = Inputs.empty();
        for (int i = 0; i < weighted.count(); i++) {
            Tensor x = weighted.tensor(i);
            in32 = in32.with(weighted.name(i), x.dtype() == DType.FLOAT64 ? x.asFloat32() : x);
        }
        Inputs in64 = Inputs.empty();
        for (int i = 0; i < in32.count(); i++) {
            Tensor x = in32.tensor(i);
            in64 = in64.with(in32.name(i), x.dtype() == DType.FLOAT32 ? Tensor.of(TestSupport.widen(x.f32()), x.shape()) : x);
        }
        TestSupport.compare32(create(info, "mean").compute(in32), create(info, "mean").compute(in64));
        // one weight too many is refused, naming the input
        TestSupport.assertRefused(() -> create(info, "sum").compute(in.with("sample_weight",
                Tensor.vector(filled(n + 1, 1.0)))), ErrorKind.SHAPE_MISMATCH, "sample_weight shape [" + (n + 1) + "]");
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
