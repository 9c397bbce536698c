package org.losses4j.vision;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
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
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * SSIM loss: one minus the mean structural similarity of two image batches.
 *
 * <p>Per channel, with a Gaussian window {@code g_i ∝ exp(−(i − (w−1)/2)² / (2σ²))}
 * (normalised to sum 1) applied separably as a "valid" convolution (no padding, output
 * (H − w + 1) × (W − w + 1)): {@code μx, μy} the windowed means, {@code σx² = E[x²] − μx²},
 * {@code σy²}, {@code σxy = E[xy] − μxμy}, and
 * {@code SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))} with
 * {@code C1 = (k1·L)²}, {@code C2 = (k2·L)²}, L = data_range. One term per sample:
 * {@code 1 − mean SSIM} over its channels and map positions; {@code mean} divides their sum
 * by N (equal to 1 − the mean over the whole map), {@code none} gives the N terms.
 *
 * <p>Gradient: the exact derivative with respect to input, through the five windowed maps
 * (μx, E[x²] and E[xy] depend on x): the per-position derivatives are mapped back with the
 * adjoint of the separable convolution (a "full" correlation with the same window).
 *
 * <p>Shapes: input and target [N, C, H, W] with H, W ≥ window. k1 and k2 must be &gt; 0 so
 * that C1, C2 keep every denominator positive.
 *
 * <p>Reference: Wang, Bovik, Sheikh &amp; Simoncelli 2004, "Image quality assessment: from
 * error visibility to structural similarity".
 */
public final class Ssim extends AbstractLoss {
    /** {@code window}: Side of the Gaussian window (odd). Default {@code 11}; allowed: an odd integer &gt;= 1. */
    public static final OptionSpec<Long> WINDOW = OptionSpec.integer("window", 11, OptionSpec.Range.ODD_POSITIVE,
            "side of the Gaussian window (odd)");
    /**
     * {@code sigma}: Standard deviation of the Gaussian window (at least 1e-100: a smaller σ² underflows to 0 and the
     * window to 0/0). Default {@code 1.5}; allowed: &gt;= 1e-100.
     */
    public static final OptionSpec<Double> SIGMA = OptionSpec.real("sigma", 1.5,
            OptionSpec.Range.AT_LEAST_1E_MINUS_100, "standard deviation of the Gaussian window (at least 1e-100: a"
                    + " smaller σ² underflows to 0 and the window to 0/0)");
    /**
     * {@code data_range}: Dynamic range L of the pixel values (1 for [0, 1] images, 255 for 8-bit; at most 1e15: C1 =
     * (k1·L)² and C2 overflow for huge L). Default {@code 1.0}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> DATA_RANGE = OptionSpec.real("data_range", 1.0,
            OptionSpec.Range.BOUNDED_POSITIVE, "dynamic range L of the pixel values (1 for [0, 1] images, 255 for"
                    + " 8-bit; at most 1e15: C1 = (k1·L)² and C2 overflow for huge L)");
    /**
     * {@code k1}: C1 = (k1·L)² stabilises the luminance term (at most 1e15, as data_range). Default {@code 0.01};
     * allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> K1 = OptionSpec.real("k1", 0.01,
            OptionSpec.Range.BOUNDED_POSITIVE, "C1 = (k1·L)² stabilises the luminance term (at most 1e15, as data_range)");
    /**
     * {@code k2}: C2 = (k2·L)² stabilises the contrast-structure term (at most 1e15, as data_range). Default {@code
     * 0.03}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> K2 = OptionSpec.real("k2", 0.03,
            OptionSpec.Range.BOUNDED_POSITIVE, "C2 = (k2·L)² stabilises the contrast-structure term (at most 1e15, as"
                    + " data_range)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("ssim", Family.SEGMENTATION)
            .summary("one minus structural similarity: image restoration judged by local luminance, contrast and "
                    + "structure")
            .formula("1 − mean (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))")
            .gradInput("input", "[N, C, H, W], H and W >= window")
            .input("target", "same shape as input")
            .options(WINDOW, SIGMA, DATA_RANGE, K1, K2, REDUCTION)
            .divisor("the batch size N (one term per sample: 1 − its mean SSIM)")
            .tasks("image restoration", "super-resolution", "denoising", "image quality")
            .reference("Wang et al. 2004 (SSIM)")
            .layout(LossInfo.Layout.SAMPLE)
            .inputBound(1e150) // the moments E[x²] ~ x² overflow beyond ~1e154
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.uniform(r, n * 84, 0, 1), n, 2, 6, 7),
                    Examples.t(Examples.uniform(r, n * 84, 0, 1), n, 2, 6, 7)))
            .exampleOption("window", 5) // the examples' 6 × 7 images
            .factory(Ssim::new)
            .build();

    private final int window;
    private final double sigma;
    private final double c1;
    private final double c2;

    private Ssim(Options o) {
        super(INFO, o);
        this.window = Math.toIntExact(o.get(WINDOW));
        // the kernel is built per call, after the image is known to be at least window × window: a huge
        // window option must be refused by the image size, not exhaust memory here
        this.sigma = o.real(SIGMA);
        double range = o.real(DATA_RANGE);
        this.c1 = sq(o.real(K1) * range);
        this.c2 = sq(o.real(K2) * range);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Ssim}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Ssim, Builder> {
        private Builder() {
            super(INFO, Ssim.class);
        }

        /**
         * {@code window}: Side of the Gaussian window (odd). Default {@code 11}; allowed: an odd integer &gt;=
         * 1.
         */
        public Builder window(long value) {
            return set(WINDOW, value);
        }

        /**
         * {@code sigma}: Standard deviation of the Gaussian window (at least 1e-100: a smaller σ² underflows
         * to 0 and the window to 0/0). Default {@code 1.5}; allowed: &gt;= 1e-100.
         */
        public Builder sigma(double value) {
            return set(SIGMA, value);
        }

        /**
         * {@code data_range}: Dynamic range L of the pixel values (1 for [0, 1] images, 255 for 8-bit; at most
         * 1e15: C1 = (k1·L)² and C2 overflow for huge L). Default {@code 1.0}; allowed: in (0, 1e15].
         */
        public Builder dataRange(double value) {
            return set(DATA_RANGE, value);
        }

        /**
         * {@code k1}: C1 = (k1·L)² stabilises the luminance term (at most 1e15, as data_range). Default {@code
         * 0.01}; allowed: in (0, 1e15].
         */
        public Builder k1(double value) {
            return set(K1, value);
        }

        /**
         * {@code k2}: C2 = (k2·L)² stabilises the contrast-structure term (at most 1e15, as data_range).
         * Default {@code 0.03}; allowed: in (0, 1e15].
         */
        public Builder k2(double value) {
            return set(K2, value);
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Tensor yt = call.input("target");
        Check.rank("input", xt, 4);
        Check.sameShape("input", xt, "target", yt);
        // an empty batch sums to 0 (sum) or no terms (none); the mean of no samples, or the mean SSIM of an
        // image with no pixels or channels, is undefined
        if (reduction() == Reduction.MEAN || xt.dim(0) > 0) {
            Check.nonEmpty("input", xt);
        }
        int n = xt.dim(0), ch = xt.dim(1), h = xt.dim(2), w = xt.dim(3);
        if (h < window || w < window) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input shape " + xt.shapeString() + ": image "
                    + h + "×" + w + " is smaller than the SSIM window " + window + "×" + window
                    + " (H and W must be >= window)");
        }
        double[] x = xt.asFloat64().f64();
        double[] y = yt.asFloat64().f64();
        call.reduce(n);
        int ho = h - window + 1, wo = w - window + 1;
        double perSample = (double) ch * ho * wo;
        // d(term)/d(SSIM at one position) = −1/(C·Ho·Wo), times the reduction's scale
        double posWeight = -call.scale() / perSample;
        double[] gx = call.gradient("input", xt);
        // the window of odd size: its centre tap (w − 1)/2 = w/2; a valid convolution (no padding)
        double[] kernel = WindowedMoments.gaussian(window, sigma);
        WindowedMoments win = new WindowedMoments(h, w, window, 0);
        int ms = win.outSize();
        double[] mom = new double[5 * ms];
        double[] lc = new double[ms];
        double[] cs = new double[ms];
        double[] dl = gx == null ? null : new double[ms];
        double[] dcs = gx == null ? null : new double[ms];
        double[] dmom = gx == null ? null : new double[3 * ms];
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        int planeSize = h * w;
        for (int s = 0; s < n; s++) {
            double sum = 0;
            for (int c = 0; c < ch; c++) {
                int off = (s * ch + c) * planeSize;
                win.moments(kernel, x, y, off, mom);
                WindowedMoments.ratios(mom, ms, c1, c2, lc, cs);
                for (int o = 0; o < ms; o++) {
                    sum += lc[o] * cs[o];
                }
                if (gx != null) {
                    // SSIM = lc·cs: ∂/∂lc = cs, ∂/∂cs = lc, each times d(term)/d(SSIM at a position)
                    for (int o = 0; o < ms; o++) {
                        dl[o] = posWeight * cs[o];
                        dcs[o] = posWeight * lc[o];
                    }
                    WindowedMoments.chain(mom, ms, c1, c2, lc, cs, dl, dcs, dmom);
                    win.backMoments(kernel, x, y, off, dmom, gx);
                }
            }
            terms[s] = 1 - sum / perSample;
        }
        return call.finish(terms, n);
    }
}
