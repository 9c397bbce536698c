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
 * Lovász hinge loss: a convex, piecewise linear surrogate of the binary Jaccard loss
 * (1 − IoU of the foreground), the Lovász extension applied to hinge errors.
 *
 * <p>Per group of pixels (one image with {@code per_image}, the default, else the whole
 * batch): signs {@code s = 2g − 1}, hinge errors {@code e = 1 − x·s}, sorted decreasing, and
 * the term {@code Σ_r max(e_π(r), 0)·Δ_r} with Δ the Lovász gradient of the Jaccard loss at
 * the sorted ground truth ({@link LovaszExtension}). The loss is the mean of the N image terms
 * ({@code per_image}) or the one batch term. Gradient: {@code ∂/∂x_i = −s_i·Δ_rank(i)} where
 * {@code e_i > 0}, 0 where {@code e_i ≤ 0} (as autograd of the reference code: relu's
 * derivative is 0 at 0), scaled by 1/N per image.
 *
 * <p>Shapes: input (logits) [N, *], e.g. [N, H, W]; target of the same shape with values 0
 * or 1 (NaN propagates). Always a scalar. The reference code's {@code ignore} (void label) is
 * not an option here: give only the pixels to score.
 *
 * <p>Reference: Berman, Rannen Triki &amp; Blaschko 2018, "The Lovász-Softmax loss: A
 * tractable surrogate for the optimization of the intersection-over-union measure in neural
 * networks"; the authors' reference code {@code lovasz_hinge} ({@code per_image = True} is its
 * default too).
 */
public final class LovaszHinge extends AbstractLoss {
    /**
     * {@code per_image}: One Lovász term per image, then their mean (the reference code's default); false: one term
     * over every pixel of the batch. Default {@code true}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> PER_IMAGE = OptionSpec.bool("per_image", true,
            "one Lovász term per image, then their mean (the reference code's default); false: one term over every"
                    + " pixel of the batch");

    public static final LossInfo INFO = LossInfo.builder("lovasz_hinge", Family.SEGMENTATION)
            .summary("Lovász hinge: convex surrogate of the binary Jaccard (IoU) loss, on logits")
            .formula("mean over images of Σ_r max(e_π(r), 0)·Δ_r, e = 1 − x·(2g − 1) sorted decreasing, Δ the Lovász"
                    + " gradient of the Jaccard loss")
            .gradInput("input", "[N, *] logits (e.g. [N, H, W])")
            .input("target", "same shape as input, values 0 or 1")
            .options(PER_IMAGE)
            .divisor("always a scalar: the mean over the N images (per_image), else one term over the batch")
            .convex(true)
            .kinks(true)
            .tasks("binary segmentation", "IoU optimisation", "foreground/background segmentation")
            .reference("Berman et al. 2018 (Lovász-Softmax), the authors' lovasz_hinge")
            .layout(LossInfo.Layout.SCALAR)
            .example(LovaszHinge::example)
            .factory(LovaszHinge::new)
            .build();

    private final boolean perImage;

    private LovaszHinge(Options o) {
        super(INFO, o);
        this.perImage = o.get(PER_IMAGE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code LovaszHinge}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<LovaszHinge, Builder> {
        private Builder() {
            super(INFO, LovaszHinge.class);
        }

        /**
         * {@code per_image}: One Lovász term per image, then their mean (the reference code's default);
         * false: one term over every pixel of the batch. Default {@code true}; allowed: true or false.
         */
        public Builder perImage(boolean value) {
            return set(PER_IMAGE, value);
        }
    }

    /** Logits [n, 3, 4] (normal, sd 2: few near-ties) and a binary mask. */
    static Inputs example(java.util.Random r, int n, Options o) {
        return Inputs.of(Examples.t(Examples.gauss(r, n * 12, 2), n, 3, 4),
                Examples.t(Examples.binary(r, n * 12, 0), n, 3, 4));
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Tensor yt = call.input("target");
        if (xt.rank() < 1) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input must have shape [N, *] (rank >= 1), got shape "
                    + xt.shapeString());
        }
        Check.sameShape("input", xt, "target", yt);
        Check.nonEmpty("input", xt);
        Check.oneOf("target", yt, 0, 1);
        double[] x = xt.f64();
        double[] y = yt.asFloat64().f64(); // a float32 target of float64 input
        int n = xt.dim(0);
        int groups = perImage ? n : 1;
        int p = x.length / groups;
        double[] gx = call.gradient("input", xt);
        Workspace ws = call.scratch();
        double[] e = ws.doubles(p);
        double[] delta = ws.doubles(p);
        LovaszExtension.Scratch sort = new LovaszExtension.Scratch(ws, p);
        double scale = 1.0 / groups;
        double sum = 0;
        for (int k = 0; k < groups; k++) {
            int off = k * p;
            for (int i = 0; i < p; i++) {
                e[i] = 1 - x[off + i] * (2 * y[off + i] - 1);
            }
            sum += LovaszExtension.term(e, y, off, p, delta, sort);
            if (gx != null) {
                for (int i = 0; i < p; i++) {
                    double ei = e[i];
                    // ∂e/∂x = −s; relu' is 1 above 0, 0 at or below it, NaN stays NaN
                    gx[off + i] = ei > 0 ? -scale * delta[i] * (2 * y[off + i] - 1) : ei <= 0 ? 0.0 : Double.NaN;
                }
            }
        }
        return call.finishValue(sum * scale);
    }
}
