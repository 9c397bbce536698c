package org.losses4j.vision;

import static org.losses4j.segmentation.RegionLossesTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
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

/** ssim: gradients for every option, closed forms (window 1, constant images), refusals. */
class SsimTest {
    private static Loss loss(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create("ssim", m);
    }

    private static Inputs images(long seed, double range, int... shape) {
        Random r = new Random(seed);
        int n = Data.size(shape);
        double[] x = Data.uniform(r, n, 0, range);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.min(range, Math.max(0, x[i] + range * 0.3 * (r.nextDouble() - 0.5)));
        }
        return Inputs.of(Tensor.of(x, shape), Tensor.of(y, shape));
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryOption() {
        long seed = 3;
        for (String red : new String[] {"mean", "sum", "none"}) {
            for (int window : new int[] {1, 3, 5, 7}) {
                GradCheck.gradients(loss("window", window, "reduction", red), images(seed++, 1, 2, 2, 8, 9), 1e-6, 1e-6);
            }
            GradCheck.gradients(loss("window", 5, "sigma", 0.8, "reduction", red), images(seed++, 1, 2, 1, 7, 8),
                    1e-6, 1e-6);
            GradCheck.gradients(loss("window", 5, "k1", 0.05, "k2", 0.1, "reduction", red),
                    images(seed++, 1, 1, 2, 6, 7), 1e-6, 1e-6);
            GradCheck.gradients(loss("window", 3, "data_range", 255.0, "reduction", red),
                    images(seed++, 255, 2, 1, 6, 5), 1e-7, 1e-6);
        }
        GradCheck.gradients(loss(), images(seed, 1, 1, 1, 12, 11), 1e-6, 1e-6);
    }

    @Test
    void windowOneIsThePixelwiseFormula() {
        // a 1×1 window: μ = the pixel, σ = 0, SSIM = (2xy + C1)/(x² + y² + C1)
        Inputs in = images(9, 1, 1, 2, 3, 4);
        double[] x = in.get("input").f64(), y = in.get("target").f64();
        double c1 = (0.01 * 1.0) * (0.01 * 1.0); // C1 = (k1·L)²
        LossResult r = loss("window", 1).compute(in);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (2 * x[i] * y[i] + c1) / (x[i] * x[i] + y[i] * y[i] + c1);
        }
        assertEquals(1 - s / x.length, r.value(), 1e-14);
        for (int i = 0; i < x.length; i++) {
            double b = x[i] * x[i] + y[i] * y[i] + c1;
            double d = (2 * y[i] * b - (2 * x[i] * y[i] + c1) * 2 * x[i]) / (b * b);
            // the gradient adds parts of size ~1/C2 that cancel to O(1): allow relative 1e-11
            assertEquals(-d / x.length, r.grad().f64()[i], 1e-11 * Math.abs(d / x.length));
        }
    }

    @Test
    void constantImagesGiveTheLuminanceTermAlone() {
        // x ≡ a, y ≡ b: σ = 0, SSIM = (2ab + C1)/(a² + b² + C1) at every position
        double a = 0.3, b = 0.7, c1 = (0.01 * 1.0) * (0.01 * 1.0);
        double[] x = new double[81], y = new double[81];
        java.util.Arrays.fill(x, a);
        java.util.Arrays.fill(y, b);
        LossResult r = loss("window", 5).compute(Inputs.of(Tensor.of(x, 1, 1, 9, 9), Tensor.of(y, 1, 1, 9, 9)));
        double b1 = a * a + b * b + c1;
        // σ² = E[x²] − μ² is ~1e-17 rather than 0 (window sums are 1 ± ulp): relative 1e-12
        assertEquals(1 - (2 * a * b + c1) / b1, r.value(), 1e-12);
        // the centre pixel is under every window position with total weight 1:
        // dL/dx = −(1/(Ho·Wo))·∂S/∂μx, ∂S/∂μx = (2b·B1 − A1·2a)/B1²
        double dS = (2 * b * b1 - (2 * a * b + c1) * 2 * a) / (b1 * b1);
        assertEquals(-dS / 25, r.grad().f64()[4 * 9 + 4], 1e-11 * Math.abs(dS / 25));
    }

    @Test
    void noneGivesOneTermPerSampleAndMeanDividesByN() {
        Inputs in = images(4, 1, 3, 2, 9, 9);
        LossResult none = loss("window", 5, "reduction", "none").compute(in);
        assertEquals(3, none.terms().size());
        double sum = loss("window", 5, "reduction", "sum").compute(in).value();
        double mean = loss("window", 5).compute(in).value();
        GradCheck.sumIsNTimesMean(sum, mean, 3);
        assertEquals(sum, none.value(), 1e-12);
        // sample 1 alone gives its own term
        double[] x = in.get("input").f64(), y = in.get("target").f64();
        int per = 2 * 81;
        Inputs one = Inputs.of(Tensor.of(java.util.Arrays.copyOfRange(x, per, 2 * per), 1, 2, 9, 9),
                Tensor.of(java.util.Arrays.copyOfRange(y, per, 2 * per), 1, 2, 9, 9));
        assertEquals(loss("window", 5).compute(one).value(), none.terms().f64()[1], 1e-14);
    }

    @Test
    void nanPropagates() {
        Inputs in = images(2, 1, 1, 1, 7, 7);
        in.get("input").f64()[24] = Double.NaN;
        LossResult r = loss("window", 3).compute(in);
        assertEquals(Double.NaN, r.value());
    }

    @Test
    void refusals() {
        Inputs ok = images(1, 1, 2, 1, 12, 12);
        assertRefused(() -> loss().compute(images(1, 1, 2, 1, 10, 14)), ErrorKind.SHAPE_MISMATCH,
                "image 10×14 is smaller than the SSIM window 11×11");
        assertRefused(() -> loss("window", 7).compute(images(1, 1, 2, 1, 14, 6)), ErrorKind.SHAPE_MISMATCH,
                "image 14×6 is smaller than the SSIM window 7×7");
        assertRefused(() -> loss("window", 4), ErrorKind.INVALID_OPTION, "window = 4 must be an odd integer >= 1");
        assertRefused(() -> loss("window", 5.5), ErrorKind.INVALID_OPTION, "window = 5.5 must be an odd integer >= 1");
        assertRefused(() -> loss("sigma", 0.0), ErrorKind.INVALID_OPTION, "sigma = 0.0 must be >= 1e-100");
        assertRefused(() -> loss("data_range", -1.0), ErrorKind.INVALID_OPTION, "data_range = -1.0 must be in (0, 1e15]");
        assertRefused(() -> loss("k2", 0.0), ErrorKind.INVALID_OPTION, "k2 = 0.0 must be in (0, 1e15]");
        assertRefused(() -> loss("reduction", "batchmean"), ErrorKind.INVALID_OPTION, "must be one of mean, sum, none");
        assertRefused(() -> loss("window", 5).compute(Inputs.of(ok.get("input"), Tensor.of(new double[2 * 12 * 13], 2, 1, 12, 13))),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 1, 12, 13] != input shape [2, 1, 12, 12]");
        assertRefused(() -> loss("window", 5).compute(Inputs.of(Tensor.of(new double[144], 1, 12, 12),
                Tensor.of(new double[144], 1, 12, 12))), ErrorKind.SHAPE_MISMATCH, "input must have rank 4");
        assertRefused(() -> loss("window", 5).compute(Inputs.of(Tensor.of(new double[0], 2, 0, 12, 12),
                Tensor.of(new double[0], 2, 0, 12, 12))), ErrorKind.EMPTY_INPUT, "is empty");
    }
}
