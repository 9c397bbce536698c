package org.losses4j.objective;

import static org.losses4j.TestSupport.assertRefused;
import static org.losses4j.TestSupport.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.regression.Mse;
import org.losses4j.regularization.L2;

/**
 * The composition API: totals, parts, routed and weighted gradients, uncertainty weighting,
 * and finite differences through the whole objective.
 */
class ObjectiveTest {

    static double[] normal(Random r, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * scale;
        }
        return a;
    }

    /** A three-term problem: mse on predictions, dpo on preference pairs, l2 on parameters. */
    static Map<String, Inputs> inputs(Random r) {
        Map<String, Inputs> m = new LinkedHashMap<>();
        m.put("fit", Inputs.of(Tensor.of(normal(r, 6, 1), 3, 2), Tensor.of(normal(r, 6, 1), 3, 2)));
        m.put("pref", Inputs.of("policy_chosen_logps", Tensor.vector(normal(r, 4, 2)))
                .with("policy_rejected_logps", Tensor.vector(normal(r, 4, 2)))
                .with("reference_chosen_logps", Tensor.vector(normal(r, 4, 2)))
                .with("reference_rejected_logps", Tensor.vector(normal(r, 4, 2))));
        m.put("decay", Inputs.of("weights", Tensor.vector(normal(r, 5, 1))));
        return m;
    }

    static Loss dpo() {
        return Losses.create("dpo", Map.of("beta", 0.5));
    }

    /**
     * Central differences of the objective TOTAL with respect to every element of every input
     * that has a gradient, and of every log-variance.
     */
    static void checkAgainstFiniteDifferences(Objective obj, Map<String, Inputs> in, Tensor logVars) {
        ObjectiveResult res = obj.compute(in, logVars);
        double h = 1e-6;
        for (ObjectiveResult.Part p : res.parts().values()) {
            assertThat(p.grads()).as(p.name()).isNotEmpty();
            for (Map.Entry<String, Tensor> g : p.grads().entrySet()) {
                double[] x = in.get(p.name()).get(g.getKey()).f64();
                double[] a = g.getValue().f64();
                for (int i = 0; i < x.length; i++) {
                    double fd = difference(obj, in, logVars, x, i, h);
                    if (Math.abs(fd - a[i]) > 1e-6 * (1 + Math.abs(fd))) {
                        fail(p.name() + "." + g.getKey() + "[" + i + "]: analytic " + a[i] + " vs finite difference " + fd);
                    }
                }
            }
        }
        if (logVars != null) {
            double[] s = logVars.f64();
            double[] a = res.logVarsGrad().f64();
            for (int i = 0; i < s.length; i++) {
                double fd = difference(obj, in, logVars, s, i, h);
                if (Math.abs(fd - a[i]) > 1e-6 * (1 + Math.abs(fd))) {
                    fail("log_vars[" + i + "]: analytic " + a[i] + " vs finite difference " + fd);
                }
            }
        }
    }

    static double difference(Objective obj, Map<String, Inputs> in, Tensor logVars, double[] x, int i, double h) {
        double old = x[i];
        double step = h * Math.max(1, Math.abs(old));
        x[i] = old + step;
        double fp = obj.value(in, logVars).value();
        x[i] = old - step;
        double fm = obj.value(in, logVars).value();
        x[i] = old;
        return (fp - fm) / (2 * step);
    }

    // ---------- totals and parts ----------

    /** total = Σ_k w_k·L_k, with L_k each loss evaluated on its own. */
    @Property(tries = 50)
    void totalIsWeightedSumOfParts(@ForAll long seed) {
        Random r = new Random(seed);
        double w1 = r.nextGaussian() * 3;
        double w2 = r.nextDouble() * 2;
        double w3 = r.nextDouble();
        Objective obj = Objective.builder().term("fit", Losses.create("mse"), w1).term("pref", dpo(), w2)
                .term("decay", L2.builder().build(), w3).build();
        Map<String, Inputs> in = inputs(r);
        ObjectiveResult res = obj.compute(in);
        double l1 = Losses.create("mse").value(in.get("fit")).value();
        double l2 = dpo().value(in.get("pref")).value();
        double l3 = L2.builder().build().value(in.get("decay")).value();
        assertClose(res.value(), w1 * l1 + w2 * l2 + w3 * l3, 1e-14);
        assertThat(res.part("fit").loss()).isEqualTo(l1);
        assertThat(res.part("pref").weight()).isEqualTo(w2);
        assertClose(res.part("decay").value(), w3 * l3, 1e-15);
        double sum = 0;
        for (ObjectiveResult.Part p : res.parts().values()) {
            sum += p.value();
            assertThat(p.learned()).isFalse();
            assertThat(p.logVar()).isNaN();
        }
        assertClose(res.value(), sum, 1e-15);
        assertThat(res.logVarsGrad()).isNull();
        assertThat(res.parts().keySet()).containsExactly("fit", "pref", "decay");
        // value() gives the same total, no gradients
        ObjectiveResult v = obj.value(in);
        assertThat(v.value()).isEqualTo(res.value());
        assertThat(v.part("fit").grads()).isEmpty();
    }

    /** Each part's gradients are the loss's own gradients times its weight, routed to its inputs. */
    @Test
    void gradientsAreRoutedAndScaled() {
        Random r = new Random(41);
        Map<String, Inputs> in = inputs(r);
        Objective obj = Objective.builder().term("fit", Losses.create("mse"), 2.5).term("pref", dpo(), -0.5)
                .term("decay", L2.builder().build(), 1e-3).build();
        ObjectiveResult res = obj.compute(in);
        LossResult fit = Losses.create("mse").compute(in.get("fit"));
        LossResult pref = dpo().compute(in.get("pref"));
        double[] gFit = res.grad("fit", "input").f64();
        for (int i = 0; i < gFit.length; i++) {
            assertThat(gFit[i]).isCloseTo(2.5 * fit.grad("input").f64()[i], within(1e-15));
        }
        double[] gPref = res.grad("pref", "policy_rejected_logps").f64();
        for (int i = 0; i < gPref.length; i++) {
            assertThat(gPref[i]).isCloseTo(-0.5 * pref.grad("policy_rejected_logps").f64()[i], within(1e-15));
        }
        // decay: 1e-3 · 2w
        double[] wts = in.get("decay").get("weights").f64();
        double[] gDecay = res.grad("decay", "weights").f64();
        for (int i = 0; i < wts.length; i++) {
            assertThat(gDecay[i]).isCloseTo(2e-3 * wts[i], within(1e-16));
        }
        assertThat(res.part("fit").grads().keySet()).containsExactly("input");
        assertThat(res.part("pref").grads().keySet()).containsExactly("policy_chosen_logps", "policy_rejected_logps");
        // a typo is refused, naming the term's gradients (it once gave null)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> res.grad("fit", "inputs"))
                .isInstanceOfSatisfying(org.losses4j.LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(org.losses4j.ErrorKind.NO_GRADIENT);
                    assertThat(e.getMessage()).isEqualTo("term fit has no gradient for 'inputs' (gradients: input)");
                });
    }

    @Property(tries = 15)
    void fixedWeightGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Objective obj = Objective.builder().term("fit", Losses.create("huber"), r.nextGaussian())
                .term("pref", dpo(), r.nextDouble() * 3).term("decay", Losses.create("elastic_net", Map.of("l1", 0.0)), 0.1)
                .build();
        checkAgainstFiniteDifferences(obj, inputs(r), null);
    }

    @Property(tries = 15)
    void uncertaintyGradientsMatchFiniteDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        Objective obj = Objective.builder().term("fit", Losses.create("mse"), Weighting.uncertainty())
                .term("pref", dpo(), Weighting.uncertainty()).term("decay", L2.builder().build(), 0.01).build();
        Tensor s = Tensor.vector(normal(r, 2, 1.5));
        checkAgainstFiniteDifferences(obj, inputs(r), s);
    }

    /** Mixed order: learned, fixed, learned. log_vars follow learnedTerms(). */
    @Test
    void uncertaintyTermsTakeLogVarsInOrder() {
        Random r = new Random(42);
        Map<String, Inputs> in = inputs(r);
        Objective obj = Objective.builder().term("pref", dpo(), Weighting.uncertainty())
                .term("decay", L2.builder().build(), 0.1).term("fit", Losses.create("mse"), Weighting.uncertainty()).build();
        assertThat(obj.learnedTerms()).containsExactly("pref", "fit");
        double sPref = 0.7;
        double sFit = -1.2;
        ObjectiveResult res = obj.compute(in, Tensor.vector(new double[] {sPref, sFit}));
        double lPref = dpo().value(in.get("pref")).value();
        double lFit = Losses.create("mse").value(in.get("fit")).value();
        double lDecay = L2.builder().build().value(in.get("decay")).value();
        double expected = Math.exp(-sPref) * lPref + sPref + 0.1 * lDecay + Math.exp(-sFit) * lFit + sFit;
        assertClose(res.value(), expected, 1e-14);
        assertClose(res.part("fit").weight(), Math.exp(1.2), 1e-15);
        assertClose(res.part("pref").value(), Math.exp(-sPref) * lPref + sPref, 1e-15);
        assertThat(res.part("fit").learned()).isTrue();
        assertThat(res.part("fit").logVar()).isEqualTo(sFit);
        assertThat(res.logVarsGrad().f64()).hasSize(2);
        assertClose(res.logVarsGrad().f64()[0], 1 - Math.exp(-sPref) * lPref, 1e-14);
        assertClose(res.logVarsGrad().f64()[1], 1 - Math.exp(-sFit) * lFit, 1e-14);
        LossResult fit = Losses.create("mse").compute(in.get("fit"));
        for (int i = 0; i < 6; i++) {
            assertThat(res.grad("fit", "input").f64()[i]).isCloseTo(Math.exp(1.2) * fit.grad("input").f64()[i],
                    within(1e-14));
        }
    }

    /** Uncertainty weighting with s = 0 is the plain (unit-weight) sum, with the same gradients. */
    @Property(tries = 30)
    void uncertaintyAtZeroIsPlainSum(@ForAll long seed) {
        Random r = new Random(seed);
        Map<String, Inputs> a = inputs(r);
        Map<String, Inputs> b = copy(a);
        Objective learned = Objective.builder().term("fit", Losses.create("mse"), Weighting.uncertainty())
                .term("pref", dpo(), Weighting.uncertainty()).term("decay", L2.builder().build(), Weighting.uncertainty())
                .build();
        Objective plain = Objective.builder().term("fit", Losses.create("mse")).term("pref", dpo())
                .term("decay", L2.builder().build()).build();
        ObjectiveResult x = learned.compute(a, Tensor.vector(new double[3]));
        ObjectiveResult y = plain.compute(b);
        assertThat(x.value()).isEqualTo(y.value());
        for (String t : new String[] {"fit", "pref", "decay"}) {
            assertThat(x.part(t).weight()).isEqualTo(1.0);
            for (Map.Entry<String, Tensor> g : y.part(t).grads().entrySet()) {
                assertThat(x.part(t).grad(g.getKey()).f64()).containsExactly(g.getValue().f64());
            }
        }
        // ∂J/∂s_k = 1 − L_k
        assertClose(x.logVarsGrad().f64()[0], 1 - y.part("fit").loss(), 1e-15);
    }

    static Map<String, Inputs> copy(Map<String, Inputs> in) {
        Map<String, Inputs> out = new LinkedHashMap<>();
        for (Map.Entry<String, Inputs> e : in.entrySet()) {
            Inputs c = Inputs.empty();
            for (Map.Entry<String, Tensor> t : e.getValue().tensors().entrySet()) {
                c = c.with(t.getKey(), Tensor.of(t.getValue().f64().clone(), t.getValue().shape()));
            }
            out.put(e.getKey(), c);
        }
        return out;
    }

    /** J(θ) = mean loss + λ·Ω(θ), against the closed form. */
    @Test
    void regularizedObjective() {
        double[] w = {0.5, -1.0};
        double[] pred = {1.0, 2.0, 2.5};
        double[] y = {1.5, 2.0, 2.0};
        Objective ridge = Objective.regularized(Mse.builder().build(), L2.builder().build(), 0.01);
        ObjectiveResult r = ridge.compute(Map.of(
                Objective.LOSS, Inputs.of(Tensor.vector(pred), Tensor.vector(y)),
                Objective.PENALTY, Inputs.of("weights", Tensor.vector(w))));
        assertClose(r.value(), (0.25 + 0 + 0.25) / 3 + 0.01 * 1.25, 1e-15);
        assertThat(r.grad(Objective.PENALTY, "weights").f64()).containsExactly(0.01, -0.02);
        assertClose(r.grad(Objective.LOSS, "input").f64()[0], 2 * (-0.5) / 3, 1e-15);
        assertThat(ridge.terms()).extracting(t -> t.name()).containsExactly("loss", "penalty");
    }

    /** The example of Objective's Javadoc, with its printed numbers. */
    @Test
    void javadocExample() {
        double[] w = {0.5, -1.0};
        double[] pred = {1.0, 2.0, 2.5};
        double[] y = {1.5, 2.0, 2.0};
        Objective multi = Objective.builder()
                .term("depth", Losses.create("huber"), Weighting.uncertainty())
                .term("segmentation", Losses.create("mse"), Weighting.uncertainty())
                .term("decay", L2.builder().build(), 1e-4)
                .build();
        ObjectiveResult m = multi.compute(Map.of(
                "depth", Inputs.of(Tensor.vector(pred), Tensor.vector(y)),
                "segmentation", Inputs.of(Tensor.vector(pred), Tensor.vector(y)),
                "decay", Inputs.of("weights", Tensor.vector(w))),
                Tensor.vector(new double[] {0.0, 0.5}));
        double huber = (0.125 + 0 + 0.125) / 3;
        double mse = (0.25 + 0.25) / 3;
        assertClose(m.part("segmentation").weight(), Math.exp(-0.5), 1e-15);
        assertClose(m.logVarsGrad().f64()[0], 1 - huber, 1e-15);
        assertClose(m.logVarsGrad().f64()[1], 1 - Math.exp(-0.5) * mse, 1e-15);
        assertClose(m.value(), huber + Math.exp(-0.5) * mse + 0.5 + 1e-4 * 1.25, 1e-15);
    }

    /** Float32 inputs: gradients come back in float32, scaled, within 1e-5 of float64. */
    @Test
    void float32Terms() {
        float[] p = {0.5f, -1f, 2f};
        float[] t = {0f, 0f, 1f};
        float[] s = {0.3f};
        Objective obj = Objective.builder().term("fit", Losses.create("mse"), Weighting.uncertainty()).build();
        ObjectiveResult a = obj.compute(Map.of("fit", Inputs.of(Tensor.vector(p), Tensor.vector(t))), Tensor.vector(s));
        ObjectiveResult b = obj.compute(Map.of("fit", Inputs.of(Tensor.vector(new double[] {0.5, -1, 2}),
                Tensor.vector(new double[] {0, 0, 1}))), Tensor.vector(new double[] {(double) 0.3f}));
        assertThat(a.value()).isCloseTo(b.value(), within(1e-5 * Math.abs(b.value())));
        float[] g = a.grad("fit", "input").f32();
        for (int i = 0; i < 3; i++) {
            assertThat((double) g[i]).isCloseTo(b.grad("fit", "input").f64()[i], within(1e-5));
        }
        assertThat(a.logVarsGrad().f32()[0]).isCloseTo((float) b.logVarsGrad().f64()[0], within(1e-5f));
    }

    /** A term's caller gradient buffer receives the weighted gradient. */
    @Test
    void gradientBuffersReceiveWeightedGradient() {
        double[] buf = new double[2];
        Objective obj = Objective.builder().term("decay", L2.builder().build(), 0.5).build();
        ObjectiveResult r = obj.compute(Map.of("decay", Inputs.of("weights", Tensor.vector(new double[] {1, -3}))
                .gradInto("weights", Tensor.vector(buf))));
        assertThat(r.grad("decay", "weights").f64()).isSameAs(buf);
        assertThat(buf).containsExactly(1.0, -3.0);
    }

    @Test
    void nanPropagatesToTheTotal() {
        Objective obj = Objective.builder().term("a", Losses.create("l1")).term("b", Losses.create("l2")).build();
        ObjectiveResult r = obj.compute(Map.of("a", Inputs.of("weights", Tensor.vector(new double[] {1, Double.NaN})),
                "b", Inputs.of("weights", Tensor.vector(new double[] {1}))));
        assertThat(r.value()).isNaN();
        assertThat(r.part("b").value()).isEqualTo(1.0);
    }

    // ---------- refusals ----------

    @Test
    void refusals() {
        Loss mse = Losses.create("mse");
        assertRefused(() -> Objective.builder().build(), ErrorKind.INVALID_OPTION, "at least one term");
        assertRefused(() -> Objective.builder().term("a", mse).term("a", mse), ErrorKind.INVALID_OPTION,
                "term 'a' added twice");
        assertRefused(() -> Objective.builder().term(" ", mse), ErrorKind.INVALID_OPTION, "non-empty name");
        assertRefused(() -> Objective.builder().term("a", null), ErrorKind.INVALID_OPTION, "has no loss");
        assertRefused(() -> Objective.builder().term("a", Mse.builder().reduction(Reduction.NONE).build()),
                ErrorKind.INVALID_OPTION, "uses reduction none");
        assertRefused(() -> Objective.builder().term("a", mse, Double.NaN), ErrorKind.INVALID_OPTION,
                "fixed weight = NaN must be a finite number");
        Objective obj = Objective.builder().term("fit", mse).term("pen", L2.builder().build(), 0.1).build();
        Inputs fit = Inputs.of(Tensor.vector(new double[] {1}), Tensor.vector(new double[] {2}));
        Inputs pen = Inputs.of("weights", Tensor.vector(new double[] {1}));
        assertRefused(() -> obj.compute(Map.of("fit", fit)), ErrorKind.MISSING_INPUT, "term 'pen' (l2) has no inputs");
        assertRefused(() -> obj.compute(Map.of("fit", fit, "pen", pen, "extra", pen)), ErrorKind.MISSING_INPUT,
                "objective has no term 'extra' (terms: fit, pen)");
        assertRefused(() -> obj.compute(Map.of("fit", fit, "pen", pen), Tensor.vector(new double[] {0})),
                ErrorKind.SHAPE_MISMATCH, "no uncertainty-weighted term");
        assertRefused(() -> obj.compute(Map.of("fit", Inputs.of(Tensor.vector(new double[] {1}),
                Tensor.vector(new double[] {1, 2})), "pen", pen)), ErrorKind.SHAPE_MISMATCH,
                "objective term 'fit' (mse): target shape [2] != input shape [1]");
        assertRefused(() -> obj.compute(Map.of("fit", fit, "pen", pen)).part("nope"), ErrorKind.MISSING_INPUT,
                "objective has no term 'nope'");
        Objective learned = Objective.builder().term("fit", mse, Weighting.uncertainty()).term("pen", L2.builder().build())
                .build();
        assertRefused(() -> learned.compute(Map.of("fit", fit, "pen", pen)), ErrorKind.MISSING_INPUT,
                "needs their log-variances: a tensor [1]");
        assertRefused(() -> learned.compute(Map.of("fit", fit, "pen", pen), Tensor.vector(new double[2])),
                ErrorKind.SHAPE_MISMATCH, "log-variances shape [2] != [1]");
        assertRefused(() -> learned.compute(Map.of("fit", fit, "pen", pen), Tensor.labels(0)),
                ErrorKind.INVALID_DTYPE, "log-variances must be float32 or float64");
    }

    @Test
    void weightingDescribesItself() {
        assertThat(Weighting.fixed(2).isLearned()).isFalse();
        assertThat(Weighting.fixed(2).fixedWeight()).isEqualTo(2.0);
        assertThat(Weighting.uncertainty().isLearned()).isTrue();
        assertThat(Objective.builder().term("a", Losses.create("mse"), 3).build().terms().get(0).weighting().toString())
                .isEqualTo("fixed(3.0)");
    }
}
