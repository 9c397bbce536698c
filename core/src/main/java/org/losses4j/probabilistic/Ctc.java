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
 * gradient of such a sample is undefined and reported as NaN on its frames. A NaN (or +∞) in a
 * log-probability the sample reads (its blank and labels, frames {@code t < T_n}) makes its
 * term NaN, also with {@code zero_infinity}, and its gradient NaN likewise; entries it does
 * not read (other classes, frames past its length) have no effect.
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

    /** The rounding error of s = a + b: a + b = s + error exactly (Knuth's TwoSum). */
    private static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /** Exact log(e^x + e^y + e^z); −∞ when all three are −∞. */
    private static double lse3(double x, double y, double z) {
        double m = Math.max(x, Math.max(y, z));
        if (m == NEG_INF) {
            return NEG_INF;
        }
        return m + Math.log(Math.exp(x - m) + Math.exp(y - m) + Math.exp(z - m));
    }

    /**
     * The forward–backward computation of one call: work arrays are allocated once per call,
     * sized for the longest sample, and reused for every sample.
     *
     * <p>Only the states that can already have been reached and can still reach the end are
     * visited: at frame t, {@code s ∈ [max(0, L − 2(T_n − t)), min(L − 1, 2t + 1)]}.
     *
     * <p>Representation (log space with one shared offset per frame): each frame t has a log
     * offset {@code R_t} and each state s a mantissa {@code exp(logα_t(s) − R_t)}. The
     * recursion sums the mantissas of a state's predecessors and multiplies the sum by
     * {@code exp(log_probs[t, n, l'_s] − m_t)}, {@code m_t} the frame's largest emission, with
     * {@code R_t = R_{t−1} + m_t}: a frame costs one exp per class of the sample instead of
     * several per state. A row is rescaled (its largest mantissa made 1) only when the sum of
     * its mantissas leaves [2^-64, 2^64].
     *
     * <p>Exactness never rests on a mantissa that may have underflowed: a state whose mantissa
     * is below {@code TINY} = 2^-600 also keeps its log-mantissa {@code logα_t(s) − R_t}, and a
     * state whose predecessor sum is below {@code TINY} (all of them far below) is computed by
     * an exact log-sum-exp of those log-mantissas. A mantissa below 2^-1022 is otherwise only
     * ever added to a sum of at least {@code TINY}, where it is far below rounding. The
     * offsets, which grow with the number of frames (|log p| reaches 10^6 at 10^4 frames of
     * peaked outputs), are compensated sums (TwoSum) and every per-state quantity is relative
     * to them, so their rounding never reaches the posteriors: at 10^4 frames the posteriors
     * of a frame sum to 1 within ~1e-12 (moderate outputs) to ~1e-10 (peaked outputs, where
     * states held as log-mantissas far below their frame's largest accumulate rounding), where
     * a plain log-space recursion loses ~1e-9 to the rounding of its large log values.
     */
    private final class Kernel {
        /** Mantissas and sums below this carry an exact log value. */
        private static final double TINY = 0x1.0p-600;
        /** Products at or above this are normal doubles (exact to rounding). */
        private static final double NORMAL = 0x1.0p-1000;
        /** Above this shared posterior factor a frame's posteriors are taken from exact logs. */
        private static final double H_MAX = 0x1.0p500;
        /** A row is rescaled when the sum of its mantissas leaves [LOW, HIGH]. */
        private static final double LOW = 0x1.0p-64;
        private static final double HIGH = 0x1.0p64;

        private final Batch b;
        private final double[] lp64;
        private final float[] lp32;
        private final double[] g64;
        private final float[] g32;
        private final double gradScale;
        private final boolean grad;
        /** Row width: state s is stored at s + 2, with two padding cells either side. */
        private final int w;
        private final int maxK;
        // the current sample: its states, classes, allowed skips
        private int len;
        private int kn;
        private final int[] kOf;
        private final int[] classOf;
        private final int[] slot;
        private final boolean[] skip;
        private final double[] skipIn;
        private final double[] skipOut;
        // forward rows (all frames when a gradient is wanted, else two rolling rows)
        private final double[] aLin;
        private final double[] aLog;
        private final double[] ref;
        private final double[] refLo;
        private double logpHi;
        private double logpLo;
        // per frame: the sample's log-probabilities, their exp relative to the largest, the largest
        private final double[] ek;
        private final double[] ex;
        private final double[] emax;
        // backward: two rolling rows, per-class posteriors of one frame
        private final double[] bLin;
        private final double[] bLog;
        private final double[] acc;

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
            this.w = maxL + 4;
            this.maxK = Math.min(b.c, maxS + 1);
            int rows = grad ? maxT : 2;
            this.kOf = new int[maxL];
            this.classOf = new int[maxK];
            this.slot = new int[b.c];
            Arrays.fill(slot, -1);
            this.skip = new boolean[maxL];
            this.skipIn = new double[maxL];
            this.skipOut = new double[maxL];
            this.aLin = new double[rows * w];
            this.aLog = new double[rows * w];
            this.ref = new double[rows];
            this.refLo = new double[rows];
            this.ek = new double[maxT * maxK];
            this.ex = new double[maxT * maxK];
            this.emax = new double[maxT];
            this.bLin = grad ? new double[2 * w] : null;
            this.bLog = grad ? new double[2 * w] : null;
            this.acc = grad ? new double[maxK] : null;
        }

        void run(double[] terms) {
            boolean mean = reduction == Reduction.MEAN;
            for (int n = 0; n < b.n; n++) {
                int tn = (int) b.inputLengths[n];
                int sn = (int) b.targetLengths[n];
                int needed = describe(n, sn);
                double logp = tn < needed ? NEG_INF : forward(n, tn);
                double loss = -logp;
                double perSample = mean ? 1.0 / Math.max(sn, 1) : 1.0;
                if (loss == Double.POSITIVE_INFINITY && zeroInfinity) {
                    terms[n] = 0; // its gradient stays 0
                } else {
                    terms[n] = loss * perSample;
                    if (grad) {
                        if (Double.isFinite(loss)) {
                            backward(n, tn, gradScale * perSample);
                        } else {
                            undefinedGradient(n, tn);
                        }
                    }
                }
                for (int k = 0; k < kn; k++) {
                    slot[classOf[k]] = -1;
                }
            }
        }

        /**
         * Sets up the states of sample n (classes, compact class slots, allowed skips) and
         * returns the fewest frames an alignment needs: the labels plus a blank between repeats.
         */
        private int describe(int n, int sn) {
            len = 2 * sn + 1;
            kn = 0;
            int needed = sn;
            for (int s = 0; s < len; s++) {
                int c = (s & 1) == 0 ? blank : (int) b.targets[n * b.s + (s >> 1)];
                if (slot[c] < 0) {
                    slot[c] = kn;
                    classOf[kn++] = c;
                }
                kOf[s] = slot[c];
                skip[s] = (s & 1) == 1 && s >= 3 && c != classOf[kOf[s - 2]];
                skipIn[s] = skip[s] ? 1.0 : 0.0;
                if ((s & 1) == 1 && s >= 3 && !skip[s]) {
                    needed++;
                }
            }
            for (int s = 0; s < len; s++) {
                skipOut[s] = s + 2 < len ? skipIn[s + 2] : 0.0;
            }
            return needed;
        }

        /**
         * Loads log_probs[t, n, c] of every frame t < T_n for the sample's classes into ek
         * (all frames first, so that the memory reads overlap), then their exp relative to the
         * frame's largest into ex and that largest into emax; false when one is NaN or +∞
         * (the loss is then NaN).
         */
        private boolean loadFrames(int n, int tn) {
            int stride = b.n * b.c;
            for (int t = 0, base = n * b.c, o = 0; t < tn; t++, base += stride, o += maxK) {
                if (lp32 != null) {
                    for (int k = 0; k < kn; k++) {
                        ek[o + k] = lp32[base + classOf[k]];
                    }
                } else {
                    for (int k = 0; k < kn; k++) {
                        ek[o + k] = lp64[base + classOf[k]];
                    }
                }
            }
            for (int t = 0, o = 0; t < tn; t++, o += maxK) {
                double m = NEG_INF;
                for (int k = 0; k < kn; k++) {
                    double e = ek[o + k];
                    if (!(e < Double.POSITIVE_INFINITY)) {
                        return false;
                    }
                    m = e > m ? e : m;
                }
                double mm = m == NEG_INF ? 0 : m; // all −∞: every mantissa 0, the frame is impossible
                for (int k = 0; k < kn; k++) {
                    ex[o + k] = Math.exp(ek[o + k] - mm);
                }
                emax[t] = mm;
            }
            return true;
        }

        /**
         * log p(l | x) of sample n (−∞ when no alignment has positive probability, NaN on NaN or
         * +∞ input); also left in logpHi + logpLo.
         */
        private double forward(int n, int tn) {
            if (!loadFrames(n, tn)) {
                return Double.NaN;
            }
            int row = 0;
            int lo = Math.max(0, len - 2 * tn);
            int hi = Math.min(len - 1, 1);
            double vmax = 0;
            for (int s = lo; s <= hi; s++) {
                double a = ex[kOf[s]];
                aLog[s + 2] = ek[kOf[s]] - emax[0];
                aLin[s + 2] = a;
                vmax = Math.max(vmax, a);
            }
            clearPads(aLin, aLog, 0, lo, hi);
            ref[0] = emax[0];
            refLo[0] = 0;
            if (vmax < LOW) {
                double d = renormalize(aLin, aLog, 0, lo, hi);
                if (d == NEG_INF) {
                    return NEG_INF;
                }
                addToRef(0, d);
            }
            for (int t = 1; t < tn; t++) {
                int prow = row;
                row = grad ? t : (t & 1);
                lo = Math.max(0, len - 2 * (tn - t));
                hi = Math.min(len - 1, 2 * t + 1);
                int po = prow * w;
                int o = row * w;
                int eo = t * maxK;
                double mt = emax[t];
                // the row's total mantissa decides a rescaling (a running max would cost more than the sum)
                double mass = 0;
                // the previous row's mantissas of states s − 2, s − 1 and s, carried in registers
                double p2 = aLin[po + lo];
                double p1 = aLin[po + lo + 1];
                for (int s = lo; s <= hi; s++) {
                    int i = s + 2;
                    int k = kOf[s];
                    double p0 = aLin[po + i];
                    // skipIn is 1 where α_{t−1}(s − 2) → α_t(s) is allowed, else 0 (mantissas are never NaN)
                    double sum = p0 + p1 + skipIn[s] * p2;
                    p2 = p1;
                    p1 = p0;
                    double a;
                    if (sum >= TINY) {
                        a = sum * ex[eo + k];
                        if (a < TINY) {
                            aLog[o + i] = Math.log(sum) + (ek[eo + k] - mt);
                        }
                    } else { // every predecessor far below: exact log-sum-exp of their log-mantissas
                        double lg = (ek[eo + k] - mt)
                                + lse3(aLog[po + i], aLog[po + i - 1], skip[s] ? aLog[po + i - 2] : NEG_INF);
                        aLog[o + i] = lg;
                        a = Math.exp(lg);
                    }
                    aLin[o + i] = a;
                    mass += a;
                }
                clearPads(aLin, aLog, o, lo, hi);
                ref[row] = ref[prow];
                refLo[row] = refLo[prow];
                addToRef(row, mt);
                if (mass < LOW || mass > HIGH) {
                    double d = renormalize(aLin, aLog, o, lo, hi);
                    if (d == NEG_INF) {
                        return NEG_INF;
                    }
                    addToRef(row, d);
                }
            }
            int o = row * w;
            double sum = aLin[o + len + 1] + aLin[o + len];
            double last = sum >= TINY ? Math.log(sum) : lse3(aLog[o + len + 1], aLog[o + len], NEG_INF);
            if (last == NEG_INF) {
                return NEG_INF;
            }
            double s = ref[row] + last;
            logpHi = s;
            logpLo = refLo[row] + twoSumError(ref[row], last, s);
            return s + logpLo;
        }

        /** ref[row] + refLo[row] += x, compensated. */
        private void addToRef(int row, double x) {
            double a = ref[row];
            double s = a + x;
            refLo[row] += twoSumError(a, x, s);
            ref[row] = s;
        }

        /**
         * Rescales the row at o (window lo..hi) so that its largest mantissa is 1, keeping the
         * log-mantissas of the mantissas below TINY; returns the log of the factor taken out
         * (to be added to the row's offset), −∞ when every state of the row is impossible.
         */
        private double renormalize(double[] lin, double[] log, int o, int lo, int hi) {
            double vmax = 0;
            for (int i = lo + 2; i <= hi + 2; i++) {
                vmax = Math.max(vmax, lin[o + i]);
            }
            if (vmax >= NORMAL) { // the largest mantissa is exact: divide by it
                double f = 1.0 / vmax;
                double d = Math.log(vmax);
                for (int i = lo + 2; i <= hi + 2; i++) {
                    double x = lin[o + i];
                    double y = x * f;
                    if (x < TINY) {
                        double lg = log[o + i] - d;
                        log[o + i] = lg;
                        if (x < NORMAL) { // may have underflowed: never scale it up into a trusted mantissa
                            y = Math.exp(lg);
                        }
                    } else if (y < TINY) {
                        log[o + i] = Math.log(y);
                    }
                    lin[o + i] = y;
                }
                return d;
            }
            // every mantissa is below 2^-1000: rebuild the row from its log-mantissas
            double m = NEG_INF;
            for (int i = lo + 2; i <= hi + 2; i++) {
                double x = lin[o + i];
                double lg = x >= TINY ? Math.log(x) : log[o + i];
                log[o + i] = lg;
                m = Math.max(m, lg);
            }
            if (m == NEG_INF) {
                return NEG_INF;
            }
            for (int i = lo + 2; i <= hi + 2; i++) {
                double lg = log[o + i] - m;
                log[o + i] = lg;
                lin[o + i] = Math.exp(lg);
            }
            return m;
        }

        /** Mantissa 0 and log-mantissa −∞ in the two cells below lo and above hi of the row at o. */
        private void clearPads(double[] lin, double[] log, int o, int lo, int hi) {
            lin[o + lo] = 0;
            lin[o + lo + 1] = 0;
            log[o + lo] = NEG_INF;
            log[o + lo + 1] = NEG_INF;
            lin[o + hi + 3] = 0;
            lin[o + hi + 4] = 0;
            log[o + hi + 3] = NEG_INF;
            log[o + hi + 4] = NEG_INF;
        }

        /**
         * The backward recursion fused with the gradient, one pass per frame. The row of frame
         * t + 1 holds β̃_{t+1}(s) = β_{t+1}(s) + log_probs[t + 1, n, l'_s] in the same
         * representation as α (offset rn + rnLo). At frame t the sum over a state's successors
         * is β_t(s) (emission at t excluded); the state's posterior
         * exp(α_t(s) + β_t(s) − log p) goes to its class, and β_t(s) plus the emission at t
         * makes the row of frame t for the next step.
         */
        private void backward(int n, int tn, double scale) {
            int nb = 0;
            // a virtual row t = T_n: β̃ is 0 (mantissa 1, offset 0) at the last state only
            Arrays.fill(bLin, 0, w, 0.0);
            Arrays.fill(bLog, 0, w, NEG_INF);
            bLin[len + 1] = 1;
            bLog[len + 1] = 0;
            double rn = 0;
            double rnLo = 0;
            for (int t = tn - 1; t >= 0; t--) {
                int lo = Math.max(0, len - 2 * (tn - t));
                int hi = Math.min(len - 1, 2 * t + 1);
                int no = nb * w;
                int o = (1 - nb) * w;
                int ao = t * w;
                int eo = t * maxK;
                double mt = emax[t];
                // x = ref_t + rn − log p, the log of the factor shared by this frame's posteriors
                double s1 = ref[t] + rn;
                double e1 = twoSumError(ref[t], rn, s1);
                double s2 = s1 - logpHi;
                double e2 = twoSumError(s1, -logpHi, s2);
                double x = s2 + (e1 + e2 + refLo[t] + rnLo - logpLo);
                double h = Math.exp(x);
                boolean shared = h <= H_MAX;
                for (int k = 0; k < kn; k++) {
                    acc[k] = 0;
                }
                double mass = 0;
                // the next row's mantissas of states s, s + 1 and s + 2, carried in registers
                double n1 = bLin[no + lo + 2];
                double n2 = bLin[no + lo + 3];
                for (int s = lo; s <= hi; s++) {
                    int i = s + 2;
                    int k = kOf[s];
                    double n0 = n1;
                    n1 = n2;
                    n2 = bLin[no + i + 2];
                    double sum = n0 + n1 + skipOut[s] * n2;
                    double a = aLin[ao + i];
                    double post;
                    double b2;
                    if (sum >= TINY) {
                        if (shared && a >= TINY) {
                            post = a * (sum * h);
                        } else {
                            post = Math.exp((a >= TINY ? Math.log(a) : aLog[ao + i]) + Math.log(sum) + x);
                        }
                        b2 = sum * ex[eo + k];
                        if (b2 < TINY) {
                            bLog[o + i] = Math.log(sum) + (ek[eo + k] - mt);
                        }
                    } else { // every successor far below: exact log-mantissas
                        double lb = lse3(bLog[no + i], bLog[no + i + 1], skipOut[s] != 0 ? bLog[no + i + 2] : NEG_INF);
                        post = Math.exp((a >= TINY ? Math.log(a) : aLog[ao + i]) + lb + x);
                        double lg = lb + (ek[eo + k] - mt);
                        bLog[o + i] = lg;
                        b2 = Math.exp(lg);
                    }
                    acc[k] += post;
                    bLin[o + i] = b2;
                    mass += b2;
                }
                writeGradient(n, t, scale);
                if (t == 0) {
                    break;
                }
                clearPads(bLin, bLog, o, lo, hi);
                double s3 = rn + mt;
                rnLo += twoSumError(rn, mt, s3);
                rn = s3;
                if (mass < LOW || mass > HIGH) {
                    // finite: a state of this window lies on an alignment of positive probability
                    double d = renormalize(bLin, bLog, o, lo, hi);
                    double s4 = rn + d;
                    rnLo += twoSumError(rn, d, s4);
                    rn = s4;
                }
                nb = 1 - nb;
            }
        }

        /** grad[t, n, c] = −scale · (the posteriors of the states of class c, summed in acc). */
        private void writeGradient(int n, int t, double scale) {
            int base = (t * b.n + n) * b.c;
            // 0 − x, not −x: a class with no state in this frame's window gets +0, not −0
            if (g64 != null) {
                for (int k = 0; k < kn; k++) {
                    g64[base + classOf[k]] = 0.0 - scale * acc[k];
                }
            } else {
                for (int k = 0; k < kn; k++) {
                    g32[base + classOf[k]] = (float) (0.0 - scale * acc[k]);
                }
            }
        }

        /**
         * A loss that is +∞ (no alignment without zero_infinity) or NaN: the derivative with
         * respect to the log-probabilities it depends on is undefined, NaN.
         */
        private void undefinedGradient(int n, int tn) {
            for (int t = 0; t < tn; t++) {
                int base = (t * b.n + n) * b.c;
                for (int k = 0; k < kn; k++) {
                    if (g64 != null) {
                        g64[base + classOf[k]] = Double.NaN;
                    } else {
                        g32[base + classOf[k]] = Float.NaN;
                    }
                }
            }
        }
    }
}
