package org.losses4j.regression;

import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.Options;

/**
 * Root mean squared error; always a scalar.
 *
 * <p>Value: {@code r = sqrt(m)}, {@code m = (1/n) Σ (x − y)²}; gradient
 * {@code (x_i − y_i) / (n·r)}, and 0 where {@code r = 0} (the catalog's choice at the
 * kink). Second derivative {@code 1/(n·r) − (x_i − y_i)²/(n²·r³)}, 0 where {@code r = 0}.
 * Shapes: input and target of the same (any, non-empty) shape. There is no {@code reduction}
 * option: the mean always divides by the number of elements.
 *
 * <p>Numerics: the squares are summed in float64, so residuals beyond about 1e154 overflow
 * (value +∞) and residuals all below about 1e-154 underflow (value 0, gradient 0).
 *
 * <p>Reference: the standard regression metric; e.g. scikit-learn
 * {@code root_mean_squared_error}.
 */
public final class Rmse extends ElementwiseLoss {
    public static final LossInfo INFO = LossInfo.builder("rmse", Family.REGRESSION)
            .summary("root mean squared error: mse on the scale of the target; always a scalar")
            .formula("sqrt(mean (x − y)²); gradient 0 where the value is 0")
            .gradInput("input", "any non-empty shape")
            .input("target", "same shape as input")
            .divisor("always a scalar: the square root of the mean over all elements")
            .convex(true).elementwise(true)
            .tasks("regression", "regression metric on the target's scale")
            .reference("standard metric (scikit-learn root_mean_squared_error)")
            .example(Examples::regression)
            .factory(Rmse::new)
            .build();

    private Rmse(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Rmse> builder() {
        return new LossBuilder<>(INFO, Rmse.class);
    }

    @Override
    protected void terms(Block b) {
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

    @Override
    protected boolean hasOuter() {
        return true;
    }

    @Override
    protected double outer(double mean) {
        return Math.sqrt(mean);
    }

    @Override
    protected double outerDerivative(double mean) {
        // at m = 0 every inner gradient is 0 too: return 0 so that 0·∞ cannot give NaN
        return mean == 0 ? 0.0 : 0.5 / Math.sqrt(mean);
    }

    @Override
    protected double outerSecondDerivative(double mean) {
        return mean == 0 ? 0.0 : -0.25 / (mean * Math.sqrt(mean));
    }
}
