package org.losses4j.probabilistic;

import java.util.Arrays;
import java.util.Map;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Family;
import org.losses4j.Grads;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduce;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Connectionist temporal classification: the negative log-likelihood of a label sequence
 * summed over every frame alignment that collapses to it.
 *
 * <p>Term for sample {@code n}, with {@code l'} the target with a blank before, between and
 * after its labels ({@code 2S_n + 1} states) and {@code B} the map that merges repeats and
 * then drops blanks: {@code ℓ_n = −log Σ_{π : B(π) = l} Π_{t < T_n} p_t(π_t)}. It is computed
 * by the forward–backward recursions over {@code l'} in log space (a label state is reached
 * from itself, the state before, and the label two back when that label differs), so it
 * stays finite and exact for any number of frames. An alignment that cannot exist
 * ({@code T_n} shorter than the labels plus the blanks needed between repeats) gives
 * {@code +∞}; with {@code zero_infinity} that term and its gradient are 0, without it the
 * gradient of such a sample is undefined and reported as NaN on its frames.
 *
 * <p>Gradient: the exact derivative with respect to {@code log_probs},
 * {@code ∂ℓ_n/∂log_probs[t, n, c] = −Σ_{s : l'_s = c} α_t(s)β_t(s) / p(l | x)}, the negative
 * posterior occupancy of class {@code c} at frame {@code t} (PyTorch's own backward returns
 * {@code exp(log_probs)} minus that posterior instead, which equals it only after a
 * log_softmax). Frames {@code t ≥ input_lengths[n]} get 0.
 *
 * <p>Shapes: {@code log_probs} [T, N, C] (float32 or float64, log_softmax outputs);
 * {@code targets} int64 [N, S], padded (entries past {@code target_lengths[n]} are ignored);
 * {@code input_lengths} int64 [N], each in [1, T]; {@code target_lengths} int64 [N], each in
 * [0, S]. Labels must lie in [0, C) and differ from {@code blank}. {@code mean} divides each
 * sample's loss by {@code max(target_lengths[n], 1)} and then averages over N (as PyTorch);
 * {@code sum} adds the plain sample losses; {@code none} returns them, shape [N].
 *
 * <p>float32 log-probabilities are read natively and the gradient written as float32; all
 * accumulation is in float64.
 *
 * <p>Reference: Graves, Fernández, Gomez, Schmidhuber (2006), "Connectionist Temporal
 * Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks";
 * PyTorch {@code CTCLoss}.
 */
public final class Ctc extends AbstractLoss {
    public static final OptionSpec<Double> BLANK = OptionSpec.integer("blank", 0, OptionSpec.Range.NON_NEGATIVE,
            "class index of the blank symbol, in [0, C)");
    public static final OptionSpec<Boolean> ZERO_INFINITY = OptionSpec.bool("zero_infinity", false,
            "give an impossible alignment (loss +∞) the loss 0 and gradient 0");
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("ctc", Family.PROBABILISTIC)
            .summary("connectionist temporal classification: sequence labelling without a frame alignment "
                    + "(speech, handwriting, OCR)")
            .formula("−log Σ_{π : B(π) = l} Π_t p_t(π_t), B merges repeats then drops blanks "
                    + "(forward–backward in log space)")
            .gradInput("log_probs", "[T, N, C] log-probabilities (log_softmax outputs)")
            .labelInput("targets", "int64 [N, S], padded; labels in [0, C) other than the blank")
            .labelInput("input_lengths", "int64 [N], each in [1, T]")
            .labelInput("target_lengths", "int64 [N], each in [0, S]")
            .options(BLANK, ZERO_INFINITY, REDUCTION)
            .divisor("each sample's loss by max(target_length, 1), then the batch size N")
            .tasks("speech recognition", "handwriting recognition", "OCR", "unsegmented sequence labelling")
            .reference("Graves et al. 2006; PyTorch CTCLoss")
            .factory(Ctc::new)
            .build();

    private static final double NEG_INF = Double.NEGATIVE_INFINITY;
    /**
     * A sum of predecessor weights (relative to the previous frame's largest log value) at or
     * above this is taken as {@code ref + log(sum)}: weights that underflowed are below
     * 2^-1022 and cannot change such a sum. Below it, the exact log-sum-exp is used.
     */
    private static final double SAFE = 0x1.0p-900;

    private final int blank;
    private final boolean zeroInfinity;
    private final Reduction reduction;

    private Ctc(Options o) {
        super(INFO, o);
        this.blank = (int) (double) o.get(BLANK);
        this.zeroInfinity = o.get(ZERO_INFINITY);
        this.reduction = o.get(REDUCTION);
    }

    public static LossBuilder<Ctc> builder() {
        return new LossBuilder<>(INFO, Ctc.class);
    }

    @Override
    protected LossResult run(Inputs in, boolean grad) {
        if (checkInputs(in) != DType.FLOAT32) {
            return super.run(in, grad);
        }
        Tensor lp = in.get("log_probs");
        Batch b = validate(in);
        float[] g32 = null;
        Tensor gt = null;
        if (grad) {
            gt = in.gradBuffer("log_probs");
            if (gt != null) {
                Check.gradBuffer("log_probs", gt, lp, DType.FLOAT32);
                g32 = gt.f32();
                Arrays.fill(g32, 0, lp.size(), 0f);
            } else {
                g32 = new float[lp.size()];
                gt = Tensor.of(g32, lp.shape());
            }
        }
        Reduce red = Reduce.of(reduction, b.n);
        double[] terms = new double[b.n];
        new Kernel(b, null, lp.f32(), null, g32, red.gradScale()).run(terms);
        Map<String, Tensor> grads = grad ? Map.of("log_probs", gt) : null;
        LossResult r = red.finish(terms, new int[] {b.n}, null);
        if (r.isUnreduced()) {
            float[] t32 = new float[b.n];
            for (int i = 0; i < t32.length; i++) {
                t32[i] = (float) terms[i];
            }
            return LossResult.unreduced(Tensor.of(t32, b.n), r.value(), grads);
        }
        return LossResult.scalar(r.value(), grads);
    }

    @Override
    protected LossResult compute64(Inputs in, Grads g) {
        Tensor lp = in.get("log_probs");
        Batch b = validate(in);
        double[] g64 = g == null ? null : g.zeros("log_probs", lp);
        Reduce red = Reduce.of(reduction, b.n);
        double[] terms = new double[b.n];
        new Kernel(b, lp.f64(), null, g64, null, red.gradScale()).run(terms);
        return red.finish(terms, new int[] {b.n}, g);
    }

    /** The checked shapes and lengths of one call. */
    private static final class Batch {
        int t;
        int n;
        int c;
        int s;
        long[] targets;
        long[] inputLengths;
        long[] targetLengths;
    }

    private Batch validate(Inputs in) {
        Tensor lp = in.get("log_probs");
        Tensor tg = in.get("targets");
        Tensor il = in.get("input_lengths");
        Tensor tl = in.get("target_lengths");
        Check.rank("log_probs", lp, 3);
        Check.nonEmpty("log_probs", lp);
        Batch b = new Batch();
        b.t = lp.dim(0);
        b.n = lp.dim(1);
        b.c = lp.dim(2);
        Check.rank("targets", tg, 2);
        Check.dim("targets", tg, 0, b.n, "the batch size N of log_probs [T, N, C]");
        Check.rank("input_lengths", il, 1);
        Check.dim("input_lengths", il, 0, b.n, "the batch size N of log_probs [T, N, C]");
        Check.rank("target_lengths", tl, 1);
        Check.dim("target_lengths", tl, 0, b.n, "the batch size N of log_probs [T, N, C]");
        b.s = tg.dim(1);
        if (blank >= b.c) {
            throw new LossException(ErrorKind.INVALID_OPTION, "option blank = " + blank + " is outside [0, " + b.c
                    + "): log_probs has " + b.c + " classes");
        }
        b.targets = tg.i64();
        b.inputLengths = il.i64();
        b.targetLengths = tl.i64();
        for (int i = 0; i < b.n; i++) {
            long v = b.inputLengths[i];
            if (v < 1 || v > b.t) {
                throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, "input_lengths[" + i + "] = " + v
                        + " is outside [1, " + b.t + "] (log_probs has T = " + b.t + " frames)");
            }
        }
        for (int i = 0; i < b.n; i++) {
            long v = b.targetLengths[i];
            if (v < 0 || v > b.s) {
                throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, "target_lengths[" + i + "] = " + v
                        + " is outside [0, " + b.s + "] (targets has S = " + b.s + " columns)");
            }
        }
        for (int i = 0; i < b.n; i++) {
            for (int k = 0; k < b.targetLengths[i]; k++) {
                int flat = i * b.s + k;
                long c = b.targets[flat];
                if (c < 0 || c >= b.c) {
                    throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, Check.at("targets", tg, flat) + " = " + c
                            + " is outside [0, " + b.c + ") classes");
                }
                if (c == blank) {
                    throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, Check.at("targets", tg, flat) + " = " + c
                            + " is the blank (blank = " + blank + "); a target label cannot be the blank");
                }
            }
        }
        return b;
    }

    /** Exact log(e^x + e^y + e^z); −∞ when all three are −∞, NaN when any is NaN. */
    private static double lse3(double x, double y, double z) {
        double m = Math.max(x, Math.max(y, z));
        if (m == NEG_INF) {
            return NEG_INF;
        }
        return m + Math.log(Math.exp(x - m) + Math.exp(y - m) + Math.exp(z - m));
    }

    /**
     * The forward–backward computation of one call. Work arrays are allocated once per call,
     * sized for the longest sample, and reused for every sample. Only the states that can
     * still reach the end of the sequence and can already have been reached are visited:
     * at frame t, {@code s ∈ [max(0, L − 2(T_n − t)), min(L − 1, 2t + 1)]}.
     *
     * <p>Both recursions keep exact log values. The log-sum-exp over a state's two or three
     * predecessors shares its exponentials: each log value of the previous frame is
     * exponentiated once relative to that frame's largest, the sums are formed linearly and
     * one log per state brings them back; where a sum is too small for that to be exact
     * (its terms were far below the frame's largest), the state's log-sum-exp is evaluated
     * directly.
     */
    private final class Kernel {
        private final Batch b;
        private final double[] lp64;
        private final float[] lp32;
        private final double[] g64;
        private final float[] g32;
        private final double gradScale;
        private final boolean grad;
        private final double[] alpha;
        private final double[] lin;
        private final double[] em;
        private final double[] beta;
        private double[] bNext;
        private double[] bCur;
        private final double[] acc;
        private final int[] cls;
        private final boolean[] skip;

        Kernel(Batch b, double[] lp64, float[] lp32, double[] g64, float[] g32, double gradScale) {
            this.b = b;
            this.lp64 = lp64;
            this.lp32 = lp32;
            this.g64 = g64;
            this.g32 = g32;
            this.gradScale = gradScale;
            this.grad = g64 != null || g32 != null;
            int maxT = 1;
            int maxS = 0;
            for (int i = 0; i < b.n; i++) {
                maxT = Math.max(maxT, (int) b.inputLengths[i]);
                maxS = Math.max(maxS, (int) b.targetLengths[i]);
            }
            int maxL = 2 * maxS + 1;
            this.alpha = new double[(grad ? maxT : 2) * maxL];
            this.lin = new double[maxL + 4];
            this.em = new double[maxL];
            this.beta = grad ? new double[maxL] : null;
            this.bNext = grad ? new double[maxL + 2] : null;
            this.bCur = grad ? new double[maxL + 2] : null;
            this.acc = grad ? new double[b.c] : null;
            this.cls = new int[maxL];
            this.skip = new boolean[maxL];
        }

        void run(double[] terms) {
            boolean mean = reduction == Reduction.MEAN;
            for (int n = 0; n < b.n; n++) {
                int tn = (int) b.inputLengths[n];
                int sn = (int) b.targetLengths[n];
                int len = 2 * sn + 1;
                int needed = sn;
                for (int s = 0; s < len; s++) {
                    cls[s] = (s & 1) == 0 ? blank : (int) b.targets[n * b.s + (s >> 1)];
                    skip[s] = (s & 1) == 1 && s >= 3 && cls[s] != cls[s - 2];
                    if ((s & 1) == 1 && s >= 3 && !skip[s]) {
                        needed++; // a repeated label needs a blank frame between its copies
                    }
                }
                double logp = tn < needed ? NEG_INF : forward(n, tn, len);
                double loss = -logp;
                double perSample = mean ? 1.0 / Math.max(sn, 1) : 1.0;
                if (loss == Double.POSITIVE_INFINITY && zeroInfinity) {
                    terms[n] = 0; // its gradient stays 0
                    continue;
                }
                terms[n] = loss * perSample;
                if (!grad) {
                    continue;
                }
                if (loss == Double.POSITIVE_INFINITY) {
                    undefinedGradient(n, tn);
                } else {
                    backward(n, tn, len, logp, gradScale * perSample);
                }
            }
        }

        /** Copies log_probs[t, n, l'_s] for s in [lo, hi] into em. */
        private void gather(int t, int n, int lo, int hi) {
            int base = (t * b.n + n) * b.c;
            if (lp32 != null) {
                for (int s = lo; s <= hi; s++) {
                    em[s] = lp32[base + cls[s]];
                }
            } else {
                for (int s = lo; s <= hi; s++) {
                    em[s] = lp64[base + cls[s]];
                }
            }
        }

        /** log p(l | x) of sample n; stores α_t (log, emission at t included) in rows of alpha. */
        private double forward(int n, int tn, int len) {
            double[] a = alpha;
            boolean keep = grad;
            int lo = Math.max(0, len - 2 * tn);
            int hi = Math.min(len - 1, 1);
            gather(0, n, lo, hi);
            for (int s = lo; s <= hi; s++) {
                a[s] = em[s];
            }
            padAbove(a, 0, hi, len);
            lin[0] = 0; // states −2 and −1 (the backward pass uses lin unshifted)
            lin[1] = 0;
            int off = 0;
            for (int t = 1; t < tn; t++) {
                int poff = off;
                int plo = lo;
                int phi = hi;
                off = (keep ? t : (t & 1)) * len;
                lo = Math.max(0, len - 2 * (tn - t));
                hi = Math.min(len - 1, 2 * t + 1);
                double m = NEG_INF;
                for (int s = plo; s <= phi; s++) {
                    m = Math.max(m, a[poff + s]);
                }
                double ref = m == NEG_INF ? 0 : m;
                // lin[s + 2] = exp(α_{t−1}(s) − ref); lin[0], lin[1] stay 0 (states −2, −1)
                for (int s = plo; s <= phi; s++) {
                    lin[s + 2] = Math.exp(a[poff + s] - ref);
                }
                lin[phi + 3] = 0;
                lin[phi + 4] = 0;
                gather(t, n, lo, hi);
                for (int s = lo; s <= hi; s++) {
                    boolean sk = skip[s];
                    double sum = lin[s + 2] + lin[s + 1] + (sk ? lin[s] : 0.0);
                    double v;
                    if (sum >= SAFE) {
                        v = ref + Math.log(sum);
                    } else {
                        v = lse3(a[poff + s], s >= 1 ? a[poff + s - 1] : NEG_INF, sk ? a[poff + s - 2] : NEG_INF);
                    }
                    a[off + s] = v + em[s];
                }
                padAbove(a, off, hi, len);
            }
            double last = a[off + len - 1];
            double prev = len >= 2 ? a[off + len - 2] : NEG_INF;
            return lse3(last, prev, NEG_INF);
        }

        private void padAbove(double[] a, int off, int hi, int len) {
            if (hi + 1 < len) {
                a[off + hi + 1] = NEG_INF;
            }
            if (hi + 2 < len) {
                a[off + hi + 2] = NEG_INF;
            }
        }

        /**
         * The backward recursion fused with the gradient: β_t(s) (log, emission at t
         * excluded) one frame at a time, and at each frame the posterior occupancies
         * exp(α_t(s) + β_t(s) − log p) summed per class.
         */
        private void backward(int n, int tn, int len, double logp, double scale) {
            int t = tn - 1;
            int lo = Math.max(0, len - 2);
            int hi = Math.min(len - 1, 2 * t + 1);
            for (int s = lo; s <= hi; s++) {
                beta[s] = 0;
            }
            emitGradient(n, t, lo, hi, logp, scale);
            makeNext(n, t, lo, hi, len);
            while (--t >= 0) {
                int nlo = lo;
                int nhi = hi;
                lo = Math.max(0, len - 2 * (tn - t));
                hi = Math.min(len - 1, 2 * t + 1);
                double[] bn = bNext;
                double m = NEG_INF;
                for (int s = nlo; s <= nhi; s++) {
                    m = Math.max(m, bn[s]);
                }
                double ref = m == NEG_INF ? 0 : m;
                // lin[s] = exp(β̃_{t+1}(s) − ref) where β̃ includes the emission at t + 1
                for (int s = nlo; s <= nhi; s++) {
                    lin[s] = Math.exp(bn[s] - ref);
                }
                lin[nhi + 1] = 0;
                lin[nhi + 2] = 0;
                if (nlo >= 1) {
                    lin[nlo - 1] = 0;
                }
                if (nlo >= 2) {
                    lin[nlo - 2] = 0;
                }
                for (int s = lo; s <= hi; s++) {
                    boolean sk = s + 2 < len && skip[s + 2];
                    double sum = lin[s] + lin[s + 1] + (sk ? lin[s + 2] : 0.0);
                    if (sum >= SAFE) {
                        beta[s] = ref + Math.log(sum);
                    } else {
                        beta[s] = lse3(bn[s], bn[s + 1], sk ? bn[s + 2] : NEG_INF);
                    }
                }
                emitGradient(n, t, lo, hi, logp, scale);
                if (t > 0) {
                    makeNext(n, t, lo, hi, len);
                }
            }
        }

        /** bNext := β̃_t = log_probs[t, n, l'_s] + β_t(s) on [lo, hi], −∞ on the two cells either side. */
        private void makeNext(int n, int t, int lo, int hi, int len) {
            double[] bc = bCur;
            gather(t, n, lo, hi);
            for (int s = lo; s <= hi; s++) {
                bc[s] = em[s] + beta[s];
            }
            if (lo >= 1) {
                bc[lo - 1] = NEG_INF;
            }
            if (lo >= 2) {
                bc[lo - 2] = NEG_INF;
            }
            for (int s = hi + 1; s <= Math.min(hi + 2, len + 1); s++) {
                bc[s] = NEG_INF;
            }
            bCur = bNext;
            bNext = bc;
        }

        /** grad[t, n, c] = −scale · Σ_{s : l'_s = c} exp(α_t(s) + β_t(s) − log p). */
        private void emitGradient(int n, int t, int lo, int hi, double logp, double scale) {
            int aoff = t * (2 * (int) b.targetLengths[n] + 1);
            for (int s = lo; s <= hi; s++) {
                acc[cls[s]] = 0;
            }
            for (int s = lo; s <= hi; s++) {
                acc[cls[s]] += Math.exp(alpha[aoff + s] + beta[s] - logp);
            }
            int base = (t * b.n + n) * b.c;
            double k = -scale;
            if (g64 != null) {
                for (int s = lo; s <= hi; s++) {
                    g64[base + cls[s]] = k * acc[cls[s]];
                }
            } else {
                for (int s = lo; s <= hi; s++) {
                    g32[base + cls[s]] = (float) (k * acc[cls[s]]);
                }
            }
        }

        /** An impossible alignment without zero_infinity: the loss is +∞ everywhere, its derivative undefined. */
        private void undefinedGradient(int n, int tn) {
            for (int t = 0; t < tn; t++) {
                int base = (t * b.n + n) * b.c;
                if (g64 != null) {
                    Arrays.fill(g64, base, base + b.c, Double.NaN);
                } else {
                    Arrays.fill(g32, base, base + b.c, Float.NaN);
                }
            }
        }
    }
}
