package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losses4j.segmentation.RegionLossesTest.assertRefused;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * lovasz_hinge: the value against the threshold-integral form of the Lovász extension
 * ({@link LovaszReference}), its tightness (= 1 − IoU at errors in {0, 1}), convexity, the
 * per-image mean, invariance to the order of pixels, gradients against finite differences,
 * extremes, float32 and refusals.
 */
class LovaszHingeTest {
    private static final int[][] SHAPES = {{2, 3, 4}, {3, 7}, {5}, {1, 2, 2, 3}, {2, 1}};

    private static Loss loss(boolean perImage) {
        return Losses.create("lovasz_hinge", Map.of("per_image", perImage));
    }

    private static Inputs random(long seed, int... shape) {
        Random r = new Random(seed);
        int n = Data.size(shape);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextGaussian();
        }
        return Inputs.of(Tensor.of(x, shape), Tensor.of(Data.binary(r, n), shape));
    }

    /** The loss by the reference form: per image (or for the batch) the extension of the hinge errors. */
    private static double reference(Inputs in, boolean perImage) {
        double[] x = in.get("input").f64();
        double[] g = in.get("target").f64();
        int groups = perImage ? in.get("input").dim(0) : 1;
        int p = x.length / groups;
        double sum = 0;
        for (int k = 0; k < groups; k++) {
            double[] e = new double[p];
            double[] gk = Arrays.copyOfRange(g, k * p, k * p + p);
            for (int i = 0; i < p; i++) {
                e[i] = 1 - x[k * p + i] * (2 * gk[i] - 1);
            }
            sum += LovaszReference.extension(e, gk);
        }
        return sum / groups;
    }

    @Test
    void valueIsTheLovaszExtensionOfTheHingeErrors() {
        long seed = 1;
        for (int[] shape : SHAPES) {
            for (boolean perImage : new boolean[] {true, false}) {
                Inputs in = random(seed++, shape);
                assertEquals(reference(in, perImage), loss(perImage).compute(in).value(), 1e-12,
                        Arrays.toString(shape) + " per_image " + perImage);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        long seed = 100;
        for (int[] shape : SHAPES) {
            for (boolean perImage : new boolean[] {true, false}) {
                // piecewise linear: a step of 1e-6 crosses no kink of these random logits
                GradCheck.gradients(loss(perImage), random(seed++, shape), 1e-6, 1e-7);
            }
        }
    }

    @Test
    void atErrorsZeroOrOneItIsTheJaccardLossOfTheFlippedMask() {
        // x = s (right side, error 0) or x = 0 (error 1): the extension equals Δ_J of the errors,
        // 1 − IoU of the mask that flips the pixels with error 1
        Random r = new Random(5);
        for (int t = 0; t < 20; t++) {
            int p = 1 + r.nextInt(12);
            double[] g = Data.binary(r, p);
            double[] x = new double[p];
            double[] pred = new double[p];
            for (int i = 0; i < p; i++) {
                boolean wrong = r.nextInt(3) == 0;
                x[i] = wrong ? 0 : 2 * g[i] - 1;
                pred[i] = wrong ? 1 - g[i] : g[i];
            }
            Inputs in = Inputs.of(Tensor.of(x, 1, p), Tensor.of(g, 1, p));
            assertEquals(LovaszReference.oneMinusIou(pred, g), loss(true).compute(in).value(), 1e-15);
        }
    }

    @Test
    void convexInTheLogits() {
        Random r = new Random(9);
        for (int t = 0; t < 50; t++) {
            Inputs a = random(r.nextLong(), 2, 6);
            double[] xa = a.get("input").f64();
            double[] xb = new double[xa.length];
            double[] mid = new double[xa.length];
            for (int i = 0; i < xa.length; i++) {
                xb[i] = 3 * r.nextGaussian();
                mid[i] = 0.5 * (xa[i] + xb[i]);
            }
            Tensor g = a.get("target");
            for (boolean perImage : new boolean[] {true, false}) {
                Loss l = loss(perImage);
                double fa = l.compute(a).value();
                double fb = l.compute(Inputs.of(Tensor.of(xb, 2, 6), g)).value();
                double fm = l.compute(Inputs.of(Tensor.of(mid, 2, 6), g)).value();
                assertThat(fm).isLessThanOrEqualTo(0.5 * (fa + fb) + 1e-12);
            }
        }
    }

    @Test
    void perImageIsTheMeanOfTheImageLossesAndEqualsTheBatchTermForOneImage() {
        Inputs in = random(11, 3, 2, 5);
        double[] x = in.get("input").f64();
        double[] g = in.get("target").f64();
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            Inputs one = Inputs.of(Tensor.of(Arrays.copyOfRange(x, 10 * k, 10 * k + 10), 1, 2, 5),
                    Tensor.of(Arrays.copyOfRange(g, 10 * k, 10 * k + 10), 1, 2, 5));
            double v = loss(true).compute(one).value();
            assertEquals(v, loss(false).compute(one).value(), 0.0);
            sum += v;
        }
        assertEquals(sum / 3, loss(true).compute(in).value(), 1e-15);
    }

    @Test
    void permutingThePixelsPermutesTheGradient() {
        Inputs in = random(13, 1, 9);
        double[] x = in.get("input").f64();
        double[] g = in.get("target").f64();
        int[] perm = {4, 0, 8, 2, 6, 1, 3, 7, 5};
        double[] px = new double[9];
        double[] pg = new double[9];
        for (int i = 0; i < 9; i++) {
            px[i] = x[perm[i]];
            pg[i] = g[perm[i]];
        }
        LossResult a = loss(true).compute(in);
        LossResult b = loss(true).compute(Inputs.of(Tensor.of(px, 1, 9), Tensor.of(pg, 1, 9)));
        assertEquals(a.value(), b.value(), 1e-15);
        for (int i = 0; i < 9; i++) {
            assertEquals(a.grad().f64()[perm[i]], b.grad().f64()[i], 1e-15);
        }
    }

    @Test
    void tiedLogitsGiveTheSameValueInAnyOrderAndAValidSubgradient() {
        double[] g = {1, 0, 1, 0, 0, 1};
        double[] x = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
        double v = loss(true).compute(Inputs.of(Tensor.of(x, 1, 6), Tensor.of(g, 1, 6))).value();
        assertEquals(LovaszReference.extension(new double[] {0.5, 1.5, 0.5, 1.5, 1.5, 0.5}, g), v, 1e-15);
        // the gradient of the order used: a subgradient, so f(y) >= f(x) + <grad, y − x> for any y
        LossResult r = loss(true).compute(Inputs.of(Tensor.of(x.clone(), 1, 6), Tensor.of(g, 1, 6)));
        Random rng = new Random(3);
        for (int t = 0; t < 30; t++) {
            double[] y = new double[6];
            double lin = r.value();
            for (int i = 0; i < 6; i++) {
                y[i] = x[i] + rng.nextGaussian();
                lin += r.grad().f64()[i] * (y[i] - x[i]);
            }
            double fy = loss(true).compute(Inputs.of(Tensor.of(y, 1, 6), Tensor.of(g, 1, 6))).value();
            assertThat(fy).isGreaterThanOrEqualTo(lin - 1e-12);
        }
    }

    @Test
    void everyMarginMetGivesZeroAndAZeroGradient() {
        double[] g = {1, 0, 0, 1, 1, 0};
        double[] x = {1.5, -2, -1.0, 1.0, 3, -7};
        LossResult r = loss(false).compute(Inputs.of(Tensor.of(x, 2, 3), Tensor.of(g, 2, 3)));
        assertEquals(0.0, r.value(), 0.0);
        for (double v : r.grad().f64()) {
            assertEquals(0.0, v, 0.0);
        }
    }

    @Test
    void hugeLogitsStayFiniteAndLinear() {
        double[] g = {1, 0, 1, 0};
        for (double big : new double[] {1e4, 1e150, 1e300}) {
            double[] x = {-big, big, 0.5, -0.5};
            LossResult r = loss(true).compute(Inputs.of(Tensor.of(x, 1, 4), Tensor.of(g, 1, 4)));
            assertTrue(Double.isFinite(r.value()), "" + big);
            assertEquals(reference(Inputs.of(Tensor.of(x, 1, 4), Tensor.of(g, 1, 4)), true), r.value(),
                    1e-14 * r.value());
            for (double v : r.grad().f64()) {
                assertTrue(Double.isFinite(v) && Math.abs(v) <= 1, "" + v);
            }
        }
    }

    @Test
    void float32AgreesWithFloat64AndWritesTheCallersBuffer() {
        Inputs d = random(17, 3, 8, 8);
        Inputs f = Data.asFloat32(d);
        for (boolean perImage : new boolean[] {true, false}) {
            float[] buf = new float[192];
            LossResult rf = loss(perImage).compute(f.gradInto("input", Tensor.of(buf, 3, 8, 8)));
            assertSame(buf, rf.grad().f32());
            LossResult rd = loss(perImage).compute(Data.widened(f));
            assertEquals(rd.value(), rf.value(), 1e-15 * Math.abs(rd.value()));
            for (int i = 0; i < buf.length; i++) {
                assertEquals((float) rd.grad().f64()[i], buf[i], 0.0f);
            }
        }
    }

    @Test
    void nanPropagates() {
        double[] x = {0.3, Double.NaN, -1, 2};
        LossResult r = loss(true).compute(Inputs.of(Tensor.of(x, 2, 2), Tensor.of(new double[] {1, 0, 0, 1}, 2, 2)));
        assertTrue(Double.isNaN(r.value()));
        assertTrue(Double.isNaN(r.grad().f64()[1]));
        // the other image is untouched
        assertTrue(Double.isFinite(r.grad().f64()[2]) && Double.isFinite(r.grad().f64()[3]));
    }

    @Test
    void refusals() {
        Inputs ok = random(1, 2, 3);
        Loss l = loss(true);
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.of(new double[] {1, 0, 0.5, 1, 0, 0}, 2, 3))),
                ErrorKind.OUT_OF_DOMAIN, "target[0, 2] = 0.5 is not one of {0, 1}");
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.of(new double[6], 3, 2))),
                ErrorKind.SHAPE_MISMATCH, "target shape [3, 2] != input shape [2, 3]");
        assertRefused(() -> l.compute(Inputs.of(Tensor.scalar(0.5), Tensor.scalar(1))), ErrorKind.SHAPE_MISMATCH,
                "[N, *] (rank >= 1), got shape []");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[0], 0, 4), Tensor.of(new double[0], 0, 4))),
                ErrorKind.EMPTY_INPUT, "is empty");
        assertRefused(() -> Losses.create("lovasz_hinge", Map.of("per_image", "yes")), ErrorKind.INVALID_OPTION,
                "per_image = 'yes' must be true or false");
        assertRefused(() -> Losses.create("lovasz_hinge", Map.of("reduction", "sum")), ErrorKind.UNKNOWN_OPTION,
                "has no option 'reduction'");
    }

    @Test
    void typedBuilderMatchesTheRegistry() {
        Inputs in = random(19, 2, 5);
        assertEquals(loss(false).compute(in).value(), LovaszHinge.builder().perImage(false).build().compute(in).value(),
                0.0);
    }
}
