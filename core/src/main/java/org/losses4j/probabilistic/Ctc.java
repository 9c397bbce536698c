package org.losses4j.probabilistic;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.DType;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.losses4j.Workspace;
import org.losses4j.kernels.Parallel;

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
 * not read (other classes, frames past its length) have no effect. A log-probability more
 * than 3.7·10^8 below the largest of its frame (among the sample's classes) counts as −∞.
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
 * accumulation is in float64. The inputs are checked by {@link CtcBatch}, the recursions run in
 * {@link CtcRecursion} on the extended-range numbers of {@link ScaledReal}.
 *
 * <p>Reference: Graves, Fernández, Gomez, Schmidhuber (2006), "Connectionist Temporal
 * Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks";
 * PyTorch {@code CTCLoss}.
 */
public final class Ctc extends AbstractLoss {
    /** {@code blank}: Class index of the blank symbol, in [0, C). Default {@code 0}; allowed: &gt;= 0. */
    public static final OptionSpec<Long> BLANK = OptionSpec.integer("blank", 0, OptionSpec.Range.NON_NEGATIVE,
            "class index of the blank symbol, in [0, C)");
    /**
     * {@code zero_infinity}: Give an impossible alignment (loss +∞) the loss 0 and gradient 0. Default {@code false};
     * allowed: true or false.
     */
    public static final OptionSpec<Boolean> ZERO_INFINITY = OptionSpec.bool("zero_infinity", false,
            "give an impossible alignment (loss +∞) the loss 0 and gradient 0");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
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
            .layout(LossInfo.Layout.SAMPLE)
            .example(Examples::ctc)
            .factory(Ctc::new)
            .build();

    private final int blank;
    private final boolean zeroInfinity;
    private final Reduction reduction;

    private Ctc(Options o) {
        super(INFO, o);
        this.blank = Math.toIntExact(o.get(BLANK));
        this.zeroInfinity = o.get(ZERO_INFINITY);
        this.reduction = o.get(REDUCTION);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Ctc}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Ctc, Builder> {
        private Builder() {
            super(INFO, Ctc.class);
        }

        /** {@code blank}: Class index of the blank symbol, in [0, C). Default {@code 0}; allowed: &gt;= 0. */
        public Builder blank(long value) {
            return set(BLANK, value);
        }

        /**
         * {@code zero_infinity}: Give an impossible alignment (loss +∞) the loss 0 and gradient 0. Default
         * {@code false}; allowed: true or false.
         */
        public Builder zeroInfinity(boolean value) {
            return set(ZERO_INFINITY, value);
        }
    }

    /** float32 log-probabilities: the recursion reads them natively (float64 arithmetic), gradient in float32. */
    @Override
    protected boolean computesFloat32(Inputs in) {
        return true;
    }

    /** Both precisions: the recursion reads float32 or float64 log-probabilities and writes the gradient in kind. */
    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor lp = call.input("log_probs");
        CtcBatch b = CtcBatch.of(call.inputs(), blank, reduction);
        double scale = call.reduce(b.n);
        boolean f32 = call.precision() == DType.FLOAT32;
        double[] g64 = f32 ? null : call.gradient("log_probs", lp);
        float[] g32 = f32 ? call.gradient32("log_probs", lp) : null;
        double[] terms = call.terms(b.n);
        samples(b, f32 ? null : lp.f64(), f32 ? lp.f32() : null, g64, g32, scale, terms);
        return call.finish(terms, b.n);
    }

    /**
     * Every sample's term into {@code terms[n]} and its gradient (one of lp64/lp32 and of g64/g32
     * is given, or no gradient), over fixed groups of samples on {@link Parallel#threads()} threads,
     * each group with its own recursion state from its thread's workspace.
     */
    private void samples(CtcBatch b, double[] lp64, float[] lp32, double[] g64, float[] g32, double scale,
            double[] terms) {
        boolean mean = reduction == Reduction.MEAN;
        Parallel.forChunks(b.n, samplesPerChunk(b.n), (c, from, to) -> {
            try (Workspace kw = Workspace.acquire()) {
                new CtcRecursion(b, zeroInfinity, mean, lp64, lp32, g64, g32, scale, kw).run(terms, from, to);
            }
        });
    }

    /**
     * Samples per chunk of work: a function of the batch size only (about eight chunks), so that
     * results are the same on any number of threads; each sample is independent and its term is
     * summed in sample order afterwards.
     */
    private static int samplesPerChunk(int n) {
        return Math.max(1, (n + 7) / 8);
    }
}
