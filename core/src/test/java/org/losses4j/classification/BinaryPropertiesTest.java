package org.losses4j.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.losses4j.ElementwiseLoss;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * Invariants of the binary losses over random inputs: sum = N·mean, unreduced terms sum to
 * the sum, unit weights equal no weights, focal with γ = 0 and alpha null is
 * bce_with_logits, zero loss beyond the margin, float32 within 1e-5 of float64, and a few
 * identities between losses.
 */
class BinaryPropertiesTest {

    @Provide
    Arbitrary<String> losses() {
        return Arbitraries.of(BinaryData.LOSSES);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static Inputs random(String loss, long seed, int n) {
        return BinaryData.inputs(loss, Map.of(), new Random(seed), n);
    }

    @Property(tries = 80)
    void sumIsNTimesMeanAndTermsSumToSum(@ForAll("losses") String loss, @ForAll("seeds") long seed,
            @ForAll @IntRange(min = 1, max = 700) int n) {
        Inputs in = random(loss, seed, n);
        double mean = BinaryData.create(loss, Map.of("reduction", "mean")).value(in).value();
        double sum = BinaryData.create(loss, Map.of("reduction", "sum")).value(in).value();
        GradCheck.sumIsNTimesMean(sum, mean, n);
        LossResult none = BinaryData.create(loss, Map.of("reduction", "none")).compute(in);
        double s = 0;
        for (double t : none.terms().f64()) {
            s += t;
        }
        assertEquals(sum, s, 1e-9 * (1 + Math.abs(sum)));
        // the mean's gradient is the sum's divided by N
        double[] gm = BinaryData.create(loss, Map.of("reduction", "mean")).compute(in).grad("input").f64();
        double[] gs = BinaryData.create(loss, Map.of("reduction", "sum")).compute(in).grad("input").f64();
        double[] gn = none.grad("input").f64();
        for (int i = 0; i < n; i++) {
            assertEquals(gs[i], gm[i] * n, 1e-12 * (1 + Math.abs(gs[i])));
            assertEquals(gs[i], gn[i], 0.0);
        }
    }

    @Property(tries = 40)
    void unitWeightsEqualNoWeights(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 40) int n) {
        for (String loss : new String[] {"bce", "bce_with_logits"}) {
            Inputs in = random(loss, seed, n);
            ElementwiseLoss l = BinaryData.create(loss, Map.of("reduction", "sum"));
            LossResult plain = l.compute(in);
            LossResult unit = l.compute(in.with("weight", BinaryData.constant(1, n)));
            assertEquals(plain.value(), unit.value(), 0.0, loss);
            assertEquals(java.util.Arrays.toString(plain.grad("input").f64()),
                    java.util.Arrays.toString(unit.grad("input").f64()), loss);
        }
        Inputs in = random("bce_with_logits", seed, n).with("pos_weight", BinaryData.constant(1, n));
        ElementwiseLoss l = BinaryData.create("bce_with_logits", Map.of("reduction", "sum"));
        assertEquals(l.value(random("bce_with_logits", seed, n)).value(), l.value(in).value(), 0.0);
    }

    /** A weight scales its term: weight 2 on every element doubles value and gradient. */
    @Property(tries = 20)
    void weightScalesTerms(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 30) int n) {
        for (String loss : new String[] {"bce", "bce_with_logits"}) {
            Inputs in = random(loss, seed, n);
            ElementwiseLoss l = BinaryData.create(loss, Map.of("reduction", "mean"));
            assertEquals(2 * l.value(in).value(), l.value(in.with("weight", BinaryData.constant(2, n))).value(),
                    1e-12 * (1 + l.value(in).value()));
        }
    }

    @Property(tries = 60)
    void focalWithGammaZeroAndNoAlphaIsBceWithLogits(@ForAll("seeds") long seed,
            @ForAll @IntRange(min = 1, max = 50) int n, @ForAll @DoubleRange(min = 1, max = 1e4) double scale) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * (2 * rnd.nextDouble() - 1);
            y[i] = rnd.nextInt(2);
        }
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        LossResult f = BinaryData.create("focal", BinaryData.params("alpha", null, "gamma", 0.0, "reduction", "none"))
                .compute(in);
        LossResult b = BinaryData.create("bce_with_logits", Map.of("reduction", "none")).compute(in);
        double[] ft = f.terms().f64(), bt = b.terms().f64();
        double[] fg = f.grad("input").f64(), bg = b.grad("input").f64();
        for (int i = 0; i < n; i++) {
            assertEquals(bt[i], ft[i], 1e-14 * (1 + bt[i]), "term " + i);
            assertEquals(bg[i], fg[i], 1e-15, "grad " + i);
        }
    }

    /** α_t is a per-term factor: alpha a gives a·(alpha null) on positives, (1 − a)· on negatives. */
    @Property(tries = 40)
    void focalAlphaWeightsTheClasses(@ForAll("seeds") long seed, @ForAll @DoubleRange(min = 0, max = 1) double alpha,
            @ForAll @DoubleRange(min = 0, max = 4) double gamma) {
        Inputs in = random("focal", seed, 20);
        double[] y = in.get("target").f64();
        double[] plain = BinaryData.create("focal", BinaryData.params("alpha", null, "gamma", gamma, "reduction",
                "none")).value(in).terms().f64();
        double[] weighted = BinaryData.create("focal", BinaryData.params("alpha", alpha, "gamma", gamma, "reduction",
                "none")).value(in).terms().f64();
        for (int i = 0; i < y.length; i++) {
            double at = y[i] == 1 ? alpha : 1 - alpha;
            assertEquals(at * plain[i], weighted[i], 1e-14 * (1 + plain[i]));
        }
    }

    /** Focusing: for γ > 0 the focal term never exceeds the cross-entropy term (alpha null). */
    @Property(tries = 40)
    void focalIsBelowCrossEntropy(@ForAll("seeds") long seed, @ForAll @DoubleRange(min = 0, max = 5) double gamma) {
        Inputs in = random("focal", seed, 30);
        double[] f = BinaryData.create("focal", BinaryData.params("alpha", null, "gamma", gamma, "reduction", "none"))
                .value(in).terms().f64();
        double[] b = BinaryData.create("bce_with_logits", Map.of("reduction", "none")).value(in).terms().f64();
        for (int i = 0; i < f.length; i++) {
            assertTrue(f[i] <= b[i] * (1 + 1e-15) && f[i] >= 0, "term " + i);
        }
    }

    /** soft_margin(x, y) = bce_with_logits(x, (y + 1)/2): the same logistic loss on ±1 vs 0/1 labels. */
    @Property(tries = 40)
    void softMarginIsLogisticLoss(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 40) int n) {
        Inputs in = random("soft_margin", seed, n);
        double[] y = in.get("target").f64();
        double[] y01 = new double[n];
        for (int i = 0; i < n; i++) {
            y01[i] = (y[i] + 1) / 2;
        }
        LossResult s = BinaryData.create("soft_margin", Map.of()).compute(in);
        LossResult b = BinaryData.create("bce_with_logits", Map.of()).compute(Inputs.of(in.get("input"),
                Tensor.vector(y01)));
        assertEquals(b.value(), s.value(), 1e-14 * (1 + b.value()));
        double[] gs = s.grad("input").f64(), gb = b.grad("input").f64();
        for (int i = 0; i < n; i++) {
            assertEquals(gb[i], gs[i], 1e-15);
        }
    }

    /** Label smoothing 1 maps every target to ½: the result no longer depends on the target. */
    @Property(tries = 30)
    void fullLabelSmoothingIgnoresTarget(@ForAll("seeds") long seed) {
        Inputs in = random("bce_with_logits", seed, 12);
        Inputs half = Inputs.of(in.get("input"), BinaryData.constant(0.5, 12));
        ElementwiseLoss smooth = BinaryData.create("bce_with_logits", Map.of("label_smoothing", 1.0));
        ElementwiseLoss plain = BinaryData.create("bce_with_logits", Map.of());
        assertEquals(plain.value(half).value(), smooth.value(in).value(), 1e-15);
    }

    /** Zero loss (and zero gradient) where the prediction is right beyond the margin. */
    @Property(tries = 60)
    void zeroLossBeyondTheMargin(@ForAll("seeds") long seed, @ForAll @DoubleRange(min = 0, max = 3) double margin) {
        Random rnd = new Random(seed);
        int n = 16;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextBoolean() ? 1 : -1;
            x[i] = y[i] * (Math.max(margin, 1) + 5 * rnd.nextDouble()); // y·x ≥ max(margin, 1)
        }
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        for (String loss : new String[] {"hinge", "perceptron", "squared_hinge", "smooth_hinge", "ramp"}) {
            Map<String, Object> p = loss.endsWith("hinge") && !loss.startsWith("smooth")
                    ? BinaryData.params("margin", margin) : Map.of();
            LossResult r = BinaryData.create(loss, p).compute(in);
            assertEquals(0.0, r.value(), 0.0, loss);
            for (double g : r.grad("input").f64()) {
                assertEquals(0.0, g, 0.0, loss);
            }
        }
        // bce at p = y ∈ {0, 1}: every term is exactly 0
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (y[i] + 1) / 2;
        }
        assertEquals(0.0, BinaryData.create("bce", Map.of()).value(Inputs.of(Tensor.vector(p), Tensor.vector(p)))
                .value(), 0.0);
    }

    /** ramp = min(hinge, 1 − s) with hinge margin 1. */
    @Property(tries = 40)
    void rampIsClippedHinge(@ForAll("seeds") long seed, @ForAll @DoubleRange(min = -5, max = 0.99) double s) {
        Inputs in = random("hinge", seed, 25);
        double[] h = BinaryData.create("hinge", Map.of("reduction", "none")).value(in).terms().f64();
        double[] r = BinaryData.create("ramp", BinaryData.params("s", s, "reduction", "none")).value(in).terms().f64();
        for (int i = 0; i < h.length; i++) {
            assertEquals(Math.min(h[i], 1 - s), r[i], 1e-15);
        }
    }

    /**
     * perceptron is hinge with margin 0 (terms and gradients, kinks at y·x = 0 included), positively
     * homogeneous (scores times c &gt; 0 give terms times c) and zero exactly on the correctly
     * classified elements.
     */
    @Property(tries = 40)
    void perceptronIsHingeWithMarginZero(@ForAll("seeds") long seed, @ForAll @DoubleRange(min = 0.01, max = 100)
            double c) {
        Random rnd = new Random(seed);
        int n = 30;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] cx = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextBoolean() ? 1 : -1;
            x[i] = rnd.nextInt(5) == 0 ? 0.0 : 4 * rnd.nextGaussian();
            cx[i] = c * x[i];
        }
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        LossResult p = BinaryData.create("perceptron", Map.of("reduction", "none")).compute(in);
        LossResult h = BinaryData.create("hinge", BinaryData.params("margin", 0.0, "reduction", "none")).compute(in);
        double[] pc = BinaryData.create("perceptron", Map.of("reduction", "none"))
                .value(Inputs.of(Tensor.vector(cx), Tensor.vector(y))).terms().f64();
        for (int i = 0; i < n; i++) {
            assertEquals(h.terms().f64()[i], p.terms().f64()[i], 0.0);
            assertEquals(h.grad("input").f64()[i], p.grad("input").f64()[i], 0.0);
            assertEquals(c * p.terms().f64()[i], pc[i], 1e-12 * Math.abs(pc[i]));
            assertEquals(y[i] * x[i] >= 0, p.terms().f64()[i] == 0.0, "zero iff classified, " + i);
            assertEquals(y[i] * x[i] < 0 ? -y[i] : 0.0, p.grad("input").f64()[i], 0.0, "grad " + i);
        }
    }

    /** float32 inputs give the float64 result (on the same rounded values) within 1e-5 relative. */
    @Property(tries = 80)
    void float32MatchesFloat64(@ForAll("losses") String loss, @ForAll("seeds") long seed,
            @ForAll @IntRange(min = 1, max = 600) int n) {
        Random rnd = new Random(seed);
        Inputs in = BinaryData.inputs(loss, Map.of(), rnd, n);
        Tensor x64 = BinaryData.roundToFloat(in.get("input"));
        Tensor y64 = BinaryData.roundToFloat(in.get("target"));
        Inputs d = Inputs.of(x64, y64);
        Inputs f = Inputs.of(BinaryData.toFloat(x64), BinaryData.toFloat(y64));
        if (loss.startsWith("bce")) {
            Tensor w = BinaryData.roundToFloat(BinaryData.weights(rnd, n));
            d = d.with("weight", w);
            f = f.with("weight", BinaryData.toFloat(w));
        }
        for (String red : new String[] {"mean", "none"}) {
            ElementwiseLoss l = BinaryData.create(loss, Map.of("reduction", red));
            LossResult r64 = l.compute(d);
            LossResult r32 = l.compute(f);
            assertEquals(r64.value(), r32.value(), 1e-5 * Math.abs(r64.value()) + 1e-30, loss + " " + red);
            double[] g64 = r64.grad("input").f64();
            float[] g32 = r32.grad("input").f32();
            for (int i = 0; i < n; i++) {
                assertEquals(g64[i], g32[i], 1e-5 * Math.abs(g64[i]) + 1e-37, loss + " grad " + i);
            }
            if (red.equals("none")) {
                float[] t32 = r32.terms().f32();
                double[] t64 = r64.terms().f64();
                for (int i = 0; i < n; i++) {
                    assertEquals(t64[i], t32[i], 1e-5 * Math.abs(t64[i]) + 1e-37, loss + " term " + i);
                }
            }
        }
    }
}
