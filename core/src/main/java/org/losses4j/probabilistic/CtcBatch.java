package org.losses4j.probabilistic;

import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/** The checked shapes, lengths and labels of one {@link Ctc} call. */
final class CtcBatch {
    /** Frames, samples, classes and target columns: log_probs [t, n, c], targets [n, s]. */
    final int t;
    final int n;
    final int c;
    final int s;
    /** The class index of the blank, in [0, c). */
    final int blank;
    final long[] targets;
    final long[] inputLengths;
    final long[] targetLengths;

    private CtcBatch(int t, int n, int c, int s, int blank, long[] targets, long[] inputLengths,
            long[] targetLengths) {
        this.t = t;
        this.n = n;
        this.c = c;
        this.s = s;
        this.blank = blank;
        this.targets = targets;
        this.inputLengths = inputLengths;
        this.targetLengths = targetLengths;
    }

    /**
     * Checks ctc's inputs (ranks, the batch size N throughout, the blank against C, every length
     * and every label a sample reads) and returns them; refuses with a {@link LossException}.
     */
    static CtcBatch of(Inputs in, int blank, Reduction reduction) {
        Tensor lp = in.get("log_probs");
        Tensor tg = in.get("targets");
        Tensor il = in.get("input_lengths");
        Tensor tl = in.get("target_lengths");
        Check.rank("log_probs", lp, 3);
        // the empty batch (N = 0) is a sum of no terms (0) and no terms for none, as for the
        // elementwise losses; only a mean of it is undefined. Any other empty log_probs (T or C
        // of 0 with samples) is refused here too, before the lengths would say less clearly why.
        if (lp.dim(1) != 0 || reduction == Reduction.MEAN) {
            Check.nonEmpty("log_probs", lp);
        }
        int t = lp.dim(0);
        int n = lp.dim(1);
        int c = lp.dim(2);
        Check.rank("targets", tg, 2);
        Check.dim("targets", tg, 0, n, "the batch size N of log_probs [T, N, C]");
        Check.rank("input_lengths", il, 1);
        Check.dim("input_lengths", il, 0, n, "the batch size N of log_probs [T, N, C]");
        Check.rank("target_lengths", tl, 1);
        Check.dim("target_lengths", tl, 0, n, "the batch size N of log_probs [T, N, C]");
        int s = tg.dim(1);
        if (blank >= c) {
            throw new LossException(ErrorKind.INVALID_OPTION, "option blank = " + blank + " is outside [0, " + c
                    + "): log_probs has " + c + " classes");
        }
        long[] targets = tg.i64();
        long[] inputLengths = il.i64();
        long[] targetLengths = tl.i64();
        for (int i = 0; i < n; i++) {
            long v = inputLengths[i];
            if (v < 1 || v > t) {
                throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, "input_lengths[" + i + "] = " + v
                        + " is outside [1, " + t + "] (log_probs has T = " + t + " frames)");
            }
        }
        for (int i = 0; i < n; i++) {
            long v = targetLengths[i];
            if (v < 0 || v > s) {
                throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, "target_lengths[" + i + "] = " + v
                        + " is outside [0, " + s + "] (targets has S = " + s + " columns)");
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < targetLengths[i]; k++) {
                int flat = i * s + k;
                long label = targets[flat];
                if (label < 0 || label >= c) {
                    throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, Check.at("targets", tg, flat) + " = "
                            + label + " is outside [0, " + c + ") classes");
                }
                if (label == blank) {
                    throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, Check.at("targets", tg, flat) + " = "
                            + label + " is the blank (blank = " + blank + "); a target label cannot be the blank");
                }
            }
        }
        return new CtcBatch(t, n, c, s, blank, targets, inputLengths, targetLengths);
    }
}
