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

    /** The normalised 1-D Gaussian window of odd size {@code w}. */
    static double[] gaussian(int w, double sigma) {
        double[] k = new double[w];
        double c = (w - 1) / 2.0;
        double s = 0;
        for (int i = 0; i < w; i++) {
            double d = i - c;
            k[i] = Math.exp(-d * d / (2 * sigma * sigma));
            s += k[i];
        }
        for (int i = 0; i < w; i++) {
            k[i] /= s;
        }
        return k;
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
        Plane plane = new Plane(h, w, ho, wo, gaussian(window, sigma));
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        int planeSize = h * w;
        for (int s = 0; s < n; s++) {
            double sum = 0;
            for (int c = 0; c < ch; c++) {
                int off = (s * ch + c) * planeSize;
                sum += plane.forward(x, y, off, gx == null ? 0 : posWeight);
                if (gx != null) {
                    plane.backward(x, y, off, gx);
                }
            }
            terms[s] = 1 - sum / perSample;
        }
        return call.finish(terms, n);
    }

    /** Scratch buffers and the kernels for one H × W channel plane. */
    private final class Plane {
        private final int h;
        private final int w;
        private final int ho;
        private final int wo;
        /** Horizontal pass of x, y, x², y², xy: 5 maps of H × Wo. */
        private final double[] hor;
        /** Vertical pass: μx, μy, E[x²], E[y²], E[xy], each Ho × Wo. */
        private final double[] mom;
        /** Derivatives of the weighted SSIM sum w.r.t. μx, E[x²], E[xy], each Ho × Wo. */
        private final double[] dmom;
        /** The adjoint's vertical pass of dmom (3 maps of H × Wo) and its horizontal pass (3 maps of H × W). */
        private final double[] adjV;
        private final double[] adjH;

        /** The normalised Gaussian window. */
        private final double[] kernel;

        Plane(int h, int w, int ho, int wo, double[] kernel) {
            this.kernel = kernel;
            this.h = h;
            this.w = w;
            this.ho = ho;
            this.wo = wo;
            this.hor = new double[5 * h * wo];
            this.mom = new double[5 * ho * wo];
            this.dmom = new double[3 * ho * wo];
            this.adjV = new double[3 * h * wo];
            this.adjH = new double[3 * h * w];
        }

        /**
         * The sum of the SSIM map of the plane at {@code off}; when {@code weight} is not 0,
         * also the derivatives of {@code weight·Σ SSIM} w.r.t. μx, E[x²] and E[xy] into dmom.
         */
        double forward(double[] x, double[] y, int off, double weight) {
            double[] k = kernel;
            int kw = window;
            int hs = h * wo;
            for (int i = 0; i < h; i++) {
                int row = off + i * w;
                for (int j = 0; j < wo; j++) {
                    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                    for (int b = 0; b < kw; b++) {
                        double kb = k[b];
                        double xv = x[row + j + b];
                        double yv = y[row + j + b];
                        double kx = kb * xv;
                        double ky = kb * yv;
                        sx += kx;
                        sy += ky;
                        sxx += kx * xv;
                        syy += ky * yv;
                        sxy += kx * yv;
                    }
                    int o = i * wo + j;
                    hor[o] = sx;
                    hor[hs + o] = sy;
                    hor[2 * hs + o] = sxx;
                    hor[3 * hs + o] = syy;
                    hor[4 * hs + o] = sxy;
                }
            }
            int ms = ho * wo;
            for (int m = 0; m < 5; m++) {
                int src = m * hs;
                int dst = m * ms;
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        double s = 0;
                        for (int a = 0; a < kw; a++) {
                            s += k[a] * hor[src + (i + a) * wo + j];
                        }
                        mom[dst + i * wo + j] = s;
                    }
                }
            }
            double sum = 0;
            for (int o = 0; o < ms; o++) {
                double mx = mom[o], my = mom[ms + o];
                double vx = mom[2 * ms + o] - mx * mx;
                double vy = mom[3 * ms + o] - my * my;
                double cxy = mom[4 * ms + o] - mx * my;
                double a1 = 2 * mx * my + c1;
                double a2 = 2 * cxy + c2;
                double b1 = mx * mx + my * my + c1;
                double b2 = vx + vy + c2;
                // S = (A1/B1)·(A2/B2), the two ratios apart: the products A1·A2 and B1·B2 are of
                // order x⁴ and overflowed beyond pixel values of ~1e75; each ratio is O(1) up to ~1e150
                double r1 = a1 / b1;
                double r2 = a2 / b2;
                double ssim = r1 * r2;
                sum += ssim;
                if (weight != 0) {
                    // A1, B1 functions of μx; A2 of μx and E[xy]; B2 of μx and E[x²]:
                    // ∂S/∂μx = 2μy·(A2 − A1)/(B1B2) − S·2μx·(B2 − B1)/(B1B2), written with the ratios
                    dmom[o] = weight * (2 * my * (r2 / b1 - r1 / b2) - 2 * mx * ssim * (1 / b1 - 1 / b2));
                    dmom[ms + o] = weight * (-ssim / b2);
                    dmom[2 * ms + o] = weight * (2 * r1 / b2);
                }
            }
            return sum;
        }

        /** Adds the input gradient of the plane at {@code off} from dmom: the adjoint convolution, then the chain rule. */
        void backward(double[] x, double[] y, int off, double[] gx) {
            double[] k = kernel;
            int kw = window;
            int ms = ho * wo;
            int hs = h * wo;
            // adjoint of the vertical pass: adjV[i][j] = Σ_a k[a]·d[i − a][j], 0 <= i − a < Ho
            for (int m = 0; m < 3; m++) {
                int src = m * ms;
                int dst = m * hs;
                java.util.Arrays.fill(adjV, dst, dst + hs, 0.0);
                for (int i = 0; i < ho; i++) {
                    for (int a = 0; a < kw; a++) {
                        double ka = k[a];
                        int to = dst + (i + a) * wo;
                        int from = src + i * wo;
                        for (int j = 0; j < wo; j++) {
                            adjV[to + j] += ka * dmom[from + j];
                        }
                    }
                }
            }
            // adjoint of the horizontal pass: adjH[i][q] = Σ_b k[b]·adjV[i][q − b], 0 <= q − b < Wo
            int ps = h * w;
            java.util.Arrays.fill(adjH, 0.0);
            for (int m = 0; m < 3; m++) {
                for (int i = 0; i < h; i++) {
                    int from = m * hs + i * wo;
                    int to = m * ps + i * w;
                    for (int j = 0; j < wo; j++) {
                        double v = adjV[from + j];
                        for (int b = 0; b < kw; b++) {
                            adjH[to + j + b] += k[b] * v;
                        }
                    }
                }
            }
            // μx = K·x, E[x²] = K·x², E[xy] = K·(xy): d/dx = adj(dμ) + 2x·adj(dExx) + y·adj(dExy)
            for (int p = 0; p < ps; p++) {
                int e = off + p;
                gx[e] += adjH[p] + 2 * x[e] * adjH[ps + p] + y[e] * adjH[2 * ps + p];
            }
        }
    }
}
