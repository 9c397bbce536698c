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
import org.junit.jupiter.api.TestFactory;

/**
 * The per-element {@code weight} of every elementwise loss (PyTorch BCELoss semantics: each term,
 * its gradient and its second derivative times w; mean divides by the number of elements), checked
 * on every elementwise loss of the catalog against the unweighted loss itself: unit weights change
 * nothing, weighted terms/gradients/Hessians are w times the unweighted ones (rmse and rmsle: the
 * weight is inside the mean under the root), finite differences, weight 0 means no gradient, and a
 * weight of another shape is refused.
 */
class ElementwiseWeightTest {
    private static Loss create(LossInfo info, String red) {
        Map<String, Object> o = new HashMap<>(info.exampleOptions());
        if (info.reducible()) {
            o.put("reduction", red);
        }
        return info.create(o);
    }

    @TestFactory
    Stream<DynamicTest> everyElementwiseLossTakesAWeight() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            if (info.hessian()) {
                tests.add(DynamicTest.dynamicTest(info.name(), () -> check(info)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(25);
        return tests.stream();
    }

    private static void check(LossInfo info) {
        assertThat(info.inputs().stream().anyMatch(s -> s.name().equals("weight") && !s.required())).isTrue();
        Random r = new Random(info.name().hashCode());
        Inputs in = info.example(r, 4, info.exampleOptions());
        Inputs plain = Inputs.empty();
        for (int i = 0; i < in.count(); i++) {
            if (!in.name(i).equals("weight")) {
                plain = plain.with(in.name(i), in.tensor(i));
            }
        }
        in = plain;
        Tensor x = in.get("input");
        int n = x.size();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i == 0 ? 0.0 : 0.25 + 2 * r.nextDouble();
        }
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        Inputs unit = in.with("weight", Tensor.of(ones, x.shape()));
        Inputs weighted = in.with("weight", Tensor.of(w, x.shape()));
        boolean outer = !info.reducible(); // rmse, rmsle: a root of the mean
        for (String red : outer ? new String[] {"mean"} : new String[] {"mean", "sum", "none"}) {
            ElementwiseLoss l = (ElementwiseLoss) create(info, red);
            LossResult a = l.computeWithHessian(in);
            LossResult b = l.computeWithHessian(unit);
            assertThat(b.value()).as(info.name() + " " + red + " unit weights").isEqualTo(a.value());
            assertThat(b.grad("input").f64()).containsExactly(a.grad("input").f64());
            LossResult c = l.computeWithHessian(weighted);
            double[] g = a.grad("input").f64();
            double[] gw = c.grad("input").f64();
            assertThat(gw[0]).as(info.name() + " weight 0: no gradient").isEqualTo(0.0);
            if (!outer) {
                double[] h = a.hessian().f64();
                double[] hw = c.hessian().f64();
                for (int i = 0; i < n; i++) {
                    assertThat(gw[i]).as(info.name() + " grad " + i).isCloseTo(w[i] * g[i], within(1e-12 * (1 + Math.abs(g[i]))));
                    assertThat(hw[i]).as(info.name() + " hess " + i).isCloseTo(w[i] * h[i], within(1e-12 * (1 + Math.abs(h[i]))));
                }
                if (red.equals("none")) {
                    double[] t = a.terms().f64();
                    double[] tw = c.terms().f64();
                    for (int i = 0; i < n; i++) {
                        assertThat(tw[i]).isCloseTo(w[i] * t[i], within(1e-12 * (1 + Math.abs(t[i]))));
                    }
                } else {
                    double[] t = ((ElementwiseLoss) create(info, "none")).compute(in).terms().f64();
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += w[i] * t[i];
                    }
                    double want = red.equals("mean") ? s / n : s;
                    assertThat(c.value()).isCloseTo(want, within(1e-12 * (1 + Math.abs(want))));
                }
            }
            if (!info.kinks()) {
                double[] w2 = w.clone();
                w2[0] = 0.5;
                GradCheck.gradients(l, in.with("weight", Tensor.of(w2, x.shape())), 1e-6, 1e-5);
            }
        }
        Inputs base = in;
        TestSupport.assertRefused(() -> create(info, "mean").compute(base.with("weight", Tensor.vector(new double[n + 1]))),
                ErrorKind.SHAPE_MISMATCH, "weight");
    }
}
