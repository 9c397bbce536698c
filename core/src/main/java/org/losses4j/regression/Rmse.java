package org.losses4j.regression;

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
public final class Rmse extends RootMean {
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
        Mse.squares(b);
    }

    @Override
    protected void secondDerivative(Block b) {
        java.util.Arrays.fill(b.dxx, 0, b.n, 2.0);
    }
}
