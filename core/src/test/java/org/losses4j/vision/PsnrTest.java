package org.losses4j.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losses4j.segmentation.RegionLossesTest.assertRefused;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.segmentation.Data;

/**
 * psnr: kornia's example, the closed form from the MSE over the whole tensor, scale
 * equivariance, gradients (and the Hessian) against finite differences, extremes, the refusal
 * at MSE = 0, float32 and refusals.
 */
class PsnrTest {
    private static Loss loss(double maxVal) {
        return Losses.create("psnr", Map.of("max_val", maxVal));
    }

    private static Inputs images(long seed, int... shape) {
        Random r = new Random(seed);
        int n = Data.size(shape);
        return Inputs.of(Tensor.of(Data.uniform(r, n, 0, 1), shape), Tensor.of(Data.uniform(r, n, 0, 1), shape));
    }

    private static double mse(Inputs in) {
        double[] x = in.get("input").f64();
        double[] y = in.get("target").f64();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return s / x.length;
    }

    @Test
    void korniaDocstringExample() {
        // psnr_loss(ones, 1.2 * ones, 2.) = −10·log10(4 / 0.04) = −20
        LossResult r = loss(2.0).compute(Inputs.of(Tensor.vector(new double[] {1.0}), Tensor.vector(new double[] {1.2})));
        assertEquals(-20.0, r.value(), 1e-12);
    }

    @Test
    void closedFormWithTheMseOverTheWholeBatch() {
        Inputs in = images(1, 3, 2, 4, 4);
        double m = mse(in);
        for (double mv : new double[] {1.0, 255.0, 1e-3}) {
            LossResult r = loss(mv).compute(in);
            assertEquals(-10 * Math.log10(mv * mv / m), r.value(), 1e-12);
            double[] x = in.get("input").f64();
            double[] y = in.get("target").f64();
            for (int i = 0; i < x.length; i++) {
                assertEquals(20 / Math.log(10) * (x[i] - y[i]) / (x.length * m), r.grad().f64()[i], 1e-12);
            }
        }
        // not the mean of per-image PSNRs (kornia: one MSE for the tensor)
        double perImage = 0;
        double[] x = in.get("input").f64();
        double[] y = in.get("target").f64();
        for (int k = 0; k < 3; k++) {
            Inputs one = Inputs.of(Tensor.of(Arrays.copyOfRange(x, 32 * k, 32 * k + 32), 32),
                    Tensor.of(Arrays.copyOfRange(y, 32 * k, 32 * k + 32), 32));
            perImage += loss(1.0).compute(one).value() / 3;
        }
        assertThat(Math.abs(perImage - loss(1.0).compute(in).value())).isGreaterThan(1e-6);
    }

    @Test
    void scaleEquivariant() {
        // psnr(k·x, k·y; k·L) = psnr(x, y; L), the gradient divided by k
        Inputs in = images(3, 2, 10);
        for (double k : new double[] {255, 1e-100, 1e100}) {
            double[] x = in.get("input").f64().clone();
            double[] y = in.get("target").f64().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] *= k;
                y[i] *= k;
            }
            LossResult a = loss(1.0).compute(in);
            LossResult b = loss(k).compute(Inputs.of(Tensor.of(x, 2, 10), Tensor.of(y, 2, 10)));
            assertEquals(a.value(), b.value(), 1e-12 * Math.abs(a.value()));
            for (int i = 0; i < x.length; i++) {
                assertEquals(a.grad().f64()[i] / k, b.grad().f64()[i], 1e-12 * Math.abs(a.grad().f64()[i] / k));
            }
        }
    }

    @Test
    void gradientsAndHessianMatchFiniteDifferences() {
        long seed = 10;
        for (double mv : new double[] {1.0, 2.0, 255.0}) {
            for (int[] shape : new int[][] {{2, 3, 4}, {5}, {1, 1, 2, 2}}) {
                Inputs in = images(seed++, shape);
                GradCheck.gradients(loss(mv), in, 1e-6, 1e-6);
                GradCheck.hessian((ElementwiseLoss) loss(mv), in, 1e-5, 1e-5);
            }
        }
    }

    @Test
    void inputEqualToTargetIsRefusedAndTinyOrHugeResidualsAreFinite() {
        double[] y = {0.1, 0.5, 0.9};
        assertRefused(() -> loss(1.0).compute(Inputs.of(Tensor.vector(y.clone()), Tensor.vector(y))),
                ErrorKind.OUT_OF_DOMAIN, "input equals target");
        assertRefused(() -> loss(1.0).value(Inputs.of(Tensor.vector(y.clone()), Tensor.vector(y))),
                ErrorKind.OUT_OF_DOMAIN, "MSE = 0");
        // differences whose squares underflow are refused the same way
        assertRefused(() -> loss(1.0).compute(Inputs.of(Tensor.vector(new double[] {1e-170}), Tensor.vector(new double[1]))),
                ErrorKind.OUT_OF_DOMAIN, "MSE = 0");
        // tiny but representable: a large finite PSNR and a large finite gradient
        LossResult tiny = loss(1.0).compute(Inputs.of(Tensor.vector(new double[] {1e-150, 0}), Tensor.vector(new double[2])));
        assertEquals(10 * Math.log10(1e-300 / 2), tiny.value(), 1e-9);
        assertTrue(Double.isFinite(tiny.grad().f64()[0]));
        // huge residuals overflow the MSE: +∞, gradient 0
        LossResult huge = loss(1.0).compute(Inputs.of(Tensor.vector(new double[] {1e200, 0}), Tensor.vector(new double[2])));
        assertEquals(Double.POSITIVE_INFINITY, huge.value());
        assertThat(huge.grad().f64()).containsExactly(0.0, 0.0);
    }

    @Test
    void float32AgreesWithFloat64AndWritesTheCallersBuffer() {
        Inputs d = images(5, 2, 3, 8, 8);
        Inputs f = Data.asFloat32(d);
        float[] buf = new float[384];
        LossResult rf = loss(1.0).compute(f.gradInto("input", Tensor.of(buf, 2, 3, 8, 8)));
        assertSame(buf, rf.grad().f32());
        LossResult rd = loss(1.0).compute(Data.widened(f));
        assertEquals(rd.value(), rf.value(), 1e-12 * Math.abs(rd.value()));
        for (int i = 0; i < buf.length; i++) {
            assertEquals(rd.grad().f64()[i], buf[i], 1e-6 * Math.abs(rd.grad().f64()[i]));
        }
    }

    @Test
    void nanPropagates() {
        LossResult r = loss(1.0).compute(Inputs.of(Tensor.vector(new double[] {0.5, Double.NaN}),
                Tensor.vector(new double[] {0.2, 0.3})));
        assertTrue(Double.isNaN(r.value()));
    }

    @Test
    void refusals() {
        Inputs ok = images(7, 2, 4);
        assertRefused(() -> loss(1.0).compute(Inputs.of(ok.get("input"), Tensor.of(new double[8], 4, 2))),
                ErrorKind.SHAPE_MISMATCH, "target shape [4, 2] != input shape [2, 4]");
        assertRefused(() -> loss(1.0).compute(Inputs.of(Tensor.of(new double[0], 0, 3), Tensor.of(new double[0], 0, 3))),
                ErrorKind.EMPTY_INPUT, "input");
        assertRefused(() -> loss(0.0), ErrorKind.INVALID_OPTION, "max_val = 0.0 must be > 0");
        assertRefused(() -> Losses.create("psnr", Map.of("reduction", "mean")), ErrorKind.UNKNOWN_OPTION,
                "has no option 'reduction'");
    }

    @Test
    void typedBuilderMatchesTheRegistry() {
        Inputs in = images(9, 2, 4);
        assertEquals(loss(255.0).compute(in).value(), Psnr.builder().maxVal(255.0).build().compute(in).value(), 0.0);
    }
}
