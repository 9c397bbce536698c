package org.losses4j.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * The standard performance workloads of WORKLOADS.md, with the shapes, options and data
 * distributions of {@code torch_baseline.py} (standard normal data from a fixed seed; not
 * PyTorch's generator, so the same distribution, not the same numbers). Used by
 * {@code losses bench} and by the JMH benchmarks of the bench module.
 */
public final class Workloads {
    /**
     * The workload names: the eight of WORKLOADS.md in the order of torch_baseline.py, then this
     * project's own two (docs/performance.md): {@code ce_2048x131072_f32}, cross-entropy over a
     * large LLM vocabulary (the shape class of Liger-Kernel's and Cut-Cross-Entropy's published
     * benchmarks; 8 B/elem like the other cross-entropy workloads), and {@code focal_10M_f32},
     * sigmoid focal loss (α 0.25, γ 2, mean) on bce_logits_10M_f32's data (12 B/elem).
     */
    public static final List<String> NAMES = List.of("mse_10M_f32", "huber_10M_f32", "bce_logits_10M_f32",
            "ce_4096x32000_f32", "ce_65536x10_f32", "ctc_T200_N32_C30_S50_f32", "dice_8x4x256x256_f32",
            "triplet_4096x256_f32", "ce_2048x131072_f32", "focal_10M_f32");

    /** The seed of every workload's data. */
    public static final long SEED = 0;

    private Workloads() {
    }

    /**
     * One workload: the loss and its options, its inputs with a caller-provided float32
     * gradient buffer for each differentiable input, and what it moves.
     */
    public static final class Workload {
        public final String name;
        public final String loss;
        public final Map<String, Object> options;
        /** The "elements" of torch_baseline.py. */
        public final long elements;
        /** Bytes that must move (WORKLOADS.md), or -1 when the workload is compute-bound. */
        public final long bytes;
        /**
         * True for the workloads with a bandwidth limit, bytes / triad bandwidth: the memory-bound
         * ones of WORKLOADS.md and cross-entropy (8 B/elem; bound by its exp on one thread here,
         * but its fraction of that limit is what issue 20's target is about).
         */
        public final boolean memoryBound;
        /** The inputs, with {@code gradInto} buffers: reuse them for every call. */
        public final Inputs inputs;

        Workload(String name, String loss, Map<String, Object> options, long elements, long bytes,
                boolean memoryBound, Inputs inputs) {
            this.name = name;
            this.loss = loss;
            this.options = Collections.unmodifiableMap(options);
            this.elements = elements;
            this.bytes = bytes;
            this.memoryBound = memoryBound;
            this.inputs = inputs;
        }

        /** The loss; a LossException (UNKNOWN_LOSS) when it is not registered in this build. */
        public Loss create() {
            return Losses.create(loss, options);
        }

        /** A float32 input array by name (for a second implementation on the same data). */
        public float[] f32(String input) {
            return inputs.get(input).f32();
        }

        /** An int64 input array by name. */
        public long[] i64(String input) {
            return inputs.get(input).i64();
        }
    }

    /** The named standard workload, its data generated now. */
    public static Workload make(String name) {
        return make(name, false);
    }

    /**
     * The named workload with the same loss, options and distributions at ≤ 30,000 elements
     * (the rows, classes or length cut down, the other dimensions kept where they choose a kernel):
     * for tests that check a second implementation against losses4j on every workload.
     */
    public static Workload small(String name) {
        return make(name, true);
    }

    private static Workload make(String name, boolean small) {
        SplittableRandom r = new SplittableRandom(SEED);
        int n = small ? 10_007 : 10_000_000;
        switch (name) {
            case "mse_10M_f32":
                return elementwise(name, "mse", Map.of(), n, r);
            case "huber_10M_f32":
                return elementwise(name, "huber", Map.of("delta", 1.0), n, r);
            case "bce_logits_10M_f32":
                return elementwise(name, "bce_with_logits", Map.of(), n, r);
            case "focal_10M_f32":
                return elementwise(name, "focal", Map.of("alpha", 0.25, "gamma", 2.0), n, r);
            case "ce_4096x32000_f32":
                return small ? crossEntropy(name, 8, 3200, r) : crossEntropy(name, 4096, 32000, r);
            case "ce_65536x10_f32":
                return crossEntropy(name, small ? 67 : 65536, 10, r);
            case "ce_2048x131072_f32":
                return small ? crossEntropy(name, 3, 4099, r) : crossEntropy(name, 2048, 131072, r);
            case "ctc_T200_N32_C30_S50_f32":
                return small ? ctc(name, 20, 4, 30, 5, r) : ctc(name, 200, 32, 30, 50, r);
            case "dice_8x4x256x256_f32":
                return dice(name, small ? new int[] {2, 4, 16, 16} : new int[] {8, 4, 256, 256}, r);
            case "triplet_4096x256_f32":
                return triplet(name, small ? 33 : 4096, 256, r);
            default:
                throw new UserError("unknown workload '" + name + "' (workloads: " + String.join(", ", NAMES)
                        + ")");
        }
    }

    /**
     * An elementwise workload of {@code n} elements (mse, huber, bce_with_logits and other
     * input/target losses): input and target standard normal, except bce_with_logits's and
     * focal's target, which is (normal > 0) ∈ {0, 1}.
     */
    public static Workload elementwise(String name, String loss, Map<String, Object> options, int n,
            SplittableRandom r) {
        float[] x = normal(n, r);
        float[] y = normal(n, r);
        if (loss.equals("bce_with_logits") || loss.equals("focal")) {
            float[] yb = normal(n, r);
            for (int i = 0; i < n; i++) {
                yb[i] = yb[i] > 0 ? 1f : 0f;
            }
            y = yb;
        }
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y)).gradInto("input", Tensor.vector(new float[n]));
        return new Workload(name, loss, options, n, 12L * n, true, in);
    }

    private static Workload crossEntropy(String name, int n, int c, SplittableRandom r) {
        float[] z = normal(n * c, r);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(c);
        }
        Inputs in = Inputs.of("input", Tensor.of(z, n, c)).with("target", Tensor.ofLabels(t, n))
                .gradInto("input", Tensor.of(new float[n * c], n, c));
        return new Workload(name, "cross_entropy", Map.of(), (long) n * c, 8L * n * c, true, in);
    }

    private static Workload ctc(String name, int t, int n, int c, int s, SplittableRandom r) {
        float[] lp = normal(t * n * c, r);
        for (int row = 0; row < t * n; row++) {
            // log_softmax over the class dimension (the last one)
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                m = Math.max(m, lp[row * c + k]);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(lp[row * c + k] - m);
            }
            double lse = m + Math.log(sum);
            for (int k = 0; k < c; k++) {
                lp[row * c + k] = (float) (lp[row * c + k] - lse);
            }
        }
        long[] tg = new long[n * s];
        for (int i = 0; i < tg.length; i++) {
            tg[i] = 1 + r.nextInt(c - 1);
        }
        long[] il = new long[n];
        long[] tl = new long[n];
        java.util.Arrays.fill(il, t);
        java.util.Arrays.fill(tl, s);
        Inputs in = Inputs.of("log_probs", Tensor.of(lp, t, n, c)).with("targets", Tensor.ofLabels(tg, n, s))
                .with("input_lengths", Tensor.ofLabels(il, n)).with("target_lengths", Tensor.ofLabels(tl, n))
                .gradInto("log_probs", Tensor.of(new float[t * n * c], t, n, c));
        return new Workload(name, "ctc", Map.of("blank", 0), (long) t * n * c, -1, false, in);
    }

    private static Workload dice(String name, int[] shape, SplittableRandom r) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] p = normal(n, r);
        for (int i = 0; i < n; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-p[i])));
        }
        float[] m = normal(n, r);
        for (int i = 0; i < n; i++) {
            m[i] = m[i] > 1 ? 1f : 0f;
        }
        Inputs in = Inputs.of("input", Tensor.of(p, shape)).with("target", Tensor.of(m, shape))
                .gradInto("input", Tensor.of(new float[n], shape));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("smooth", 1.0);
        o.put("average", "global");
        return new Workload(name, "dice", o, n, 12L * n, true, in);
    }

    private static Workload triplet(String name, int n, int d, SplittableRandom r) {
        Inputs in = Inputs.empty();
        for (String k : new String[] {"anchor", "positive", "negative"}) {
            in = in.with(k, Tensor.of(normal(n * d, r), n, d)).gradInto(k, Tensor.of(new float[n * d], n, d));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("margin", 1.0);
        o.put("distance", "euclidean");
        return new Workload(name, "triplet", o, 3L * n * d, 24L * n * d, false, in);
    }

    /** {@code n} standard normal floats. */
    public static float[] normal(int n, SplittableRandom r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** The names matching a comma-separated selection (all when null or empty). */
    public static List<String> select(String spec) {
        if (spec == null || spec.isBlank()) {
            return NAMES;
        }
        List<String> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!NAMES.contains(t)) {
                throw new UserError("unknown workload '" + t + "' (workloads: " + String.join(", ", NAMES) + ")");
            }
            out.add(t);
        }
        return out;
    }
}
