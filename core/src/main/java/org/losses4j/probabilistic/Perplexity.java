package org.losses4j.probabilistic;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * Perplexity: the exponential of the mean negative log-likelihood of the target labels.
 *
 * <p>Value {@code exp(−(1/K)·Σ x[n, y_n, t])} over the K targets not equal to
 * {@code ignore_index} (always a scalar). Gradient: {@code −PPL/K} at each kept label's
 * log-probability, 0 elsewhere and at ignored positions. With every target ignored, K = 0 and
 * the value is NaN (like PyTorch's NLLLoss mean), with a zero gradient.
 *
 * <p>Shapes: input log-probabilities [N, C] or [N, C, T], every value ≤ 0; target int64 [N]
 * or [N, T], each in [0, C) or equal to {@code ignore_index}. The mean divides by the number
 * of non-ignored targets.
 *
 * <p>Reference: Jelinek et al. (1977), perplexity of speech-recognition language models;
 * {@code exp(NLLLoss)} in PyTorch.
 */
public final class Perplexity extends AbstractLoss {
    /**
     * {@code ignore_index}: Target value that is skipped (no term, zero gradient). Default {@code -100}; allowed: a
     * number.
     */
    public static final OptionSpec<Long> IGNORE_INDEX = OptionSpec.integer("ignore_index", -100,
            OptionSpec.Range.ANY, "target value that is skipped (no term, zero gradient)");

    public static final LossInfo INFO = LossInfo.builder("perplexity", Family.PROBABILISTIC)
            .summary("exp of the mean negative log-likelihood: the effective number of choices per prediction")
            .formula("exp(−mean over kept targets of x[n, y_n, *])")
            .gradInput("input", "[N, C] or [N, C, T] log-probabilities (<= 0)")
            .labelInput("target", "int64 [N] or [N, T] class indices in [0, C) or ignore_index")
            .options(IGNORE_INDEX)
            .divisor("always a scalar: exp of the NLL summed over kept targets divided by their number")
            .convex(true)
            .tasks("language-model evaluation", "sequence model evaluation")
            .reference("Jelinek et al. 1977; exp(PyTorch NLLLoss)")
            .layout(LossInfo.Layout.SCALAR)
            .example(Examples::logProbabilities)
            .factory(Perplexity::new)
            .build();

    private final long ignoreIndex;

    private Perplexity(Options o) {
        super(INFO, o);
        this.ignoreIndex = o.get(IGNORE_INDEX);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Perplexity}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Perplexity, Builder> {
        private Builder() {
            super(INFO, Perplexity.class);
        }

        /**
         * {@code ignore_index}: Target value that is skipped (no term, zero gradient). Default {@code -100};
         * allowed: a number.
         */
        public Builder ignoreIndex(long value) {
            return set(IGNORE_INDEX, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Tensor yt = call.input("target");
        checkShapes(xt, yt);
        Check.nonEmpty("input", xt);
        int c = xt.dim(1);
        Check.labels("target", yt, c, ignoreIndex);
        DivergenceSupport.logProbabilities("input", xt);
        int batch = xt.dim(0);
        int inner = yt.size() / Math.max(batch, 1);
        double[] x = xt.f64();
        long[] y = yt.i64();
        double sum = 0;
        int kept = 0;
        for (int n = 0; n < batch; n++) {
            for (int j = 0; j < inner; j++) {
                long label = y[n * inner + j];
                if (label == ignoreIndex) {
                    continue;
                }
                kept++;
                sum -= x[(n * c + (int) label) * inner + j];
            }
        }
        // the mean NLL over kept targets (K = 0: 0·∞ = NaN, the all-ignored value)
        double s = call.reduce(y.length, kept);
        double ppl = Math.exp(sum * s);
        if (!call.wantsGradient()) {
            return call.finishValue(ppl);
        }
        double[] dx = call.gradient("input", xt);
        double gk = -ppl * s;
        for (int n = 0; n < batch; n++) {
            for (int j = 0; j < inner; j++) {
                long label = y[n * inner + j];
                if (label != ignoreIndex) {
                    dx[(n * c + (int) label) * inner + j] = gk;
                }
            }
        }
        return call.finishValue(ppl);
    }

    private static void checkShapes(Tensor x, Tensor y) {
        Check.rank("input", x, 2, 3);
        int[] xs = x.shape();
        int[] ys = y.shape();
        boolean ok = ys.length == xs.length - 1 && ys[0] == xs[0];
        for (int d = 1; ok && d < ys.length; d++) {
            ok = ys[d] == xs[d + 1];
        }
        if (!ok) {
            StringBuilder want = new StringBuilder("[").append(xs[0]);
            for (int d = 2; d < xs.length; d++) {
                want.append(", ").append(xs[d]);
            }
            want.append(']');
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "target shape " + y.shapeString() + " must be " + want
                    + " for input shape " + x.shapeString() + " ([N, C] takes target [N], [N, C, T] takes [N, T])");
        }
    }
}
