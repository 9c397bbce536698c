package org.losses4j.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losses4j.segmentation.RegionLossesTest.assertRefused;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
import org.losses4j.segmentation.Data;

/**
 * ms_ssim: gradients for every option, kornia's pairing of channels and σ in closed form (1 × 1
 * images), properties (≥ 0, zero at input = target, sum = count·mean, symmetry), extremes, refusals.
 */
class MsSsimTest {
    private static Loss loss(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create("ms_ssim", m);
    }

    /** Images in [0, range) and a noisy copy (not clipped: values a little outside are fine). */
    private static Inputs images(long seed, double range, int... shape) {
        Random r = new Random(seed);
        int n = Data.size(shape);
        double[] x = Data.uniform(r, n, 0, range);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[i] + range * 0.4 * (r.nextDouble() - 0.5);
        }
        return Inputs.of(Tensor.of(x, shape), Tensor.of(y, shape));
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOption() {
        long seed = 11;
        for (String red : new String[] {"mean", "sum", "none"}) {
            GradCheck.gradients(loss("reduction", red), images(seed++, 1, 1, 3, 5, 6));
            GradCheck.gradients(loss("reduction", red), images(seed++, 1, 2, 1, 4, 5));
            GradCheck.gradients(loss("sigmas", List.of(0.5, 1.0, 2.0), "reduction", red), images(seed++, 1, 2, 1, 6, 7));
            // an even window (σ 1.3: 6 taps, padding 2: one row and column less) and unsorted σ (window of the last)
            GradCheck.gradients(loss("sigmas", List.of(1.3), "reduction", red), images(seed++, 1, 1, 3, 5, 6));
            GradCheck.gradients(loss("sigmas", List.of(2.0, 0.5, 1.0), "reduction", red), images(seed++, 1, 1, 3, 6, 5));
            GradCheck.gradients(loss("reduction", red), images(seed++, 1, 1, 5, 4, 4));
            GradCheck.gradients(loss("sigmas", List.of(0.8, 2.5), "reduction", red), images(seed++, 1, 1, 2, 5, 5));
            GradCheck.gradients(loss("k1", 0.05, "k2", 0.1, "reduction", red), images(seed++, 1, 1, 3, 4, 5));
            for (double a : new double[] {0.0, 1.0, 0.84}) {
                GradCheck.gradients(loss("alpha", a, "reduction", red), images(seed++, 1, 1, 3, 4, 4));
            }
            GradCheck.gradients(loss("compensation", 1.0, "reduction", red), images(seed++, 1, 1, 1, 6, 4));
            GradCheck.gradients(loss("data_range", 255.0, "reduction", red), images(seed++, 255, 1, 3, 4, 5),
                    1e-7, 1e-6);
        }
        // a 1 × 1 image and a 1 × 7 strip
        GradCheck.gradients(loss(), images(seed++, 1, 2, 3, 1, 1));
        GradCheck.gradients(loss(), images(seed, 1, 1, 1, 1, 7));
    }

    /** The centre weight of the normalised Gaussian of F taps: a 1 × 1 image sees only the centre of the 2-D window. */
    private static double centre(int taps, double sigma) {
        double s = 0;
        for (int i = 0; i < taps; i++) {
            double d = i - taps / 2;
            s += Math.exp(-d * d / (2 * sigma * sigma));
        }
        return 1 / s;
    }

    private static double lc(double k, double x, double y, double c1) {
        double w = k * k; // the 2-D centre weight
        return (2 * w * w * x * y + c1) / (w * w * (x * x + y * y) + c1);
    }

    private static double cs(double k, double x, double y, double c2) {
        double w = k * k; // μ = w·x, E[x²] = w·x², so σx² = w(1 − w)x² and σxy = w(1 − w)xy
        double v = w * (1 - w);
        return (2 * v * x * y + c2) / (v * (x * x + y * y) + c2);
    }

    @Test
    void oneByOneImagesFollowKorniasPairingOfChannelsAndSigmas() {
        double[] sig = {0.5, 1, 2, 4, 8};
        double[] k = new double[5];
        for (int s = 0; s < 5; s++) {
            k[s] = centre(33, sig[s]);
        }
        double c1 = 1e-4, c2 = 9e-4;
        // C = 1: every σ thrice on the one channel
        double x = 0.3, y = 0.8;
        double ms = Math.pow(lc(k[4], x, y, c1), 3);
        for (int s = 0; s < 5; s++) {
            ms *= Math.pow(cs(k[s], x, y, c2), 3);
        }
        double want = 200 * (0.025 * (1 - ms) + 0.975 * k[4] * k[4] * Math.abs(x - y));
        LossResult r = loss().compute(Inputs.of(Tensor.of(new double[] {x}, 1, 1, 1, 1),
                Tensor.of(new double[] {y}, 1, 1, 1, 1)));
        assertEquals(want, r.value(), 1e-12 * want);
        // C = 3: mask m (σ_{m/3}) on channel m/5; luminance of σ4 on channel 2, thrice; L1 under σ4 on every channel
        double[] xs = {0.3, 0.6, 0.1}, ys = {0.8, 0.5, 0.4};
        double prod = Math.pow(lc(k[4], xs[2], ys[2], c1), 3);
        for (int m = 0; m < 15; m++) {
            prod *= cs(k[m / 3], xs[m / 5], ys[m / 5], c2);
        }
        double l1 = 0;
        for (int c = 0; c < 3; c++) {
            l1 += k[4] * k[4] * Math.abs(xs[c] - ys[c]);
        }
        double want3 = 200 * (0.025 * (1 - prod) + 0.975 * l1 / 3);
        double got3 = loss().compute(Inputs.of(Tensor.of(xs, 1, 3, 1, 1), Tensor.of(ys, 1, 3, 1, 1))).value();
        assertEquals(want3, got3, 1e-12 * want3);
        // channel 0 has no luminance factor: changing its mean alone moves only its cs factors (σ0, σ1)
        double[] xs2 = {0.35, 0.6, 0.1};
        double prod2 = Math.pow(lc(k[4], xs2[2], ys[2], c1), 3);
        for (int m = 0; m < 15; m++) {
            prod2 *= cs(k[m / 3], xs2[m / 5], ys[m / 5], c2);
        }
        double l12 = l1 + k[4] * k[4] * (Math.abs(xs2[0] - ys[0]) - Math.abs(xs[0] - ys[0]));
        assertEquals(200 * (0.025 * (1 - prod2) + 0.975 * l12 / 3),
                loss().compute(Inputs.of(Tensor.of(xs2, 1, 3, 1, 1), Tensor.of(ys, 1, 3, 1, 1))).value(), 1e-10);
    }

    @Test
    void noneGivesATermPerOutputPositionAndMeanDividesByTheirNumber() {
        Inputs in = images(5, 1, 2, 3, 5, 6);
        LossResult none = loss("reduction", "none").compute(in);
        assertArrayEquals(new int[] {2, 5, 6}, none.terms().shape());
        double sum = loss("reduction", "sum").compute(in).value();
        GradCheck.sumIsNTimesMean(sum, loss().compute(in).value(), 2 * 5 * 6);
        assertEquals(sum, none.value(), 1e-12 * sum);
        // an even window gives one row and one column less
        LossResult even = loss("sigmas", List.of(1.3), "reduction", "none").compute(in);
        assertArrayEquals(new int[] {2, 4, 5}, even.terms().shape());
        // sample 1 alone gives its own terms
        double[] x = in.get("input").f64(), y = in.get("target").f64();
        Inputs one = Inputs.of(Tensor.of(Arrays.copyOfRange(x, 90, 180), 1, 3, 5, 6),
                Tensor.of(Arrays.copyOfRange(y, 90, 180), 1, 3, 5, 6));
        double[] t1 = loss("reduction", "none").compute(one).terms().f64();
        for (int i = 0; i < 30; i++) {
            assertEquals(t1[i], none.terms().f64()[30 + i], 1e-13);
        }
    }

    @Property(tries = 40)
    void theMsSsimPartIsNonNegativeAndZeroAtInputEqualsTarget(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int n,
            @ForAll @IntRange(min = 0, max = 2) int channels, @ForAll @IntRange(min = 1, max = 7) int h,
            @ForAll @IntRange(min = 1, max = 7) int w) {
        int c = new int[] {1, 3, 5}[channels];
        Random r = new Random(seed);
        double[] x = Data.uniform(r, n * c * h * w, -2, 2);
        double[] y = Data.uniform(r, x.length, -2, 2);
        Loss ssimOnly = loss("alpha", 1.0, "reduction", "none");
        for (double t : ssimOnly.compute(Inputs.of(Tensor.of(x, n, c, h, w), Tensor.of(y, n, c, h, w))).terms().f64()) {
            assertTrue(t >= -1e-12, "term " + t);
        }
        for (Loss l : new Loss[] {ssimOnly, loss()}) {
            LossResult same = l.compute(Inputs.of(Tensor.of(x, n, c, h, w), Tensor.of(x.clone(), n, c, h, w)));
            assertEquals(0.0, same.value(), 1e-12);
            for (double g : same.grad().f64()) {
                assertEquals(0.0, g, 1e-10);
            }
        }
    }

    @Property(tries = 30)
    void valueIsSymmetricAndSumIsCountTimesMean(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 6) int h, @ForAll boolean grey) {
        int c = grey ? 1 : 3, w = 7 - h % 3;
        Inputs in = images(seed, 1, n, c, h, w);
        Inputs swapped = Inputs.of(in.get("target"), in.get("input"));
        double v = loss().compute(in).value();
        assertEquals(v, loss().compute(swapped).value(), 1e-12 * (1 + v));
        GradCheck.sumIsNTimesMean(loss("reduction", "sum").compute(in).value(), v, (double) n * h * w);
    }

    @Test
    void float32AgreesWithFloat64() {
        Inputs in = images(8, 1, 2, 3, 6, 7);
        TestSupport.compare32(loss().compute(Data.asFloat32(in)), loss().compute(Data.widened(Data.asFloat32(in))));
    }

    @Test
    void largeAndTinyInputsGiveFiniteValuesAndGradients() {
        for (double scale : new double[] {1e4, -1e4, 1e150, 1e-150, 1e-310}) {
            Inputs in = images(6, 1, 1, 3, 5, 5);
            double[] x = in.get("input").f64(), y = in.get("target").f64();
            for (int i = 0; i < x.length; i++) {
                x[i] *= scale;
                y[i] *= scale;
            }
            LossResult r = loss().compute(in);
            assertTrue(Double.isFinite(r.value()), scale + ": " + r.value());
            for (double g : r.grad().f64()) {
                assertTrue(Double.isFinite(g), scale + ": gradient " + g);
            }
        }
    }

    @Test
    void nanPropagates() {
        Inputs in = images(2, 1, 1, 1, 4, 4);
        in.get("input").f64()[5] = Double.NaN;
        LossResult r = loss("reduction", "none").compute(in);
        for (double t : r.terms().f64()) {
            assertTrue(Double.isNaN(t)); // the 33-tap window of every position reaches the NaN pixel
        }
        assertTrue(Double.isNaN(loss().compute(in).value()));
    }

    @Test
    void typedBuilderMatchesTheRegistry() {
        Inputs in = images(3, 1, 1, 3, 5, 5);
        assertEquals(loss("sigmas", List.of(1.0, 2.0), "alpha", 0.5, "compensation", 1.0).compute(in).value(),
                MsSsim.builder().sigmas(1.0, 2.0).alpha(0.5).compensation(1.0).build().compute(in).value(), 0.0);
    }

    @Test
    void refusals() {
        Inputs ok = images(1, 1, 1, 3, 5, 5);
        assertRefused(() -> loss().compute(images(1, 1, 1, 2, 6, 6)), ErrorKind.SHAPE_MISMATCH,
                "its C = 2 channels must divide the 3·len(sigmas) = 15 Gaussian masks");
        assertRefused(() -> loss("sigmas", List.of(0.5, 1.0)).compute(images(1, 1, 1, 4, 6, 6)),
                ErrorKind.SHAPE_MISMATCH, "C = 4 channels must divide the 3·len(sigmas) = 6");
        assertRefused(() -> loss("sigmas", List.of(1.3)).compute(images(1, 1, 1, 3, 1, 8)), ErrorKind.SHAPE_MISMATCH,
                "image 1×8 has no output position under the 6-tap window of σ = 1.3 with padding 2 (output 0×7)");
        assertRefused(() -> loss().compute(Inputs.of(ok.get("input"), Tensor.of(new double[90], 1, 3, 5, 6))),
                ErrorKind.SHAPE_MISMATCH, "target shape [1, 3, 5, 6] != input shape [1, 3, 5, 5]");
        assertRefused(() -> loss().compute(Inputs.of(Tensor.of(new double[75], 3, 5, 5), Tensor.of(new double[75], 3, 5, 5))),
                ErrorKind.SHAPE_MISMATCH, "input must have rank 4");
        assertRefused(() -> loss("reduction", "sum").compute(Inputs.of(Tensor.of(new double[0], 1, 3, 0, 5),
                Tensor.of(new double[0], 1, 3, 0, 5))), ErrorKind.EMPTY_INPUT, "an image with no channels or pixels");
        assertRefused(() -> loss().compute(Inputs.of(Tensor.of(new double[0], 0, 3, 5, 5),
                Tensor.of(new double[0], 0, 3, 5, 5))), ErrorKind.EMPTY_INPUT, "input [0, 3, 5, 5] is empty");
        LossResult empty = loss("reduction", "sum").compute(Inputs.of(Tensor.of(new double[0], 0, 3, 5, 5),
                Tensor.of(new double[0], 0, 3, 5, 5)));
        assertEquals(0.0, empty.value(), 0.0);
        assertRefused(() -> loss("sigmas", List.of()), ErrorKind.INVALID_OPTION, "sigmas = [] must have at least one element");
        assertRefused(() -> loss("sigmas", List.of(0.5, 0.0)), ErrorKind.INVALID_OPTION,
                "element 1 = 0.0 must be in [1e-100, 1e4]");
        assertRefused(() -> loss("sigmas", List.of(2e4)), ErrorKind.INVALID_OPTION, "element 0 = 20000.0 must be in");
        assertRefused(() -> loss("sigmas", null), ErrorKind.INVALID_OPTION, "may not be null");
        assertRefused(() -> loss("data_range", 0.0), ErrorKind.INVALID_OPTION, "data_range = 0.0 must be in [1e-100, 1e15]");
        assertRefused(() -> loss("alpha", 1.5), ErrorKind.INVALID_OPTION, "alpha = 1.5 must be in [0, 1]");
        assertRefused(() -> loss("compensation", -1.0), ErrorKind.INVALID_OPTION, "compensation = -1.0 must be in [0, 1e15]");
        assertRefused(() -> loss("k1", 0.0), ErrorKind.INVALID_OPTION, "k1 = 0.0 must be in (0, 1e15]");
        assertRefused(() -> loss("reduction", "batchmean"), ErrorKind.INVALID_OPTION, "must be one of mean, sum, none");
    }
}
