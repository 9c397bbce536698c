package org.losses4j.vision;

import static org.losses4j.segmentation.RegionLossesTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.segmentation.Data;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Tensor;

/**
 * The perceptual loss through its library API, with a small feature network written here:
 * two fixed 3×3 "valid" convolutions, each followed by ReLU, and its own backward pass; the
 * end-to-end image gradient is checked against finite differences.
 */
class PerceptualLayersTest {
    /** conv(Cin → 2) + ReLU → layer 1; conv(2 → 3) + ReLU → layer 2. Images [N, Cin, H, W]. */
    static final class TinyConvNet implements FeatureExtractor {
        final int cin;
        final double[] w1; // [2][cin][3][3]
        final double[] b1 = {0.05, -0.1};
        final double[] w2; // [3][2][3][3]
        final double[] b2 = {0.02, 0.0, -0.03};

        TinyConvNet(int cin, long seed) {
            this.cin = cin;
            Random r = new Random(seed);
            this.w1 = Data.uniform(r, 2 * cin * 9, -0.5, 0.5);
            this.w2 = Data.uniform(r, 3 * 2 * 9, -0.5, 0.5);
        }

        static double[] conv(double[] in, int n, int ci, int h, int w, double[] k, double[] bias, int co) {
            int ho = h - 2, wo = w - 2;
            double[] out = new double[n * co * ho * wo];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < co; o++) {
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            double v = bias[o];
                            for (int c = 0; c < ci; c++) {
                                for (int a = 0; a < 3; a++) {
                                    for (int b = 0; b < 3; b++) {
                                        v += k[((o * ci + c) * 3 + a) * 3 + b] * in[((s * ci + c) * h + i + a) * w + j + b];
                                    }
                                }
                            }
                            out[((s * co + o) * ho + i) * wo + j] = v;
                        }
                    }
                }
            }
            return out;
        }

        /** The adjoint of {@link #conv} with respect to its input. */
        static double[] convT(double[] gout, int n, int ci, int h, int w, double[] k, int co) {
            int ho = h - 2, wo = w - 2;
            double[] gin = new double[n * ci * h * w];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < co; o++) {
                    for (int i = 0; i < ho; i++) {
                        for (int j = 0; j < wo; j++) {
                            double g = gout[((s * co + o) * ho + i) * wo + j];
                            for (int c = 0; c < ci; c++) {
                                for (int a = 0; a < 3; a++) {
                                    for (int b = 0; b < 3; b++) {
                                        gin[((s * ci + c) * h + i + a) * w + j + b] += k[((o * ci + c) * 3 + a) * 3 + b] * g;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return gin;
        }

        static double[] relu(double[] z) {
            double[] a = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                a[i] = Math.max(0, z[i]);
            }
            return a;
        }

        @Override
        public List<Tensor> extract(Tensor images) {
            int n = images.dim(0), h = images.dim(2), w = images.dim(3);
            double[] z1 = conv(images.f64(), n, cin, h, w, w1, b1, 2);
            double[] a1 = relu(z1);
            double[] a2 = relu(conv(a1, n, 2, h - 2, w - 2, w2, b2, 3));
            return List.of(Tensor.of(a1, n, 2, h - 2, w - 2), Tensor.of(a2, n, 3, h - 4, w - 4));
        }

        /** Back-propagates the feature gradients to the image (recomputing the pre-activations). */
        double[] backward(Tensor images, List<Tensor> featureGrads) {
            int n = images.dim(0), h = images.dim(2), w = images.dim(3);
            double[] z1 = conv(images.f64(), n, cin, h, w, w1, b1, 2);
            double[] a1 = relu(z1);
            double[] z2 = conv(a1, n, 2, h - 2, w - 2, w2, b2, 3);
            double[] gz2 = featureGrads.get(1).f64().clone();
            for (int i = 0; i < gz2.length; i++) {
                gz2[i] = z2[i] > 0 ? gz2[i] : 0;
            }
            double[] ga1 = convT(gz2, n, 2, h - 2, w - 2, w2, 3);
            double[] g1 = featureGrads.get(0).f64();
            for (int i = 0; i < ga1.length; i++) {
                ga1[i] = z1[i] > 0 ? ga1[i] + g1[i] : 0;
            }
            return convT(ga1, n, cin, h, w, w1, 2);
        }
    }

    @Test
    void endToEndImageGradientMatchesFiniteDifferences() {
        TinyConvNet net = new TinyConvNet(2, 5);
        Random r = new Random(17);
        int[] shape = {2, 2, 7, 8};
        double[] img = Data.uniform(r, Data.size(shape), 0, 1);
        Tensor input = Tensor.of(img, shape);
        Tensor target = Tensor.of(Data.uniform(r, Data.size(shape), 0, 1), shape);
        for (PerceptualLayers loss : new PerceptualLayers[] {PerceptualLayers.unweighted(), PerceptualLayers.of(0.7, 2.5)}) {
            PerceptualLayers.Result res = loss.compute(net, input, target);
            double[] g = net.backward(input, res.inputFeatureGrads());
            for (int i = 0; i < img.length; i++) {
                double old = img[i];
                double h = 1e-6;
                img[i] = old + h;
                double fp = loss.compute(net, input, target).value();
                img[i] = old - h;
                double fm = loss.compute(net, input, target).value();
                img[i] = old;
                double fd = (fp - fm) / (2 * h);
                assertEquals(fd, g[i], 1e-7 * (1 + Math.abs(fd)), loss + " d/dimage[" + i + "]");
            }
            assertThat(res.inputFeatures()).hasSize(2);
        }
    }

    @Test
    void closedFormOnGivenFeatureLists() {
        // layer 0: differences (1, −2) → mean 2.5; layer 1: differences (0.5, 0.5, 0.5) → mean 0.25
        List<Tensor> a = List.of(Tensor.of(new double[] {1, 0}, 1, 2), Tensor.of(new double[] {1, 1, 1}, 1, 3, 1, 1));
        List<Tensor> b = List.of(Tensor.of(new double[] {0, 2}, 1, 2), Tensor.of(new double[] {0.5, 0.5, 0.5}, 1, 3, 1, 1));
        PerceptualLayers.Result r = PerceptualLayers.of(2, 4).compute(a, b);
        assertEquals(2 * 2.5 + 4 * 0.25, r.value(), 1e-15);
        assertThat(r.layerValues()).containsExactly(2.5, 0.25);
        // 2λ(a − b)/M
        assertThat(r.grad(0).f64()).containsExactly(2 * 2 * 1 / 2.0, 2 * 2 * -2 / 2.0);
        assertThat(r.grad(1).f64()).containsExactly(4 * 2 * 0.5 / 3, 4 * 2 * 0.5 / 3, 4 * 2 * 0.5 / 3);
        assertEquals(r.value(), PerceptualLayers.of(2, 4).value(a, b), 0.0);
        assertEquals(2.75, PerceptualLayers.unweighted().value(a, b), 1e-15);
        assertEquals(0.0, PerceptualLayers.unweighted().value(a, a), 0.0);
    }

    @Test
    void float32FeaturesGiveFloat32GradientsClose() {
        Random r = new Random(2);
        double[] x = Data.uniform(r, 60, -1, 1), y = Data.uniform(r, 60, -1, 1);
        List<Tensor> xf = List.of(Tensor.of(Data.toFloat(x), 3, 4, 5));
        List<Tensor> yf = List.of(Tensor.of(Data.toFloat(y), 3, 4, 5));
        List<Tensor> xd = List.of(Tensor.of(Data.toDouble(Data.toFloat(x)), 3, 4, 5));
        List<Tensor> yd = List.of(Tensor.of(Data.toDouble(Data.toFloat(y)), 3, 4, 5));
        PerceptualLayers.Result f = PerceptualLayers.unweighted().compute(xf, yf);
        PerceptualLayers.Result d = PerceptualLayers.unweighted().compute(xd, yd);
        assertEquals(DType.FLOAT32, f.grad(0).dtype());
        assertEquals(d.value(), f.value(), 1e-5 * d.value());
        for (int i = 0; i < 60; i++) {
            assertEquals(d.grad(0).f64()[i], f.grad(0).f32()[i], 1e-6);
        }
    }

    @Test
    void identicalImagesGiveZeroAndZeroGradients() {
        TinyConvNet net = new TinyConvNet(1, 1);
        Tensor img = Tensor.of(Data.uniform(new Random(4), 25, 0, 1), 1, 1, 5, 5);
        PerceptualLayers.Result r = PerceptualLayers.of(1, 3).compute(net, img, img);
        assertEquals(0.0, r.value(), 0.0);
        for (Tensor g : r.inputFeatureGrads()) {
            for (double v : g.f64()) {
                assertEquals(0.0, v, 0.0);
            }
        }
    }

    @Test
    void refusals() {
        List<Tensor> one = List.of(Tensor.of(new double[] {1, 2}, 2));
        List<Tensor> two = List.of(Tensor.of(new double[] {1, 2}, 2), Tensor.of(new double[] {1}, 1));
        assertRefused(() -> PerceptualLayers.unweighted().compute(one, two), ErrorKind.SHAPE_MISMATCH,
                "input_features has 1 layers but target_features has 2");
        assertRefused(() -> PerceptualLayers.of(1, 2).compute(one, one), ErrorKind.SHAPE_MISMATCH,
                "layer_weights has 2 entries but the feature lists have 1 layers");
        assertRefused(() -> PerceptualLayers.unweighted().compute(one, List.of(Tensor.of(new double[] {1, 2, 3}, 3))),
                ErrorKind.SHAPE_MISMATCH, "target_features[0] shape [3] != input_features[0] shape [2]");
        assertRefused(() -> PerceptualLayers.unweighted().compute(new ArrayList<>(), new ArrayList<>()),
                ErrorKind.EMPTY_INPUT, "at least one layer");
        assertRefused(() -> PerceptualLayers.unweighted().compute(List.of(Tensor.labels(1, 2)), List.of(Tensor.labels(1, 2))),
                ErrorKind.INVALID_DTYPE, "input_features[0] must be float32 or float64");
        assertRefused(() -> PerceptualLayers.of(1, -2), ErrorKind.INVALID_OPTION, "layer_weights[1] = -2.0 must be finite and >= 0");
        assertRefused(() -> PerceptualLayers.of(Double.NaN), ErrorKind.INVALID_OPTION, "layer_weights[0] = NaN");
        assertRefused(() -> PerceptualLayers.of(new double[0]), ErrorKind.INVALID_OPTION, "layer_weights is empty");
        assertRefused(() -> PerceptualLayers.unweighted().compute(new TinyConvNet(1, 1), Tensor.of(new double[25], 1, 1, 5, 5),
                Tensor.of(new double[36], 1, 1, 6, 6)), ErrorKind.SHAPE_MISMATCH, "target shape [1, 1, 6, 6] != input shape");
    }
}
