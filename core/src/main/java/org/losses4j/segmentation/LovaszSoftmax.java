package org.losses4j.segmentation;

import org.losses4j.AbstractLoss;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Tensor;
import org.losses4j.Workspace;

/**
 * Lovász-Softmax loss: a convex, piecewise linear surrogate of the mean (over classes)
 * Jaccard loss of a multi-class segmentation, on class probabilities.
 *
 * <p>Per group of pixels (the whole batch, or one image with {@code per_image}) and class c:
 * foreground {@code f = [label = c]}, errors {@code e = |f − p_c|} sorted decreasing, and the
 * term {@code Σ_r e_π(r)·Δ_r} with Δ the Lovász gradient of the Jaccard loss at the sorted
 * foreground ({@link LovaszExtension}). A group's value is the mean of its class terms over
 * the classes present among its labels ({@code classes = "present"}, the default) or over all
 * C classes ({@code "all"}); the loss is that value (whole batch) or the mean over the N images
 * ({@code per_image}). Pixels whose label is {@code ignore_index} are left out; a group with no
 * pixel left has value 0 (and, per image, still counts in the mean over N), as the reference
 * code's "only void pixels" case. Gradient: {@code ∂/∂p_{i,c} = sign(p_{i,c} − f_i)·Δ_rank(i)}
 * (0 where the error is 0, as autograd of the reference code's |·|), divided by the number of
 * classes averaged (and by N per image).
 *
 * <p>Shapes: input (probabilities in [0, 1], e.g. a softmax over dimension 1) [N, C, *] with
 * C ≥ 2; target int64 labels [N, *] (input's shape without dimension 1), each in [0, C) or
 * equal to ignore_index. Always a scalar. The reference code reads a 3-D input [B, H, W] as
 * sigmoid output and then raises for C = 1: here rank 3 is [N, C, L], and C = 1 is refused
 * (use lovasz_hinge for a binary mask). Its {@code classes} may also be a list of class
 * indices; here it is "present" or "all".
 *
 * <p>Reference: Berman, Rannen Triki &amp; Blaschko 2018, "The Lovász-Softmax loss"; the
 * authors' reference code {@code lovasz_softmax} (defaults {@code classes='present',
 * per_image=False, ignore=None}).
 */
public final class LovaszSoftmax extends AbstractLoss {
    /**
     * {@code classes}: Present: the mean over the classes present in each group's labels; all: over all C classes.
     * Default {@code present}; allowed: one of present, all.
     */
    public static final OptionSpec<String> CLASSES = OptionSpec.choice("classes", "present",
            "present: the mean over the classes present in each group's labels; all: over all C classes", "present",
            "all");
    /**
     * {@code per_image}: One Lovász-Softmax value per image, then their mean; false: one over every pixel of the
     * batch (the reference code's default). Default {@code false}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> PER_IMAGE = OptionSpec.bool("per_image", false,
            "one Lovász-Softmax value per image, then their mean; false: one over every pixel of the batch (the"
                    + " reference code's default)");
    /**
     * {@code ignore_index}: Target label whose pixels are left out (null: none). Default {@code null}; allowed: a
     * number.
     */
    public static final OptionSpec<Long> IGNORE_INDEX = OptionSpec.nullableInteger("ignore_index", null,
            OptionSpec.Range.ANY, "target label whose pixels are left out (null: none)");

    public static final LossInfo INFO = LossInfo.builder("lovasz_softmax", Family.SEGMENTATION)
            .summary("Lovász-Softmax: convex surrogate of the mean per-class Jaccard (IoU) loss, on probabilities")
            .formula("mean over classes of Σ_r e_π(r)·Δ_r, e = |[label = c] − p_c| sorted decreasing, Δ the Lovász"
                    + " gradient of the Jaccard loss")
            .gradInput("input", "[N, C, *] probabilities in [0, 1], C >= 2")
            .labelInput("target", "[N, *] int64 labels in [0, C) (input's shape without dimension 1)")
            .options(CLASSES, PER_IMAGE, IGNORE_INDEX)
            .divisor("always a scalar: the mean over the classes averaged (present or all), then over the N images"
                    + " with per_image")
            .convex(true)
            .kinks(true)
            .tasks("semantic segmentation", "IoU optimisation", "multi-class segmentation")
            .reference("Berman et al. 2018 (Lovász-Softmax), the authors' lovasz_softmax")
            .layout(LossInfo.Layout.SCALAR)
            .example(LovaszSoftmax::example)
            .factory(LovaszSoftmax::new)
            .build();

    private final boolean all;
    private final boolean perImage;
    private final Long ignoreIndex;

    private LovaszSoftmax(Options o) {
        super(INFO, o);
        this.all = "all".equals(o.get(CLASSES));
        this.perImage = o.get(PER_IMAGE);
        this.ignoreIndex = o.get(IGNORE_INDEX);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code LovaszSoftmax}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<LovaszSoftmax, Builder> {
        private Builder() {
            super(INFO, LovaszSoftmax.class);
        }

        /**
         * {@code classes}: Present: the mean over the classes present in each group's labels; all: over all C
         * classes. Default {@code present}; allowed: one of present, all.
         */
        public Builder classes(String value) {
            return set(CLASSES, value);
        }

        /**
         * {@code per_image}: One Lovász-Softmax value per image, then their mean; false: one over every pixel
         * of the batch (the reference code's default). Default {@code false}; allowed: true or false.
         */
        public Builder perImage(boolean value) {
            return set(PER_IMAGE, value);
        }

        /**
         * {@code ignore_index}: Target label whose pixels are left out (null: none). Default {@code null};
         * allowed: a number.
         */
        public Builder ignoreIndex(Long value) {
            return set(IGNORE_INDEX, value);
        }
    }

    /** Softmax probabilities [n, C, 2, 3] and labels [n, 2, 3] in [0, C). */
    static Inputs example(java.util.Random r, int n, Options o) {
        int c = Examples.CLASSES;
        double[] z = Examples.gauss(r, n * c * 6, 1.5);
        // softmax over dimension 1 of [n, C, 6]: class c of pixel s is at (i·C + c)·6 + s
        double[] p = new double[z.length];
        double[] row = new double[c];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < 6; s++) {
                for (int k = 0; k < c; k++) {
                    row[k] = z[(i * c + k) * 6 + s];
                }
                double[] sm = Examples.softmaxRows(row, c);
                for (int k = 0; k < c; k++) {
                    p[(i * c + k) * 6 + s] = sm[k];
                }
            }
        }
        long[] labels = new long[n * 6];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(c);
        }
        return Inputs.of(Examples.t(p, n, c, 2, 3), Tensor.ofLabels(labels, n, 2, 3));
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Tensor yt = call.input("target");
        validate(xt, yt);
        double[] x = xt.f64();
        long[] y = yt.i64();
        int n = xt.dim(0);
        int c = xt.dim(1);
        int s = xt.size() / (n * c);
        int groups = perImage ? n : 1;
        int perGroup = n * s / groups; // pixels of a group before the ignored ones are left out
        double[] gx = call.gradient("input", xt);
        Workspace ws = call.scratch();
        int[] pix = ws.ints(perGroup);
        double[] fg = ws.doubles(perGroup);
        double[] e = ws.doubles(perGroup);
        double[] delta = ws.doubles(perGroup);
        LovaszExtension.Scratch sort = new LovaszExtension.Scratch(ws, perGroup);
        int[] count = ws.ints(c);
        double total = 0;
        for (int k = 0; k < groups; k++) {
            // the group's pixels that are not ignored, by flat index j = i·S + q (image i, position q)
            int p = 0;
            java.util.Arrays.fill(count, 0, c, 0);
            for (int j = k * perGroup, end = j + perGroup; j < end; j++) {
                long label = y[j];
                if (ignoreIndex != null && label == ignoreIndex) {
                    continue;
                }
                count[(int) label]++;
                pix[p++] = j;
            }
            int averaged = 0;
            for (int cls = 0; cls < c; cls++) {
                if (all || count[cls] > 0) {
                    averaged++;
                }
            }
            if (p == 0 || averaged == 0) {
                continue; // only ignored pixels: value 0, gradient 0 (the reference code's "only void pixels")
            }
            double w = 1.0 / (averaged * (double) groups);
            double sum = 0;
            for (int cls = 0; cls < c; cls++) {
                if (!all && count[cls] == 0) {
                    continue;
                }
                for (int q = 0; q < p; q++) {
                    int j = pix[q];
                    double f = y[j] == cls ? 1 : 0;
                    fg[q] = f;
                    e[q] = Math.abs(f - x[at(j, cls, c, s)]);
                }
                sum += LovaszExtension.term(e, fg, 0, p, delta, sort);
                if (gx != null) {
                    for (int q = 0; q < p; q++) {
                        int i = at(pix[q], cls, c, s);
                        // ∂|f − p|/∂p = sign(p − f): 0 where they are equal (as autograd), NaN stays NaN
                        gx[i] = w * delta[q] * Math.signum(x[i] - fg[q]);
                    }
                }
            }
            total += sum * w;
        }
        return call.finishValue(total);
    }

    /** The flat index in [N, C, S] of class {@code cls} at pixel j = i·S + q. */
    private static int at(int j, int cls, int c, int s) {
        return (j / s * c + cls) * s + j % s;
    }

    private void validate(Tensor xt, Tensor yt) {
        if (xt.rank() < 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input must have shape [N, C, *] (rank >= 2), got shape "
                    + xt.shapeString());
        }
        int[] xs = xt.shape();
        int[] ys = yt.shape();
        boolean ok = ys.length == xs.length - 1 && ys[0] == xs[0];
        for (int d = 1; ok && d < ys.length; d++) {
            ok = ys[d] == xs[d + 1];
        }
        if (!ok) {
            int[] want = new int[xs.length - 1];
            want[0] = xs[0];
            System.arraycopy(xs, 2, want, 1, want.length - 1);
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "target shape " + yt.shapeString() + " must be input's"
                    + " shape without dimension 1, " + java.util.Arrays.toString(want) + " (input shape "
                    + xt.shapeString() + ")");
        }
        if (xs[1] < 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input shape " + xt.shapeString() + ": dimension 1 is "
                    + xs[1] + " but must be >= 2 classes (for one binary mask use lovasz_hinge; the reference code"
                    + " raises for C = 1 too)");
        }
        Check.nonEmpty("input", xt);
        if (ignoreIndex == null) {
            Check.labels("target", yt, xs[1]);
        } else {
            Check.labels("target", yt, xs[1], ignoreIndex);
        }
        Check.closed("input", xt, 0, 1);
    }
}
