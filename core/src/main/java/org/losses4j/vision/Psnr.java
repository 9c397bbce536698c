package org.losses4j.vision;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.ElementwiseLoss;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.regression.Mse;

/**
 * PSNR loss: the negative peak signal-to-noise ratio, {@code −PSNR = −10·log10(L²/MSE)}, in
 * decibels, with L = {@code max_val} the largest possible pixel value.
 *
 * <p>As kornia ({@code kornia.losses.psnr_loss} / {@code PSNRLoss}, through
 * {@code kornia.metrics.psnr}): the MSE is the mean of (x − y)² over the whole tensor, every
 * element of every image at once (not one PSNR per image averaged). Value
 * {@code 10·log10(m) − 20·log10(L)}, {@code m = mean (x − y)²}; gradient
 * {@code (20 / ln 10)·(x_i − y_i)/(n·m)}.
 *
 * <p>Where input equals target (m = 0) PSNR is +∞, the loss −∞ and there is no gradient:
 * such a call is refused ({@code out_of_domain}), where kornia returns −inf (and NaN
 * gradients). Numerics: the squares are summed in float64, so residuals all below about
 * 1e-154 underflow to m = 0 (refused likewise) and residuals beyond about 1e154 overflow
 * (value +∞, gradient 0).
 *
 * <p>Shapes: input and target of the same, any non-empty shape (e.g. [N, C, H, W]). Always a
 * scalar.
 *
 * <p>Reference: kornia {@code PSNRLoss}; PSNR as in e.g. Huynh-Thu &amp; Ghanbari 2008,
 * "Scope of validity of PSNR in image/video quality assessment".
 */
public final class Psnr extends ElementwiseLoss {
    /**
     * {@code max_val}: The largest possible pixel value L (1 for images in [0, 1], 255 for 8-bit). Default
     * {@code 1.0}; allowed: &gt; 0.
     */
    public static final OptionSpec<Double> MAX_VAL = OptionSpec.real("max_val", 1.0, OptionSpec.Range.POSITIVE,
            "the largest possible pixel value L (1 for images in [0, 1], 255 for 8-bit)");

    public static final LossInfo INFO = LossInfo.builder("psnr", Family.SEGMENTATION)
            .summary("negative PSNR in dB: −10·log10(L²/MSE), the MSE over the whole tensor (kornia PSNRLoss)")
            .formula("10·log10(mean (x − y)²) − 20·log10(max_val)")
            .gradInput("input", "any non-empty shape (e.g. [N, C, H, W] images)")
            .input("target", "same shape as input")
            .options(MAX_VAL)
            .divisor("always a scalar: the MSE is the mean over all elements")
            .tasks("image restoration", "super-resolution", "image reconstruction metric")
            .reference("kornia PSNRLoss (kornia.metrics.psnr)")
            .layout(LossInfo.Layout.SCALAR)
            .example(Examples::regression)
            .factory(Psnr::new)
            .build();

    private static final double DB_PER_LN = 10 / Math.log(10);

    /** 20·log10(L), computed without squaring L (finite for every L the option takes). */
    private final double peak;

    private Psnr(Options o) {
        super(INFO, o);
        this.peak = 20 * Math.log10(o.real(MAX_VAL));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Psnr}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Psnr, Builder> {
        private Builder() {
            super(INFO, Psnr.class);
        }

        /**
         * {@code max_val}: The largest possible pixel value L (1 for images in [0, 1], 255 for 8-bit).
         * Default {@code 1.0}; allowed: &gt; 0.
         */
        public Builder maxVal(double value) {
            return set(MAX_VAL, value);
        }
    }

    /** The mse terms: the outer function below makes the loss. */
    @Override
    protected void terms(Block b) {
        Mse.squares(b);
    }

    @Override
    protected void secondDerivative(Block b) {
        java.util.Arrays.fill(b.dxx, 0, b.n, 2.0);
    }

    @Override
    protected boolean hasOuter() {
        return true;
    }

    @Override
    protected double outer(double mse) {
        return 10 * Math.log10(mse) - peak;
    }

    /** d/dm of 10·log10(m): (10/ln 10)/m; m = 0 is refused (PSNR is +∞ there, with no gradient). */
    @Override
    protected double outerDerivative(double mse) {
        if (mse == 0) {
            throw new LossException(ErrorKind.OUT_OF_DOMAIN, "input equals target (or their differences underflow"
                    + " when squared): MSE = 0, so PSNR is +∞ and the psnr loss −∞, with no gradient");
        }
        return DB_PER_LN / mse;
    }

    @Override
    protected double outerSecondDerivative(double mse) {
        return -DB_PER_LN / (mse * mse);
    }
}
