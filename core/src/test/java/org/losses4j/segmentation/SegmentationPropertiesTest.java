package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** Invariants of the segmentation and vision family over random shapes, data and options. */
class SegmentationPropertiesTest {
    @Provide
    Arbitrary<String> averages() {
        return Arbitraries.of("global", "class", "sample_class");
    }

    @Provide
    Arbitrary<String> regionLosses() {
        return Arbitraries.of("dice", "jaccard", "tversky");
    }

    private static Loss region(String name, String avg, double smooth) {
        return Losses.create(name, Map.of("average", avg, "smooth", smooth));
    }

    private static Inputs randomRegion(long seed, int n, int c, int s, boolean binaryInput) {
        Random r = new Random(seed);
        int size = n * c * s;
        double[] p = binaryInput ? Data.binary(r, size) : Data.uniform(r, size, 0, 1);
        double[] g = r.nextBoolean() ? Data.binary(r, size) : Data.uniform(r, size, 0, 1);
        return Inputs.of(Tensor.of(p, n, c, s), Tensor.of(g, n, c, s));
    }

    @Property(tries = 80)
    void everyCoefficientLiesInTheUnitInterval(@ForAll("regionLosses") String name, @ForAll("averages") String avg,
            @ForAll @DoubleRange(min = 0, max = 3) double smooth, @ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 6) int s, @ForAll long seed,
            @ForAll boolean binaryInput) {
        Inputs in = randomRegion(seed, n, c, s, binaryInput);
        double v = region(name, avg, smooth).compute(in).value();
        assertThat(v).isBetween(-1e-15, 1 + 1e-15);
        // each single coefficient: the loss of one [1, 1, S] slice is 1 − that coefficient
        double[] p = in.get("input").f64(), g = in.get("target").f64();
        for (int b = 0; b < n * c; b++) {
            Inputs slice = Inputs.of(Tensor.of(Arrays.copyOfRange(p, b * s, b * s + s), 1, 1, s),
                    Tensor.of(Arrays.copyOfRange(g, b * s, b * s + s), 1, 1, s));
            assertThat(region(name, "global", smooth).compute(slice).value()).isBetween(-1e-15, 1 + 1e-15);
        }
    }

    @Property(tries = 60)
    void sampleClassAverageIsTheMeanOfThePerSliceLosses(@ForAll("regionLosses") String name,
            @ForAll @DoubleRange(min = 0.01, max = 2) double smooth, @ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 5) int s, @ForAll long seed) {
        Inputs in = randomRegion(seed, n, c, s, false);
        double[] p = in.get("input").f64(), g = in.get("target").f64();
        double sum = 0;
        for (int b = 0; b < n * c; b++) {
            Inputs slice = Inputs.of(Tensor.of(Arrays.copyOfRange(p, b * s, b * s + s), 1, 1, s),
                    Tensor.of(Arrays.copyOfRange(g, b * s, b * s + s), 1, 1, s));
            sum += region(name, "global", smooth).compute(slice).value();
        }
        assertEquals(sum / (n * c), region(name, "sample_class", smooth).compute(in).value(), 1e-12);
    }

    @Property(tries = 60)
    void zeroLossAtAPerfectMask(@ForAll("averages") String avg, @ForAll @DoubleRange(min = 0, max = 3) double smooth,
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 1, max = 6) int s, @ForAll long seed) {
        Random r = new Random(seed);
        double[] m = Data.binary(r, n * c * s);
        Inputs in = Inputs.of(Tensor.of(m.clone(), n, c, s), Tensor.of(m, n, c, s));
        for (String name : new String[] {"dice", "jaccard", "tversky", "combo"}) {
            assertEquals(0.0, region(name, avg, smooth).compute(in).value(), 1e-15, name);
        }
        assertEquals(0.0, Losses.create("dice", Map.of("average", avg, "smooth", smooth, "squared", true))
                .compute(in).value(), 1e-15);
        assertEquals(0.0, Losses.create("tversky", Map.of("average", avg, "smooth", smooth, "gamma", 0.75,
                "alpha", 0.3, "beta", 0.7)).compute(in).value(), 1e-15);
        assertEquals(0.0, Losses.create("dice", Map.of("average", avg, "smooth", smooth, "log", true))
                .compute(in).value(), 1e-15);
        // generalized_dice at a perfect mask: 1 − (2Σw·G + s_nr)/(2Σw·G + s_dr) = 0 for equal smooths
        assertEquals(0.0, Losses.create("generalized_dice", Map.of("smooth_nr", smooth, "smooth_dr", smooth))
                .compute(in).value(), 1e-15);
    }

    @Property(tries = 60)
    void diceLogIsAtLeastOneMinusDiceAndOrdersTheSameWay(@ForAll("averages") String avg,
            @ForAll @DoubleRange(min = 0.01, max = 2) double smooth, @ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 6) int s, @ForAll long seed) {
        // −log D ≥ 1 − D for every coefficient, so their means too
        Inputs in = randomRegion(seed, n, c, s, false);
        double plain = Losses.create("dice", Map.of("average", avg, "smooth", smooth)).compute(in).value();
        double log = Losses.create("dice", Map.of("average", avg, "smooth", smooth, "log", true)).compute(in).value();
        assertThat(log).isGreaterThanOrEqualTo(plain - 1e-15);
    }

    @Property(tries = 60)
    void lovaszLossesAreNonNegativeAndZeroOnlyAtAPerfectMargin(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 2, max = 4) int c,
            @ForAll @IntRange(min = 1, max = 6) int s, @ForAll boolean perImage) {
        Random r = new Random(seed);
        double[] x = new double[n * s];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 * r.nextGaussian();
        }
        double[] g = Data.binary(r, n * s);
        double h = Losses.create("lovasz_hinge", Map.of("per_image", perImage))
                .compute(Inputs.of(Tensor.of(x, n, s), Tensor.of(g, n, s))).value();
        assertThat(h).isGreaterThanOrEqualTo(0.0);
        // the margin met everywhere (|x| >= 1 on the right side): exactly 0
        double[] right = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            right[i] = (2 * g[i] - 1) * (1 + Math.abs(x[i]));
        }
        assertEquals(0.0, Losses.create("lovasz_hinge", Map.of("per_image", perImage))
                .compute(Inputs.of(Tensor.of(right, n, s), Tensor.of(g, n, s))).value(), 0.0);
        // lovasz_softmax: in [0, 1] on probabilities (each class term is at most the max error, at most 1)
        double[] p = Data.uniform(r, n * c * s, 0, 1);
        long[] y = new long[n * s];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(c);
        }
        double v = Losses.create("lovasz_softmax", Map.of("per_image", perImage, "classes", "all"))
                .compute(Inputs.of(Tensor.of(p, n, c, s), Tensor.ofLabels(y, n, s))).value();
        assertThat(v).isBetween(0.0, 1.0 + 1e-15);
    }

    @Property(tries = 40)
    void psnrDecreasesAsTheNoiseShrinks(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int size,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double shrink) {
        Random r = new Random(seed);
        double[] y = Data.uniform(r, size, 0, 1);
        double[] x = new double[size];
        double[] closer = new double[size];
        for (int i = 0; i < size; i++) {
            double noise = 0.1 + r.nextDouble();
            x[i] = y[i] + noise;
            closer[i] = y[i] + shrink * noise;
        }
        Loss psnr = Losses.create("psnr");
        double far = psnr.compute(Inputs.of(Tensor.vector(x), Tensor.vector(y))).value();
        double near = psnr.compute(Inputs.of(Tensor.vector(closer), Tensor.vector(y))).value();
        // noise scaled by k moves the MSE by k², the loss by 20·log10(k) dB exactly
        assertEquals(far + 20 * Math.log10(shrink), near, 1e-9 * (1 + Math.abs(far)));
    }

    @Property(tries = 60)
    void tverskyWithHalfHalfIsDiceAndWithOneOneIsJaccard(@ForAll("averages") String avg,
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 1, max = 6) int s, @ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 2) double smooth) {
        Inputs in = randomRegion(seed, n, c, s, false);
        LossResult t = Losses.create("tversky", Map.of("average", avg, "smooth", 0.0)).compute(in);
        LossResult d = Losses.create("dice", Map.of("average", avg, "smooth", 0.0)).compute(in);
        assertEquals(d.value(), t.value(), 1e-12);
        double[] gt = t.grad().f64(), gd = d.grad().f64();
        for (int i = 0; i < gt.length; i++) {
            assertEquals(gd[i], gt[i], 1e-9 * (1 + Math.abs(gd[i])));
        }
        double tj = Losses.create("tversky", Map.of("average", avg, "smooth", smooth, "alpha", 1.0, "beta", 1.0))
                .compute(in).value();
        assertEquals(region("jaccard", avg, smooth).compute(in).value(), tj, 1e-12);
    }

    @Property(tries = 100)
    void giouIsNeverBelowIouAndCiouNeverBelowDiou(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @DoubleRange(min = 0.5, max = 8) double spread) {
        Random r = new Random(seed);
        Inputs in = Inputs.of(Tensor.of(Data.boxes(r, n, spread), n, 4), Tensor.of(Data.boxes(r, n, spread), n, 4));
        double[] iou = box("iou").compute(in).terms().f64();
        double[] giou = box("giou").compute(in).terms().f64();
        double[] diou = box("diou").compute(in).terms().f64();
        double[] ciou = box("ciou").compute(in).terms().f64();
        for (int i = 0; i < n; i++) {
            assertThat(giou[i]).isGreaterThanOrEqualTo(iou[i]);
            assertThat(diou[i]).isGreaterThanOrEqualTo(iou[i]);
            assertThat(ciou[i]).isGreaterThanOrEqualTo(diou[i]);
            assertThat(iou[i]).isBetween(0.0, 1.0);
            assertThat(giou[i]).isBetween(0.0, 2.0);
        }
    }

    private static Loss box(String variant) {
        return Losses.create("box_iou", Map.of("variant", variant, "reduction", "none"));
    }

    @Property(tries = 30)
    void ssimOfAnImageWithItselfIsOne(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int halfWindow,
            @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 0, max = 4) int extra) {
        int window = 2 * halfWindow + 1;
        int h = window + extra, w = window + (extra + 1) % 5;
        double[] x = Data.uniform(new Random(seed), n * c * h * w, 0, 1);
        LossResult r = Losses.create("ssim", Map.of("window", window)).compute(
                Inputs.of(Tensor.of(x, n, c, h, w), Tensor.of(x.clone(), n, c, h, w)));
        assertEquals(0.0, r.value(), 1e-12);
        for (double g : r.grad().f64()) {
            assertEquals(0.0, g, 1e-9);
        }
    }

    @Property(tries = 40)
    void totalVariationOfAConstantImageIsZero(@ForAll @DoubleRange(min = -100, max = 100) double v,
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
            @ForAll boolean l1) {
        double[] x = new double[n * c * h * w];
        Arrays.fill(x, v);
        LossResult r = Losses.create("total_variation", Map.of("kind", l1 ? "l1" : "squared"))
                .compute(Inputs.of("input", Tensor.of(x, n, c, h, w)));
        assertEquals(0.0, r.value(), 0.0);
        for (double g : r.grad().f64()) {
            assertEquals(0.0, g, 0.0);
        }
    }

    @Property(tries = 40)
    void sumIsNTimesMean(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int n) {
        Random r = new Random(seed);
        Inputs boxes = Data.boxPairs(seed, n);
        Inputs imgs = Inputs.of(Tensor.of(Data.uniform(r, n * 2 * 6 * 7, 0, 1), n, 2, 6, 7),
                Tensor.of(Data.uniform(r, n * 2 * 6 * 7, 0, 1), n, 2, 6, 7));
        for (String v : new String[] {"iou", "giou", "diou", "ciou"}) {
            GradCheck.sumIsNTimesMean(
                    Losses.create("box_iou", Map.of("variant", v, "reduction", "sum")).compute(boxes).value(),
                    Losses.create("box_iou", Map.of("variant", v)).compute(boxes).value(), n);
        }
        GradCheck.sumIsNTimesMean(Losses.create("ssim", Map.of("window", 5, "reduction", "sum")).compute(imgs).value(),
                Losses.create("ssim", Map.of("window", 5)).compute(imgs).value(), n);
        Inputs one = Inputs.of("input", imgs.get("input"));
        GradCheck.sumIsNTimesMean(Losses.create("total_variation").compute(one).value(),
                Losses.create("total_variation", Map.of("reduction", "mean")).compute(one).value(), n);
    }

    @Provide
    Arbitrary<String> registryLosses() {
        return Arbitraries.of("dice", "dice_squared", "jaccard", "tversky", "combo", "box_iou", "ciou", "ssim",
                "total_variation", "tv_l1", "dice_log", "generalized_dice", "lovasz_hinge", "lovasz_softmax", "psnr");
    }

    @Property(tries = 60)
    void float32IsWithin1eMinus5OfFloat64(@ForAll("registryLosses") String which, @ForAll("averages") String avg,
            @ForAll long seed) {
        Loss loss;
        Inputs d;
        switch (which) {
            case "box_iou":
            case "ciou":
                loss = Losses.create("box_iou", Map.of("variant", which.equals("ciou") ? "ciou" : "giou"));
                d = Data.boxPairs(seed, 5);
                break;
            case "ssim":
                loss = Losses.create("ssim", Map.of("window", 5));
                Random r = new Random(seed);
                d = Inputs.of(Tensor.of(Data.uniform(r, 2 * 2 * 8 * 8, 0, 1), 2, 2, 8, 8),
                        Tensor.of(Data.uniform(r, 2 * 2 * 8 * 8, 0, 1), 2, 2, 8, 8));
                break;
            case "total_variation":
            case "tv_l1":
                loss = Losses.create("total_variation", Map.of("kind", which.equals("tv_l1") ? "l1" : "squared"));
                d = Inputs.of("input", Tensor.of(Data.uniform(new Random(seed), 2 * 2 * 5 * 5, -1, 1), 2, 2, 5, 5));
                break;
            case "dice_squared":
                loss = Losses.create("dice", Map.of("average", avg, "squared", true));
                d = Data.region(seed, false, 3, 2, 40);
                break;
            case "dice_log":
                loss = Losses.create("dice", Map.of("average", avg, "log", true));
                d = Data.region(seed, false, 3, 2, 40);
                break;
            case "generalized_dice":
                loss = Losses.create(which, Map.of("batch", avg.equals("class")));
                d = Data.region(seed, seed % 2 == 0, 3, 2, 40);
                break;
            case "lovasz_hinge":
            case "lovasz_softmax":
            case "psnr":
                loss = Losses.create(which);
                d = Losses.info(which).example(new Random(seed), 3);
                break;
            default:
                loss = Losses.create(which, Map.of("average", avg));
                d = Data.region(seed, seed % 2 == 0, 3, 2, 40);
        }
        // the float32 data, in float32 and exactly widened to float64
        Inputs f = Data.asFloat32(d);
        LossResult rf = loss.compute(f);
        LossResult rd = loss.compute(Data.widened(f));
        assertEquals(rd.value(), rf.value(), 1e-5 * Math.abs(rd.value()) + 1e-12);
        float[] gf = rf.grad().f32();
        double[] gd = rd.grad().f64();
        double scale = 0;
        for (double v : gd) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < gd.length; i++) {
            assertEquals(gd[i], gf[i], 1e-5 * scale + 1e-12);
        }
        // and the float32 rounding of the inputs moves the value by no more than float32 precision
        LossResult orig = loss.compute(d);
        assertEquals(orig.value(), rf.value(), 1e-5 * Math.abs(orig.value()) + 1e-6);
    }
}
