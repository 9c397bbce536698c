package org.losses4j.classification;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Inputs;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** Random inputs for the binary losses, in each loss's domain and away from its kinks. */
final class BinaryData {
    private BinaryData() {
    }

    /** The binary (elementwise) classification losses, in catalog order. */
    static final String[] LOSSES = {"bce", "bce_with_logits", "focal", "hinge", "perceptron", "squared_hinge",
        "smooth_hinge", "ramp", "soft_margin", "hinge_embedding"};

    static ElementwiseLoss create(String name, Map<String, ?> params) {
        return (ElementwiseLoss) Losses.create(name, params);
    }

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** True for the margin losses whose target is in {−1, +1}. */
    static boolean signed(String loss) {
        switch (loss) {
            case "hinge":
            case "perceptron":
            case "squared_hinge":
            case "smooth_hinge":
            case "ramp":
            case "soft_margin":
            case "hinge_embedding":
                return true;
            default:
                return false;
        }
    }

    /** The values of y·x where the loss has a kink (for the margin losses). */
    static double[] kinks(String loss, Map<String, ?> params) {
        Object m = params.get("margin");
        double margin = m == null ? 1.0 : ((Number) m).doubleValue();
        Object s = params.get("s");
        switch (loss) {
            case "hinge":
            case "squared_hinge":
                return new double[] {margin};
            case "perceptron":
                return new double[] {0};
            case "smooth_hinge":
                return new double[] {0, 1};
            case "ramp":
                return new double[] {1, s == null ? -1.0 : ((Number) s).doubleValue()};
            case "hinge_embedding":
                return new double[] {-margin}; // x = margin for y = −1, where z = y·x = −margin
            default:
                return new double[0];
        }
    }

    /** input and target for {@code loss}, random, in its domain and at least 0.05 from any kink. */
    static Inputs inputs(String loss, Map<String, ?> params, Random rnd, int... shape) {
        int n = size(shape);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] kinks = kinks(loss, params);
        for (int i = 0; i < n; i++) {
            switch (loss) {
                case "bce":
                    x[i] = 0.05 + 0.9 * rnd.nextDouble();
                    y[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(2) : rnd.nextDouble();
                    break;
                case "bce_with_logits":
                    x[i] = 3 * rnd.nextGaussian();
                    y[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(2) : rnd.nextDouble();
                    break;
                case "focal":
                    x[i] = -4 + 8 * rnd.nextDouble();
                    y[i] = rnd.nextInt(2);
                    break;
                default: {
                    y[i] = rnd.nextBoolean() ? 1 : -1;
                    double z;
                    do {
                        z = -3.5 + 7 * rnd.nextDouble();
                    } while (near(z, kinks));
                    x[i] = y[i] * z;
                }
            }
        }
        return Inputs.of(Tensor.of(x, shape), Tensor.of(y, shape));
    }

    private static boolean near(double z, double[] kinks) {
        for (double k : kinks) {
            if (Math.abs(z - k) < 0.05) {
                return true;
            }
        }
        return false;
    }

    /** Positive random weights of the given shape. */
    static Tensor weights(Random rnd, int... shape) {
        double[] w = new double[size(shape)];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.2 + 2 * rnd.nextDouble();
        }
        return Tensor.of(w, shape);
    }

    static Tensor constant(double v, int... shape) {
        double[] a = new double[size(shape)];
        java.util.Arrays.fill(a, v);
        return Tensor.of(a, shape);
    }

    /** A float32 copy of a float64 tensor. */
    static Tensor toFloat(Tensor t) {
        double[] a = t.f64();
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return Tensor.of(f, t.shape());
    }

    /** A float64 tensor holding the float32-rounded values of {@code t}. */
    static Tensor roundToFloat(Tensor t) {
        double[] a = t.f64().clone();
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) a[i];
        }
        return Tensor.of(a, t.shape());
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
