package org.losses4j.vision;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
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

/**
 * Total variation: a smoothness penalty on an image batch, the sum of differences between
 * horizontally and vertically adjacent pixels.
 *
 * <p>Per image: {@code Σ_c [Σ_{i, j<W−1} (x_{i,j+1} − x_{i,j})² + Σ_{i<H−1, j} (x_{i+1,j} − x_{i,j})²]}
 * ({@code kind = squared}, the seed formula), or the absolute differences for {@code l1}
 * (anisotropic TV; subgradient 0 between equal neighbours). One term per image;
 * {@code sum} (the default) adds them, {@code mean} divides by N, {@code none} gives the N
 * terms.
 *
 * <p>Shapes: input [N, C, H, W] (H or W may be 1).
 *
 * <p>Reference: Rudin, Osher &amp; Fatemi 1992, "Nonlinear total variation based noise
 * removal algorithms"; Mahendran &amp; Vedaldi 2015 (TV regulariser for image synthesis).
 */
public final class TotalVariation extends AbstractLoss {
    /**
     * {@code kind}: Squared: squared differences (the seed formula); l1: absolute differences. Default {@code squared};
     * allowed: one of squared, l1.
     */
    public static final OptionSpec<String> KIND = OptionSpec.choice("kind", "squared",
            "squared: squared differences (the seed formula); l1: absolute differences", "squared", "l1");
    /** {@code reduction}: How the terms are combined. Default {@code sum}; allowed: one of sum, mean, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction(Reduction.SUM, Reduction.SUM,
            Reduction.MEAN, Reduction.NONE);

    public static final LossInfo INFO = LossInfo.builder("total_variation", Family.SEGMENTATION)
            .summary("total variation: penalises differences between neighbouring pixels (image smoothness prior)")
            .formula("Σ_c Σ (x_{i,j+1} − x_{i,j})² + (x_{i+1,j} − x_{i,j})²; l1: absolute differences")
            .gradInput("input", "[N, C, H, W] images")
            .options(KIND, REDUCTION)
            .divisor("the batch size N (reduction sum is the default)")
            .convex(true)
            .tasks("image denoising", "style transfer", "image synthesis regularisation")
            .reference("Rudin, Osher & Fatemi 1992")
            .layout(LossInfo.Layout.SAMPLE)
            .example((r, n, o) -> Inputs.of("input", Examples.t(Examples.gauss(r, n * 40, 1), n, 2, 4, 5)))
            .factory(TotalVariation::new)
            .build();

    private final boolean l1;

    private TotalVariation(Options o) {
        super(INFO, o);
        this.l1 = "l1".equals(o.get(KIND));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code TotalVariation}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<TotalVariation, Builder> {
        private Builder() {
            super(INFO, TotalVariation.class);
        }

        /**
         * {@code kind}: Squared: squared differences (the seed formula); l1: absolute differences. Default
         * {@code squared}; allowed: one of squared, l1.
         */
        public Builder kind(String value) {
            return set(KIND, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Check.rank("input", xt, 4);
        int n = xt.dim(0);
        int h = xt.dim(2), w = xt.dim(3);
        int planes = xt.dim(1);
        double[] x = xt.asFloat64().f64();
        double scale = call.reduce(n);
        double[] gx = call.gradient("input", xt);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        int ps = h * w;
        for (int s = 0; s < n; s++) {
            double sum = 0;
            for (int c = 0; c < planes; c++) {
                int off = (s * planes + c) * ps;
                sum += plane(x, off, h, w, gx, scale, l1);
            }
            terms[s] = sum;
        }
        return call.finish(terms, n);
    }

    /** One image plane's sum over its horizontal and vertical neighbour pairs, with their gradient. */
    private static double plane(double[] x, int off, int h, int w, double[] gx, double scale, boolean l1) {
        double sum = 0;
        for (int i = 0; i < h; i++) {
            int row = off + i * w;
            for (int j = 0; j < w; j++) {
                int e = row + j;
                if (j + 1 < w) {
                    sum += pair(x, e, e + 1, gx, scale, l1);
                }
                if (i + 1 < h) {
                    sum += pair(x, e, e + w, gx, scale, l1);
                }
            }
        }
        return sum;
    }

    /**
     * The term of one neighbour pair, d = x[b] − x[a]: |d| (gradient sign(d): 0 between equal
     * neighbours, NaN stays NaN) or d² (gradient 2d), the gradient scaled and added to both.
     */
    private static double pair(double[] x, int a, int b, double[] gx, double scale, boolean l1) {
        double d = x[b] - x[a];
        if (gx != null) {
            double t = (l1 ? Math.signum(d) : 2 * d) * scale;
            gx[b] += t;
            gx[a] -= t;
        }
        return l1 ? Math.abs(d) : d * d;
    }
}
