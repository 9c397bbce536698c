package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.assertRefused;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.TestSupport;

/**
 * asymmetric: the exact gradient (detach_focal_weight false) against finite differences over the
 * options; the detached gradient (the default) is the focusing weight, computed here from the
 * formula, times the gradient of the unfocused loss (γ₊ = γ₋ = 0); the naive formula; γ = 0 with
 * clip 0 is bce_with_logits and equal γ with clip 0 is focal without α; easy negatives cost nothing;
 * extremes where the eps clamp is active; NaN; float32; refusals.
 */
class AsymmetricTest {
    static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Logits and 0/1 labels [n, 3] with σ(x) at least 0.01 from clip and eps (where the clamps switch). */
    static Inputs data(Random r, int n, double clip, double eps) {
        double[] x = new double[n * 3];
        double[] y = new double[n * 3];
        for (int i = 0; i < x.length; i++) {
            double p;
            do {
                x[i] = 3 * r.nextGaussian();
                p = 1 / (1 + Math.exp(-x[i]));
            } while (Math.abs(p - clip) < 0.01 || Math.abs(p - eps) < 0.01 || Math.abs(1 - p + clip - eps) < 0.01);
            y[i] = r.nextInt(2);
        }
        return Inputs.of(Tensor.of(x, n, 3), Tensor.of(y, n, 3));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The naive term and focusing weight of the catalog's formula. */
    static double[] naive(double x, double y, double gp, double gn, double clip, double eps) {
        double p = sigmoid(x);
        if (y == 1) {
            double w = Math.pow(1 - p, gp);
            return new double[] {-w * Math.log(Math.max(p, eps)), w};
        }
        double pm = Math.max(p - clip, 0);
        double w = pm > 0 ? Math.pow(pm, gn) : gn == 0 ? 1 : 0;
        return new double[] {-w * Math.log(Math.max(1 - pm, eps)), w};
    }

    @Test
    void exactGradientIsTheFiniteDifference() {
        Random r = new Random(16);
        for (double[] o : new double[][] {{0, 4, 0.05, 1e-8}, {1, 4, 0.05, 1e-8}, {2.5, 0.5, 0.3, 1e-8},
            {0.5, 1, 0, 1e-8}, {1, 2, 0.05, 0.1}, {0, 0, 0.9, 1e-8}}) {
            for (String red : new String[] {"mean", "sum", "none"}) {
                Loss l = Losses.create("asymmetric", opts("gamma_pos", o[0], "gamma_neg", o[1], "clip", o[2], "eps", o[3],
                        "detach_focal_weight", false, "reduction", red));
                GradCheck.gradients(l, data(r, 4, o[2], o[3]), 1e-6, 1e-7);
            }
        }
    }

    /** The default gradient holds the weight constant: weight × the gradient of the loss with γ₊ = γ₋ = 0. */
    @Property(tries = 40)
    void detachedGradientIsTheWeightTimesTheUnfocusedGradient(@ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 5) double gp, @ForAll @DoubleRange(min = 0, max = 5) double gn,
            @ForAll @DoubleRange(min = 0, max = 0.5) double clip, @ForAll @IntRange(min = 1, max = 5) int n) {
        Inputs in = data(new Random(seed), n, clip, 1e-8);
        double[] x = in.get("input").f64();
        double[] y = in.get("target").f64();
        LossResult d = Losses.create("asymmetric", opts("gamma_pos", gp, "gamma_neg", gn, "clip", clip,
                "reduction", "none")).compute(in);
        LossResult u = Losses.create("asymmetric", opts("gamma_pos", 0.0, "gamma_neg", 0.0, "clip", clip,
                "reduction", "none")).compute(in);
        GradCheck.gradients(Losses.create("asymmetric", opts("gamma_pos", 0.0, "gamma_neg", 0.0, "clip", clip,
                "reduction", "none")), in, 1e-6, 1e-7);
        for (int i = 0; i < x.length; i++) {
            double[] tw = naive(x[i], y[i], gp, gn, clip, 1e-8);
            assertClose(d.terms().f64()[i], tw[0], 1e-12);
            assertThat(d.grad().f64()[i]).isCloseTo(tw[1] * u.grad().f64()[i], within(1e-14));
        }
    }

    /** γ = 0 and clip 0: bce_with_logits; γ₊ = γ₋ = γ and clip 0: focal with alpha null (exact gradients). */
    @Property(tries = 30)
    void reducesToBceAndFocal(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 4) double g,
            @ForAll @IntRange(min = 1, max = 5) int n) {
        Random r = new Random(seed);
        double[] x = MulticlassReference.uniform(r, n * 3, -8, 8);
        double[] y = new double[n * 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(2);
        }
        Inputs in = Inputs.of(Tensor.of(x, n, 3), Tensor.of(y, n, 3));
        LossResult a0 = Losses.create("asymmetric", opts("gamma_neg", 0.0, "clip", 0.0)).compute(in);
        LossResult b = Losses.create("bce_with_logits").compute(in);
        assertClose(a0.value(), b.value(), 1e-13);
        LossResult ag = Losses.create("asymmetric", opts("gamma_pos", g, "gamma_neg", g, "clip", 0.0,
                "detach_focal_weight", false)).compute(in);
        LossResult f = Losses.create("focal", opts("alpha", null, "gamma", g)).compute(in);
        assertClose(ag.value(), f.value(), 1e-12);
        for (int i = 0; i < x.length; i++) {
            assertThat(a0.grad().f64()[i]).isCloseTo(b.grad().f64()[i], within(1e-15));
            assertThat(ag.grad().f64()[i]).isCloseTo(f.grad().f64()[i], within(1e-13));
        }
    }

    @Test
    void easyNegativesExtremesAndNaN() {
        Loss exact = Losses.create("asymmetric", opts("gamma_pos", 1.0, "detach_focal_weight", false,
                "reduction", "none"));
        Loss detached = Losses.create("asymmetric", opts("gamma_pos", 1.0, "reduction", "none"));
        // a negative with p ≤ clip costs nothing and has no gradient
        Inputs easy = Inputs.of(Tensor.vector(new double[] {-3, -5}), Tensor.vector(new double[] {0, 0}));
        for (Loss l : new Loss[] {exact, detached}) {
            LossResult e = l.compute(easy);
            assertThat(e.terms().f64()).containsExactly(0.0, 0.0);
            assertThat(e.grad().f64()).containsExactly(0.0, 0.0);
        }
        // ±1e4: a hopeless positive is floored at −log(eps) (detached gradient 0); a hopeless negative is
        // −(1 − clip)^4·log(clip); certain ones cost 0
        Inputs big = Inputs.of(Tensor.vector(new double[] {-1e4, 1e4, 1e4, -1e4}), Tensor.vector(new double[] {1, 1, 0, 0}));
        LossResult d = detached.compute(big);
        assertThat(d.terms().f64()[0]).isCloseTo(-Math.log(1e-8), within(1e-14));
        assertThat(d.terms().f64()[1]).isZero();
        assertThat(d.terms().f64()[2]).isCloseTo(-Math.pow(0.95, 4) * Math.log(0.05), within(1e-15));
        assertThat(d.terms().f64()[3]).isZero();
        for (double g : d.grad().f64()) {
            assertThat(g + 0.0).isZero();
        }
        for (double g : exact.compute(big).grad().f64()) {
            assertThat(g).isFinite();
        }
        // logits of ±40: σ(40) rounds to 1, yet the exact gradient of the floored positive at −40 is γ·p·log(eps)
        LossResult f = exact.compute(Inputs.of(Tensor.vector(new double[] {-40}), Tensor.vector(new double[] {1})));
        assertThat(f.grad().f64()[0]).isCloseTo(sigmoid(-40) * Math.log(1e-8), within(1e-30));
        LossResult nan = detached.compute(Inputs.of(Tensor.vector(new double[] {Double.NaN, Double.NaN, 1}),
                Tensor.vector(new double[] {1, 0, Double.NaN})));
        for (int i = 0; i < 3; i++) {
            assertThat(nan.terms().f64()[i]).isNaN();
            assertThat(nan.grad().f64()[i]).isNaN();
        }
    }

    @Test
    void float32AndRefusals() {
        Inputs in = data(new Random(17), 5, 0.05, 1e-8);
        Inputs d = Inputs.of(Tensor.of(MulticlassReference.roundToFloat(in.get("input").f64()), 5, 3), in.get("target"));
        Inputs f = Inputs.of(Tensor.of(MulticlassReference.toFloat(d.get("input").f64()), 5, 3),
                Tensor.of(MulticlassReference.toFloat(in.get("target").f64()), 5, 3));
        for (boolean detach : new boolean[] {true, false}) {
            Loss l = Asymmetric.builder().gammaPos(1.0).detachFocalWeight(detach).build();
            TestSupport.compare32(l.compute(f), l.compute(d));
        }
        Loss l = Losses.create("asymmetric");
        assertRefused(() -> l.compute(Inputs.of(Tensor.vector(new double[2]), Tensor.vector(new double[] {1, 0.5}))),
                ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.5 is not one of {0, 1}");
        assertRefused(() -> l.compute(Inputs.of(Tensor.vector(new double[2]), Tensor.vector(new double[3]))),
                ErrorKind.SHAPE_MISMATCH, "target shape [3] != input shape [2]");
        assertRefused(() -> Asymmetric.builder().clip(1.0).build(), ErrorKind.INVALID_OPTION,
                "option clip = 1.0 must be in [0, 1)");
        assertRefused(() -> Asymmetric.builder().eps(0.0).build(), ErrorKind.INVALID_OPTION, "option eps = 0.0 must be > 0");
        assertRefused(() -> Asymmetric.builder().gammaNeg(-1.0).build(), ErrorKind.INVALID_OPTION,
                "option gamma_neg = -1.0 must be >= 0");
    }
}
