package org.losses4j.regression;

import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * Root mean squared logarithmic error; always a scalar.
 *
 * <p>Value: {@code s = sqrt(m)}, {@code m = (1/n) Σ r_i²}, {@code r = log1p(x) − log1p(y)};
 * gradient {@code r_i / (n·s·(1 + x_i))}, and 0 where {@code s = 0} (the catalog's choice at
 * the kink). Second derivative from the chain rule through the square root
 * ({@code f'(m)·h_i + f''(m)·g_i²} with the msle term's {@code g_i}, {@code h_i}), 0 where
 * {@code s = 0}. Shapes: input and target of the same (any, non-empty) shape, every value
 * {@code > −1} (refused otherwise; NaN propagates). There is no {@code reduction} option: the
 * mean always divides by the number of elements.
 *
 * <p>Reference: the Kaggle / scikit-learn metric ({@code root_mean_squared_log_error}).
 */
public final class Rmsle extends RootMean {
    public static final LossInfo INFO = LossInfo.builder("rmsle", Family.REGRESSION)
            .summary("root mean squared log error: msle on a log scale of the target; always a scalar")
            .formula("sqrt(mean (log(1 + x) − log(1 + y))²); gradient 0 where the value is 0")
            .gradInput("input", "any non-empty shape, values > −1")
            .input("target", "same shape as input, values > −1")
            .divisor("always a scalar: the square root of the mean over all elements")
            .elementwise(true)
            .tasks("regression of counts, prices or other positive quantities", "relative-error metric")
            .reference("scikit-learn root_mean_squared_log_error")
            .example(Examples::aboveMinusOne)
            .variable(LossInfo.Variable.LOG1P)
            .factory(Rmsle::new)
            .build();

    private Rmsle(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Rmsle> builder() {
        return new LossBuilder<>(INFO, Rmsle.class);
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Msle.checkDomain(input, target);
    }

    @Override
    protected void terms(Block b) {
        Msle.kernel(b);
    }

    @Override
    protected void secondDerivative(Block b) {
        Msle.kernel2(b);
    }
}
