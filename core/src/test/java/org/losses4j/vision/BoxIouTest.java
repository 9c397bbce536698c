package org.losses4j.vision;

import static org.losses4j.segmentation.RegionLossesTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.segmentation.Data;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** box_iou: gradients for every variant, reduction and eps; closed forms; refusals. */
class BoxIouTest {
    private static final String[] VARIANTS = {"iou", "giou", "diou", "ciou"};
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};

    private static Loss loss(String variant, String reduction, double eps) {
        return Losses.create("box_iou", Map.of("variant", variant, "reduction", reduction, "eps", eps));
    }

    private static Inputs boxes(double[] a, double[] b) {
        return Inputs.of(Tensor.of(a, a.length / 4, 4), Tensor.of(b, b.length / 4, 4));
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOptionCombination() {
        long seed = 11;
        for (String v : VARIANTS) {
            for (String r : REDUCTIONS) {
                for (double eps : new double[] {1e-7, 0.1, 0.0}) {
                    Loss l = loss(v, r, eps);
                    if (v.equals("ciou")) {
                        ciouGradient(r, eps, Data.boxPairs(seed++, 6));
                        continue;
                    }
                    GradCheck.gradients(l, Data.boxPairs(seed++, 6), 1e-6, 1e-6);
                    // also disjoint pairs (zero intersection: only the penalties move)
                    Random rnd = new Random(seed++);
                    double[] a = Data.boxes(rnd, 4, 1);
                    double[] b = Data.boxes(rnd, 4, 1);
                    for (int i = 0; i < 4; i++) {
                        b[4 * i] += 6;
                        b[4 * i + 2] += 6;
                    }
                    GradCheck.gradients(l, boxes(a, b), 1e-6, 1e-6);
                }
            }
        }
    }

    /** The aspect term v of one input box against its target, evaluated here from its definition. */
    private static double v(double[] a, double[] b, int i) {
        double w = a[4 * i + 2] - a[4 * i], h = a[4 * i + 3] - a[4 * i + 1];
        double wg = b[4 * i + 2] - b[4 * i], hg = b[4 * i + 3] - b[4 * i + 1];
        return 4 / (Math.PI * Math.PI) * Math.pow(Math.atan(wg / hg) - Math.atan(w / h), 2);
    }

    /**
     * CIoU's gradient holds α constant (as torchvision), so it is not the derivative of the
     * value: check it against the finite difference of diou plus α₀·v with α₀ frozen at the point.
     */
    private static void ciouGradient(String reduction, double eps, Inputs in) {
        double[] a = in.get("input").f64();
        double[] b = in.get("target").f64();
        int n = a.length / 4;
        Loss ciou = loss("ciou", reduction, eps);
        Loss diou = loss("diou", reduction, eps);
        Loss iou = loss("iou", "none", eps);
        double[] g = ciou.compute(in).grad().f64();
        double[] ious = iou.compute(in).terms().f64(); // 1 − IoU
        double scale = reduction.equals("mean") ? 1.0 / n : 1.0;
        for (int e = 0; e < a.length; e++) {
            int box = e / 4;
            double alpha0 = v(a, b, box) / (ious[box] + v(a, b, box) + eps);
            double old = a[e];
            double h = 1e-6 * Math.max(1, Math.abs(old));
            a[e] = old + h;
            double vp = v(a, b, box);
            a[e] = old - h;
            double vm = v(a, b, box);
            a[e] = old;
            double fd = GradCheck.difference(diou, in, a, e, 1e-6) + scale * alpha0 * (vp - vm) / (2 * h);
            assertEquals(fd, g[e], 1e-6 * (1 + Math.abs(fd)), "ciou " + reduction + " d/dinput[" + e + "]");
        }
    }

    @Test
    void closedFormsOnTwoOverlappingSquares() {
        // (0,0,2,2) vs (1,1,3,3): I = 1, U = 7, enclosing (0,0,3,3): A_c = 9, c² = 18, centres 1 apart in x and y: ρ² = 2
        Inputs in = boxes(new double[] {0, 0, 2, 2}, new double[] {1, 1, 3, 3});
        assertEquals(1 - 1.0 / 7, loss("iou", "mean", 0).compute(in).value(), 1e-15);
        assertEquals(1 - 1.0 / 7 + 2.0 / 9, loss("giou", "mean", 0).compute(in).value(), 1e-15);
        assertEquals(1 - 1.0 / 7 + 2.0 / 18, loss("diou", "mean", 0).compute(in).value(), 1e-15);
        assertEquals(1 - 1.0 / 7 + 2.0 / 18, loss("ciou", "mean", 0).compute(in).value(), 1e-15); // same aspect: v = 0
        // d(1 − I/U)/dx2 for the input: I = (x2 − 1)(2 − 1), U = 2(x2 − 0) + 4 − I → −(1·7 − 1·(2 − 1))/49
        assertEquals(-(7 - 1.0) / 49, loss("iou", "mean", 0).compute(in).grad().f64()[2], 1e-15);
    }

    @Test
    void ciouClosedFormWithDifferentAspectRatios() {
        // (0,0,2,1) vs (0,0,1,2): I = 1, U = 3, enclosing (0,0,2,2): c² = 8, centres (1, .5) and (.5, 1): ρ² = .5
        Inputs in = boxes(new double[] {0, 0, 2, 1}, new double[] {0, 0, 1, 2});
        double v = 4 / (Math.PI * Math.PI) * Math.pow(Math.atan(0.5) - Math.atan(2), 2);
        double iou = 1.0 / 3;
        double alpha = v / (1 - iou + v);
        assertEquals(1 - iou + 0.5 / 8 + alpha * v, loss("ciou", "mean", 0).compute(in).value(), 1e-15);
    }

    @Test
    void disjointAndDegenerateBoxes() {
        // disjoint: IoU 0; touching edges: intersection 0; zero-width box: intersection 0
        Inputs in = boxes(new double[] {0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 3},
                new double[] {2, 0, 3, 1, 1, 0, 2, 1, 0, 0, 4, 3});
        LossResult r = loss("iou", "none", 1e-7).compute(in);
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, r.terms().f64()[i], 0.0);
        }
        // giou of the disjoint pair: 1 + (3 − 2)/(3 + eps)
        assertEquals(1 + 1 / (3 + 1e-7), loss("giou", "none", 1e-7).compute(in).terms().f64()[0], 1e-15);
        // identical boxes: ≈ 0 for every variant (only eps remains)
        Inputs same = boxes(new double[] {1, 2, 4, 3}, new double[] {1, 2, 4, 3});
        for (String v : VARIANTS) {
            LossResult s = loss(v, "mean", 1e-7).compute(same);
            assertEquals(0, s.value(), 1e-7, v);
            for (double g : s.grad().f64()) {
                assertTrue(Double.isFinite(g), v);
            }
        }
    }

    @Test
    void reductionsAgree() {
        Inputs in = Data.boxPairs(5, 7);
        for (String v : VARIANTS) {
            double sum = loss(v, "sum", 1e-7).compute(in).value();
            double mean = loss(v, "mean", 1e-7).compute(in).value();
            LossResult none = loss(v, "none", 1e-7).compute(in);
            GradCheck.sumIsNTimesMean(sum, mean, 7);
            assertEquals(sum, none.value(), 1e-12);
            assertEquals(7, none.terms().size());
        }
    }

    @Test
    void nanPropagates() {
        LossResult r = loss("giou", "mean", 1e-7).compute(boxes(new double[] {0, 0, Double.NaN, 2}, new double[] {1, 1, 3, 3}));
        assertTrue(Double.isNaN(r.value()));
    }

    @Test
    void refusals() {
        Inputs ok = Data.boxPairs(1, 3);
        Loss l = Losses.create("box_iou");
        assertRefused(() -> l.compute(boxes(new double[] {0, 0, 1, 1, 2, 0, 1, 1}, new double[] {0, 0, 1, 1, 0, 0, 1, 1})),
                ErrorKind.OUT_OF_DOMAIN, "input[1] = (2.0, 0.0, 1.0, 1.0) has x2 < x1");
        assertRefused(() -> l.compute(boxes(new double[] {0, 0, 1, 1}, new double[] {0, 3, 1, 1})),
                ErrorKind.OUT_OF_DOMAIN, "target[0] = (0.0, 3.0, 1.0, 1.0) has y2 < y1");
        assertRefused(() -> Losses.create("box_iou", Map.of("variant", "ciou")).compute(
                boxes(new double[] {0, 1, 1, 1}, new double[] {0, 0, 1, 1})), ErrorKind.OUT_OF_DOMAIN,
                "ciou needs boxes of positive height");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[6], 2, 3), Tensor.of(new double[6], 2, 3))),
                ErrorKind.SHAPE_MISMATCH, "dimension 1 is 3 but must be 4");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[4], 4), Tensor.of(new double[4], 4))),
                ErrorKind.SHAPE_MISMATCH, "must have rank 2");
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.of(new double[8], 2, 4))),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 4] != input shape [3, 4]");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[0], 0, 4), Tensor.of(new double[0], 0, 4))),
                ErrorKind.EMPTY_INPUT, "is empty");
        assertRefused(() -> Losses.create("box_iou", Map.of("variant", "eiou")), ErrorKind.INVALID_OPTION,
                "variant = 'eiou' must be one of iou, giou, diou, ciou");
        assertRefused(() -> Losses.create("box_iou", Map.of("eps", -1e-3)), ErrorKind.INVALID_OPTION,
                "eps = -0.001 must be >= 0");
    }
}
