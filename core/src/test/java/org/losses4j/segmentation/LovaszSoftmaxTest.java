package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losses4j.segmentation.RegionLossesTest.assertRefused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * lovasz_softmax: the value against the threshold-integral form of the Lovász extension per
 * class ({@link LovaszReference}), tightness (the mean Jaccard loss at one-hot predictions),
 * present vs all, per_image, ignore_index (as leaving the pixels out), gradients against
 * finite differences for every option, float32, NaN and refusals.
 */
class LovaszSoftmaxTest {
    private static Loss loss(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create("lovasz_softmax", m);
    }

    /** Softmax probabilities [n, c, s] (over dimension 1) of normal logits, and labels [n, s] in [0, labelsBelow). */
    private static Inputs random(long seed, int n, int c, int s, int labelsBelow) {
        Random r = new Random(seed);
        double[] p = new double[n * c * s];
        double[] col = new double[c];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < s; q++) {
                for (int k = 0; k < c; k++) {
                    col[k] = 1.5 * r.nextGaussian();
                }
                double[] sm = Examples.softmaxRows(col, c);
                for (int k = 0; k < c; k++) {
                    p[(i * c + k) * s + q] = sm[k];
                }
            }
        }
        long[] y = new long[n * s];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(labelsBelow);
        }
        return Inputs.of(Tensor.of(p, n, c, s), Tensor.ofLabels(y, n, s));
    }

    /** The loss by the reference form, over the pixels {@code keep} of each group. */
    private static double reference(Inputs in, boolean all, boolean perImage, Long ignore) {
        double[] p = in.get("input").f64();
        long[] y = in.get("target").i64();
        int n = in.get("input").dim(0);
        int c = in.get("input").dim(1);
        int s = p.length / (n * c);
        int groups = perImage ? n : 1;
        int per = n * s / groups;
        double total = 0;
        for (int k = 0; k < groups; k++) {
            List<Integer> pix = new ArrayList<>();
            for (int j = k * per; j < k * per + per; j++) {
                if (ignore == null || y[j] != ignore) {
                    pix.add(j);
                }
            }
            double sum = 0;
            int averaged = 0;
            for (int cls = 0; cls < c; cls++) {
                double[] e = new double[pix.size()];
                double[] f = new double[pix.size()];
                for (int q = 0; q < e.length; q++) {
                    int j = pix.get(q);
                    f[q] = y[j] == cls ? 1 : 0;
                    e[q] = Math.abs(f[q] - p[(j / s * c + cls) * s + j % s]);
                }
                if (!all && java.util.Arrays.stream(f).sum() == 0) {
                    continue;
                }
                sum += LovaszReference.extension(e, f);
                averaged++;
            }
            total += averaged == 0 || pix.isEmpty() ? 0 : sum / averaged;
        }
        return total / groups;
    }

    @Test
    void valueIsTheMeanOverClassesOfTheLovaszExtension() {
        long seed = 1;
        for (int[] dims : new int[][] {{2, 4, 9}, {3, 2, 5}, {1, 3, 12}, {4, 3, 1}}) {
            for (boolean all : new boolean[] {false, true}) {
                for (boolean perImage : new boolean[] {false, true}) {
                    // labels below C − 1: the last class is absent, so present and all differ
                    Inputs in = random(seed++, dims[0], dims[1], dims[2], dims[1] - 1);
                    assertEquals(reference(in, all, perImage, null), loss("classes", all ? "all" : "present",
                            "per_image", perImage).compute(in).value(), 1e-12);
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOption() {
        long seed = 50;
        for (String classes : new String[] {"present", "all"}) {
            for (boolean perImage : new boolean[] {false, true}) {
                for (Long ignore : new Long[] {null, 2L}) {
                    Inputs in = random(seed++, 3, 3, 4, 3);
                    Map<String, Object> o = new HashMap<>();
                    o.put("classes", classes);
                    o.put("per_image", perImage);
                    o.put("ignore_index", ignore);
                    GradCheck.gradients(Losses.create("lovasz_softmax", o), in, 1e-6, 1e-7);
                }
            }
        }
    }

    @Test
    void atOneHotPredictionsItIsTheMeanJaccardLossOfThePresentClasses() {
        Random r = new Random(3);
        for (int t = 0; t < 20; t++) {
            int c = 2 + r.nextInt(3);
            int s = 1 + r.nextInt(10);
            long[] y = new long[s];
            long[] pred = new long[s];
            double[] p = new double[c * s];
            for (int q = 0; q < s; q++) {
                y[q] = r.nextInt(c);
                pred[q] = r.nextInt(c);
                p[(int) pred[q] * s + q] = 1;
            }
            double sum = 0;
            int present = 0;
            for (int cls = 0; cls < c; cls++) {
                double[] gm = new double[s];
                double[] pm = new double[s];
                for (int q = 0; q < s; q++) {
                    gm[q] = y[q] == cls ? 1 : 0;
                    pm[q] = pred[q] == cls ? 1 : 0;
                }
                if (java.util.Arrays.stream(gm).sum() > 0) {
                    sum += LovaszReference.oneMinusIou(pm, gm);
                    present++;
                }
            }
            double v = loss().compute(Inputs.of(Tensor.of(p, 1, c, s), Tensor.ofLabels(y, 1, s))).value();
            assertEquals(sum / present, v, 1e-15);
        }
    }

    @Test
    void anAbsentClassCountsWithAllAsItsLargestProbability() {
        // class 2 absent from the labels: its foreground is empty, Δ = [1, 0, ...], the term is max p_2
        Inputs in = random(7, 1, 3, 6, 2);
        double[] p = in.get("input").f64();
        double max = 0;
        for (int q = 0; q < 6; q++) {
            max = Math.max(max, p[2 * 6 + q]);
        }
        double present = loss().compute(in).value();
        double all = loss("classes", "all").compute(in).value();
        assertEquals((2 * present + max) / 3, all, 1e-15);
    }

    @Test
    void ignoredPixelsAreLeftOutAndGetNoGradient() {
        Inputs in = random(9, 2, 3, 5, 3);
        long[] y = in.get("target").i64().clone();
        y[1] = 255;
        y[7] = 255;
        Inputs ign = Inputs.of(in.get("input"), Tensor.ofLabels(y, 2, 5));
        LossResult r = loss("ignore_index", 255L).compute(ign);
        // the same pixels removed: [1, 3, 8] of the kept ones, in image-then-position order
        double[] p = in.get("input").f64();
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            if (y[j] != 255) {
                keep.add(j);
            }
        }
        double[] kp = new double[3 * keep.size()];
        long[] ky = new long[keep.size()];
        for (int q = 0; q < keep.size(); q++) {
            int j = keep.get(q);
            ky[q] = y[j];
            for (int c = 0; c < 3; c++) {
                kp[c * keep.size() + q] = p[(j / 5 * 3 + c) * 5 + j % 5];
            }
        }
        double v = loss().compute(Inputs.of(Tensor.of(kp, 1, 3, keep.size()), Tensor.ofLabels(ky, 1, keep.size())))
                .value();
        assertEquals(v, r.value(), 1e-15);
        for (int c = 0; c < 3; c++) {
            assertEquals(0.0, r.grad().f64()[c * 5 + 1], 0.0);
            assertEquals(0.0, r.grad().f64()[(3 + c) * 5 + 2], 0.0);
        }
        // an image with only ignored pixels is 0 and still counts in the per-image mean
        long[] y2 = in.get("target").i64().clone();
        java.util.Arrays.fill(y2, 5, 10, -1);
        Inputs half = Inputs.of(in.get("input"), Tensor.ofLabels(y2, 2, 5));
        double first = loss().compute(Inputs.of(Tensor.of(java.util.Arrays.copyOf(p, 15), 1, 3, 5),
                Tensor.ofLabels(java.util.Arrays.copyOf(y2, 5), 1, 5))).value();
        assertEquals(first / 2, loss("ignore_index", -1L, "per_image", true).compute(half).value(), 1e-15);
        assertEquals(first, loss("ignore_index", -1L).compute(half).value(), 1e-15);
        long[] none = new long[10];
        java.util.Arrays.fill(none, 4);
        LossResult empty = loss("ignore_index", 4L).compute(Inputs.of(in.get("input"), Tensor.ofLabels(none, 2, 5)));
        assertEquals(0.0, empty.value(), 0.0);
        for (double g : empty.grad().f64()) {
            assertEquals(0.0, g, 0.0);
        }
    }

    @Test
    void aPerfectPredictionHasLossZeroAndGradientZero() {
        long[] y = {0, 2, 1, 1, 0, 2};
        double[] p = new double[18];
        for (int q = 0; q < 6; q++) {
            p[(int) y[q] * 6 + q] = 1;
        }
        LossResult r = loss("classes", "all").compute(Inputs.of(Tensor.of(p, 1, 3, 6), Tensor.ofLabels(y, 1, 6)));
        assertEquals(0.0, r.value(), 0.0);
        for (double g : r.grad().f64()) {
            assertEquals(0.0, g, 0.0);
        }
    }

    @Test
    void float32AgreesWithFloat64() {
        Inputs d = random(21, 2, 4, 30, 4);
        Tensor pf = Tensor.of(Data.toFloat(d.get("input").f64()), 2, 4, 30);
        for (Loss l : new Loss[] {loss(), loss("per_image", true, "classes", "all")}) {
            LossResult rf = l.compute(Inputs.of(pf, d.get("target")));
            LossResult rd = l.compute(Inputs.of(Tensor.of(Data.toDouble(pf.f32()), 2, 4, 30), d.get("target")));
            assertEquals(rd.value(), rf.value(), 1e-15 * Math.abs(rd.value()));
            float[] gf = rf.grad().f32();
            for (int i = 0; i < gf.length; i++) {
                assertEquals((float) rd.grad().f64()[i], gf[i], 0.0f);
            }
        }
    }

    @Test
    void nanPropagates() {
        Inputs in = random(23, 1, 3, 4, 3);
        double[] p = in.get("input").f64().clone();
        p[5] = Double.NaN;
        // classes all: a NaN in a class absent from the labels is skipped by present (as the reference code)
        LossResult r = loss("classes", "all").compute(Inputs.of(Tensor.of(p, 1, 3, 4), in.get("target")));
        assertTrue(Double.isNaN(r.value()));
        assertTrue(Double.isNaN(r.grad().f64()[5]));
    }

    @Test
    void refusals() {
        Inputs ok = random(1, 2, 3, 4, 3);
        Loss l = loss();
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.ofLabels(new long[] {0, 1, 2, 3, 0, 1, 2, 0}, 2,
                4))), ErrorKind.LABEL_OUT_OF_RANGE, "target[0, 3] = 3 is outside [0, 3) classes");
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.ofLabels(new long[] {0, -1, 2, 1, 0, 1, 2, 0}, 2,
                4))), ErrorKind.LABEL_OUT_OF_RANGE, "target[0, 1] = -1 is outside [0, 3) classes");
        assertRefused(() -> loss("ignore_index", 255L).compute(Inputs.of(ok.get("input"), Tensor.ofLabels(
                new long[] {0, 255, 254, 1, 0, 1, 2, 0}, 2, 4))), ErrorKind.LABEL_OUT_OF_RANGE, "target[0, 2] = 254");
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.ofLabels(new long[8], 2, 2, 2))),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 2, 2] must be input's shape without dimension 1, [2, 4]");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[8], 2, 1, 4), Tensor.ofLabels(new long[8], 2, 4))),
                ErrorKind.SHAPE_MISMATCH, "dimension 1 is 1 but must be >= 2 classes");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[] {0.5, 0.5}, 2), Tensor.ofLabels(new long[] {0}, 1))),
                ErrorKind.SHAPE_MISMATCH, "[N, C, *] (rank >= 2), got shape [2]");
        double[] bad = ok.get("input").f64().clone();
        bad[7] = 1.5;
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(bad, 2, 3, 4), ok.get("target"))), ErrorKind.OUT_OF_DOMAIN,
                "input[0, 1, 3] = 1.5 is outside [0, 1]");
        assertRefused(() -> l.compute(Inputs.of(ok.get("input"), Tensor.of(new double[8], 2, 4))),
                ErrorKind.INVALID_DTYPE, "target must be int64");
        assertRefused(() -> l.compute(Inputs.of(Tensor.of(new double[0], 0, 3, 2), Tensor.ofLabels(new long[0], 0, 2))),
                ErrorKind.EMPTY_INPUT, "is empty");
        assertRefused(() -> loss("classes", "some"), ErrorKind.INVALID_OPTION, "classes = 'some' must be one of present, all");
        assertRefused(() -> loss("ignore_index", 1.5), ErrorKind.INVALID_OPTION, "ignore_index = 1.5 must be an integer");
    }

    @Test
    void typedBuilderMatchesTheRegistry() {
        Inputs in = random(25, 2, 3, 4, 3);
        assertEquals(loss("classes", "all", "per_image", true, "ignore_index", 1L).compute(in).value(),
                LovaszSoftmax.builder().classes("all").perImage(true).ignoreIndex(1L).build().compute(in).value(), 0.0);
        assertThat(LovaszSoftmax.builder().build().options().get(LovaszSoftmax.IGNORE_INDEX)).isNull();
    }
}
