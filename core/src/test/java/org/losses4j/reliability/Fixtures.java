package org.losses4j.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.losses4j.DType;
import org.losses4j.Inputs;
import org.losses4j.Tensor;

/**
 * Valid random inputs for every catalog loss, built from the catalog's input descriptions
 * (CATALOG.md), not from the implementation: {@link #valid} gives a float64 call of batch size
 * {@code n} ({@code n = 0} gives the empty batch) for the given options, with values away
 * from kinks and clamps so finite differences and float32 comparisons are meaningful.
 * A catalog loss with no fixture here fails {@code ReliabilityCoverageTest}.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** Options every call of this loss is made with (e.g. a small SSIM window for small images). */
    static Map<String, Object> baseOptions(String loss) {
        switch (loss) {
            case "ssim":
                return Map.of("window", 5);
            case "diffusion_mse":
                return Map.of("min_snr_gamma", 2.0); // so the snr input takes part
            default:
                return Map.of();
        }
    }

    /** Base options merged with {@code extra} (extra wins). */
    static Map<String, Object> options(String loss, Map<String, ?> extra) {
        Map<String, Object> m = new LinkedHashMap<>(baseOptions(loss));
        m.putAll(extra);
        return m;
    }

    /** True when a fixture exists for this loss name. */
    static boolean has(String loss) {
        try {
            valid(loss, Map.of(), new Random(1), 1);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static final int CLASSES = 4;
    static final int CTC_T = 7;
    static final int CTC_S = 3;

    /**
     * A valid float64 call: batch {@code n} (the catalog's N; for losses without a batch, the
     * leading dimension), for {@code opts} (the loss's options as they will be passed).
     */
    static Inputs valid(String loss, Map<String, ?> opts, Random r, int n) {
        switch (loss) {
            case "mse":
            case "mae":
            case "rmse":
            case "huber":
            case "smooth_l1":
            case "log_cosh":
            case "quantile":
                return Inputs.of(t(gauss(r, n * 3, 1.5), n, 3), t(gauss(r, n * 3, 1.5), n, 3));
            case "msle":
            case "rmsle":
                return Inputs.of(t(uniform(r, n * 3, -0.5, 3), n, 3), t(uniform(r, n * 3, -0.5, 3), n, 3));
            case "poisson_nll": {
                boolean logInput = !Boolean.FALSE.equals(asBool(opts.get("log_input")));
                double[] x = logInput ? gauss(r, n * 3, 1) : uniform(r, n * 3, 0.2, 4);
                double[] y = new double[n * 3];
                for (int i = 0; i < y.length; i++) {
                    y[i] = r.nextInt(6);
                }
                return Inputs.of(t(x, n, 3), t(y, n, 3));
            }
            case "gaussian_nll":
                return Inputs.of(t(gauss(r, n * 3, 1), n, 3), t(gauss(r, n * 3, 1), n, 3))
                        .with("var", t(uniform(r, n * 3, 0.3, 2), n, 3));
            case "bce":
                return Inputs.of(t(uniform(r, n * 3, 0.05, 0.95), n, 3), t(uniform(r, n * 3, 0, 1), n, 3))
                        .with("weight", t(uniform(r, n * 3, 0.5, 2), n, 3));
            case "bce_with_logits":
                return Inputs.of(t(gauss(r, n * 3, 2), n, 3), t(uniform(r, n * 3, 0, 1), n, 3))
                        .with("weight", t(uniform(r, n * 3, 0.5, 2), n, 3))
                        .with("pos_weight", t(uniform(r, 3, 0.5, 2), 3));
            case "cross_entropy":
            case "nll":
            case "multi_margin": {
                double[] x = gauss(r, n * CLASSES, 1.5);
                if (loss.equals("nll")) {
                    x = logSoftmaxRows(x, CLASSES);
                }
                return Inputs.of(t(x, n, CLASSES), labels(r, n, CLASSES))
                        .with("weight", t(uniform(r, CLASSES, 0.5, 2), CLASSES));
            }
            case "categorical_cross_entropy":
                return Inputs.of(t(softmaxRows(gauss(r, n * CLASSES, 1), CLASSES), n, CLASSES),
                        t(softmaxRows(gauss(r, n * CLASSES, 1), CLASSES), n, CLASSES));
            case "sparse_categorical_cross_entropy":
                return Inputs.of(t(softmaxRows(gauss(r, n * CLASSES, 1), CLASSES), n, CLASSES),
                        labels(r, n, CLASSES));
            case "focal":
                return Inputs.of(t(gauss(r, n * 3, 2), n, 3), t(binary(r, n * 3, 0), n, 3));
            case "softmax_focal":
                return Inputs.of(t(gauss(r, n * CLASSES, 1.5), n, CLASSES), labels(r, n, CLASSES))
                        .with("alpha", t(uniform(r, CLASSES, 0.2, 1), CLASSES));
            case "hinge":
            case "squared_hinge":
            case "smooth_hinge":
            case "ramp":
            case "soft_margin":
            case "zero_one":
                return Inputs.of(t(gauss(r, n * 3, 1.5), n, 3), t(binary(r, n * 3, -1), n, 3));
            case "multiclass_hinge":
                return Inputs.of(t(gauss(r, n * CLASSES, 1.5), n, CLASSES), labels(r, n, CLASSES));
            case "kl_div":
            case "reverse_kl_div":
            case "js_div": {
                double[] q = logSoftmaxRows(gauss(r, n * CLASSES, 1), CLASSES);
                double[] p = softmaxRows(gauss(r, n * CLASSES, 1), CLASSES);
                if (Boolean.TRUE.equals(asBool(opts.get("log_target")))) {
                    for (int i = 0; i < p.length; i++) {
                        p[i] = Math.log(p[i]);
                    }
                }
                return Inputs.of(t(q, n, CLASSES), t(p, n, CLASSES));
            }
            case "perplexity":
                return Inputs.of(t(logSoftmaxRows(gauss(r, n * CLASSES, 1), CLASSES), n, CLASSES),
                        labels(r, n, CLASSES));
            case "gaussian_kl":
                return Inputs.of("mu", t(gauss(r, n * 3, 1), n, 3)).with("logvar", t(gauss(r, n * 3, 0.7), n, 3));
            case "vae": {
                String rec = String.valueOf(opts.containsKey("reconstruction") ? opts.get("reconstruction") : "bce");
                double[] x = rec.equals("bce") ? uniform(r, n * 5, 0.05, 0.95) : gauss(r, n * 5, 1.5);
                return Inputs.of("recon", t(x, n, 5)).with("target", t(uniform(r, n * 5, 0, 1), n, 5))
                        .with("mu", t(gauss(r, n * 3, 1), n, 3)).with("logvar", t(gauss(r, n * 3, 0.7), n, 3));
            }
            case "contrastive":
                return Inputs.of("x1", t(gauss(r, n * 3, 1), n, 3)).with("x2", t(gauss(r, n * 3, 1), n, 3))
                        .with("target", t(binary(r, n, 0), n));
            case "triplet":
                return Inputs.of("anchor", t(gauss(r, n * 3, 1), n, 3)).with("positive", t(gauss(r, n * 3, 1), n, 3))
                        .with("negative", t(gauss(r, n * 3, 1), n, 3));
            case "margin_ranking":
                return Inputs.of("input1", t(gauss(r, n * 3, 1), n, 3)).with("input2", t(gauss(r, n * 3, 1), n, 3))
                        .with("target", t(binary(r, n * 3, -1), n, 3));
            case "cosine_similarity":
                return Inputs.of(t(gauss(r, n * 3, 1), n, 3), t(gauss(r, n * 3, 1), n, 3));
            case "nt_xent":
                return Inputs.of("z1", t(gauss(r, n * 3, 1), n, 3)).with("z2", t(gauss(r, n * 3, 1), n, 3));
            case "dice":
            case "jaccard":
            case "tversky":
            case "combo":
                return Inputs.of(t(uniform(r, n * 18, 0.05, 0.95), n, 2, 3, 3), t(uniform(r, n * 18, 0, 1), n, 2, 3, 3));
            case "box_iou":
                return Inputs.of(t(boxes(r, n), n, 4), t(boxes(r, n), n, 4));
            case "ssim": {
                int sz = 6 * 7 * 2;
                return Inputs.of(t(uniform(r, n * sz, 0, 1), n, 2, 6, 7), t(uniform(r, n * sz, 0, 1), n, 2, 6, 7));
            }
            case "total_variation":
                return Inputs.of(t(gauss(r, n * 40, 1), n, 2, 4, 5), null);
            case "perceptual":
                return Inputs.of("input_features", t(gauss(r, n * 12, 1), n, 3, 2, 2))
                        .with("target_features", t(gauss(r, n * 12, 1), n, 3, 2, 2));
            case "gan_discriminator":
                return Inputs.of("real", t(gauss(r, n * 3, 1.5), n, 3)).with("fake", t(gauss(r, n * 2, 1.5), n, 2));
            case "gan_generator":
                return Inputs.of("fake", t(gauss(r, n * 3, 1.5), n, 3));
            case "gradient_penalty":
                return Inputs.of("gradients", t(gauss(r, n * 3, 1), n, 3));
            case "diffusion_mse":
                return Inputs.of(t(gauss(r, n * 6, 1), n, 2, 3), t(gauss(r, n * 6, 1), n, 2, 3))
                        .with("snr", t(uniform(r, n, 0.3, 6), n));
            case "ppo_clip": {
                double[] logp = uniform(r, n, -3, -0.2);
                double[] old = new double[n];
                for (int i = 0; i < n; i++) {
                    old[i] = logp[i] + 0.6 * r.nextGaussian();
                }
                return Inputs.of("logp", t(logp, n)).with("old_logp", t(old, n))
                        .with("advantages", t(gauss(r, n, 1), n));
            }
            case "dpo":
                return Inputs.of("policy_chosen_logps", t(uniform(r, n, -12, -1), n))
                        .with("policy_rejected_logps", t(uniform(r, n, -12, -1), n))
                        .with("reference_chosen_logps", t(uniform(r, n, -12, -1), n))
                        .with("reference_rejected_logps", t(uniform(r, n, -12, -1), n));
            case "l1":
            case "l2":
            case "elastic_net":
                return Inputs.of("weights", t(gauss(r, n * 3, 1), n, 3));
            case "uncertainty_weighting":
                return Inputs.of("losses", t(uniform(r, n, 0.1, 3), n)).with("log_vars", t(gauss(r, n, 1), n));
            case "ctc":
                return ctc(r, n);
            default:
                throw new IllegalArgumentException("no fixture for loss " + loss);
        }
    }

    /**
     * CTC: log_probs [T, N, C] (log-softmax rows), targets [N, S] padded with labels in [1, C),
     * input_lengths in [2S + 1, T] (so every target is feasible), target_lengths in [1, S].
     */
    static Inputs ctc(Random r, int n) {
        int c = CLASSES;
        double[] lp = logSoftmaxRows(gauss(r, CTC_T * n * c, 1), c);
        long[] tg = new long[n * CTC_S];
        long[] il = new long[n];
        long[] tl = new long[n];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < CTC_S; s++) {
                tg[i * CTC_S + s] = 1 + r.nextInt(c - 1);
            }
            il[i] = 2 * CTC_S + 1 + r.nextInt(CTC_T - 2 * CTC_S);
            tl[i] = 1 + r.nextInt(CTC_S);
        }
        return Inputs.of("log_probs", Tensor.of(lp, CTC_T, n, c)).with("targets", Tensor.ofLabels(tg, n, CTC_S))
                .with("input_lengths", Tensor.ofLabels(il, n)).with("target_lengths", Tensor.ofLabels(tl, n));
    }

    /** A cross_entropy call with a probability target (rows of a softmax) instead of class indices. */
    static Inputs crossEntropyProbabilities(Random r, int n) {
        return Inputs.of(t(gauss(r, n * CLASSES, 1.5), n, CLASSES),
                t(softmaxRows(gauss(r, n * CLASSES, 1), CLASSES), n, CLASSES));
    }

    // ---- helpers

    static Tensor t(double[] a, int... shape) {
        return Tensor.of(a, shape);
    }

    static Boolean asBool(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof Boolean ? (Boolean) o : Boolean.valueOf(String.valueOf(o));
    }

    static double[] gauss(Random r, int n, double sd) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = sd * r.nextGaussian();
        }
        return a;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    /** Values in {lo, 1}. */
    static double[] binary(Random r, int n, double lo) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextBoolean() ? 1 : lo;
        }
        return a;
    }

    static Tensor labels(Random r, int n, int c) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(c);
        }
        return Tensor.ofLabels(a, n);
    }

    static double[] boxes(Random r, int n) {
        double[] b = new double[4 * n];
        for (int i = 0; i < n; i++) {
            double x = 2 * r.nextDouble();
            double y = 2 * r.nextDouble();
            b[4 * i] = x;
            b[4 * i + 1] = y;
            b[4 * i + 2] = x + 0.5 + 2 * r.nextDouble();
            b[4 * i + 3] = y + 0.5 + 2 * r.nextDouble();
        }
        return b;
    }

    static double[] softmaxRows(double[] x, int c) {
        double[] out = logSoftmaxRows(x, c);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(out[i]);
        }
        return out;
    }

    static double[] logSoftmaxRows(double[] x, int c) {
        double[] out = new double[x.length];
        for (int row = 0; row < x.length / c; row++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                m = Math.max(m, x[row * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(x[row * c + j] - m);
            }
            double lse = m + Math.log(s);
            for (int j = 0; j < c; j++) {
                out[row * c + j] = x[row * c + j] - lse;
            }
        }
        return out;
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
