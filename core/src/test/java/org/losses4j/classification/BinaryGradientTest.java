package org.losses4j.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.ElementwiseLoss;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * Finite-difference checks (float64) of the gradient and of the diagonal Hessian of every
 * binary loss over every option combination: each reduction, weight or not, pos_weight or
 * not, label smoothing, alpha null or a number, several gammas, margins and ramp s values.
 * Inputs are random and at least 0.05 from any kink.
 */
class BinaryGradientTest {
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};

    /** One option combination of one loss. */
    private static final class Variant {
        final String loss;
        final Map<String, Object> params;
        final boolean weight;
        final boolean posWeight;
        final int[] shape;

        Variant(String loss, Map<String, Object> params, boolean weight, boolean posWeight, int... shape) {
            this.loss = loss;
            this.params = params;
            this.weight = weight;
            this.posWeight = posWeight;
            this.shape = shape;
        }

        @Override
        public String toString() {
            return loss + params + (weight ? " +weight" : "") + (posWeight ? " +pos_weight" : "")
                    + " " + Arrays.toString(shape);
        }
    }

    static List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (String r : REDUCTIONS) {
            for (boolean w : new boolean[] {false, true}) {
                v.add(new Variant("bce", BinaryData.params("reduction", r), w, false, 4, 3));
                for (boolean pw : new boolean[] {false, true}) {
                    for (double eps : new double[] {0.0, 0.1, 1.0}) {
                        v.add(new Variant("bce_with_logits", BinaryData.params("reduction", r, "label_smoothing", eps),
                                w, pw, 2, 3, 4));
                    }
                }
            }
            for (Double alpha : new Double[] {null, 0.0, 0.25, 0.75, 1.0}) {
                for (double gamma : new double[] {0, 0.5, 1, 2, 3}) {
                    v.add(new Variant("focal", BinaryData.params("reduction", r, "alpha", alpha, "gamma", gamma),
                            false, false, 3, 4));
                }
            }
            for (double m : new double[] {-0.5, 0, 0.5, 1, 2}) {
                v.add(new Variant("hinge", BinaryData.params("reduction", r, "margin", m), false, false, 3, 4));
                v.add(new Variant("squared_hinge", BinaryData.params("reduction", r, "margin", m), false, false, 3, 4));
                v.add(new Variant("hinge_embedding", BinaryData.params("reduction", r, "margin", m), false, false, 3, 4));
            }
            v.add(new Variant("perceptron", BinaryData.params("reduction", r), false, false, 3, 5));
            v.add(new Variant("smooth_hinge", BinaryData.params("reduction", r), false, false, 3, 5));
            for (double s : new double[] {-2.5, -1, 0, 0.5}) {
                v.add(new Variant("ramp", BinaryData.params("reduction", r, "s", s), false, false, 3, 5));
            }
            v.add(new Variant("soft_margin", BinaryData.params("reduction", r), false, false, 3, 5));
        }
        return v;
    }

    private static Inputs inputsFor(Variant v, Random rnd) {
        Inputs in = BinaryData.inputs(v.loss, v.params, rnd, v.shape);
        if (v.weight) {
            in = in.with("weight", BinaryData.weights(rnd, v.shape));
        }
        if (v.posWeight) {
            in = in.with("pos_weight", BinaryData.weights(rnd, v.shape[v.shape.length - 1]));
        }
        return in;
    }

    @TestFactory
    Stream<DynamicTest> gradientMatchesFiniteDifference() {
        Random rnd = new Random(20240611);
        return variants().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            ElementwiseLoss loss = BinaryData.create(v.loss, v.params);
            for (int rep = 0; rep < 2; rep++) {
                GradCheck.gradients(loss, inputsFor(v, rnd), 1e-6, 1e-7);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> hessianMatchesFiniteDifference() {
        Random rnd = new Random(7);
        return variants().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            ElementwiseLoss loss = BinaryData.create(v.loss, v.params);
            for (int rep = 0; rep < 2; rep++) {
                GradCheck.hessian(loss, inputsFor(v, rnd), 1e-5, 1e-6);
            }
        }));
    }

    /**
     * The Hessian of the losses with curvature is not zero on these inputs, so the checks above
     * compare real numbers (a zero Hessian everywhere would also pass them for the piecewise
     * linear losses, whose Hessian is 0).
     */
    @Test
    void curvedLossesHaveNonZeroHessian() {
        Random rnd = new Random(3);
        for (String name : new String[] {"bce", "bce_with_logits", "focal", "squared_hinge", "smooth_hinge",
            "soft_margin"}) {
            ElementwiseLoss loss = BinaryData.create(name, Map.of("reduction", "sum"));
            Inputs in = BinaryData.inputs(name, Map.of(), rnd, 50);
            LossResult r = loss.computeWithHessian(in);
            assertNotNull(r.hessian(), name);
            double max = 0;
            for (double h : r.hessian().f64()) {
                max = Math.max(max, Math.abs(h));
            }
            if (max == 0) {
                throw new AssertionError(name + ": Hessian is zero on random inputs");
            }
        }
    }

    /** Closed forms of the Hessian at chosen points, independent of the finite differences. */
    @Test
    void hessianClosedForms() {
        // bce at p = 0.2, y = 1: y/p² = 25; at p = 0.5, y = 0.3: (0.3·0.25 + 0.7·0.25)/0.0625 = 4
        ElementwiseLoss bce = BinaryData.create("bce", Map.of("reduction", "sum"));
        double[] h = bce.computeWithHessian(Inputs.of(Tensor.vector(new double[] {0.2, 0.5}),
                Tensor.vector(new double[] {1, 0.3}))).hessian().f64();
        assertEquals(25, h[0], 1e-12);
        assertEquals(4, h[1], 1e-12);
        // bce_with_logits at z = 0 with pos_weight 3, y = 1: (pw·y + 1 − y)·¼ = 0.75
        ElementwiseLoss bwl = BinaryData.create("bce_with_logits", Map.of("reduction", "sum"));
        h = bwl.computeWithHessian(Inputs.of(Tensor.vector(new double[] {0}), Tensor.vector(new double[] {1}))
                .with("pos_weight", Tensor.vector(new double[] {3}))).hessian().f64();
        assertEquals(0.75, h[0], 1e-15);
        // smooth_hinge: 1 on the parabola, 0 on the linear part and beyond 1
        ElementwiseLoss sh = BinaryData.create("smooth_hinge", Map.of("reduction", "sum"));
        h = sh.computeWithHessian(Inputs.of(Tensor.vector(new double[] {0.5, -2, 3, 0, 1}),
                Tensor.vector(new double[] {1, 1, 1, 1, 1}))).hessian().f64();
        assertEquals(List.of(1.0, 0.0, 0.0, 0.0, 0.0), box(h));
        // squared_hinge: 2 inside the margin, 0 at the kink and beyond
        ElementwiseLoss sq = BinaryData.create("squared_hinge", Map.of("reduction", "mean"));
        h = sq.computeWithHessian(Inputs.of(Tensor.vector(new double[] {0.5, 1, 2, -3}),
                Tensor.vector(new double[] {1, 1, 1, 1}))).hessian().f64();
        assertEquals(List.of(0.5, 0.0, 0.0, 0.5), box(h)); // 2 / N with N = 4
        // focal, γ = 0, alpha null, z = 0: σ(0)σ(0) = ¼
        ElementwiseLoss f0 = BinaryData.create("focal", BinaryData.params("alpha", null, "gamma", 0.0,
                "reduction", "sum"));
        h = f0.computeWithHessian(Inputs.of(Tensor.vector(new double[] {0}), Tensor.vector(new double[] {1})))
                .hessian().f64();
        assertEquals(0.25, h[0], 1e-15);
        // hinge, perceptron, ramp and hinge_embedding: 0, kinks included
        for (String name : new String[] {"hinge", "perceptron", "ramp", "hinge_embedding"}) {
            h = BinaryData.create(name, Map.of()).computeWithHessian(Inputs.of(
                    Tensor.vector(new double[] {1, -1, 0.3, -5}), Tensor.vector(new double[] {1, 1, 1, 1})))
                    .hessian().f64();
            assertEquals(List.of(0.0, 0.0, 0.0, 0.0), box(h), name);
        }
    }

    /** The Hessian with weights is the weighted Hessian (driver), checked on bce_with_logits at z = 0. */
    @Test
    void weightedHessian() {
        ElementwiseLoss bwl = BinaryData.create("bce_with_logits", Map.of("reduction", "sum"));
        double[] h = bwl.computeWithHessian(Inputs.of(Tensor.vector(new double[] {0, 0}),
                Tensor.vector(new double[] {1, 0})).with("weight", Tensor.vector(new double[] {2, 4})))
                .hessian().f64();
        assertEquals(0.5, h[0], 1e-15);
        assertEquals(1.0, h[1], 1e-15);
    }

    private static List<Double> box(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double v : a) {
            l.add(v + 0.0); // −0.0 → 0.0
        }
        return l;
    }
}
