package org.losses4j.vision;

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
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * MS-SSIM + L1 loss, kornia's {@code MS_SSIMLoss} (after Zhao, Gallo, Frosio &amp; Kautz 2017,
 * "Loss functions for image restoration with neural networks"; psyrocloud's MS-SSIM_L1_LOSS):
 * per output position, {@code comp·(α·(1 − MS-SSIM) + (1 − α)·G·|x − y| / L)}.
 *
 * <p>The scales are Gaussian windows of the σ list at full resolution (no downsampling pyramid),
 * every window of the size of the LAST σ: F = ⌊4σ_last + 1⌋ taps centred on tap ⌊F/2⌋, zero
 * padding P = ⌊2σ_last⌋, output (H + 2P − F + 1) × (W + 2P − F + 1) (H × W for an odd F, one less
 * for an even F). As kornia, 3·S masks (S = len(sigmas); three copies of each σ's window, in the
 * order of the list) are applied by a convolution grouped by channel: C must divide 3S, channel c
 * takes the masks m with ⌊m·C/(3S)⌋ = c, mask m being σ_{⌊m/3⌋}. Each mask gives the ratios
 * {@code lc = (2μxμy + C1)/(μx² + μy² + C1)} and {@code cs = (2σxy + C2)/(σx² + σy² + C2)} of its
 * channel; MS-SSIM = lc_{3S−1}·lc_{3S−2}·lc_{3S−3}·Π_m cs_m (the luminance of the three last masks,
 * those of the last σ). The L1 part G·|x − y| is the mean over the channels c of |x_c − y_c| under
 * mask 3S − C + c. C1 = (k1·L)², C2 = (k2·L)², L = data_range.
 *
 * <p>One term per sample and output position ([N, H', W'] for {@code none}); {@code mean}
 * divides by their number N·H'·W'.
 *
 * <p>Gradient: the exact derivative with respect to input; the ratios are mapped to the
 * windowed moments and back to the pixels with the adjoint of each window (the machinery of
 * ssim, {@link WindowedMoments}); the L1 part's subgradient is 0 at x = y.
 */
public final class MsSsim extends AbstractLoss {
    /**
     * {@code sigmas}: Standard deviations of the Gaussian windows, one scale each; the window size and the
     * luminance come from the last (at most 1e4: the window of ⌊4σ⌋ + 1 taps is built). Default {@code [0.5,
     * 1.0, 2.0, 4.0, 8.0]}; allowed: a non-empty list of numbers, each in [1e-100, 1e4].
     */
    public static final OptionSpec<double[]> SIGMAS = OptionSpec.realList("sigmas", new double[] {0.5, 1, 2, 4, 8},
            OptionSpec.Range.WINDOW_SIGMA, "standard deviations of the Gaussian windows, one scale each; the"
                    + " window size and the luminance come from the last (at most 1e4: the window of ⌊4σ⌋ + 1"
                    + " taps is built)");
    /**
     * {@code data_range}: Dynamic range L of the pixel values; C1 = (k1·L)², C2 = (k2·L)², and the L1 part is divided
     * by L (at least 1e-100 so that it stays finite). Default {@code 1.0}; allowed: in [1e-100, 1e15].
     */
    public static final OptionSpec<Double> DATA_RANGE = OptionSpec.real("data_range", 1.0,
            OptionSpec.Range.BOUNDED_AT_LEAST_1E_MINUS_100, "dynamic range L of the pixel values; C1 = (k1·L)², C2 ="
                    + " (k2·L)², and the L1 part is divided by L (at least 1e-100 so that it stays finite)");
    /**
     * {@code k1}: C1 = (k1·L)² stabilises the luminance term (at most 1e15, as data_range). Default {@code 0.01};
     * allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> K1 = Ssim.K1;
    /**
     * {@code k2}: C2 = (k2·L)² stabilises the contrast-structure term (at most 1e15, as data_range). Default {@code
     * 0.03}; allowed: in (0, 1e15].
     */
    public static final OptionSpec<Double> K2 = Ssim.K2;
    /**
     * {@code alpha}: Weight α of the MS-SSIM part; the Gaussian-weighted L1 part has 1 − α. Default {@code 0.025};
     * allowed: in [0, 1].
     */
    public static final OptionSpec<Double> ALPHA = OptionSpec.real("alpha", 0.025, OptionSpec.Range.UNIT_CLOSED,
            "weight α of the MS-SSIM part; the Gaussian-weighted L1 part has 1 − α");
    /**
     * {@code compensation}: Factor of the whole loss. Default {@code 200.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> COMPENSATION = OptionSpec.real("compensation", 200.0,
            OptionSpec.Range.BOUNDED_NON_NEGATIVE, "factor of the whole loss");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("ms_ssim", Family.SEGMENTATION)
            .summary("multi-scale SSIM mixed with a Gaussian-weighted L1: image restoration (kornia MS_SSIMLoss)")
            .formula("comp·(α·(1 − lc_{3S−1}·lc_{3S−2}·lc_{3S−3}·Π_m cs_m) + (1 − α)·mean_c G_c·|x − y| / L)")
            .gradInput("input", "[N, C, H, W], C dividing 3·len(sigmas)")
            .input("target", "same shape as input")
            .options(SIGMAS, DATA_RANGE, K1, K2, ALPHA, COMPENSATION, REDUCTION)
            .divisor("the number of output positions N·H'·W' (H' = H, or H − 1 for an even window)")
            .kinks(true)
            .tasks("image restoration", "super-resolution", "denoising", "image quality")
            .reference("Zhao et al. 2017 (MS-SSIM + L1); kornia MS_SSIMLoss; Wang et al. 2003 (MS-SSIM)")
            .layout(LossInfo.Layout.SAMPLE)
            .inputBound(1e150) // the moments E[x²] ~ x² overflow beyond ~1e154, as ssim's
            .example(MsSsim::example)
            .factory(MsSsim::new)
            .build();

    /** RGB images (C = 3 divides every 3·len(sigmas)) and a noisy copy of them. */
    private static Inputs example(java.util.Random r, int n, Options o) {
        double[] x = Examples.uniform(r, n * 3 * 7 * 8, 0, 1);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + 0.4 * (r.nextDouble() - 0.5);
        }
        return Inputs.of(Examples.t(x, n, 3, 7, 8), Examples.t(y, n, 3, 7, 8));
    }

    private final double[] sigmas;
    private final double range;
    private final double c1;
    private final double c2;
    private final double alpha;
    private final double compensation;

    private MsSsim(Options o) {
        super(INFO, o);
        this.sigmas = o.get(SIGMAS).clone();
        this.range = o.real(DATA_RANGE);
        this.c1 = (o.real(K1) * range) * (o.real(K1) * range);
        this.c2 = (o.real(K2) * range) * (o.real(K2) * range);
        this.alpha = o.real(ALPHA);
        this.compensation = o.real(COMPENSATION);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code MsSsim}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<MsSsim, Builder> {
        private Builder() {
            super(INFO, MsSsim.class);
        }

        /**
         * {@code sigmas}: Standard deviations of the Gaussian windows, one scale each; the window size and
         * the luminance come from the last (at most 1e4: the window of ⌊4σ⌋ + 1 taps is built). Default
         * {@code [0.5, 1.0, 2.0, 4.0, 8.0]}; allowed: a non-empty list of numbers, each in [1e-100, 1e4].
         */
        public Builder sigmas(double... value) {
            return set(SIGMAS, value);
        }

        /**
         * {@code data_range}: Dynamic range L of the pixel values; C1 = (k1·L)², C2 = (k2·L)², and the L1 part
         * is divided by L (at least 1e-100 so that it stays finite). Default {@code 1.0}; allowed: in [1e-100,
         * 1e15].
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

        /**
         * {@code alpha}: Weight α of the MS-SSIM part; the Gaussian-weighted L1 part has 1 − α. Default
         * {@code 0.025}; allowed: in [0, 1].
         */
        public Builder alpha(double value) {
            return set(ALPHA, value);
        }

        /** {@code compensation}: Factor of the whole loss. Default {@code 200.0}; allowed: in [0, 1e15]. */
        public Builder compensation(double value) {
            return set(COMPENSATION, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Tensor yt = call.input("target");
        Check.rank("input", xt, 4);
        Check.sameShape("input", xt, "target", yt);
        int n = xt.dim(0), ch = xt.dim(1), h = xt.dim(2), w = xt.dim(3);
        int maps = 3 * sigmas.length;
        if (ch == 0 || h == 0 || w == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, "input " + xt.shapeString()
                    + " is empty: an image with no channels or pixels has no MS-SSIM");
        }
        if (maps % ch != 0) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input shape " + xt.shapeString() + ": its C = " + ch
                    + " channels must divide the 3·len(sigmas) = " + maps + " Gaussian masks (kornia's convolution"
                    + " grouped by channel gives each channel 3·len(sigmas)/C of them)");
        }
        double last = sigmas[sigmas.length - 1];
        int taps = (int) (4 * last + 1);
        int pad = (int) (2 * last);
        WindowedMoments win = new WindowedMoments(h, w, taps, pad);
        int ho = win.outH(), wo = win.outW();
        if (ho < 1 || wo < 1) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input shape " + xt.shapeString() + ": image " + h
                    + "×" + w + " has no output position under the " + taps + "-tap window of σ = " + last
                    + " with padding " + pad + " (output " + ho + "×" + wo + ")");
        }
        Plan plan = new Plan(ch, maps);
        Check.arraySize((long) sigmas.length * taps + (long) plan.pairs * 9 * ho * wo, 8,
                "ms_ssim's windows and maps for shape " + xt.shapeString());
        double[][] kernels = new double[sigmas.length][];
        for (int s = 0; s < sigmas.length; s++) {
            kernels[s] = WindowedMoments.gaussian(taps, sigmas[s]);
        }
        double[] x = xt.asFloat64().f64();
        double[] y = yt.asFloat64().f64();
        int ms = ho * wo;
        call.reduce(n * ms);
        double[] gx = call.gradient("input", xt);
        double[] terms = call.terms(n * ms);
        new Pass(plan, win, kernels, xt, x, y, gx, call.scale()).run(n, terms);
        return call.finish(terms, n, ho, wo);
    }

    /**
     * Which (channel, σ) pairs kornia's grouped convolution forms: mask m is σ_{⌊m/3⌋} on channel
     * ⌊m/G⌋, G = 3S/C; consecutive masks with the same pair are one pair with a multiplicity.
     */
    private static final class Plan {
        final int pairs;
        /** The pair of each mask. */
        final int[] pairOf;
        final int[] channel;
        final int[] sigma;
        /** The σ of the L1 mask of each channel: mask 3S − C + c. */
        final int[] l1Sigma;

        Plan(int ch, int maps) {
            int g = maps / ch;
            pairOf = new int[maps];
            int[] chs = new int[maps];
            int[] sgs = new int[maps];
            int k = -1;
            for (int m = 0; m < maps; m++) {
                int c = m / g, s = m / 3;
                if (k < 0 || chs[k] != c || sgs[k] != s) {
                    k++;
                    chs[k] = c;
                    sgs[k] = s;
                }
                pairOf[m] = k;
            }
            pairs = k + 1;
            channel = java.util.Arrays.copyOf(chs, pairs);
            sigma = java.util.Arrays.copyOf(sgs, pairs);
            l1Sigma = new int[ch];
            for (int c = 0; c < ch; c++) {
                l1Sigma[c] = (maps - ch + c) / 3;
            }
        }
    }

    /** One call's computation, sample by sample. */
    private final class Pass {
        private final Plan plan;
        private final WindowedMoments win;
        private final double[][] kernels;
        private final double[] x;
        private final double[] y;
        private final double[] gx;
        private final int ch;
        private final int plane;
        private final int ms;
        /** Per pair: its moments (5 maps), ratios and the derivatives of the scaled terms w.r.t. them. */
        private final double[][] mom;
        private final double[][] lc;
        private final double[][] cs;
        private final double[][] dl;
        private final double[][] dcs;
        private final double[] dmom;
        /** The L1 part: one channel's windowed map, and the mean over the channels. */
        private final double[] map;
        private final double[] l1;
        /** |x − y| of one channel plane, then its derivative sign(x − y) (0 at x = y, NaN for NaN). */
        private final double[] diff;
        /** The running products cs_0·…·cs_{m−1} at one position. */
        private final double[] pre;
        /** d(scaled term)/dQ at every position, Q = MS-SSIM: −scale·comp·α. */
        private final double wq;
        /** d(scaled term)/d(one channel's windowed L1) at every position, scale·comp·(1 − α)/(L·C), as a map. */
        private final double[] wl1;

        Pass(Plan plan, WindowedMoments win, double[][] kernels, Tensor xt, double[] x, double[] y, double[] gx,
                double scale) {
            this.plan = plan;
            this.win = win;
            this.kernels = kernels;
            this.x = x;
            this.y = y;
            this.gx = gx;
            this.ch = xt.dim(1);
            this.plane = xt.dim(2) * xt.dim(3);
            this.ms = win.outSize();
            int pairs = plan.pairs;
            this.mom = new double[pairs][5 * ms];
            this.lc = new double[pairs][ms];
            this.cs = new double[pairs][ms];
            this.dl = gx == null ? null : new double[pairs][ms];
            this.dcs = gx == null ? null : new double[pairs][ms];
            this.dmom = gx == null ? null : new double[3 * ms];
            this.map = new double[ms];
            this.l1 = new double[ms];
            this.diff = new double[plane];
            this.pre = new double[plan.pairOf.length + 1];
            this.wq = -scale * compensation * alpha;
            this.wl1 = new double[ms];
            java.util.Arrays.fill(wl1, scale * compensation * (1 - alpha) / (range * ch));
        }

        /** The terms of the n samples ([N, H', W'] flat) and, when asked, the gradient. */
        void run(int n, double[] terms) {
            for (int s = 0; s < n; s++) {
                int base = s * ch * plane;
                ratios(base);
                l1(base);
                positions(terms, s * ms);
                if (gx != null) {
                    backward(base);
                }
            }
        }

        /** The moments and the ratios lc, cs of every (channel, σ) pair of the sample at {@code base}. */
        private void ratios(int base) {
            for (int p = 0; p < plan.pairs; p++) {
                win.moments(kernels[plan.sigma[p]], x, y, base + plan.channel[p] * plane, mom[p]);
                WindowedMoments.ratios(mom[p], ms, c1, c2, lc[p], cs[p]);
            }
        }

        /** Σ over the channels of |x − y| under each channel's L1 mask (kornia's gaussian_l1 before its mean). */
        private void l1(int base) {
            java.util.Arrays.fill(l1, 0.0);
            for (int c = 0; c < ch; c++) {
                int off = base + c * plane;
                for (int q = 0; q < plane; q++) {
                    diff[q] = Math.abs(x[off + q] - y[off + q]);
                }
                win.smooth(kernels[plan.l1Sigma[c]], diff, 0, map);
                for (int o = 0; o < ms; o++) {
                    l1[o] += map[o];
                }
            }
        }

        /** Each position's term from the ratios and the L1 map; with a gradient, ∂(scaled term)/∂lc and ∂cs. */
        private void positions(double[] terms, int at) {
            int[] pairOf = plan.pairOf;
            int maps = pairOf.length;
            int p0 = pairOf[maps - 1], p1 = pairOf[maps - 2], p2 = pairOf[maps - 3];
            for (int o = 0; o < ms; o++) {
                // kornia's lM·PIcs: the luminance of the three last masks times the product of every cs
                double f0 = lc[p0][o], f1 = lc[p1][o], f2 = lc[p2][o];
                double lm = f0 * f1 * f2;
                pre[0] = 1;
                for (int m = 0; m < maps; m++) {
                    pre[m + 1] = pre[m] * cs[pairOf[m]][o];
                }
                double pics = pre[maps];
                double q = lm * pics;
                terms[at + o] = compensation * (alpha * (1 - q) + (1 - alpha) * (l1[o] / ch) / range);
                if (gx != null) {
                    // ∂Q/∂cs_m = lM·(product of the other cs), from the running products both ways (no division:
                    // a ratio may be 0)
                    double suf = 1;
                    for (int m = maps - 1; m >= 0; m--) {
                        int p = pairOf[m];
                        dcs[p][o] += wq * lm * pre[m] * suf;
                        suf *= cs[p][o];
                    }
                    dl[p0][o] += wq * pics * f1 * f2;
                    dl[p1][o] += wq * pics * f0 * f2;
                    dl[p2][o] += wq * pics * f0 * f1;
                }
            }
        }

        /** Adds the sample's input gradient: each pair through its window's adjoint, then the L1 part. */
        private void backward(int base) {
            for (int p = 0; p < plan.pairs; p++) {
                WindowedMoments.chain(mom[p], ms, c1, c2, lc[p], cs[p], dl[p], dcs[p], dmom);
                win.backMoments(kernels[plan.sigma[p]], x, y, base + plan.channel[p] * plane, dmom, gx);
                java.util.Arrays.fill(dl[p], 0.0);
                java.util.Arrays.fill(dcs[p], 0.0);
            }
            for (int c = 0; c < ch; c++) {
                int off = base + c * plane;
                for (int q = 0; q < plane; q++) {
                    diff[q] = Math.signum(x[off + q] - y[off + q]);
                }
                win.backSmooth(kernels[plan.l1Sigma[c]], wl1, diff, gx, off);
            }
        }
    }
}
