package org.losses4j.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.losses4j.DType;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * The reliability battery's inputs: every loss's own example inputs ({@link LossInfo#example},
 * so a new loss is in the battery with no edit here), and transformations of them for the
 * tests (float32 copies, a replaced input, a grown dimension ...).
 */
final class Fixtures {
    private Fixtures() {
    }

    /** Options every call of this loss is made with (e.g. a small SSIM window for the example images). */
    static Map<String, Object> baseOptions(String loss) {
        return Losses.info(loss).exampleOptions();
    }

    /** Base options merged with {@code extra} (extra wins). */
    static Map<String, Object> options(String loss, Map<String, ?> extra) {
        Map<String, Object> m = new LinkedHashMap<>(baseOptions(loss));
        m.putAll(extra);
        return m;
    }

    /** True when the loss has example inputs. */
    static boolean has(String loss) {
        return Losses.info(loss).hasExample();
    }

    /**
     * A valid float64 call: batch {@code n} (the catalog's N; for losses without a batch, the
     * leading dimension), for {@code opts} (the loss's options as they will be passed).
     */
    static Inputs valid(String loss, Map<String, ?> opts, Random r, int n) {
        return Losses.info(loss).example(r, n, opts);
    }

    // ---- tensor transformations used by the tests

    /** A copy of {@code in} with every float64 input converted to float32. */
    static Inputs toFloat32(Inputs in) {
        Inputs out = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() == DType.FLOAT64) {
                double[] d = t.f64();
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                t = Tensor.of(f, t.shape());
            }
            out = out.with(e.getKey(), t);
        }
        return out;
    }

    /** A float64 copy of every floating input rounded to float32 precision (same values as {@link #toFloat32}). */
    static Inputs roundedToFloat32(Inputs in) {
        Inputs out = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() == DType.FLOAT64) {
                double[] d = t.f64().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) d[i];
                }
                t = Tensor.of(d, t.shape());
            }
            out = out.with(e.getKey(), t);
        }
        return out;
    }

    /** A deep copy (fresh arrays), so a test may modify it. */
    static Inputs copy(Inputs in) {
        Inputs out = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
            out = out.with(e.getKey(), copy(e.getValue()));
        }
        return out;
    }

    static Tensor copy(Tensor t) {
        switch (t.dtype()) {
            case FLOAT64:
                return Tensor.of(t.f64().clone(), t.shape());
            case FLOAT32:
                return Tensor.of(t.f32().clone(), t.shape());
            default:
                return Tensor.ofLabels(t.i64().clone(), t.shape());
        }
    }

    /** The same inputs with one replaced (or removed when {@code t} is null). */
    static Inputs replace(Inputs in, String name, Tensor t) {
        Inputs out = Inputs.empty();
        for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
            if (e.getKey().equals(name)) {
                if (t != null) {
                    out = out.with(name, t);
                }
            } else {
                out = out.with(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** A copy of {@code t} with flat element {@code i} set to {@code v} (same dtype). */
    static Tensor withElement(Tensor t, int i, double v) {
        Tensor c = copy(t);
        switch (c.dtype()) {
            case FLOAT64:
                c.f64()[i] = v;
                break;
            case FLOAT32:
                c.f32()[i] = (float) v;
                break;
            default:
                c.i64()[i] = (long) v;
        }
        return c;
    }

    /** {@code t} with dimension {@code d} grown by one (repeating the last slice); a scalar becomes [2]. */
    static Tensor grow(Tensor t, int d) {
        int[] shape = t.shape();
        if (shape.length == 0) {
            double v = t.getDouble(0);
            return t.dtype() == DType.INT64 ? Tensor.ofLabels(new long[] {(long) v, (long) v}, 2)
                    : Tensor.of(new double[] {v, v}, 2);
        }
        int[] ns = shape.clone();
        ns[d] += 1;
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int size = outer * ns[d] * inner;
        double[] src = t.toDoubleArray();
        double[] dst = new double[size];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < ns[d]; k++) {
                int sk = Math.min(k, Math.max(shape[d] - 1, 0));
                for (int i = 0; i < inner; i++) {
                    dst[(o * ns[d] + k) * inner + i] = shape[d] == 0 ? 0.5 : src[(o * shape[d] + sk) * inner + i];
                }
            }
        }
        return sameType(t, dst, ns);
    }

    /** {@code t}'s data in another shape of the same size. */
    static Tensor reshape(Tensor t, int... shape) {
        return sameType(t, t.toDoubleArray(), shape);
    }

    static Tensor sameType(Tensor like, double[] data, int... shape) {
        switch (like.dtype()) {
            case FLOAT32: {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) data[i];
                }
                return Tensor.of(f, shape);
            }
            case FLOAT64:
                return Tensor.of(data, shape);
            default: {
                long[] l = new long[data.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (long) data[i];
                }
                return Tensor.ofLabels(l, shape);
            }
        }
    }

    /** The names of the inputs, in order. */
    static List<String> names(Inputs in) {
        return new ArrayList<>(in.tensors().keySet());
    }
}
