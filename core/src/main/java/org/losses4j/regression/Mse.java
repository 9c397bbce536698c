package org.losses4j.regression;

import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.kernels.Kernels;

/**
 * Mean squared error.
 *
 * <p>Term: {@code ℓ = (x − y)²}; gradient {@code 2(x − y)}; second derivative {@code 2}.
 * Shapes: input and target of the same (any) shape. {@code mean} divides by the number of
 * elements; {@code none} returns the terms in input's shape.
 *
 * <p>Reference: PyTorch {@code MSELoss}; Gauss (1809), least squares.
 */
public final class Mse extends ElementwiseLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("mse", Family.REGRESSION)
            .summary("mean squared error: the Gaussian-noise maximum-likelihood loss; penalises large errors heavily")
            .formula("(x − y)²")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("regression", "regression with Gaussian noise")
            .reference("PyTorch MSELoss")
            .example(Examples::regression)
            .factory(Mse::new)
            .build();

    private Mse(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Mse> builder() {
        return new LossBuilder<>(INFO, Mse.class);
    }

    private static final FusedKernel FUSED = (x, y, g, from, to, scale) -> Kernels.floats().mse(x, y, g, from, to,
            scale);

    @Override
    protected FusedKernel fusedFloat32() {
        return FUSED;
    }

    @Override
    protected void terms(Block b) {
        squares(b);
    }

    /** Terms d² and gradients 2d, d = x − y (shared with rmse and psnr, the outer functions of this mean). */
    public static void squares(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            t[k] = d * d;
            dx[k] = 2 * d;
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        java.util.Arrays.fill(b.dxx, 0, b.n, 2.0);
    }
}
