package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * bce_with_logits' ignore_index (segmentation_models_pytorch SoftBCEWithLogitsLoss semantics):
 * elements whose target is the ignored value have no term, gradient or Hessian and are still
 * counted by mean. Checked against the formula written out here, finite differences over every
 * option, and the equivalence "ignored = weight 0".
 */
class BceIgnoreIndexTest {
    private static final int[] SHAPE = {3, 4};

    private static ElementwiseLoss loss(String red, double eps, double ignore) {
        Map<String, Object> o = new HashMap<>();
        o.put("reduction", red);
        o.put("label_smoothing", eps);
        o.put("ignore_index", ignore);
        return (ElementwiseLoss) Losses.create("bce_with_logits", o);
    }

    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Logits, targets in [0, 1] with every third element set to the ignored value. */
    private static double[][] data(Random r, int n, double ignore) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * 2;
            y[i] = i % 3 == 1 ? ignore : r.nextDouble();
        }
        return new double[][] {x, y};
    }

    @TestFactory
    Stream<DynamicTest> valueGradientAndHessianOverEveryOption() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 5;
        for (String red : new String[] {"mean", "sum", "none"}) {
            for (double eps : new double[] {0.0, 0.2}) {
                for (double ignore : new double[] {-1.0, 255.0, 0.0}) {
                    for (boolean weighted : new boolean[] {false, true}) {
                        for (boolean pw : new boolean[] {false, true}) {
                            long s = seed++;
                            tests.add(DynamicTest.dynamicTest(red + " ε=" + eps + " ignore=" + ignore
                                    + (weighted ? " weight" : "") + (pw ? " pos_weight" : ""),
                                    () -> check(red, eps, ignore, weighted, pw, s)));
                        }
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void check(String red, double eps, double ignore, boolean weighted, boolean withPw, long seed) {
        Random r = new Random(seed);
        int n = SHAPE[0] * SHAPE[1];
        double[][] d = data(r, n, ignore);
        double[] x = d[0];
        double[] y = d[1];
        double[] w = new double[n];
        double[] pw = new double[SHAPE[1]];
        for (int i = 0; i < n; i++) {
            w[i] = weighted ? 0.5 + r.nextDouble() * 1.5 : 1;
        }
        for (int j = 0; j < pw.length; j++) {
            pw[j] = withPw ? 0.5 + r.nextDouble() * 2 : 1;
        }
        Inputs in = Inputs.of(Tensor.of(x, SHAPE), Tensor.of(y, SHAPE));
        if (weighted) {
            in = in.with("weight", Tensor.of(w, SHAPE));
        }
        if (withPw) {
            in = in.with("pos_weight", Tensor.vector(pw));
        }
        ElementwiseLoss l = loss(red, eps, ignore);
        LossResult res = l.computeWithHessian(in);
        // the formula: mask · w · [pw·y'·softplus(−z) + (1 − y')·softplus(z)], mean over all n elements
        double sum = 0;
        double[] terms = new double[n];
        for (int i = 0; i < n; i++) {
            if (y[i] == ignore) {
                continue;
            }
            double yy = y[i] * (1 - eps) + eps / 2;
            terms[i] = w[i] * (pw[i % SHAPE[1]] * yy * softplus(-x[i]) + (1 - yy) * softplus(x[i]));
            sum += terms[i];
        }
        if (red.equals("none")) {
            double[] got = res.terms().f64();
            for (int i = 0; i < n; i++) {
                assertThat(got[i]).as("term %d", i).isCloseTo(terms[i], within(1e-13 * (1 + terms[i])));
            }
        } else {
            double want = red.equals("mean") ? sum / n : sum;
            assertThat(res.value()).isCloseTo(want, within(1e-13 * (1 + want)));
        }
        double[] g = res.grad("input").f64();
        double[] h = res.hessian().f64();
        for (int i = 0; i < n; i++) {
            if (y[i] == ignore) {
                assertThat(g[i]).as("ignored gradient %d", i).isEqualTo(0.0);
                assertThat(h[i]).as("ignored Hessian %d", i).isEqualTo(0.0);
            }
        }
        GradCheck.gradients(l, in, 1e-6, 1e-7);
        GradCheck.hessian(l, in, 1e-5, 1e-6);
    }

    /** Ignoring an element is giving it weight 0 (and any valid target): value, gradient and Hessian. */
    @Property(tries = 40)
    void ignoredIsWeightZero(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
        Random r = new Random(seed);
        double[][] d = data(r, n, -1);
        double[] y0 = d[1].clone();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = d[1][i] == -1 ? 0 : 1;
            y0[i] = d[1][i] == -1 ? r.nextDouble() : d[1][i];
        }
        for (String red : new String[] {"mean", "sum"}) {
            LossResult a = loss(red, 0.1, -1).computeWithHessian(Inputs.of(Tensor.vector(d[0]), Tensor.vector(d[1])));
            Map<String, Object> o = Map.of("reduction", red, "label_smoothing", 0.1);
            LossResult b = ((ElementwiseLoss) Losses.create("bce_with_logits", o)).computeWithHessian(
                    Inputs.of(Tensor.vector(d[0]), Tensor.vector(y0)).with("weight", Tensor.vector(w)));
            assertThat(a.value()).isCloseTo(b.value(), within(1e-14 * (1 + b.value())));
            assertThat(a.grad("input").f64()).containsExactly(b.grad("input").f64(), within(1e-15));
            assertThat(a.hessian().f64()).containsExactly(b.hessian().f64(), within(1e-15));
        }
    }

    /** sum = N·mean with the ignored elements counted in N. */
    @Property(tries = 40)
    void sumIsNTimesMean(@ForAll @IntRange(min = 1, max = 50) int n, @ForAll long seed) {
        double[][] d = data(new Random(seed), n, 255);
        Inputs in = Inputs.of(Tensor.vector(d[0]), Tensor.vector(d[1]));
        GradCheck.sumIsNTimesMean(loss("sum", 0, 255).value(in).value(), loss("mean", 0, 255).value(in).value(), n);
    }

    @Test
    void float32MatchesFloat64AtExtremes() {
        double[] x = {1e4, -1e4, 0.5, -3, 1e4, 2};
        double[] y = {1, 0, -1, 0.3, -1, 1};
        float[] x32 = new float[x.length];
        float[] y32 = new float[y.length];
        for (int i = 0; i < x.length; i++) {
            x32[i] = (float) x[i];
            y32[i] = (float) y[i];
        }
        ElementwiseLoss l = loss("mean", 0, -1);
        LossResult r64 = l.compute(Inputs.of(Tensor.vector(x), Tensor.vector(y)));
        TestSupport.compare32(l.compute(Inputs.of(Tensor.vector(x32), Tensor.vector(y32))), r64);
        // the two kept extreme elements are right (loss 0), so only 0.5 − … and the others count
        assertThat(r64.value()).isFinite();
        assertThat(r64.grad("input").f64()[4]).isEqualTo(0.0);
    }

    @Test
    void targetsOutsideZeroOneThatAreNotIgnoredAreRefused() {
        TestSupport.assertRefused(() -> loss("mean", 0, -1).compute(
                Inputs.of(Tensor.vector(new double[] {0.1, 0.2, 0.3}), Tensor.vector(new double[] {-1, 2, 0}))), ErrorKind.OUT_OF_DOMAIN,
                "target[1] = 2.0 is outside [0, 1]");
        // without ignore_index, the ignored value of another call is an ordinary bad target
        TestSupport.assertRefused(() -> Losses.create("bce_with_logits").compute(
                Inputs.of(Tensor.vector(new double[] {0.1, 0.2}), Tensor.vector(new double[] {-1, 0}))), ErrorKind.OUT_OF_DOMAIN,
                "target[0] = -1.0 is outside [0, 1]");
        assertThat(BceWithLogits.builder().ignoreIndex(-1.0).build().options().get(BceWithLogits.IGNORE_INDEX))
                .isEqualTo(-1.0);
    }
}
